'use strict'
/**
 * sealed-session-reader: open and seal sealed-session tokens from Node.js.
 *
 * Tokens are XChaCha20-Poly1305 seals (libsodium) in the format of the Rust crate
 * `sealed-session`, versions 1 and 2. Await `ready()` once, then call `open` and `seal`. Keys
 * come from `SESSION_KEYS` (`parseKeys`) or a key file (`parseKeyFile`, `readKeyFile`).
 * @module sealed-session-reader
 */

const { open, seal, inspect, DEFAULT_MAX_LEN, DEFAULT_ABSOLUTE_LIFETIME_MS, DEFAULT_SKEW_MS, DEFAULT_MAX_AGE_MS } = require('./lib/token.js')
const { Keys, parseKeys, generateKey, kidOf } = require('./lib/keys.js')
const { parseKeyFile, readKeyFile } = require('./lib/keyfile.js')
const { REASONS, RefusedError, KeyError, KeyFileError, SealError } = require('./lib/errors.js')
const { sessionReader, koaSessionReader } = require('./lib/middleware.js')
const { ready } = require('./lib/sodium.js')

module.exports = {
  ready,
  open,
  seal,
  inspect,
  Keys,
  parseKeys,
  parseKeyFile,
  readKeyFile,
  generateKey,
  kidOf,
  REASONS,
  RefusedError,
  KeyError,
  KeyFileError,
  SealError,
  sessionReader,
  koaSessionReader,
  DEFAULT_MAX_LEN,
  DEFAULT_ABSOLUTE_LIFETIME_MS,
  DEFAULT_SKEW_MS,
  DEFAULT_MAX_AGE_MS,
}
// `import reader from '...'` in ES modules and TypeScript's `default` for CommonJS alike.
module.exports.default = module.exports
