// sealed-session-miniprogram/taro: Taro alone (the taro adapter, on whichever platform the
// build targets). A build that imports this entry point takes in this one adapter, not the
// other platforms'. See ../README.md.

import { taro } from '../src/adapters/miniprogram.js'
import { createFor } from '../src/entry.js'

export { SessionError } from '../src/errors.js'

/** A session client on taro; `options` as the main entry's create, `platform` optional. */
export function create(options) {
  return createFor('taro', taro, options)
}
