'use strict'
// The session data: a JSON object in UTF-8, accepted exactly when the Rust crate's serde_json
// accepts it (strict UTF-8 without a BOM, an object at the top, at most 127 levels of nesting,
// finite numbers, no lone surrogate escapes).

const { SealError } = require('./errors.js')

const MAX_DEPTH = 127 // serde_json refuses a 128th level of arrays and objects
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The deepest nesting of arrays and objects in a JSON text (strings skipped).
 * @param {string} text
 * @returns {number}
 */
function depthOf(text) {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth)
    else if (c === 0x5d || c === 0x7d) depth--
  }
  return max
}

/**
 * Whether a parsed JSON value is one serde_json would have produced: strings (keys included)
 * well-formed UTF-16, numbers finite.
 * @param {unknown} value
 * @returns {boolean}
 */
function wellFormed(value) {
  if (typeof value === 'string') return value.isWellFormed()
  if (typeof value === 'number') return Number.isFinite(value)
  if (value === null || typeof value === 'boolean') return true
  if (Array.isArray(value)) return value.every(wellFormed)
  if (typeof value === 'object') {
    return Object.entries(value).every(([k, v]) => k.isWellFormed() && wellFormed(v))
  }
  return false
}

/**
 * Parses a token's data bytes, or returns `null` where the crate would refuse them as `bad_data`.
 * @param {Uint8Array} bytes
 * @returns {Record<string, unknown> | null}
 */
function parseData(bytes) {
  let text
  let value
  try {
    text = UTF8.decode(bytes)
    if (depthOf(text) > MAX_DEPTH) return null
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  return wellFormed(value) ? value : null
}

/**
 * Serializes session data for sealing; refuses what the crate could not open back.
 * @param {Record<string, unknown>} data a plain JSON object
 * @returns {Buffer}
 * @throws {SealError} `bad_data` if it is not a JSON object that would open back as it is
 */
function serializeData(data) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SealError('bad_data', 'session data must be a plain object')
  }
  let text
  try {
    text = JSON.stringify(data)
  } catch {
    throw new SealError('bad_data', 'session data cannot be serialized as JSON')
  }
  const bytes = Buffer.from(text, 'utf8')
  // JSON.stringify turns NaN into null and drops undefined: check the text opens back as given.
  const back = parseData(bytes)
  if (back === null || !sameJson(data, back)) {
    throw new SealError(
      'bad_data',
      'session data must hold only JSON values (finite numbers, well-formed strings, at most 127 levels)',
    )
  }
  return bytes
}

function sameJson(given, parsed) {
  if (given !== null && typeof given === 'object' && typeof given.toJSON === 'function') return true
  if (typeof given !== typeof parsed) return false
  if (given === null || typeof given !== 'object') return Object.is(given, parsed) || given === parsed
  if (Array.isArray(given) !== Array.isArray(parsed)) return false
  const keys = Object.keys(given)
  if (keys.length !== Object.keys(parsed).length) return false
  return keys.every((k) => Object.hasOwn(parsed, k) && sameJson(given[k], parsed[k]))
}

module.exports = { parseData, serializeData, MAX_DEPTH }
