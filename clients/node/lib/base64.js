'use strict'
// Two base64 decoders with the exact rules of the Rust crate:
// - tokens: base64url without padding, URL-safe alphabet only, canonical trailing bits
//   (the crate's `base64_simd::URL_SAFE_NO_PAD`);
// - keys: standard or URL-safe alphabet, padding optional but never more than canonical,
//   canonical trailing bits (the crate's `base64` engines with `DecodePaddingMode::Indifferent`,
//   URL-safe tried first).

const URL_SAFE = /^[A-Za-z0-9_-]*$/
const STANDARD = /^[A-Za-z0-9+/]*$/

/**
 * Decodes a token's text, or returns `null` if it is not strict base64url without padding.
 * @param {string} text
 * @returns {Buffer | null}
 */
function decodeToken(text) {
  if (!URL_SAFE.test(text) || text.length % 4 === 1) return null
  const bytes = Buffer.from(text, 'base64url')
  // Re-encoding gives back the text only if its trailing bits were zero (canonical).
  return bytes.toString('base64url') === text ? bytes : null
}

/**
 * Encodes bytes as base64url without padding.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
function encodeToken(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

/**
 * Decodes a key's text in one alphabet, or returns `null`.
 * @param {string} text
 * @param {RegExp} alphabet
 * @returns {Buffer | null}
 */
function decodeLenient(text, alphabet) {
  const data = text.replace(/=+$/, '')
  const pads = text.length - data.length
  const rem = data.length % 4
  // Padding may only complete the last quad, and never past it: 2 chars + 0-2, 3 chars + 0-1.
  const maxPads = rem === 2 ? 2 : rem === 3 ? 1 : 0
  if (!alphabet.test(data) || rem === 1 || pads > maxPads) return null
  const standard = data.replace(/-/g, '+').replace(/_/g, '/')
  const bytes = Buffer.from(standard, 'base64')
  return bytes.toString('base64').replace(/=+$/, '') === standard ? bytes : null
}

/**
 * Decodes a key as the crate does: URL-safe alphabet first, then standard; `null` if neither.
 * @param {string} text already trimmed
 * @returns {Buffer | null}
 */
function decodeKey(text) {
  return decodeLenient(text, URL_SAFE) ?? decodeLenient(text, STANDARD)
}

module.exports = { decodeToken, encodeToken, decodeKey }
