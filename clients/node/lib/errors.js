'use strict'
// The errors of the package. None of their messages ever contains key bytes, token text or
// session data: only reason names, positions, lengths and public key ids.

/**
 * Refusal reasons a reader can give, in the order the opening steps check them. They are the
 * names of the Rust crate's `Refusal::as_str`.
 * @type {readonly string[]}
 */
const REASONS = Object.freeze([
  'missing',
  'too_long',
  'malformed',
  'unknown_key',
  'forged',
  'created_in_future',
  'expired',
  'past_absolute_lifetime',
  'bad_data',
])

/** A token that was refused: `reason` says why (one of `REASONS`). */
class RefusedError extends Error {
  /**
   * @param {string} reason one of `REASONS`
   */
  constructor(reason) {
    super(`session token refused: ${reason}`)
    this.name = 'RefusedError'
    /** Why the token was refused: one of `REASONS`. */
    this.reason = reason
  }
}

/**
 * A key list that could not be parsed. `code` is `empty`, `bad_base64`, `bad_length` or
 * `duplicate_kid`; `position` is the key's 1-based position in the list (empty items not
 * counted); `got` the decoded length for `bad_length`; `kid` the shared public key id for
 * `duplicate_kid`. A key file's errors are a `KeyFileError`, a subclass with the codes of its
 * table.
 */
class KeyError extends Error {
  /**
   * @param {string} code
   * @param {{ position?: number, got?: number, kid?: string }} [details]
   */
  constructor(code, details = {}) {
    super(keyMessage(code, details))
    this.name = 'KeyError'
    /** `empty`, `bad_base64`, `bad_length` or `duplicate_kid`. */
    this.code = code
    /** 1-based position of the faulty key, if the error is about one key. */
    this.position = details.position
    /** Decoded length in bytes, for `bad_length`. */
    this.got = details.got
    /** The shared key id (public), for `duplicate_kid`. */
    this.kid = details.kid
  }
}

function keyMessage(code, { position, got, kid }) {
  switch (code) {
    case 'empty':
      return 'no session key given: pass at least one 32-byte key in base64'
    case 'bad_base64':
      return `session key #${position} is not valid base64: expected 43 or 44 characters of the standard or URL-safe base64 alphabet`
    case 'bad_length':
      return `session key #${position} has the wrong length: expected 32 bytes, got ${got} bytes`
    case 'duplicate_kid':
      return `session keys #${position} and an earlier one share the key id ${kid}: each key may appear once in the list`
    default:
      return `bad session key list (${code})`
  }
}

/** The error names of docs/key-file.md's table, in the order a reader checks them. */
const KEY_FILE_CODES = Object.freeze([
  'too_large',
  'not_utf8',
  'no_format_line',
  'unsupported_version',
  'bad_base64',
  'bad_length',
  'bad_attribute',
  'repeated_attribute',
  'bad_time',
  'no_key',
  'too_many_keys',
  'duplicate_kid',
  'none_sealing',
])

/**
 * A key file that was refused (docs/key-file.md), or that could not be read. `code` is the
 * error name of the document's table (`bad_length`, `none_sealing`, ...; `unreadable` for a
 * file that could not be read), `line` the line it is wrong on (counted from 1), or `null` for
 * an error of the whole file. The message names the line and what is wrong, never the line's
 * text nor a key.
 */
class KeyFileError extends KeyError {
  /**
   * @param {string} code a name of `KEY_FILE_CODES`, or `unreadable`
   * @param {{ line?: number | null, got?: number, kid?: string, path?: string, reason?: string, cause?: unknown }} [details]
   */
  constructor(code, details = {}) {
    super(code, { got: details.got, kid: details.kid })
    const line = details.line ?? null
    const where = details.path === undefined ? 'key file' : `key file ${details.path}`
    this.message = `${where}${line === null ? '' : `, line ${line}`}: ${keyFileMessage(code, details)}`
    this.name = 'KeyFileError'
    /** The line the file is wrong on, counted from 1; `null` for the whole file. */
    this.line = line
    /** The file's path, for `readKeyFile`. */
    this.path = details.path
    if (details.cause !== undefined) this.cause = details.cause
  }

  /**
   * The same error, naming the file it was read from.
   * @param {string} path
   * @returns {KeyFileError}
   */
  inFile(path) {
    return new KeyFileError(this.code, { line: this.line, got: this.got, kid: this.kid, path, cause: this.cause })
  }
}

function keyFileMessage(code, { got, kid, reason }) {
  switch (code) {
    case 'unreadable':
      return `it cannot be read${reason ? ` (${reason})` : ''}`
    case 'too_large':
      return 'it is over 65536 bytes'
    case 'not_utf8':
      return 'it is not UTF-8 text'
    case 'no_format_line':
      return 'expected the format line `sealed-session-keys 1` before the keys'
    case 'unsupported_version':
      return 'the format line names a version this reader cannot read (it reads `sealed-session-keys 1`)'
    case 'bad_base64':
      return 'the key is not valid base64: expected 43 or 44 characters of the standard or URL-safe base64 alphabet'
    case 'bad_length':
      return `the key has the wrong length: expected 32 bytes (43 or 44 base64 characters), got ${got} bytes`
    case 'bad_attribute':
      return 'after the key, expected attributes `name=value` (version 1 knows `seal-after`) or a comment starting with #'
    case 'repeated_attribute':
      return 'an attribute is given twice'
    case 'bad_time':
      return 'seal-after is not an RFC 3339 date-time from 1970 on, such as 2030-06-01T12:00:00+02:00'
    case 'no_key':
      return 'it lists no key'
    case 'too_many_keys':
      return 'it lists more than 64 keys'
    case 'duplicate_kid':
      return `this key has the key id ${kid} of an earlier key: each key may appear once`
    case 'none_sealing':
      return "no key seals yet: every key's seal-after is still to come (one key must have no seal-after, or one that has passed)"
    default:
      return `refused (${code})`
  }
}

/** Sealing failed: `code` is `too_large` (the token would pass `maxLen`) or `bad_data`. */
class SealError extends Error {
  /**
   * @param {string} code `too_large` or `bad_data`
   * @param {string} message what to fix (never the data itself)
   */
  constructor(code, message) {
    super(message)
    this.name = 'SealError'
    /** `too_large` or `bad_data`. */
    this.code = code
  }
}

module.exports = { REASONS, RefusedError, KeyError, KeyFileError, KEY_FILE_CODES, SealError }
