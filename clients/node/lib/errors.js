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
 * `duplicate_kid`.
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

module.exports = { REASONS, RefusedError, KeyError, SealError }
