// sealed-session-miniprogram/tt: Douyin (ByteDance) mini programs (tt) alone. A build that imports
// this entry point takes in this one adapter, not the other platforms'. See ../README.md.

import { tt } from '../src/adapters/miniprogram.js'
import { createFor } from '../src/entry.js'

export { SessionError } from '../src/errors.js'

/** A session client on tt; `options` as the main entry's create, `platform` optional. */
export function create(options) {
  return createFor('tt', tt, options)
}
