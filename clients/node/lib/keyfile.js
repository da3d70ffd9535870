'use strict'
// The key file, version 1 (docs/key-file.md): its text read into a `Keys` whose keys may carry
// the time from which they seal, with every check of the document, in the order the Rust
// crate's `Keys::load_key_file` makes them: the whole file (size, UTF-8), then line by line
// (format line; per key: count, key, attributes, key id), then no key, then whether some key
// seals at the time of loading. Errors name the line, never its text.

const fs = require('node:fs')
const { Keys, parseKey, kidOf, TRIM } = require('./keys.js')
const { KeyError, KeyFileError } = require('./errors.js')

/** The largest key file read, in bytes. */
const MAX_KEY_FILE_LEN = 65536
/** The most keys a key file lists. */
const MAX_KEY_FILE_KEYS = 64

const MAGIC = 'sealed-session-keys'
const VERSION = '1'
const SEAL_AFTER = 'seal-after'
const BLANKS = /[ \t]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// RFC 3339 date-time, exactly: the ranges are checked after.
const RFC3339 = /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$/

/**
 * An RFC 3339 date-time as Unix ms, the fraction of a second rounded down to the millisecond;
 * `null` if it is not one, or before 1970. A leap second (`:60`) is taken as the last
 * millisecond of its minute, and only where one can be (23:59:60 UTC on a month's last day),
 * as the Rust crate (the `time` crate) reads it.
 * @param {string} text
 * @returns {number | null}
 */
/** 10000-01-01T00:00:00Z in Unix ms: the first time no key file can write. */
const YEAR_10000_MS = 253402300800000

function parseTime(text) {
  const m = RFC3339.exec(text)
  if (m === null) return null
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number)
  const offsetHour = m[9] === undefined ? 0 : Number(m[9])
  const offsetMinute = m[10] === undefined ? 0 : Number(m[10])
  // Before 1969 no offset brings a time to 1970 (and Date.UTC reads years below 100 as 19xx).
  if (year < 1969 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null
  if (offsetHour > 23 || offsetMinute > 59) return null
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null
  const offsetMs = (m[8] === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute) * 60000
  const base = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) - offsetMs
  let ms
  if (second === 60) {
    const utc = new Date(base)
    const lastSecondOfMonth =
      utc.getUTCHours() === 23 && utc.getUTCMinutes() === 59 && utc.getUTCSeconds() === 59 && new Date(base + 1000).getUTCDate() === 1
    if (!lastSecondOfMonth) return null
    ms = base + 999
  } else {
    ms = base + (m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3)))
  }
  // From 1970 until the end of 9999 in UTC: a key file writes its times in UTC, in 4 digits.
  return ms >= 0 && ms < YEAR_10000_MS ? ms : null
}

/** A line's fields: separated by spaces and tabs, nothing from a field starting with `#`. */
function fieldsOf(line) {
  const fields = []
  for (const field of line.split(BLANKS)) {
    if (field === '') continue
    if (field.startsWith('#')) break
    fields.push(field)
  }
  return fields
}

function textOf(input) {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > MAX_KEY_FILE_LEN) throw new KeyFileError('too_large')
    // A string with a lone surrogate has no UTF-8 form.
    if (LONE_SURROGATE.test(input)) throw new KeyFileError('not_utf8')
    return input
  }
  if (input instanceof Uint8Array) {
    if (input.byteLength > MAX_KEY_FILE_LEN) throw new KeyFileError('too_large')
    try {
      // A byte order mark is kept, as the crate keeps it: the format line after it is refused.
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input)
    } catch {
      throw new KeyFileError('not_utf8')
    }
  }
  throw new TypeError('text: expected the key file as a string or bytes (Uint8Array)')
}

function nowOf(options) {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypeError('options: expected { now }')
  const now = options?.now ?? Date.now()
  if (typeof now === 'bigint' ? now < 0n : !(Number.isSafeInteger(now) && now >= 0)) {
    throw new TypeError('now: expected a whole number of Unix ms')
  }
  return now
}

