'use strict'
// Writes tests/vectors/keys.json: key-list inputs and what the Rust crate's `Keys::parse` makes
// of them. The expectations are written here by hand; only the key ids are computed (SHA-256).
// tests/key_vectors.rs checks the crate against the file, and each reader's tests check the
// reader against it. Run: node clients/test-vectors/make-keys.js

const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')

const K0 = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' // bytes 0x00..=0x1f, kid 0054ba20
const KX_URL = '-vn49_b19PPy8fDv7u3s6-rp6Ofm5eTj4uHg397d3Ns' // bytes 250, 249, ..., 219
const KX_STD = '+vn49/b19PPy8fDv7u3s6+rp6Ofm5eTj4uHg397d3Ns'

function kid(b64) {
  const key = Buffer.from(b64.replace(/=+$/, ''), 'base64url')
  return crypto.createHash('sha256').update('sealed-session:kid:v1').update(key).digest().subarray(0, 4).toString('hex')
}

const ok = (name, input, keys, comment) => ({ name, comment, input, ok: true, kids: keys.map(kid) })
const err = (name, input, error, extra, comment) => ({ name, comment, input, ok: false, error, ...extra })

const vectors = [
  ok('url-safe', K0, [K0], 'URL-safe alphabet, no padding (43 characters)'),
  ok('url-safe-padded', `${K0}=`, [K0], 'URL-safe alphabet with its one padding character'),
  ok('url-safe-specials', KX_URL, [KX_URL], 'a key using - and _'),
  ok('standard', KX_STD, [KX_URL], 'the same key in the standard alphabet'),
  ok('standard-padded', `${KX_STD}=`, [KX_URL], 'standard alphabet, padded (44 characters)'),
  ok('ascii-blanks', ` \t${K0}\r\n `, [K0], 'blanks around a key are trimmed'),
  ok('unicode-blanks', `\u00a0\u3000${K0}\u2028\u0085`, [K0], 'Unicode White_Space (NBSP, ideographic space, LS, NEL) is trimmed too'),
  ok('two', `${K0},${KX_URL}`, [K0, KX_URL], 'the first seals, both open; kids in list order'),
  ok('empty-items', `,${K0},, ,${KX_STD},`, [K0, KX_URL], 'empty and blank items are skipped'),
  ok('blanks-around-items', `  ${KX_URL} ,\t${K0}  `, [KX_URL, K0], 'blanks around each item'),
  err('empty', '', 'empty', {}, 'no key at all'),
  err('only-commas', ' , ,\t,', 'empty', {}, 'only empty items'),
  err('bom', `\ufeff${K0}`, 'bad_base64', { position: 1 }, 'U+FEFF is not White_Space: not trimmed'),
  err('file-separator', `\u001c${K0}`, 'bad_base64', { position: 1 }, 'U+001C is not White_Space: not trimmed'),
  err('zero-width-space', `${K0}\u200b`, 'bad_base64', { position: 1 }, 'U+200B is not White_Space: not trimmed'),
  err('mixed-alphabets', KX_URL.replace('_', '/'), 'bad_base64', { position: 1 }, '- and / in one key: neither alphabet'),
  err('over-padded', `${K0}==`, 'bad_base64', { position: 1 }, 'more padding than the last quad takes'),
  err('inner-blank', `${K0.slice(0, 20)} ${K0.slice(20)}`, 'bad_base64', { position: 1 }, 'a blank inside a key'),
  err('blank-before-padding', `${K0} =`, 'bad_base64', { position: 1 }, 'a blank before the padding'),
  err('trailing-bits', `${K0.slice(0, 42)}9`, 'bad_base64', { position: 1 }, 'the last character has non-zero trailing bits'),
  err('punctuation', 'not base64!', 'bad_base64', { position: 1 }, 'not base64 at all'),
  err('lone-padding', '=', 'bad_base64', { position: 1 }, 'only padding'),
  err('length-4n-plus-1', `${K0}AA`, 'bad_base64', { position: 1 }, '45 characters: no base64 text has that length'),
  err('padding-after-full-quad', 'AAAA=', 'bad_base64', { position: 1 }, 'padding after a complete quad'),
  err('short', 'AAAA', 'bad_length', { position: 1, got: 3 }, '3 bytes'),
  err('one-byte-padded', 'AA==', 'bad_length', { position: 1, got: 1 }, 'canonical padding, 1 byte'),
  err('two-bytes-short-padding', 'AAA=', 'bad_length', { position: 1, got: 2 }, 'canonical padding, 2 bytes'),
  err('31-bytes', 'A'.repeat(42), 'bad_length', { position: 1, got: 31 }, '42 characters'),
  err('33-bytes', `${K0}A`, 'bad_length', { position: 1, got: 33 }, '44 characters without padding'),
  err('second-short', `${K0},AAAA`, 'bad_length', { position: 2, got: 3 }, 'the position names the faulty key'),
  err('position-skips-empty', `,${K0},,AAAA`, 'bad_length', { position: 2, got: 3 }, 'empty items do not count in the position'),
  err('very-long', 'A'.repeat(200), 'bad_length', { position: 1, got: 150 }, 'over 128 bytes: refused without decoding, got = bytes / 4 * 3'),
  err('long-exactly-128', 'A'.repeat(128), 'bad_length', { position: 1, got: 96 }, '128 characters are still decoded: 96 bytes'),
  err('long-in-bytes', '\u00e9'.repeat(65), 'bad_length', { position: 1, got: 96 }, '65 characters but 130 UTF-8 bytes: the limit counts bytes'),
  err('long-in-bytes-under', '\u00e9'.repeat(64), 'bad_base64', { position: 1 }, '128 UTF-8 bytes: decoded, and not base64'),
  err('duplicate', `${K0},${K0}`, 'duplicate_kid', { position: 2, kid: kid(K0) }, 'the same key twice'),
  err('duplicate-other-form', `${KX_URL}, ${KX_STD}=`, 'duplicate_kid', { position: 2, kid: kid(KX_URL) }, 'one key in two spellings'),
  err('bad-before-duplicate', `${K0},nope!,${K0}`, 'bad_base64', { position: 2 }, 'every key is parsed before duplicates are looked for'),
  err('bad-after-duplicate', `${K0},${K0},AAAA`, 'bad_length', { position: 3, got: 3 }, 'a bad key after a duplicate is reported first'),
]

const file = path.join(__dirname, '..', '..', 'tests', 'vectors', 'keys.json')
const doc = {
  format: 'sealed-session key lists',
  note: 'input is a comma-separated list as in SESSION_KEYS; position is 1-based and skips empty items; got is the decoded length; kid is public',
  vectors,
}
fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`)
