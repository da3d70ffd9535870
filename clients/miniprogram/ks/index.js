// sealed-session-miniprogram/ks: Kuaishou mini programs (ks) alone. A build that imports this
// entry point takes in this one adapter, not the other platforms'. See ../README.md.

import { ks } from '../src/adapters/miniprogram.js'
import { createFor } from '../src/entry.js'

export { SessionError } from '../src/errors.js'

/** A session client on ks; `options` as the main entry's create, `platform` optional. */
export function create(options) {
  return createFor('ks', ks, options)
}
