'use strict'
// Key lists, parsed exactly as the Rust crate's `Keys::parse`: comma-separated base64 keys,
// blanks around each trimmed, empty items skipped; the first key seals, every key opens. A list
// read from a key file (keyfile.js) may also give keys a time from which they seal.

const crypto = require('node:crypto')
const { inspect } = require('node:util')
const { decodeKey } = require('./base64.js')
const { KeyError } = require('./errors.js')

const KEY_LEN = 32
const KID_DOMAIN = Buffer.from('sealed-session:kid:v1')
// Rust's `char::is_whitespace` (Unicode White_Space), which `str::trim` uses. Not JavaScript's
// own `trim`, which also removes U+FEFF and keeps U+0085.
const WS = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]'
const TRIM = new RegExp(`^${WS}+|${WS}+$`, 'g')

/**
 * The public 4-byte key id of a key, as 8 hex digits: `SHA-256("sealed-session:kid:v1" || key)[0..4]`.
 * @param {Uint8Array} key 32 bytes
 * @returns {string}
 */
function kidOf(key) {
  return crypto.createHash('sha256').update(KID_DOMAIN).update(key).digest().subarray(0, 4).toString('hex')
}

/**
 * An ordered, non-empty key list with distinct key ids: every key opens, one seals. Its key
 * bytes are never printed: `util.inspect`, `toString` and `JSON.stringify` show only the key
 * ids (and times).
 *
 * A key may carry a time from which it seals (`seal-after` in a key file, `sealAfterMs` here):
 * the key that seals at a time `t` is the first key whose time is at or before `t`, a key
 * without a time counting as always past (`sealingIndexAt`). In a list without times (what
 * `parseKeys` and `SESSION_KEYS` make) that is always the first key.
 */
class Keys {
  #keys
  #kids
  #sealAfter

  /**
   * Use `parseKeys`, `parseKeyFile` (or `Keys.from`) rather than this constructor.
   * @param {Uint8Array[]} keys 32-byte keys, in the list's order
   * @param {ReadonlyArray<number | null>} [sealAfterMs] for each key, the Unix time in ms from
   *   which it seals (`null`: always); none given, no key has a time
   */
  constructor(keys, sealAfterMs) {
    if (keys.length === 0) throw new KeyError('empty')
    const kids = keys.map(kidOf)
    kids.forEach((kid, i) => {
      if (kids.indexOf(kid) < i) throw new KeyError('duplicate_kid', { position: i + 1, kid })
    })
    const times = sealAfterMs === undefined ? keys.map(() => null) : [...sealAfterMs]
    if (times.length !== keys.length) throw new TypeError('sealAfterMs: expected one time (or null) per key')
    for (const t of times) {
      if (t !== null && !(Number.isSafeInteger(t) && t >= 0)) {
        throw new TypeError('sealAfterMs: expected null or a whole number of Unix ms from 0 to 2^53 - 1')
      }
    }
    this.#keys = keys.map((k) => Buffer.from(k))
    this.#kids = kids
    this.#sealAfter = times
  }

  /**
   * A key list from a comma-separated string, an array of base64 keys, or a `Keys` (returned as is).
   * @param {string | string[] | Keys} input
   * @returns {Keys}
   */
  static from(input) {
    if (input instanceof Keys) return input
    if (Array.isArray(input)) return parseParts(input)
    if (typeof input === 'string') return parseParts(input.split(','))
    throw new TypeError('keys: expected a comma-separated string of base64 keys, an array of them, or a Keys')
  }

