'use strict'
// Every vector file against the reader: passing vectors open to their fields (version 2 ones
// seal back byte for byte), failing ones are refused with their reason, key lists parse as the
// crate parses them.

const test = require('node:test')
const assert = require('node:assert/strict')
const reader = require('..')
const { sealWith } = require('../lib/token.js')
const { vectors } = require('./vectors.js')

test.before(() => reader.ready())

test('every kind of vector is there', () => {
  // Exercise: count what the files hold. Expectation: v1 and v2 passing vectors, refusals of
  // every reason a reader gives, and key lists (a loop over no vectors would pass silently).
  const versions = new Set(vectors.pass.map(({ vector }) => reader.inspect(vector.token).version))
  assert.deepEqual([...versions].sort(), [1, 2])
  assert.deepEqual([...new Set(vectors.fail.map(({ vector }) => vector.reason))].sort(), [...reader.REASONS].sort())
  assert.ok(vectors.keys.length >= 30)
  assert.ok(vectors.opens.length >= 10)
})

for (const { id, vector } of vectors.pass) {
  test(`opens ${id}`, () => {
    const opened = reader.open(vector.token, {
      keys: vector.keys,
      context: vector.context,
      now: vector.open_at_ms,
      absoluteLifetime: null,
    })
    const v2 = 'generation' in vector
    assert.equal(opened.version, v2 ? 2 : 1)
    assert.equal(opened.kid, reader.parseKeys(vector.keys).kids[vector.seal_key])
    assert.equal(opened.keyIndex, vector.seal_key)
    assert.equal(opened.line, v2 ? vector.line : vector.nonce.slice(0, 8))
    assert.equal(opened.generation, v2 ? vector.generation : 0)
    // Past 2^53 the numbers of `open` are rounded: compared as numbers, the exact value is
    // checked by sealing it back below.
    assert.deepEqual(
      [opened.createdMs, opened.expiresMs, opened.maxAgeMs],
      [Number(vector.created_ms), Number(vector.expires_ms), Number(vector.max_age_ms)],
    )
    assert.equal(opened.sid, vector.sid)
    assert.deepEqual(opened.data, vector.data)
  })

  test(`seals ${id} back`, () => {
    // Exercise: seal the vector's fields with its nonce, line and generation (times as exact
    // BigInts). Expectation: a version 2 vector comes back exactly; a version 1 vector comes
    // back as a version 2 token of the same session that opens to the same data.
    const v2 = 'generation' in vector
    const keys = [...vector.keys.slice(vector.seal_key), ...vector.keys.slice(0, vector.seal_key)]
    const token = sealWith(
      {
        data: vector.data,
        sid: vector.sid,
        createdMs: BigInt(vector.created_ms),
        maxAgeMs: BigInt(vector.max_age_ms),
        expiresMs: BigInt(vector.expires_ms),
      },
      { keys, context: vector.context, now: vector.open_at_ms },
      {
        line: Buffer.from(v2 ? vector.line : vector.nonce.slice(0, 8), 'hex'),
        generation: v2 ? vector.generation : 0,
        nonce: Buffer.from(vector.nonce, 'hex'),
      },
    )
    if (v2) assert.equal(token, vector.token)
    else assert.equal(reader.inspect(token).version, 2)
    const opened = reader.open(token, { keys: vector.keys, context: vector.context, now: vector.open_at_ms, absoluteLifetime: null })
    assert.deepEqual(opened.data, vector.data)
  })
}

for (const { id, vector } of vectors.fail) {
  test(`refuses ${id} as ${vector.reason}`, () => {
    assert.throws(
      () =>
        reader.open(vector.token, {
          keys: vector.keys,
          context: vector.context,
          now: vector.open_at_ms,
          maxLen: vector.max_len,
          absoluteLifetime: vector.absolute_lifetime_ms,
        }),
      (e) => {
        assert.ok(e instanceof reader.RefusedError)
        assert.equal(e.reason, vector.reason)
        assert.equal(e.message, `session token refused: ${vector.reason}`)
        return true
      },
    )
  })
}

for (const { id, vector } of vectors.opens) {
  test(`opens ${id} despite its odd data`, () => {
    // As the crate: any well-formed value nested at most MAX_DEPTH (100) deep opens, however large.
    const opened = reader.open(vector.token, {
      keys: vector.keys,
      context: vector.context,
      now: vector.open_at_ms,
      maxLen: vector.max_len,
      absoluteLifetime: vector.absolute_lifetime_ms,
    })
    assert.ok(Object.hasOwn(opened.data, 'a'))
  })
}

for (const { id, vector } of vectors.keys) {
  test(`parses key list ${id}`, () => {
    if (vector.ok) {
      assert.deepEqual(reader.parseKeys(vector.input).kids, vector.kids)
      return
    }
    assert.throws(
      () => reader.parseKeys(vector.input),
      (e) => {
        assert.ok(e instanceof reader.KeyError)
        assert.deepEqual(
          { code: e.code, position: e.position, got: e.got, kid: e.kid },
          { code: vector.error, position: vector.position, got: vector.got, kid: vector.kid },
        )
        return true
      },
    )
  })
}
