'use strict'
// Key files (docs/key-file.md): every case of the shared vectors' `files` array, sealing by
// time (the key that seals just before and just after a key's seal-after), opening with every
// key, what `reseal` says, the strict RFC 3339 reading of seal-after, the file's limits, and
// error messages that name the line but never its text or a key. Every time is injected.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const util = require('node:util')
const reader = require('..')
const { ROOT } = require('./vectors.js')
const { KEY_FILE_CODES } = require('../lib/errors.js')

const { files } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'vectors', 'keys.json'), 'utf8'))

const NEW = 'AwoRGB8mLTQ7QklQV15lbHN6gYiPlp2kq7K5wMfO1dw' // kid e0feebb6
const OLD = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' // kid 0054ba20
const THIRD = '-vn49_b19PPy8fDv7u3s6-rp6Ofm5eTj4uHg397d3Ns' // kid f337a2ce
const AT = 1796464800000 // 2026-12-05T10:00:00Z
const ROTATION = `sealed-session-keys 1\n${NEW} seal-after=2026-12-05T10:00:00Z\n${OLD}\n`

test.before(() => reader.ready())

/** The error `fn` throws, which must be a KeyFileError. */
function refusal(fn) {
  try {
    fn()
  } catch (e) {
    assert.ok(e instanceof reader.KeyFileError, `not a KeyFileError: ${e}`)
    assert.ok(e instanceof reader.KeyError)
    return e
  }
  assert.fail('the key file was not refused')
}

const fieldsOf = (line) => line.split(/[ \t]+/).filter(Boolean)
const OWN_WORDS = new Set(['sealed-session-keys', 'seal-after', '1'])

/** The error says nothing of the file's text: no key of it, nothing of the line it names. */
function assertQuiet(error, text) {
  const shown = `${error.message}\n${String(error)}\n${util.inspect(error)}\n${JSON.stringify(error)}`
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''))
  for (const line of lines) {
    const fields = fieldsOf(line)
    if (fields.length === 0 || fields[0].startsWith('#') || fields[0] === 'sealed-session-keys') continue
    if (fields[0].length >= 4) assert.ok(!shown.includes(fields[0]), `a key is shown: ${shown}`)
  }
  if (error.line === null) return
  const bad = lines[error.line - 1].trim()
  if (bad.length >= 4) assert.ok(!shown.includes(bad), `the line is shown: ${shown}`)
  for (const field of fieldsOf(bad)) {
    const parts = [field, ...field.split('=')]
    for (const part of parts) {
      if (part.length >= 4 && !OWN_WORDS.has(part)) assert.ok(!shown.includes(part), `"${part}" of the line is shown: ${shown}`)
    }
  }
}

test('the vectors hold ok and refused key files, each refusal named', () => {
  // A loop over no vectors would pass silently.
  assert.ok(files.filter((f) => f.ok).length >= 5)
  assert.ok(files.filter((f) => !f.ok).length >= 15)
  assert.ok(files.some((f) => f.sealing_at))
  // Every refusal is a name of the document's table.
  for (const f of files.filter((f) => !f.ok)) assert.ok(KEY_FILE_CODES.includes(f.error), f.error)
})

