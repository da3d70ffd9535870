// sealed-session-miniprogram: the client side of sealed-session for mini programs (WeChat, QQ,
// Douyin, Alipay, Baidu, Kuaishou), uni-app, Taro and H5. See README.md.

import { createClient } from './client.js'
import * as mini from './adapters/miniprogram.js'
import { h5, memoryStorage } from './adapters/h5.js'
import { configError } from './errors.js'
import { adapterFor, checkOptions } from './entry.js'

export { SessionError } from './errors.js'
export { memoryStorage }

/** The adapters by platform name; each takes the platform object and returns the one adapter shape. */
export const adapters = Object.freeze({
  wx: mini.wx,
  qq: mini.qq,
  tt: mini.tt,
  my: mini.my,
  swan: mini.swan,
  ks: mini.ks,
  uni: mini.uni,
  taro: mini.taro,
  h5: (options) => h5(options),
})

function adapterOf(options) {
  const platform = options.platform
  if (platform && typeof platform === 'object' && typeof platform.send === 'function') return platform
  if (typeof platform !== 'string' || !Object.prototype.hasOwnProperty.call(adapters, platform)) {
    throw configError(`platform must be one of ${Object.keys(adapters).join(', ')} (or an adapter object); got ${String(platform)}`)
  }
  return adapterFor(platform, adapters[platform], options)
}

/**
 * A session client. `options.platform` picks the adapter: 'wx', 'qq', 'tt', 'my', 'swan', 'ks', 'uni', 'taro'
 * (the platform's global unless `options.api` passes the object) or 'h5' (fetch); or pass an
 * adapter object. See README.md for every option. This entry takes in every platform's adapter:
 * a build for one platform imports its own entry point instead (sealed-session-miniprogram/wx,
 * ...), which takes in only that one.
 */
export function create(options) {
  checkOptions(options)
  return createClient(adapterOf(options), options)
}
