'use strict'
// Writes this folder's vector files: the format page's public version 2 vectors (v2-public.json,
// the fields of tests/vectors/v2.json), refusals of every reason (fail-local.json, the fields
// of tests/vectors/fail.json) and odd data that still opens (open-local.json); and keeps the
// vectors it shares with tests/vectors/fail.json there (sharedFailures(): added if missing,
// replaced if different, nothing else of that file touched). Run from clients/node (it uses
// its libsodium):
//   node ../test-vectors/make.js
// The readers' tests read these beside tests/vectors/*.json; the CLI's tests check them
// against the Rust crate, whose own tests read tests/vectors/fail.json.

const fs = require('node:fs')
const path = require('node:path')
const sodium = require(require.resolve('libsodium-wrappers', { paths: [process.cwd()] }))

const KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const OTHER = 'AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM'
const V1 =
  'AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlFQggV9mH8f7H9KT2083V2'
const V2 =
  'AgBUuiDAwcLDAAAAB0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11ifY0ShkC9PfseS5l_QrmgBg'
const V2_MY_APP =
  'AgBUuiDAwcLDAAAAB0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11icez5En_SiGBTrSI6JBBmVs'
const V2_GEN1 =
  'AgBUuiDAwcLDAAAAAUBBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11iTPv9hihXDFCc7uUXJhklFs'
const CREATED = 1700000000000
const EXPIRES = 1700086400000
const NONCE = Buffer.from([...Array(24).keys()].map((i) => 0x40 + i))

const b64 = (bytes) => Buffer.from(bytes).toString('base64url')
const raw = (token) => Buffer.from(token, 'base64url')

/**
 * A token (version 2, or 1) whose plaintext data is `json` exactly as given (valid or not):
 * the public vector's key, nonce, times and sid; version 2 on its line, at `generation`.
 */
function sealRaw(json, version = 2, created = CREATED, expires = EXPIRES, generation = 1) {
  const key = raw(KEY)
  const gen = Buffer.alloc(4)
  gen.writeUInt32BE(generation)
  const head = version === 1 ? raw(V1).subarray(0, 5) : Buffer.concat([raw(V2).subarray(0, 9), gen])
  const plain = Buffer.alloc(40)
  plain.writeBigUInt64BE(BigInt(created), 0)
  plain.writeBigUInt64BE(BigInt(expires), 8)
  plain.writeBigUInt64BE(86400000n, 16)
  Buffer.from([...Array(16).keys()].map((i) => 0xa0 + i)).copy(plain, 24)
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(Buffer.concat([plain, Buffer.from(json)]), head, null, NONCE, key)
  return b64(Buffer.concat([head, NONCE, sealed]))
}

function withByte(token, index, value) {
  const bytes = raw(token)
  bytes[index] = value
  return b64(bytes)
}

function fail(name, comment, token, reason, over = {}) {
  return {
    name,
    comment,
    keys: [KEY],
    context: '',
    open_at_ms: CREATED,
    absolute_lifetime_ms: null,
    max_len: 4096,
    token,
    reason,
    ...over,
  }
}