  /** The public key ids (8 hex digits each), in the list's order. @returns {string[]} */
  get kids() {
    return [...this.#kids]
  }

  /**
   * For each key (in the order of `kids`), the Unix time in ms from which it seals, or `null`
   * for a key without a time (it always may).
   * @returns {(number | null)[]}
   */
  get sealAfterMs() {
    return [...this.#sealAfter]
  }

  /**
   * The position of the key that seals at `nowMs` (Unix ms): the first key whose time has
   * passed (`sealAfterMs <= nowMs`), a key without a time counting as passed; 0 in a list
   * without times. If no key's time has passed (possible only with a list built in code, or a
   * time before the one a key file was loaded at: a key file is refused so), the key whose time
   * comes first (the first of them on a tie).
   * @param {number | bigint} nowMs
   * @returns {number}
   */
  sealingIndexAt(nowMs) {
    const i = this.#sealAfter.findIndex((t) => t === null || t <= nowMs)
    if (i >= 0) return i
    let earliest = 0
    this.#sealAfter.forEach((t, j) => {
      if (t < this.#sealAfter[earliest]) earliest = j
    })
    return earliest
  }

  /**
   * Whether some key seals at `nowMs` by its own time (not by the fallback of `sealingIndexAt`).
   * @param {number | bigint} nowMs
   * @returns {boolean}
   */
  hasSealingKeyAt(nowMs) {
    return this.#sealAfter.some((t) => t === null || t <= nowMs)
  }

  /** How many keys the list holds. @returns {number} */
  get length() {
    return this.#keys.length
  }

  /**
   * The position of the key with this id, or -1.
   * @param {string} kid 8 hex digits
   * @returns {number}
   */
  indexOf(kid) {
    return this.#kids.indexOf(kid)
  }

  /**
   * The key bytes at a position (internal: for the codec only).
   * @param {number} index
   * @returns {Buffer}
   */
  keyAt(index) {
    return this.#keys[index]
  }

  /** @returns {string} the key ids only, each with its time if it has one */
  toString() {
    const shown = this.#kids.map((kid, i) => {
      const t = this.#sealAfter[i]
      return t === null ? kid : `${kid} seal-after=${isoTime(t)}`
    })
    return `Keys(${shown.join(', ')})`
  }

  /** @returns {{ kids: string[], sealAfterMs?: (number | null)[] }} the key ids only (and times, if any) */
  toJSON() {
    return this.#sealAfter.some((t) => t !== null) ? { kids: this.kids, sealAfterMs: this.sealAfterMs } : { kids: this.kids }
  }

  [inspect.custom]() {
    return this.toString()
  }
}

function isoTime(ms) {
  try {
    return new Date(ms).toISOString()
  } catch {
    return `${ms}ms`
  }
}

function parseParts(parts) {
  const keys = []
  for (const part of parts) {
    if (typeof part !== 'string') throw new TypeError('keys: each key must be a base64 string')
    const text = part.replace(TRIM, '')
    if (text === '') continue
    keys.push(parseKey(text, keys.length + 1))
  }
  return new Keys(keys)
}

function parseKey(text, position) {
  const bytes = Buffer.byteLength(text, 'utf8')
  // As the crate: a 32-byte key is 43 or 44 characters; anything much longer is not decoded.
  if (bytes > 4 * KEY_LEN) throw new KeyError('bad_length', { position, got: Math.floor(bytes / 4) * 3 })
  const key = decodeKey(text)
  if (key === null) throw new KeyError('bad_base64', { position })
  if (key.length !== KEY_LEN) throw new KeyError('bad_length', { position, got: key.length })
  return key
}

/**
 * Parses a key list as the Rust crate's `Keys::parse` does.
 * @param {string | string[] | Keys} input comma-separated base64 keys (e.g. `process.env.SESSION_KEYS`)
 * @returns {Keys}
 * @throws {KeyError} for an empty list, a key that is not base64 or not 32 bytes, or two equal key ids
 */
function parseKeys(input) {
  return Keys.from(input)
}

/**
 * A new random key from the operating system's CSPRNG, as URL-safe base64 without padding.
 * @returns {string}
 */
function generateKey() {
  return crypto.randomBytes(KEY_LEN).toString('base64url')
}

module.exports = { Keys, parseKeys, generateKey, kidOf, parseKey, TRIM, KEY_LEN }
