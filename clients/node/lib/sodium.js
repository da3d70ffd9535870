'use strict'
// libsodium (libsodium-wrappers), loaded once. Its functions work only after `ready()`.

const sodium = require('libsodium-wrappers')

let loaded = false
const readyPromise = sodium.ready.then(() => {
  loaded = true
})

/**
 * Resolves when libsodium is loaded; `open` and `seal` may be called from then on.
 * @returns {Promise<void>}
 */
function ready() {
  return readyPromise
}

/**
 * libsodium, or an error that says to await `ready()` first.
 * @returns {typeof sodium}
 */
function lib() {
  if (!loaded) throw new Error('sealed-session-reader: call `await ready()` once before open or seal')
  return sodium
}

module.exports = { ready, lib }
