'use strict'
// Any XChaCha20-Poly1305 implementation opens our tokens: libsodium (libsodium-wrappers) opens the
// public vector of the token format (version 1), and a token the Rust example server sealed at login
// (version 2).

const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const sodium = require('libsodium-wrappers')
const { create } = require('sealed-session-miniprogram')
const { startWechat, fakeWx, exampleBinary, newKey, startServer } = require('./support.js')

/**
 * Opens a token by the format page alone. Version 1: base64url(1 | kid | nonce | sealed),
 * aad = 1 | kid | context. Version 2: base64url(2 | kid | line | generation | nonce | sealed),
 * aad = 2 | kid | line | generation | context. Returns the plaintext's fields, and the line and
 * generation (version 1: its bytes 5 to 8, generation 0).
 */
function open(token, key, context = '') {
  const bytes = Buffer.from(token, 'base64url')
  assert.ok(bytes[0] === 1 || bytes[0] === 2, 'version 1 or 2')
  const head = bytes[0] === 2 ? 13 : 5
  const kid = bytes.subarray(1, 5)
  const expectedKid = crypto
    .createHash('sha256')
    .update(Buffer.concat([Buffer.from('sealed-session:kid:v1'), key]))
    .digest()
    .subarray(0, 4)
  assert.deepEqual(kid, expectedKid, 'kid = SHA-256("sealed-session:kid:v1" || key)[0..4]')
  const nonce = bytes.subarray(head, head + 24)
  const aad = Buffer.concat([bytes.subarray(0, head), Buffer.from(context, 'utf8')])
  const plain = Buffer.from(
    sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(head + 24), aad, nonce, key),
  )
  return {
    version: bytes[0],
    line: bytes.subarray(5, 9).toString('hex'),
    generation: bytes[0] === 2 ? bytes.readUInt32BE(9) : 0,
    createdMs: plain.readBigUInt64BE(0),
    expiresMs: plain.readBigUInt64BE(8),
    maxAgeMs: plain.readBigUInt64BE(16),
    sid: plain.subarray(24, 40).toString('hex'),
    data: JSON.parse(plain.subarray(40).toString('utf8')),
  }
}

test.before(() => sodium.ready)

test('libsodium opens the public vector of the token format', () => {
  const key = Buffer.from([...Array(32).keys()])
  const token =
    'AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlFQggV9mH8f7H9KT2083V2'
  const opened = open(token, key)
  assert.equal(opened.createdMs, 1700000000000n)
  assert.equal(opened.expiresMs, 1700086400000n)
  assert.equal(opened.maxAgeMs, 86400000n)
  assert.equal(opened.sid, 'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf')
  assert.deepEqual(opened.data, { views: { '/foo': 1 } })
  const withContext =
    'AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlOFWEUepidOXCVEsl2_6Ae'
  assert.deepEqual(open(withContext, key, 'my-app').data, { views: { '/foo': 1 } })
  assert.throws(() => open(withContext, key), 'the context is bound into the tag')
  const v2 =
    'AgBUuiDAwcLDAAAAB0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11ifY0ShkC9PfseS5l_QrmgBg'
  const openedV2 = open(v2, key)
  assert.equal(openedV2.line, 'c0c1c2c3')
  assert.equal(openedV2.generation, 7)
  assert.deepEqual(openedV2.data, { views: { '/foo': 1 } })
})

test('libsodium opens the token the example sealed at login, WeChat session key inside', async (t) => {
  const wechat = await startWechat()
  t.after(() => wechat.close())
  const key = newKey()
  const site = await startServer(exampleBinary(), { keys: key, wechatUrl: wechat.url })
  try {
    const wx = fakeWx({ nextCode: () => wechat.issue('lee') })
    const api = create({ platform: 'wx', api: wx, baseUrl: site.url })
    const before = Date.now()
    await api.login()
    const opened = open(api.token(), Buffer.from(key, 'base64'))
    assert.equal(opened.version, 2, 'the server seals version 2')
    assert.equal(opened.generation, 1, "a new line's first token")
    assert.match(opened.line, /^[0-9a-f]{8}$/)
    assert.deepEqual(opened.data, {
      platform: 'wechat',
      openid: 'o-lee',
      platform_secret: wechat.sessionKeys.get('o-lee'),
    })
    assert.equal(opened.maxAgeMs, 86400000n, 'the default max age, 24 h')
    assert.equal(opened.expiresMs - opened.createdMs, opened.maxAgeMs)
    assert.ok(opened.createdMs >= BigInt(before - 1000) && opened.createdMs <= BigInt(Date.now()))
  } finally {
    await site.stop()
  }
})
