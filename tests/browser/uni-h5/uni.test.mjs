// The uni adapter of sealed-session-miniprogram on uni-app's own H5 runtime for Vue 3
// (@dcloudio/uni-h5: uni.request over XMLHttpRequest, uni storage over localStorage), in a page
// built by uni's own Vite plugin (`uni build`), in headless Chromium, talking across origins
// with CORS to the real login example. The harness is tests/browser/runtimes/harness.js.
//
//   cd tests/browser/uni-h5 && npm ci && npm run build && npm test
// (clients/miniprogram/ci.sh does all of it, after tests/browser/runtimes.)

import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { chromium } from 'playwright-core'

import { openPage } from '../runtimes/harness.js'

let opened

before(async () => {
  opened = await openPage(chromium, path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist', 'build', 'h5'))
})
after(async () => {
  if (opened) await opened.close()
})

test('uni adapter on @dcloudio/uni-h5: login, session, a 401 storm with one login, logout', async () => {
  const { page, apiUrl, wechat } = opened
  const codes = [wechat.issue('uma'), wechat.issue('uma')]
  const result = await page.evaluate((args) => window.runSession(args), { api: apiUrl, codes })
  assert.equal(result.platform, 'web')
  assert.deepEqual(result.login, { platform: 'wechat', openid: 'o-uma' })
  assert.deepEqual(result.me, [200, { platform: 'wechat', openid: 'o-uma' }])
  assert.match(result.stored.token, /^[A-Za-z0-9_-]{100,}$/, 'kept by uni.setStorageSync, in one entry')
  // One epoch when login() is called, one when its answer is stored (the format's rule 2.1).
  assert.equal(result.stored.epoch, 2)
  assert.deepEqual(result.storm, Array(10).fill(200))
  assert.equal(result.logins, 2, 'the first login, and one for the ten 401s')
  assert.equal(result.logout, 200)
  assert.equal(result.after, 401)
  assert.equal(result.token, null)
})
