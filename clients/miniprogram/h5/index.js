// sealed-session-miniprogram/h5: H5 pages (fetch) alone. A build that imports this entry point
// takes in the H5 adapter, not the mini program platforms'. See ../README.md.

import { h5, memoryStorage } from '../src/adapters/h5.js'
import { createFor } from '../src/entry.js'

export { SessionError } from '../src/errors.js'
export { memoryStorage }

/** A session client on fetch; `options` as the main entry's create, `platform` optional. */
export function create(options) {
  return createFor('h5', h5, options)
}