for (const file of files) {
  test(`key file ${file.name}: ${file.comment}`, () => {
    for (const input of [file.text, Buffer.from(file.text, 'utf8')]) {
      if (file.ok) {
        const keys = reader.parseKeyFile(input, { now: file.now_ms })
        assert.ok(keys instanceof reader.Keys)
        assert.deepEqual(keys.kids, file.kids)
        assert.deepEqual(keys.sealAfterMs, file.seal_after_ms)
        assert.equal(keys.kids[keys.sealingIndexAt(file.now_ms)], file.sealing)
        assert.equal(keys.kids[keys.sealingIndexAt(BigInt(file.now_ms))], file.sealing)
        for (const at of file.sealing_at ?? []) {
          assert.equal(keys.kids[keys.sealingIndexAt(at.now_ms)], at.sealing, `at ${at.now_ms}`)
          // seal honours it: the token's clear key id is the sealing key's.
          const token = reader.seal({ data: { n: 1 } }, { keys, now: at.now_ms })
          assert.equal(reader.inspect(token).kid, at.sealing)
        }
        const token = reader.seal({ data: {} }, { keys, now: file.now_ms })
        assert.equal(reader.inspect(token).kid, file.sealing)
      } else {
        const error = refusal(() => reader.parseKeyFile(input, { now: file.now_ms }))
        assert.equal(error.code, file.error)
        assert.equal(error.line, file.line)
        assert.equal(error.name, 'KeyFileError')
        assert.match(error.message, file.line === null ? /^key file: / : new RegExp(`^key file, line ${file.line}: `))
        assertQuiet(error, file.text)
      }
    }
  })
}

test('seal uses the key that seals at its own time: just before and just after seal-after', () => {
  const keys = reader.parseKeyFile(ROTATION, { now: AT - 60000 })
  const before = reader.seal({ data: { at: 'before' } }, { keys, now: AT - 1 })
  const after = reader.seal({ data: { at: 'after' } }, { keys, now: AT })
  assert.equal(reader.inspect(before).kid, '0054ba20')
  assert.equal(reader.inspect(after).kid, 'e0feebb6')
  // Every key opens, whatever its time: both tokens, at either time.
  for (const now of [AT - 1, AT, AT + 1]) {
    const old = reader.open(before, { keys, now })
    const fresh = reader.open(after, { keys, now })
    assert.deepEqual([old.data, old.keyIndex], [{ at: 'before' }, 1])
    assert.deepEqual([fresh.data, fresh.keyIndex], [{ at: 'after' }, 0])
    // Re-seal only a token opened by a key listed after the one that seals now: the old key's
    // token from the time on, never the new key's (sealed by a clock ahead of this one).
    assert.equal(old.reseal, now >= AT)
    assert.equal(fresh.reseal, false)
  }
  // A re-seal at the time moves the old token to the new key.
  const opened = reader.open(before, { keys, now: AT })
  const moved = reader.seal({ data: opened.data }, { keys, now: AT, replaces: opened, renewal: true })
  assert.equal(reader.inspect(moved).kid, 'e0feebb6')
  assert.equal(reader.open(moved, { keys, now: AT }).reseal, false)
  // The same list as plain keys (no times) seals with its first key at any time.
  const plain = reader.parseKeys(`${NEW},${OLD}`)
  assert.equal(reader.inspect(reader.seal({ data: {} }, { keys: plain, now: AT - 1 })).kid, 'e0feebb6')
})

test('a list without times seals with its first key, as before', () => {
  for (const keys of [reader.parseKeys(`${OLD},${NEW}`), reader.parseKeyFile(`sealed-session-keys 1\n${OLD}\n${NEW}\n`, { now: 0 })]) {
    assert.deepEqual(keys.sealAfterMs, [null, null])
    assert.deepEqual(keys.toJSON(), { kids: ['0054ba20', 'e0feebb6'] })
    assert.equal(String(keys), 'Keys(0054ba20, e0feebb6)')
    for (const now of [0, AT, Number.MAX_SAFE_INTEGER, 2n ** 64n - 1n]) {
      assert.equal(keys.sealingIndexAt(now), 0)
      assert.equal(keys.hasSealingKeyAt(now), true)
    }
    const token = reader.seal({ data: {} }, { keys, now: AT })
    assert.equal(reader.inspect(token).kid, '0054ba20')
    const old = reader.seal({ data: {} }, { keys: NEW, now: AT })
    const opened = reader.open(old, { keys, now: AT })
    assert.deepEqual([opened.keyIndex, opened.reseal], [1, true])
    assert.equal(reader.open(token, { keys, now: AT }).reseal, false)
  }
})