function failures() {
  return [
    fail('empty', 'an empty header value', '', 'missing'),
    fail('over-cap', 'one character over a cap of 139', V1, 'too_long', { max_len: 139 }),
    fail('over-default-cap', '4097 characters, refused before decoding', 'A'.repeat(4097), 'too_long'),
    fail('padded', 'a padding character after a valid token', `${V1}=`, 'malformed'),
    fail('standard-alphabet', '+ and / are not base64url', V1.replace(/-/g, '+').replace(/_/g, '/'), 'malformed'),
    fail('leading-space', 'blanks are not trimmed', ` ${V1}`, 'malformed'),
    fail('bad-length', 'a length no base64 text has (4n + 1)', V2.slice(0, 149), 'malformed'),
    fail('trailing-bits', 'the last character has non-zero trailing bits', `${V2.slice(0, -1)}h`, 'malformed'),
    fail('version-3', 'version byte 3', withByte(V2, 0, 3), 'malformed'),
    fail('version-0', 'version byte 0', withByte(V1, 0, 0), 'malformed'),
    fail('short-v1', 'a version 1 token of 86 bytes', b64(raw(V1).subarray(0, 86)), 'malformed'),
    fail('short-v2', 'a version 2 token of 94 bytes (long enough for version 1)', b64(raw(V2).subarray(0, 94)), 'malformed'),
    fail('unknown-key', 'sealed by a key not in the list', V1, 'unknown_key', { keys: [OTHER] }),
    fail('unknown-key-before-tag', 'an unknown kid is refused before any decryption, even with a broken tag', withByte(V2, 1, 0xff), 'unknown_key'),
    fail('tampered-v1', 'one byte of the v1 ciphertext changed', withByte(V1, 60, raw(V1)[60] ^ 1), 'forged'),
    fail('tampered-tag', 'one byte of the tag changed', withByte(V2, 112, raw(V2)[112] ^ 0x80), 'forged'),
    fail('wrong-context', 'sealed with context my-app, opened with none', V2_MY_APP, 'forged'),
    fail('missing-context', 'sealed with no context, opened with my-app', V2, 'forged', { context: 'my-app' }),
    fail('generation-changed', 'generation 7 changed to 8 in the clear', withByte(V2, 12, 8), 'forged'),
    fail('line-changed', 'one byte of the line changed', withByte(V2_GEN1, 5, 0xc1), 'forged'),
    fail('version-swapped', 'a version 2 token relabelled as version 1', withByte(V2, 0, 1), 'forged'),
    fail('created-in-future', 'created 60001 ms after now (skew 60000)', V1, 'created_in_future', { open_at_ms: CREATED - 60001 }),
    fail('expired-at', 'opened at exactly expires_ms', V2, 'expired', { open_at_ms: EXPIRES }),
    fail('expired-wins', 'expired and past the absolute lifetime: expired is checked first', V1, 'expired', {
      open_at_ms: EXPIRES + 1,
      absolute_lifetime_ms: 1000,
    }),
    fail('past-absolute', 'opened at created_ms + absolute lifetime', V2, 'past_absolute_lifetime', {
      open_at_ms: CREATED + 3600000,
      absolute_lifetime_ms: 3600000,
    }),
    ...badData(2),
    ...badData(1),
  ]
}

/** Refusals of data that is not one JSON object, in tokens of one version. */
function badData(version) {
  const cases = [
    ['not-utf8', 'data with a byte that is not UTF-8', Buffer.from('{"a":"\xff"}', 'latin1')],
    ['bom', 'data starting with a UTF-8 byte order mark', '\ufeff{}'],
    ['array', 'data that is a JSON array', '[]'],
    ['null', 'data that is JSON null', 'null'],
    ['string', 'data that is a JSON string', '"x"'],
    ['truncated', 'data that is not complete JSON', '{"a":'],
    ['trailing', 'an object followed by more', '{}x'],
    ['nan', 'NaN is not JSON', '{"a":NaN}'],
    ['lone-surrogate-key', 'a key with an escaped lone surrogate is no string', '{"\\ud800":1}'],
    ['control-char', 'a raw control character in a string', '{"a":"\n"}'],
    ['deep-102', 'a value nested 101 deep: 102 levels in all, one past MAX_DEPTH', nested(102)],
    ['deep-128', 'a value nested 127 deep: 128 levels in all', nested(128)],
    ['deep-1000', 'a value nested 999 deep', nested(1000)],
    ['deep-in-key', 'a value nested 101 deep under the second key, brackets in strings beside it', `{"[[":"]]","b":${'{"c":'.repeat(101)}1${'}'.repeat(101)}}`],
  ]
  const suffix = version === 1 ? '-v1' : ''
  return cases.map(([name, comment, json]) => fail(`${name}${suffix}`, `${comment} (version ${version})`, sealRaw(json, version), 'bad_data'))
}

/** `{"a":[[...]]}`, `levels` deep in all: its value nests `levels - 1` arrays. */
const nested = (levels) => `{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`

/**
 * Tokens whose data is odd but one JSON object within the depth limit: the crate keeps each
 * value's text, so they open.
 */
