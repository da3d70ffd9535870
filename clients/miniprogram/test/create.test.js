// create() refuses what it cannot use, at once, with an error that says what to pass.
import test from 'node:test'
import assert from 'node:assert/strict'
import { create, SessionError } from '../src/index.js'
import { fakePlatform } from './support.js'

const refused = (options, pattern) =>
  assert.throws(() => create(options), (e) => e instanceof SessionError && e.code === 'CONFIG' && pattern.test(e.message))

test('an unknown platform, or none, is refused with the list of platforms', () => {
  refused({ platform: 'weixin' }, /platform must be one of wx, qq, tt, my, swan, ks, uni, taro, h5/)
  refused({}, /platform must be one of/)
})

test('a platform with no global and no api object says to pass it', () => {
  refused({ platform: 'tt' }, /no global `tt` here: pass the platform object, e.g. create\(\{ platform: 'tt', api: tt \}\)/)
  refused({ platform: 'taro' }, /no global `Taro` here/)
})

test('a platform object without the calls the adapter needs is refused, naming them', () => {
  refused({ platform: 'wx', api: { request() {} } }, /has no getStorageSync, setStorageSync, removeStorageSync$/)
  // The default export of @tarojs/taro-h5 has no request or storage calls (Taro's build turns
  // Taro.request into an import): the error says how to pass them.
  refused({ platform: 'taro', api: { getEnv: () => 'WEB' } }, /in Taro H5 these are not on the Taro object .* request: Taro.request/)
})

test('h5 needs a login function; a platform without its login call says to pass one', async () => {
  refused({ platform: 'h5', fetch: async () => ({}) }, /has no platform login: pass create\(\{ platform: 'h5', login/)
  const fake = fakePlatform('taro', { nextCode: () => 'c' })
  delete fake.login
  const api = create({ platform: 'taro', api: fake, baseUrl: 'http://127.0.0.1:9' })
  await assert.rejects(api.login(), (e) => e.code === 'PLATFORM_LOGIN_FAILED' && /Taro.login is not available here: pass create\(\{ login \}\)/.test(e.message))
})