test('with no key sealing at the time, seal uses the key whose time comes first', () => {
  // A list built in code: [a at AT+2, b at AT+1, c at AT+3].
  const bytes = [NEW, OLD, THIRD].map((k) => Buffer.from(k, 'base64url'))
  const keys = new reader.Keys(bytes, [AT + 2, AT + 1, AT + 3])
  assert.equal(keys.hasSealingKeyAt(AT), false)
  assert.equal(keys.sealingIndexAt(AT), 1)
  assert.equal(reader.inspect(reader.seal({ data: {} }, { keys, now: AT })).kid, '0054ba20')
  assert.equal(keys.sealingIndexAt(AT + 1), 1)
  // At AT + 2 the first key's time has passed: it seals, although b's passed earlier.
  assert.equal(keys.sealingIndexAt(AT + 2), 0)
  // Ties: the first of them.
  assert.equal(new reader.Keys(bytes, [AT + 5, AT + 5, AT + 5]).sealingIndexAt(AT), 0)
  // A key file loaded at a time, sealing at an earlier one: the same rule.
  const file = files.find((f) => f.name === 'all-timed')
  const loaded = reader.parseKeyFile(file.text, { now: file.now_ms })
  const early = Math.min(...file.seal_after_ms) - 1
  assert.equal(loaded.hasSealingKeyAt(early), false)
  assert.equal(reader.inspect(reader.seal({ data: {} }, { keys: loaded, now: early })).kid, '0054ba20')
})

test('Keys built in code check their times; they print key ids and times, never keys', () => {
  const bytes = [NEW, OLD].map((k) => Buffer.from(k, 'base64url'))
  assert.throws(() => new reader.Keys(bytes, [AT]), TypeError)
  assert.throws(() => new reader.Keys(bytes, [-1, null]), TypeError)
  assert.throws(() => new reader.Keys(bytes, [1.5, null]), TypeError)
  assert.throws(() => new reader.Keys(bytes, ['2026-12-05T10:00:00Z', null]), TypeError)
  const keys = reader.parseKeyFile(ROTATION, { now: AT })
  assert.deepEqual(keys.toJSON(), { kids: ['e0feebb6', '0054ba20'], sealAfterMs: [AT, null] })
  const shown = `${keys} ${util.inspect(keys)} ${JSON.stringify(keys)} ${util.inspect({ keys })}`
  assert.ok(shown.includes('e0feebb6 seal-after=2026-12-05T10:00:00.000Z'), shown)
  for (const key of [NEW, OLD]) assert.ok(!shown.includes(key.slice(0, 12)), shown)
  // The times given out are copies.
  keys.sealAfterMs[0] = 0
  assert.equal(keys.sealingIndexAt(AT - 1), 1)
})

/** The seal-after of `value`, as the file reads it, or the error code. */
function sealAfter(value) {
  try {
    return reader.parseKeyFile(`sealed-session-keys 1\n${NEW} seal-after=${value}\n${OLD}\n`, { now: 0 }).sealAfterMs[0]
  } catch (e) {
    if (!(e instanceof reader.KeyFileError)) throw e
    assert.equal(e.line, 2)
    return e.code
  }
}