function opening() {
  const cases = [
    ['deep-101', 'a value nested 100 deep, MAX_DEPTH exactly: 101 levels in all', nested(101)],
    ['deep-101-strings', 'a value nested 100 deep, and brackets and escaped quotes in strings beside it', `{"[":"\\\"[[[[","a":${'['.repeat(100)}${']'.repeat(100)},"b":"]]]\\\\"}`],
    ['overflow', 'a number past the range of a double', '{"a":1e400,"b":-1e400}'],
    ['long-integer', 'an integer of 400 digits', `{"a":${'9'.repeat(400)}}`],
    ['lone-surrogate-value', 'an escaped lone surrogate in a value', '{"a":"\\ud800","b":"\\udc00x"}'],
    ['lone-surrogate-nested-key', 'an escaped lone surrogate in a key inside a value', '{"a":{"\\ud800":1}}'],
    ['duplicate-key', 'a key given twice: the last value counts', '{"a":1,"a":2}'],
    ['blanks', 'JSON blanks around and inside', ' \t\r\n{ "a" : [ 1 , { } ] }\n'],
  ]
  return cases.flatMap(([name, comment, json]) =>
    [2, 1].map((version) => ({
      ...fail(`${name}${version === 1 ? '-v1' : ''}`, `${comment} (version ${version})`, sealRaw(json, version), undefined),
      reason: undefined,
      opens: true,
    })),
  )
}

function passing() {
  const base = {
    keys: [KEY],
    seal_key: 0,
    nonce: NONCE.toString('hex'),
    created_ms: CREATED,
    expires_ms: EXPIRES,
    max_age_ms: 86400000,
    sid: 'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf',
    data: { views: { '/foo': 1 } },
    open_at_ms: CREATED,
    line: 'c0c1c2c3',
  }
  return [
    { name: 'public', comment: 'the public version 2 vector of the format page', ...base, context: '', generation: 7, token: V2 },
    { name: 'public-context', comment: 'the public version 2 vector with context my-app', ...base, context: 'my-app', generation: 7, token: V2_MY_APP },
    { name: 'public-generation-1', comment: 'the public version 2 vector with generation 1', ...base, context: '', generation: 1, token: V2_GEN1 },
  ]
}

/**
 * The vectors this script keeps in tests/vectors/fail.json (the file the Rust crate's own tests
 * read), with that file's times: opened 1 ms after creation, on the public line at generation 7.
 */
function sharedFailures() {
  return [
    {
      ...fail('data-too-deep', 'authentic, but a value is nested 101 levels deep (the object 102): refused at open', sealRaw(nested(102), 2, CREATED, EXPIRES, 7), 'bad_data'),
      open_at_ms: CREATED + 1,
    },
  ]
}

/** Adds or replaces `vectors` by name in tests/vectors/fail.json, keeping its layout. */
function keepShared(vectors) {
  const file = path.join(__dirname, '..', '..', 'tests', 'vectors', 'fail.json')
  const text = fs.readFileSync(file, 'utf8')
  const doc = JSON.parse(text)
  // Written back as it was read (2 spaces, no final newline), or not at all.
  if (JSON.stringify(doc, null, 2) !== text) {
    console.error(`tests/vectors/fail.json is not laid out as JSON.stringify(doc, null, 2): add these by hand:\n${JSON.stringify(vectors, null, 2)}`)
    process.exitCode = 1
    return
  }
  for (const v of vectors) {
    const at = doc.vectors.findIndex((old) => old.name === v.name)
    if (at < 0) doc.vectors.push(v)
    else doc.vectors[at] = v
  }
  const next = JSON.stringify(doc, null, 2)
  if (next !== text) fs.writeFileSync(file, next)
}

sodium.ready.then(() => {
  const write = (file, value) => fs.writeFileSync(path.join(__dirname, file), `${JSON.stringify(value, null, 2)}\n`)
  write('v2-public.json', {
    format: 'sealed-session token v2',
    note: 'the public vectors of the format page; open with no absolute lifetime',
    vectors: passing(),
  })
  write('open-local.json', {
    format: 'sealed-session tokens whose odd data still opens',
    note: 'each token opens (opens: true); the data is not compared, values past a parser\'s reach read as null',
    vectors: opening(),
  })
  write('fail-local.json', {
    format: 'sealed-session token refusals',
    note: 'each token is refused with reason; absolute_lifetime_ms null means none',
    vectors: failures(),
  })
  keepShared(sharedFailures())
})
