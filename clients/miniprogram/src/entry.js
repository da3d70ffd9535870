// What every entry point shares: create()'s options checked, the platform's adapter made from
// them, and the client. The main entry (index.js) looks the adapter up by name among all of
// them; each platform's entry point (wx/index.js, ...) passes its one adapter, so that a build
// importing it takes in no other platform's code.

import { createClient } from './client.js'
import { configError } from './errors.js'

/** The global each platform name stands for. */
const GLOBALS = { wx: 'wx', qq: 'qq', tt: 'tt', my: 'my', swan: 'swan', ks: 'ks', uni: 'uni', taro: 'Taro' }

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

export function checkOptions(options) {
  if (!options || typeof options !== 'object') throw configError('create(options): options must be an object with a platform')
}

/** The adapter of platform `name`, made by `factory` from create()'s options. */
export function adapterFor(name, factory, options) {
  if (name === 'h5') {
    if (typeof options.login !== 'function') {
      throw configError("platform 'h5' has no platform login: pass create({ platform: 'h5', login: async () => ({ ...what to post }) })")
    }
    return factory({ fetch: options.fetch, storage: options.storage, scope: options.scope })
  }
  return factory(options.api || globalOf(name))
}

/**
 * create() of a platform's own entry point: `options.platform` may be left out, and if given
 * must name that platform (an adapter object of your own goes to the main entry's create).
 */
export function createFor(name, factory, options) {
  checkOptions(options)
  if (options.platform !== undefined && options.platform !== name) {
    throw configError(
      `this is sealed-session-miniprogram/${name}, for platform '${name}' only; got platform ${String(options.platform)}: ` +
        'import create from that platform\'s entry point, or from sealed-session-miniprogram for any platform',
    )
  }
  return createClient(adapterFor(name, factory, options), options)
}
