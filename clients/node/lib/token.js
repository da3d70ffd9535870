'use strict'
// The token codec of the format document (versions 1 and 2): open both, seal version 2.
//
//   v1: version 0x01 | kid (4) | nonce (24) | ciphertext | tag (16); aad = version | kid | context
//   v2: version 0x02 | kid (4) | line (4) | generation (u32 BE) | nonce (24) | ciphertext | tag;
//       aad = version | kid | line | generation | context
//   plaintext: created_ms | expires_ms | max_age_ms (u64 BE each) | sid (16) | JSON object

const crypto = require('node:crypto')
const { decodeToken, encodeToken } = require('./base64.js')
const { Keys } = require('./keys.js')
const { parseData, serializeData } = require('./data.js')
const { RefusedError, SealError } = require('./errors.js')
const { lib } = require('./sodium.js')

const NONCE_LEN = 24
const TAG_LEN = 16
const ENVELOPE_LEN = 40
const LAYOUT = {
  1: { prefix: 29, clear: 5 },
  2: { prefix: 37, clear: 13 },
}
const U64_MAX = (1n << 64n) - 1n
const U32_MAX = 0xffffffff

/** Default size cap, in characters. */
const DEFAULT_MAX_LEN = 4096
/** Default absolute lifetime: 30 days, in ms. */
const DEFAULT_ABSOLUTE_LIFETIME_MS = 30 * 24 * 3600 * 1000
/** Default allowance for a server clock ahead of ours, in ms. */
const DEFAULT_SKEW_MS = 60000
/** Default session lifetime when sealing a new session: one day, in ms (the crate's default). */
const DEFAULT_MAX_AGE_MS = 86400000

function u64(value, name) {
  // What `open` returns for a time near 2^64 - 1 is rounded up to 2^64 as a number: the top.
  if (value === 2 ** 64) return U64_MAX
  let big
  try {
    big = typeof value === 'bigint' ? value : BigInt(value)
  } catch {
    throw new TypeError(`${name}: expected a whole number of milliseconds`)
  }
  if (big < 0n || big > U64_MAX) throw new TypeError(`${name}: expected 0 to 2^64 - 1`)
  return big
}

const min64 = (a) => (a > U64_MAX ? U64_MAX : a)

/**
 * The clear prefix of a token, read without any key: whether it could be a token at all, its
 * version, key id, line and generation, and its length. Nothing here is authenticated until
 * the token opens.
 * @param {string} token
 * @returns {{ couldBeToken: boolean, problem: string | null, length: number, version: number | null, kid: string | null, line: string | null, generation: number | null }}
 */
function inspect(token) {
  const out = { couldBeToken: false, problem: null, length: 0, version: null, kid: null, line: null, generation: null }
  if (typeof token !== 'string' || token === '') return { ...out, problem: 'missing' }
  out.length = token.length
  const bytes = decodeToken(token)
  if (bytes === null) return { ...out, problem: 'malformed' }
  const layout = LAYOUT[bytes[0]]
  if (layout === undefined || bytes.length < layout.prefix + ENVELOPE_LEN + TAG_LEN + 2) {
    return { ...out, problem: 'malformed' }
  }
  return { ...out, couldBeToken: true, ...clearFields(bytes) }
}

function clearFields(bytes) {
  const version = bytes[0]
  return {
    version,
    kid: bytes.subarray(1, 5).toString('hex'),
    line: bytes.subarray(5, 9).toString('hex'),
    generation: version === 1 ? 0 : bytes.readUInt32BE(9),
  }
}

function refuse(reason) {
  throw new RefusedError(reason)
}

/**
 * Opens a token as the Rust crate does, checking in the crate's order.
 * @param {string | null | undefined} token the header value
 * @param {object} options
 * @param {string | string[] | Keys} options.keys the key list (all keys open, whatever their time)
 * @param {string} [options.context] the context string bound into every token; default empty
 * @param {number | bigint} [options.now] Unix time in ms; default `Date.now()`
 * @param {number} [options.maxLen] size cap in characters, checked before decoding; default 4096
 * @param {number | bigint | null} [options.absoluteLifetime] ms from `createdMs`, `null` for none; default 30 days
 * @param {number | bigint} [options.skew] how far in the future `createdMs` may be, in ms; default 60000
 * @returns {import('../index').Opened}
 * @throws {RefusedError} with `reason` saying why the token was refused
 */