test('seal-after is an RFC 3339 date-time, exactly, counted to the millisecond rounded down', () => {
  const accepted = {
    '2026-12-05T10:00:00Z': AT,
    '2026-12-05t10:00:00z': AT,
    '2026-12-05T11:00:00+01:00': AT,
    '2026-12-05T09:30:00-00:30': AT,
    '2026-12-05T10:00:00-00:00': AT,
    '2026-12-06T09:59:00+23:59': AT,
    '2026-12-05T10:00:00.5Z': AT + 500,
    '2026-12-05T10:00:00.0019Z': AT + 1,
    '2026-12-05T10:00:00.999999999999Z': AT + 999,
    '2026-12-05T18:00:00.0019+08:00': AT + 1,
    '2024-02-29T00:00:00Z': Date.UTC(2024, 1, 29),
    '1970-01-01T00:00:00Z': 0,
    '1969-12-31T23:00:00-01:00': 0,
    '9999-12-31T23:59:59.999Z': 253402300799999,
    // A leap second, where one can be (23:59:60 UTC on a month's last day): the minute's last ms.
    '2016-12-31T23:59:60Z': Date.UTC(2016, 11, 31, 23, 59, 59, 999),
    '2016-12-31T23:59:60.5Z': Date.UTC(2016, 11, 31, 23, 59, 59, 999),
    '2017-01-01T08:59:60+09:00': Date.UTC(2016, 11, 31, 23, 59, 59, 999),
    '2026-06-30T23:59:60Z': Date.UTC(2026, 5, 30, 23, 59, 59, 999),
  }
  for (const [value, ms] of Object.entries(accepted)) assert.equal(sealAfter(value), ms, value)
  const refused = [
    '',
    '2026-12-05',
    '2026-12-05T10:00:00',
    '2026-12-05T10:00Z',
    '2026-12-05X10:00:00Z',
    // The year 10000 in UTC, which no key file can write back.
    '9999-12-31T23:59:59-23:59',
    '9999-12-31T23:59:59-00:01',
    '2026-12-05_10:00:00Z',
    '26-12-05T10:00:00Z',
    '+2026-12-05T10:00:00Z',
    '02026-12-05T10:00:00Z',
    '2026-12-5T10:00:00Z',
    '2026-12-05T10:00:00.Z',
    '2026-12-05T10:00:00,5Z',
    '2026-12-05T10:00:00+0100',
    '2026-12-05T10:00:00+01',
    '2026-12-05T10:00:00ZZ',
    '2026-12-05T10:00:00Z\u00a0',
    '2026-12-05T10:00:00UTC',
    '２０２６-12-05T10:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-12-00T00:00:00Z',
    '2026-12-32T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-12-05T24:00:00Z',
    '2026-12-05T10:60:00Z',
    '2026-12-05T10:00:61Z',
    '2026-12-05T10:00:60Z',
    '2016-12-31T23:58:60Z',
    '2016-12-31T23:59:60+01:00',
    '2026-12-05T10:00:00+24:00',
    '2026-12-05T10:00:00+05:60',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00+00:01',
    '0000-01-01T00:00:00Z',
    '0099-01-01T00:00:00Z',
  ]
  for (const value of refused) assert.equal(sealAfter(value), 'bad_time', value)
})

