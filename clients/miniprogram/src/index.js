// sealed-session-miniprogram: the client side of sealed-session for mini programs (WeChat, QQ,
// Douyin, Alipay), uni-app, Taro and H5. See README.md.

import { createClient } from './client.js'
import * as mini from './adapters/miniprogram.js'
import { h5, memoryStorage } from './adapters/h5.js'
import { configError } from './errors.js'

export { SessionError } from './errors.js'
export { memoryStorage }

/** The adapters by platform name; each takes the platform object and returns the one adapter shape. */
export const adapters = Object.freeze({
  wx: mini.wx,
  qq: mini.qq,
  tt: mini.tt,
  my: mini.my,
  uni: mini.uni,
  taro: mini.taro,
  h5: (options) => h5(options),
})

/** The global each platform name stands for. */
const GLOBALS = { wx: 'wx', qq: 'qq', tt: 'tt', my: 'my', uni: 'uni', taro: 'Taro' }

function globalOf(name) {
  const scope = typeof globalThis !== 'undefined' ? globalThis : {}
  const value = scope[GLOBALS[name]]
  if (!value) {
    throw configError(
      `no global \`${GLOBALS[name]}\` here: pass the platform object, e.g. create({ platform: '${name}', api: ${GLOBALS[name]} })`,
    )
  }
  return value
}

function adapterOf(options) {
  const platform = options.platform
  if (platform && typeof platform === 'object' && typeof platform.send === 'function') return platform
  if (typeof platform !== 'string' || !Object.prototype.hasOwnProperty.call(adapters, platform)) {
    throw configError(`platform must be one of ${Object.keys(adapters).join(', ')} (or an adapter object); got ${String(platform)}`)
  }
  if (platform === 'h5') {
    if (typeof options.login !== 'function') {
      throw configError("platform 'h5' has no platform login: pass create({ platform: 'h5', login: async () => ({ ...what to post }) })")
    }
    return h5({ fetch: options.fetch, storage: options.storage, scope: options.scope })
  }
  return adapters[platform](options.api || globalOf(platform))
}

/**
 * A session client. `options.platform` picks the adapter: 'wx', 'qq', 'tt', 'my', 'uni', 'taro'
 * (the platform's global unless `options.api` passes the object) or 'h5' (fetch); or pass an
 * adapter object. See README.md for every option.
 */
export function create(options) {
  if (!options || typeof options !== 'object') throw configError('create(options): options must be an object with a platform')
  return createClient(adapterOf(options), options)
}