/**
 * Reads a key file's text (docs/key-file.md, version 1) into a key list, as an instance loads
 * it at `now`: every key opens; each may carry the time from which it seals (`sealAfterMs`),
 * and `seal` uses the key that seals at its own `now`.
 * @param {string | Uint8Array} text the file's text, or its bytes
 * @param {{ now?: number | bigint }} [options] `now`: the time of loading, Unix ms (default
 *   `Date.now()`): a file in which no key seals yet at that time is refused (`none_sealing`)
 * @returns {Keys}
 * @throws {KeyFileError} with the table's `code` and the `line` (or `null`)
 */
function parseKeyFile(text, options) {
  const now = nowOf(options)
  const lines = textOf(text).split('\n')
  let formatSeen = false
  const keys = []
  const times = []
  const kids = []
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1
    const raw = lines[i]
    const fields = fieldsOf(raw.endsWith('\r') ? raw.slice(0, -1) : raw)
    if (fields.length === 0) continue
    if (!formatSeen) {
      if (fields[0] !== MAGIC || fields.length === 1) throw new KeyFileError('no_format_line', { line })
      if (fields.length !== 2 || fields[1] !== VERSION) throw new KeyFileError('unsupported_version', { line })
      formatSeen = true
      continue
    }
    if (keys.length === MAX_KEY_FILE_KEYS) throw new KeyFileError('too_many_keys', { line })
    let key
    try {
      key = parseKey(fields[0].replace(TRIM, ''), keys.length + 1)
    } catch (e) {
      if (!(e instanceof KeyError)) throw e
      throw new KeyFileError(e.code, { line, got: e.got }) // bad_base64 or bad_length, as in SESSION_KEYS
    }
    let sealAfter = null
    for (const attribute of fields.slice(1)) {
      const eq = attribute.indexOf('=')
      if (eq < 0 || attribute.slice(0, eq) !== SEAL_AFTER) throw new KeyFileError('bad_attribute', { line })
      const ms = parseTime(attribute.slice(eq + 1))
      if (ms === null) throw new KeyFileError('bad_time', { line })
      if (sealAfter !== null) throw new KeyFileError('repeated_attribute', { line })
      sealAfter = ms
    }
    const kid = kidOf(key)
    if (kids.includes(kid)) throw new KeyFileError('duplicate_kid', { line, kid })
    keys.push(key)
    times.push(sealAfter)
    kids.push(kid)
  }
  if (!formatSeen) throw new KeyFileError('no_format_line')
  if (keys.length === 0) throw new KeyFileError('no_key')
  const list = new Keys(keys, times)
  for (const key of keys) key.fill(0)
  if (!list.hasSealingKeyAt(now)) throw new KeyFileError('none_sealing')
  return list
}

/**
 * Reads the key file at `path` (at most 65,536 bytes are read: a larger file is refused as
 * `too_large`) and loads it as `parseKeyFile` does. The error names the file; a file that
 * cannot be read is a `KeyFileError` with code `unreadable` (the system's error as `cause`).
 * @param {string} path
 * @param {{ now?: number | bigint }} [options] as for `parseKeyFile`
 * @returns {Keys}
 * @throws {KeyFileError}
 */
function readKeyFile(path, options) {
  if (typeof path !== 'string') throw new TypeError('path: expected a string')
  nowOf(options)
  const unreadable = (e) => new KeyFileError('unreadable', { path, reason: e?.code ?? 'error', cause: e })
  const bytes = Buffer.alloc(MAX_KEY_FILE_LEN + 1)
  let length = 0
  let fd
  try {
    fd = fs.openSync(path, 'r')
  } catch (e) {
    throw unreadable(e)
  }
  try {
    while (length < bytes.length) {
      const n = fs.readSync(fd, bytes, length, bytes.length - length, null)
      if (n === 0) break
      length += n
    }
  } catch (e) {
    bytes.fill(0)
    throw unreadable(e)
  } finally {
    fs.closeSync(fd)
  }
  try {
    return parseKeyFile(bytes.subarray(0, length), options)
  } catch (e) {
    throw e instanceof KeyFileError ? e.inFile(path) : e
  } finally {
    bytes.fill(0)
  }
}

module.exports = { parseKeyFile, readKeyFile, parseTime, MAX_KEY_FILE_LEN, MAX_KEY_FILE_KEYS }