test('lines: comments, blanks, line ends, the format line and attributes, as the document says', () => {
  const code = (text) => {
    try {
      return reader.parseKeyFile(text, { now: AT }).kids.length
    } catch (e) {
      if (!(e instanceof reader.KeyFileError)) throw e
      return `${e.code}@${e.line}`
    }
  }
  assert.equal(code(`\t# c\n \t \nsealed-session-keys 1 # version one\r\n\t${OLD}\t# old\t\r\n${NEW} seal-after=2026-01-01T00:00:00Z #x seal-after=bad\r`), 2)
  assert.equal(code(`sealed-session-keys 1\n${OLD}#not-a-comment\n`), 'bad_base64@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD} #\n`), 1)
  assert.equal(code(`sealed-session-keys 1\n${OLD}\r\r\n`), 1) // one \r dropped, the other trimmed as in SESSION_KEYS
  assert.equal(code(`sealed-session-keys 1\n${OLD}\rx\n`), 'bad_base64@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD}\u00a0\n`), 1) // as SESSION_KEYS: the key is trimmed
  assert.equal(code(`sealed-session-keys 1\n${OLD}\u00a0seal-after=2026-01-01T00:00:00Z\n`), 'bad_base64@2')
  assert.equal(code(`sealed-session-keys\n${OLD}\n`), 'no_format_line@1')
  assert.equal(code(`Sealed-Session-Keys 1\n${OLD}\n`), 'no_format_line@1')
  assert.equal(code(`\ufeffsealed-session-keys 1\n${OLD}\n`), 'no_format_line@1')
  assert.equal(code(`# c\nsealed-session-keys 1 2\n${OLD}\n`), 'unsupported_version@2')
  assert.equal(code(`sealed-session-keys 01\n${OLD}\n`), 'unsupported_version@1')
  assert.equal(code(`sealed-session-keys 1\n${OLD}\nsealed-session-keys 1\n`), 'bad_length@3')
  assert.equal(code(`sealed-session-keys 1\n${OLD} =x\n`), 'bad_attribute@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD} Seal-After=2026-01-01T00:00:00Z\n`), 'bad_attribute@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD} seal-after\n`), 'bad_attribute@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD} seal-after=\n`), 'bad_time@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD} seal-after=2026-01-01T00:00:00Z=\n`), 'bad_time@2')
  // One line's checks in the order of its fields: the key first, then each attribute (its value
  // read before the repetition is seen), then the key id against the earlier keys.
  assert.equal(code(`sealed-session-keys 1\nnot*base64 bare\n`), 'bad_base64@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD} seal-after=2026-01-01T00:00:00Z seal-after=bad\n`), 'bad_time@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD} seal-after=2026-01-01T00:00:00Z seal-after=2026-01-01T00:00:00Z\n`), 'repeated_attribute@2')
  assert.equal(code(`sealed-session-keys 1\n${OLD}\n${OLD} bare\n`), 'bad_attribute@3')
  // The first failing line wins: a duplicate before a bad key, a bad key before a duplicate.
  assert.equal(code(`sealed-session-keys 1\n${OLD}\n${OLD}\nnot*base64\n`), 'duplicate_kid@3')
  assert.equal(code(`sealed-session-keys 1\n${OLD}\nnot*base64\n${OLD}\n`), 'bad_base64@3')
})

test('limits: 64 keys, 65,536 bytes counted in UTF-8, and UTF-8 text', () => {
  const keyAt = (i) => Buffer.alloc(32, i).toString('base64url')
  const list = (n) => `sealed-session-keys 1\n${Array.from({ length: n }, (_, i) => keyAt(i)).join('\n')}\n`
  assert.equal(reader.parseKeyFile(list(64), { now: 0 }).length, 64)
  const many = refusal(() => reader.parseKeyFile(`${list(64)}# more\nnot*base64\n`, { now: 0 }))
  assert.deepEqual([many.code, many.line], ['too_many_keys', 67])

  const head = `sealed-session-keys 1\n${OLD}\n#`
  const exactly = head + 'x'.repeat(65536 - Buffer.byteLength(head) - 1) + '\n'
  assert.equal(Buffer.byteLength(exactly), 65536)
  assert.equal(reader.parseKeyFile(exactly, { now: 0 }).length, 1)
  assert.equal(reader.parseKeyFile(Buffer.from(exactly), { now: 0 }).length, 1)
  for (const big of [`${exactly}\n`, head + '\u00e9'.repeat(32768)]) {
    assert.ok(big.length <= 65537 && Buffer.byteLength(big) > 65536)
    for (const input of [big, Buffer.from(big)]) {
      const error = refusal(() => reader.parseKeyFile(input, { now: 0 }))
      assert.deepEqual([error.code, error.line], ['too_large', null])
    }
  }
  // Too large before anything else: not UTF-8 either.
  const error = refusal(() => reader.parseKeyFile(Buffer.concat([Buffer.from([0xff]), Buffer.alloc(65536, 0x23)]), { now: 0 }))
  assert.equal(error.code, 'too_large')

  const utf8 = Buffer.from(`sealed-session-keys 1\n# caf\u00e9\n${OLD}\n`)
  assert.equal(reader.parseKeyFile(utf8, { now: 0 }).length, 1)
  for (const input of [
    Buffer.concat([Buffer.from(`sealed-session-keys 1\n${OLD}\n# `), Buffer.from([0xc3, 0x28])]),
    Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
    Buffer.from([0xc0, 0x80]), // an overlong NUL
    `sealed-session-keys 1\n${OLD}\n# \ud800\n`, // a string with a lone surrogate
  ]) {
    const bad = refusal(() => reader.parseKeyFile(input, { now: 0 }))
    assert.deepEqual([bad.code, bad.line], ['not_utf8', null])
    assert.ok(!bad.message.includes(OLD))
  }
  assert.throws(() => reader.parseKeyFile(42), TypeError)
  assert.throws(() => reader.parseKeyFile(ROTATION, { now: -1 }), TypeError)
  assert.throws(() => reader.parseKeyFile(ROTATION, { now: 'now' }), TypeError)
})

test('none_sealing is checked at the time of loading, by default the clock', () => {
  const future = `sealed-session-keys 1\n${NEW} seal-after=9999-01-01T00:00:00Z\n`
  assert.equal(refusal(() => reader.parseKeyFile(future)).code, 'none_sealing')
  assert.equal(refusal(() => reader.parseKeyFile(future, { now: 253370764799999n })).code, 'none_sealing')
  assert.equal(reader.parseKeyFile(future, { now: 253370764800000 }).length, 1)
  // With a key without a time, a file whose other key's time is far ahead loads now.
  const keys = reader.parseKeyFile(`sealed-session-keys 1\n${NEW} seal-after=9999-01-01T00:00:00Z\n${OLD}\n`)
  assert.equal(keys.kids[keys.sealingIndexAt(Date.now())], '0054ba20')
  const token = reader.seal({ data: {} }, { keys })
  assert.equal(reader.inspect(token).kid, '0054ba20')
})

test('readKeyFile reads a file (at most 65,536 bytes of it), its errors name the file', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealed-session-keyfile-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'keys')
  fs.writeFileSync(file, ROTATION)
  const keys = reader.readKeyFile(file, { now: AT })
  assert.deepEqual([keys.kids, keys.sealAfterMs], [['e0feebb6', '0054ba20'], [AT, null]])
  fs.writeFileSync(file, `sealed-session-keys 1\n${OLD}\n${OLD.slice(0, 32)}\n`)
  const short = refusal(() => reader.readKeyFile(file, { now: AT }))
  assert.deepEqual([short.code, short.line, short.path], ['bad_length', 3, file])
  assert.ok(short.message.startsWith(`key file ${file}, line 3: `), short.message)
  assertQuiet(short, `sealed-session-keys 1\n${OLD}\n${OLD.slice(0, 32)}\n`)
  fs.writeFileSync(file, Buffer.alloc(65537, 0x23))
  assert.deepEqual(
    [refusal(() => reader.readKeyFile(file)).code, refusal(() => reader.readKeyFile(file)).line],
    ['too_large', null],
  )
  fs.writeFileSync(file, `${ROTATION}${'#'.repeat(65536 - ROTATION.length)}`)
  assert.equal(reader.readKeyFile(file, { now: AT }).length, 2)
  const missing = refusal(() => reader.readKeyFile(path.join(dir, 'missing')))
  assert.deepEqual([missing.code, missing.line], ['unreadable', null])
  assert.match(missing.message, /^key file .*missing: it cannot be read \(ENOENT\)$/)
  assert.equal(missing.cause.code, 'ENOENT')
  assert.equal(refusal(() => reader.readKeyFile(dir)).code, 'unreadable')
})

test('SESSION_KEYS lists parse as before, with KeyError codes of their own', () => {
  const keys = reader.parseKeys(` ${OLD} ,, ${NEW} `)
  assert.deepEqual([keys.kids, keys.sealAfterMs], [['0054ba20', 'e0feebb6'], [null, null]])
  assert.throws(
    () => reader.parseKeys(`${OLD},${OLD}`),
    (e) => e instanceof reader.KeyError && !(e instanceof reader.KeyFileError) && e.code === 'duplicate_kid',
  )
})
