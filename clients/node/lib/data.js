'use strict'
// The session data: a JSON object in UTF-8, accepted exactly when the Rust crate accepts it.
//
// The crate (`token::Data`) checks that the data is strict UTF-8 (no byte order mark) and
// exactly one JSON object whose keys are proper strings, each value nested at most MAX_DEPTH
// levels of arrays and objects (docs/token-format.md, opening step 10), and keeps each value's
// text unparsed: any well-formed value within that depth opens, however large its numbers, lone
// surrogate escapes included. JSON.parse takes the same grammar; the keys and the depth are
// checked after it. A number past the range of a double reads as Infinity, an integer past 2^53
// is rounded.
//
// Sealing refuses values nested deeper than MAX_DEPTH too, as the crate's `insert` does, so that
// whatever is sealed opens again.

const { SealError } = require('./errors.js')

/**
 * How deeply a stored value may nest arrays and objects (the crate's MAX_DEPTH); the data object
 * holding the values nests one level more.
 */
const MAX_DEPTH = 100
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

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
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  // The object nests one level more than its deepest value.
  if (mayBeTooDeep(text) && nestingOf(text) > MAX_DEPTH + 1) return null
  // A key with a lone surrogate escape is no Rust string: the crate refuses the data.
  return Object.keys(value).every((k) => k.isWellFormed()) ? value : null
}

/** Whether `text` is long enough to nest deeper than MAX_DEPTH + 1: each level takes two brackets. */
function mayBeTooDeep(text) {
  return text.length > 2 * (MAX_DEPTH + 1)
}

/**
 * How deeply JSON text (valid JSON: JSON.parse took it) nests arrays and objects, in one pass
 * over the characters with a counter, never recursion: a token's data is hostile input, and its
 * depth must not decide how deep our stack goes. Brackets inside strings, escaped quotes
 * included, do not count.
 * @param {string} text
 * @returns {number}
 */
function nestingOf(text) {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // a backslash: the next character is escaped, whatever it is
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x5b || c === 0x7b) {
      depth++
      if (depth > deepest) deepest = depth
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    }
  }
  return deepest
}

/**
 * How deeply a JSON value nests arrays and objects (0 for a scalar), up to `limit + 1`: the
 * recursion stops there, so the caller's value cannot take the stack deeper than the limit.
 * @param {unknown} value
 * @param {number} limit
 * @returns {number}
 */
function depthOf(value, limit) {
  if (value === null || typeof value !== 'object') return 0
  if (limit < 0) return 1
  let deepest = 0
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    deepest = Math.max(deepest, depthOf(v, limit - 1))
    if (deepest > limit) break
  }
  return deepest + 1
}

/**
 * Serializes session data for sealing; refuses what the crate would not take.
 * @param {Record<string, unknown>} data a plain object of JSON values
 * @returns {Buffer}
 * @throws {SealError} `bad_data` unless it is a plain object of JSON values (finite numbers, no
 *   undefined), with well-formed keys, each value nested at most MAX_DEPTH deep
 */
function serializeData(data) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SealError('bad_data', 'session data must be a plain object')
  }
  const tooDeep = Object.values(data).some((v) => depthOf(v, MAX_DEPTH) > MAX_DEPTH)
  if (tooDeep || !Object.keys(data).every((k) => k.isWellFormed())) {
    throw new SealError('bad_data', `session data keys must be well-formed, values nested at most ${MAX_DEPTH} deep`)
  }
  let text
  try {
    text = JSON.stringify(data)
  } catch {
    throw new SealError('bad_data', 'session data cannot be serialized as JSON')
  }
  // JSON.stringify turns NaN into null and drops undefined: the text must open back as given.
  const back = parseData(Buffer.from(text, 'utf8'))
  if (back === null || !sameJson(data, back)) {
    throw new SealError('bad_data', 'session data must hold only JSON values (finite numbers, no undefined)')
  }
  return Buffer.from(text, 'utf8')
}

function sameJson(given, parsed) {
  if (given !== null && typeof given === 'object' && typeof given.toJSON === 'function') return true
  if (typeof given !== typeof parsed) return false
  if (given === null || typeof given !== 'object') return given === parsed
  if (Array.isArray(given) !== Array.isArray(parsed)) return false
  const keys = Object.keys(given)
  if (keys.length !== Object.keys(parsed).length) return false
  return keys.every((k) => Object.hasOwn(parsed, k) && sameJson(given[k], parsed[k]))
}

module.exports = { parseData, serializeData, nestingOf, MAX_DEPTH }
