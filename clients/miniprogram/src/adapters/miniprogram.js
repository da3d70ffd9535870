// The adapters of the mini program platforms. Each is `{ name, family, headerKey, storage, send,
// login }`, the one shape the client uses (see ../client.js).

import { sendWith, loginWith, syncStorage, codeBody, needs } from './common.js'

const SYNC = ['request', 'getStorageSync', 'setStorageSync', 'removeStorageSync']

const WX_SHAPE = { status: 'statusCode', headers: 'header' }
const MY_SHAPE = { status: 'status', headers: 'headers' }

/** wx (WeChat), qq (QQ), tt (Douyin) and ks (Kuaishou): the same request and login calls. */
function wxLike(name, family, api) {
  needs(name, api, SYNC)
  return {
    name,
    family: () => family,
    headerKey: 'header',
    storage: syncStorage(api),
    send: (call) => sendWith(api.request.bind(api), call, WX_SHAPE),
    login: async (options) => codeBody(await loginWith(`${name}.login`, api.login && api.login.bind(api), options), name),
  }
}

export const wx = (api) => wxLike('wx', 'wechat', api)
export const qq = (api) => wxLike('qq', 'qq', api)
export const tt = (api) => wxLike('tt', 'douyin', api)
export const ks = (api) => wxLike('ks', 'kuaishou', api)

/**
 * swan (Baidu): wx's request shape (`header`, `statusCode`) and sync storage; the login is
 * `swan.getLoginCode` where the base library has it (it needs no logged-in Baidu account), else
 * `swan.login`; both answer `{ code }`.
 */
export function swan(api) {
  needs('swan', api, SYNC)
  const [call, login] =
    typeof api.getLoginCode === 'function' ? ['swan.getLoginCode', api.getLoginCode] : ['swan.login', api.login]
  return {
    name: 'swan',
    family: () => 'baidu',
    headerKey: 'header',
    storage: syncStorage(api),
    send: (call) => sendWith(api.request.bind(api), call, WX_SHAPE),
    login: async (options) => codeBody(await loginWith(call, login && login.bind(api), options), 'swan'),
  }
}

/**
 * my (Alipay): `my.request` takes `headers` and answers `status` / `headers`; the login is
 * `my.getAuthCode` (scope `auth_base` unless `loginOptions.scopes` says otherwise), whose
 * `authCode` is posted as `code`; storage takes `{ key, data }`.
 */
export function my(api) {
  needs('my', api, SYNC)
  return {
    name: 'my',
    family: () => 'alipay',
    headerKey: 'headers',
    storage: {
      get: (key) => {
        const res = api.getStorageSync({ key })
        return res && typeof res === 'object' ? res.data : res
      },
      set: (key, data) => api.setStorageSync({ key, data }),
      remove: (key) => api.removeStorageSync({ key }),
    },
    send: (call) => sendWith(api.request.bind(api), call, MY_SHAPE),
    login: async (options) => {
      const res = await loginWith('my.getAuthCode', api.getAuthCode && api.getAuthCode.bind(api), Object.assign({ scopes: 'auth_base' }, options))
      return codeBody(res, 'my')
    },
  }
}

/** uni-app's platform names (`uni.getSystemInfoSync().uniPlatform`) to the server's login routes. */
const UNI_FAMILIES = {
  'mp-weixin': 'wechat',
  'mp-qq': 'qq',
  'mp-toutiao': 'douyin',
  'mp-alipay': 'alipay',
  'mp-baidu': 'baidu',
  'mp-kuaishou': 'kuaishou',
}
/**
 * Taro's `Taro.getEnv()` values to the server's login routes. Kuaishou is a platform plugin's
 * (`@tarojs/plugin-platform-kwai`), for which `getEnv()` answers the build's `TARO_ENV`, `kwai`.
 */
const TARO_FAMILIES = { WEAPP: 'wechat', QQ: 'qq', TT: 'douyin', ALIPAY: 'alipay', SWAN: 'baidu', kwai: 'kuaishou' }

/** uni (uni-app): wx's shapes on every platform; the login route follows the build's platform. */
export function uni(api) {
  needs(
    'uni',
    api,
    SYNC,
    ": in uni-app H5 the uni object only carries the calls your code names (uni's build keeps " +
      "only those), so name them: create({ platform: 'uni', api: { request: uni.request, " +
      'getStorageSync: uni.getStorageSync, setStorageSync: uni.setStorageSync, removeStorageSync: uni.removeStorageSync, ' +
      'getSystemInfoSync: uni.getSystemInfoSync, login: uni.login } })',
  )
  return {
    name: 'uni',
    family: () => {
      try {
        const info = typeof api.getSystemInfoSync === 'function' ? api.getSystemInfoSync() : undefined
        return (info && UNI_FAMILIES[info.uniPlatform]) || null
      } catch {
        return null
      }
    },
    headerKey: 'header',
    storage: syncStorage(api),
    send: (call) => sendWith(api.request.bind(api), call, WX_SHAPE),
    login: async (options) => codeBody(await loginWith('uni.login', api.login && api.login.bind(api), options), 'uni'),
  }
}

/**
 * Taro: wx's shapes; Taro H5's rejection of non-2xx answers (the answer arrives through `fail`)
 * is an answer like any other, so a 401 there still logs in again.
 */
export function taro(api) {
  needs(
    'taro',
    api,
    SYNC,
    ": in Taro H5 these are not on the Taro object (Taro's build turns Taro.request and the like " +
      'into imports), so pass them: create({ platform: \'taro\', api: { ...Taro, request: Taro.request, ' +
      'getStorageSync: Taro.getStorageSync, setStorageSync: Taro.setStorageSync, removeStorageSync: Taro.removeStorageSync, login: Taro.login } })',
  )
  return {
    name: 'taro',
    family: () => {
      try {
        return (typeof api.getEnv === 'function' && TARO_FAMILIES[api.getEnv()]) || null
      } catch {
        return null
      }
    },
    headerKey: 'header',
    storage: syncStorage(api),
    send: (call) => sendWith(api.request.bind(api), call, WX_SHAPE),
    login: async (options) => codeBody(await loginWith('Taro.login', api.login && api.login.bind(api), options), 'taro'),
  }
}