function open(token, options) {
  const o = openOptions(options)
  const sodium = lib()
  if (token === null || token === undefined || token === '') refuse('missing')
  if (typeof token !== 'string') throw new TypeError('token: expected a string')
  if (Buffer.byteLength(token, 'utf8') > o.maxLen) refuse('too_long')
  const bytes = decodeToken(token)
  if (bytes === null) refuse('malformed')
  const layout = LAYOUT[bytes[0]]
  if (layout === undefined || bytes.length < layout.prefix + ENVELOPE_LEN + TAG_LEN + 2) refuse('malformed')
  const clear = clearFields(bytes)
  const keyIndex = o.keys.indexOf(clear.kid)
  if (keyIndex < 0) refuse('unknown_key')
  const aad = Buffer.concat([bytes.subarray(0, layout.clear), o.context])
  const nonce = bytes.subarray(layout.prefix - NONCE_LEN, layout.prefix)
  let plain
  try {
    plain = Buffer.from(
      sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(layout.prefix), aad, nonce, o.keys.keyAt(keyIndex)),
    )
  } catch {
    refuse('forged')
  }
  const createdMs = plain.readBigUInt64BE(0)
  const expiresMs = plain.readBigUInt64BE(8)
  const maxAgeMs = plain.readBigUInt64BE(16)
  if (createdMs > min64(o.now + o.skew)) refuse('created_in_future')
  if (o.now >= expiresMs) refuse('expired')
  if (o.absolute !== null && o.now >= min64(createdMs + o.absolute)) refuse('past_absolute_lifetime')
  const data = parseData(plain.subarray(ENVELOPE_LEN))
  if (data === null) refuse('bad_data')
  return {
    ...clear,
    createdMs: Number(createdMs),
    expiresMs: Number(expiresMs),
    maxAgeMs: Number(maxAgeMs),
    sid: plain.subarray(24, 40).toString('hex'),
    data,
    keyIndex,
    // Re-seal only what a key listed after the one that seals now opened: never back from a
    // newer key whose time has not come on this clock.
    reseal: keyIndex > o.keys.sealingIndexAt(o.now),
  }
}

function openOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected { keys, ... }')
  const maxLen = options.maxLen ?? DEFAULT_MAX_LEN
  if (!Number.isSafeInteger(maxLen) || maxLen < 0) throw new TypeError('maxLen: expected a whole number of characters')
  return {
    keys: Keys.from(options.keys),
    context: contextBytes(options.context),
    now: u64(options.now ?? Date.now(), 'now'),
    maxLen,
    absolute: options.absoluteLifetime === null ? null : u64(options.absoluteLifetime ?? DEFAULT_ABSOLUTE_LIFETIME_MS, 'absoluteLifetime'),
    skew: u64(options.skew ?? DEFAULT_SKEW_MS, 'skew'),
  }
}

function contextBytes(context) {
  if (context === undefined) return Buffer.alloc(0)
  if (typeof context !== 'string') throw new TypeError('context: expected a string')
  return Buffer.from(context, 'utf8')
}

function hexBytes(text, len, name) {
  if (typeof text !== 'string' || !new RegExp(`^[0-9a-f]{${2 * len}}$`).test(text)) {
    throw new TypeError(`${name}: expected ${2 * len} lower-case hex digits`)
  }
  return Buffer.from(text, 'hex')
}

