'use strict'
// Key lists, parsed exactly as the Rust crate's `Keys::parse`: comma-separated base64 keys,
// blanks around each trimmed, empty items skipped; the first key seals, every key opens.

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
 * An ordered, non-empty key list with distinct key ids. Its key bytes are never printed:
 * `util.inspect`, `toString` and `JSON.stringify` show only the key ids.
 */
class Keys {
  #keys
  #kids

  /**
   * Use `parseKeys` (or `Keys.from`) rather than this constructor.
   * @param {Buffer[]} keys 32-byte keys, the sealing key first
   */
  constructor(keys) {
    if (keys.length === 0) throw new KeyError('empty')
    const kids = keys.map(kidOf)
    kids.forEach((kid, i) => {
      if (kids.indexOf(kid) < i) throw new KeyError('duplicate_kid', { position: i + 1, kid })
    })
    this.#keys = keys.map((k) => Buffer.from(k))
    this.#kids = kids
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

  /** The public key ids (8 hex digits each), the sealing key's first. @returns {string[]} */
  get kids() {
    return [...this.#kids]
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

  /** @returns {string} the key ids only */
  toString() {
    return `Keys(${this.#kids.join(', ')})`
  }

  /** @returns {{ kids: string[] }} the key ids only */
  toJSON() {
    return { kids: this.kids }
  }

  [inspect.custom]() {
    return this.toString()
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

module.exports = { Keys, parseKeys, generateKey, kidOf, KEY_LEN }
