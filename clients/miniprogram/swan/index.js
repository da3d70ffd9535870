// sealed-session-miniprogram/swan: Baidu smart programs (swan) alone. A build that imports this
// entry point takes in this one adapter, not the other platforms'. See ../README.md.

import { swan } from '../src/adapters/miniprogram.js'
import { createFor } from '../src/entry.js'

export { SessionError } from '../src/errors.js'

/** A session client on swan; `options` as the main entry's create, `platform` optional. */
export function create(options) {
  return createFor('swan', swan, options)
}
