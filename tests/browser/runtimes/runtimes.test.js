// The taro adapter of sealed-session-miniprogram on Taro's own H5 runtime (@tarojs/taro-h5:
// its Taro.request over fetch and its localStorage-backed storage), in a page Vite built, in
// headless Chromium (Debian's, at /usr/bin/chromium or $CHROMIUM), talking across origins with
// CORS to the real login example, which logs in against a stand-in for WeChat's API.
//
//   cd tests/browser/runtimes && npm ci && npm run build && npm test
// (clients/miniprogram/ci.sh does all of it.)

import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { chromium } from 'playwright-core'

import { openPage } from './harness.js'

let opened

before(async () => {
  opened = await openPage(chromium, path.join(path.dirname(fileURLToPath(import.meta.url)), 'taro', 'dist'))
})
after(async () => {
  if (opened) await opened.close()
})

test('taro adapter on @tarojs/taro-h5: login, session, a 401 storm with one login, logout', async () => {
  const { page, pageUrl, apiUrl, wechat } = opened
  assert.notEqual(new URL(pageUrl).port, new URL(apiUrl).port, 'the page and the API are two origins')
  const codes = [wechat.issue('tara'), wechat.issue('tara')]
  const result = await page.evaluate((args) => window.runSession(args), { api: apiUrl, codes })
  assert.equal(result.env, 'WEB')
  assert.deepEqual(result.login, { platform: 'wechat', openid: 'o-tara' })
  assert.deepEqual(result.me, [200, { platform: 'wechat', openid: 'o-tara' }])
  assert.match(result.stored.token, /^[A-Za-z0-9_-]{100,}$/, 'kept by Taro.setStorageSync, in one entry')
  // One epoch when login() is called, one when its answer is stored (the format's rule 2.1).
  assert.equal(result.stored.epoch, 2)
  assert.deepEqual(result.storm, Array(10).fill(200))
  assert.equal(result.logins, 2, 'the first login, and one for the ten 401s')
  assert.equal(result.logout, 200)
  assert.equal(result.after, 401)
  assert.equal(result.token, null)
})
