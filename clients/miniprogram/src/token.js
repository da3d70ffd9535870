// The clear prefix of a sealed token (docs/token-format.md, "Line and generation"): its line and
// write generation, read without any key and without crypto. Only the first 20 characters are
// decoded (15 bytes): the fields end at byte 13, and strict decoders refuse the 18th character
// alone, whose low bits are padding. A decoder of our own: mini programs have no `atob`, and
// WeChat's base64 helpers are deprecated.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUE = {}
for (let i = 0; i < ALPHABET.length; i += 1) VALUE[ALPHABET[i]] = i

/** The characters decoded: 20 characters are 15 whole bytes. */
const PREFIX_CHARS = 20

/** The bytes of `text` (base64url, no padding, a multiple of 4 characters), or null. */
function decodeQuads(text) {
  const bytes = []
  for (let i = 0; i + 4 <= text.length; i += 4) {
    let n = 0
    for (let j = 0; j < 4; j += 1) {
      const v = VALUE[text[i + j]]
      if (v === undefined) return null
      n = n * 64 + v
    }
    bytes.push((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
  }
  return bytes
}

const hex = (bytes) => bytes.map((b) => (b < 16 ? '0' : '') + b.toString(16)).join('')

/**
 * The line (8 hex digits) and write generation (a u32) in the clear prefix of `token`, or null
 * when it is no token of version 1 or 2. Version 2: line = bytes 5 to 8, generation = bytes 9
 * to 12, big-endian. Version 1: line = bytes 5 to 8 (its nonce's first four), generation 0.
 * Nothing here says the token is genuine: only the server can tell, and the client needs no more
 * than to compare tokens it was given.
 */
export function readPrefix(token) {
  if (typeof token !== 'string' || token.length < PREFIX_CHARS) return null
  const bytes = decodeQuads(token.slice(0, PREFIX_CHARS))
  if (bytes === null) return null
  const version = bytes[0]
  const line = hex(bytes.slice(5, 9))
  if (version === 1) return { version, line, generation: 0 }
  if (version === 2) {
    const generation = ((bytes[9] << 24) >>> 0) + (bytes[10] << 16) + (bytes[11] << 8) + bytes[12]
    return { version, line, generation }
  }
  return null
}
