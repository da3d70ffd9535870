// Taro's own H5 implementation of Taro.request and its storage (@tarojs/taro-h5), under the
// package's taro adapter. The test calls window.runSession(...) and reads what it returns.
import Taro, { getEnv, request, getStorageSync, setStorageSync, removeStorageSync } from '@tarojs/taro-h5'
import { create } from 'sealed-session-miniprogram'

// In Taro H5 the default Taro object has no request or storage calls: Taro's own build turns
// `Taro.request` in app code into these imports. Without that build step, pass them by hand
// (in a Taro app, `{ ...Taro, request: Taro.request, ... }` gets the same, rewritten).
const taroH5 = { ...Taro, getEnv, request, getStorageSync, setStorageSync, removeStorageSync }

/** Logs in, uses and ends a session against `api` (another origin); codes come from the test. */
window.runSession = async ({ api, codes }) => {
  let logins = 0
  const client = create({
    platform: 'taro',
    api: taroH5,
    baseUrl: api,
    loginPath: '/login/wechat',
    // Taro H5 has no platform login; an H5 page in WeChat would post its OAuth code.
    login: async () => ({ code: codes[logins++] }),
  })
  const login = await client.login()
  const me = await client.request({ url: '/me' })
  const entry = getStorageSync('sealed-session')
  // Ten requests with a stale token: ten 401s, one login, ten retries.
  setStorageSync('sealed-session', JSON.stringify({ token: 'stale', epoch: 0 }))
  const storm = await Promise.all(Array.from({ length: 10 }, () => client.request({ url: '/me' })))
  const out = await client.logout()
  const after = await client.request({ url: '/me', login: false })
  return {
    env: getEnv(),
    login,
    me: [me.statusCode, me.data],
    stored: JSON.parse(entry),
    storm: storm.map((r) => r.statusCode),
    logins,
    logout: out.statusCode,
    after: after.statusCode,
    token: client.token(),
  }
}
document.querySelector('#state').textContent = 'ready'