/**
 * Seals a session as a version 2 token, following the format's rules for line and generation:
 * a new session (no `replaces`) gets a fresh random line and generation 1; a change of the
 * session it replaces carries that token's generation plus one (saturating at 2^32 - 1); a
 * renewal (`renewal: true`, nothing changed) keeps it. A version 1 token opens with its line
 * and generation 0, so passing what `open` returned is always right.
 *
 * It seals with the key that seals at `now` (`keys.sealingIndexAt(now)`): the first key of a
 * list without times; in a list with times (a key file's `seal-after`), the first key whose
 * time has passed, or, if none has (a list built in code, or a `now` before the time the key
 * file was loaded at), the key whose time comes first.
 * @param {import('../index').SessionInput} session data and, optionally, sid, times and max age
 * @param {import('../index').SealOptions} options
 * @returns {string} the token
 * @throws {SealError} `too_large` if the token would pass `maxLen`, `bad_data` if the data is not a JSON object
 */
function seal(session, options) {
  if (session === null || typeof session !== 'object') throw new TypeError('session: expected { data, ... }')
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected { keys, ... }')
  const replaces = options.replaces ?? null
  let line
  let generation
  if (replaces === null) {
    line = crypto.randomBytes(4)
    generation = 1
  } else {
    line = hexBytes(replaces.line, 4, 'replaces.line')
    const g = replaces.generation
    if (!Number.isInteger(g) || g < 0 || g > U32_MAX) throw new TypeError('replaces.generation: expected 0 to 2^32 - 1')
    generation = options.renewal ? g : Math.min(g + 1, U32_MAX)
  }
  return sealWith(session, options, { line, generation, nonce: crypto.randomBytes(NONCE_LEN) })
}

/**
 * Seals with a given line, generation and nonce (for test vectors; `seal` is the public way).
 * @returns {string}
 */
function sealWith(session, options, { line, generation, nonce }) {
  const keys = Keys.from(options.keys)
  const context = contextBytes(options.context)
  const now = u64(options.now ?? Date.now(), 'now')
  const maxLen = options.maxLen ?? DEFAULT_MAX_LEN
  const base = options.replaces ?? {}
  const maxAge = u64(session.maxAgeMs ?? base.maxAgeMs ?? DEFAULT_MAX_AGE_MS, 'maxAgeMs')
  const created = u64(session.createdMs ?? base.createdMs ?? now, 'createdMs')
  const expires = session.expiresMs !== undefined ? u64(session.expiresMs, 'expiresMs') : min64(now + maxAge)
  const sidHex = session.sid ?? base.sid
  const sid = sidHex === undefined ? crypto.randomBytes(16) : hexBytes(sidHex, 16, 'sid')
  const json = serializeData(session.data === undefined ? {} : session.data)
  // The key that seals at `now`: the first key in a list without times.
  const index = keys.sealingIndexAt(now)
  const key = keys.keyAt(index)
  const head = Buffer.alloc(13)
  head[0] = 2
  Buffer.from(keys.kids[index], 'hex').copy(head, 1)
  Buffer.from(line).copy(head, 5)
  head.writeUInt32BE(generation, 9)
  const plain = Buffer.alloc(ENVELOPE_LEN + json.length)
  plain.writeBigUInt64BE(created, 0)
  plain.writeBigUInt64BE(expires, 8)
  plain.writeBigUInt64BE(maxAge, 16)
  sid.copy(plain, 24)
  json.copy(plain, ENVELOPE_LEN)
  const rawLen = head.length + NONCE_LEN + plain.length + TAG_LEN
  const len = Math.ceil((rawLen * 4) / 3)
  if (len > maxLen) throw new SealError('too_large', `the token would be ${len} characters, over the cap of ${maxLen}`)
  const aad = Buffer.concat([head, context])
  const sealed = lib().crypto_aead_xchacha20poly1305_ietf_encrypt(plain, aad, null, nonce, key)
  plain.fill(0)
  return encodeToken(Buffer.concat([head, nonce, sealed]))
}

module.exports = {
  open,
  seal,
  sealWith,
  inspect,
  DEFAULT_MAX_LEN,
  DEFAULT_ABSOLUTE_LIFETIME_MS,
  DEFAULT_SKEW_MS,
  DEFAULT_MAX_AGE_MS,
}
