// The taro adapter of sealed-session-miniprogram on Taro's own H5 runtime (@tarojs/taro-h5:
// its Taro.request over fetch and its localStorage-backed storage), in a page Vite built, in
// headless Chromium (Debian's, at /usr/bin/chromium or $CHROMIUM), talking across origins with
// CORS to the real login example, which logs in against a stand-in for WeChat's API.
//
//   cd tests/browser/runtimes && npm ci && npm run build && npm test
// (clients/miniprogram/ci.sh does all of it.) Every wait is bounded; nothing sleeps.

import assert from 'node:assert/strict'
import http from 'node:http'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { chromium } from 'playwright-core'

import { exampleBinary, listen, newKey, startJscode2session, startServer } from '../../../clients/miniprogram/test/support.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const WAIT = 15_000
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

const closers = []
let page
let pageUrl
let apiUrl
let wechat

/** Serves `dir` (a Vite build) on 127.0.0.1. */
async function serveStatic(dir) {
  const server = http.createServer(async (req, res) => {
    const file = path.join(dir, new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html'))
    if (!file.startsWith(dir)) {
      res.writeHead(403)
      return res.end()
    }
    try {
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404)
      res.end()
    }
  })
  const url = await listen(server)
  closers.push(() => new Promise((resolve) => server.close(resolve)))
  return url
}

before(async () => {
  pageUrl = await serveStatic(path.join(HERE, 'taro', 'dist'))
  wechat = await startJscode2session()
  closers.push(() => wechat.close())
  const site = await startServer(exampleBinary(), { keys: newKey(), wechatUrl: wechat.url, env: { CORS_ORIGINS: pageUrl } })
  closers.push(() => site.stop())
  apiUrl = site.url
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT })
  closers.push(() => browser.close())
  page = await browser.newPage()
  page.setDefaultTimeout(WAIT)
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  await page.goto(`${pageUrl}/`)
  await page
    .waitForFunction(() => document.querySelector('#state')?.textContent === 'ready')
    .catch((e) => {
      throw new Error(`the page did not get ready: ${e.message}; page errors: ${errors.join(' | ')}`)
    })
})

after(async () => {
  for (const close of closers.reverse()) await close()
})

test('taro adapter on @tarojs/taro-h5: login, session, a 401 storm with one login, logout', async () => {
  assert.notEqual(new URL(pageUrl).port, new URL(apiUrl).port, 'the page and the API are two origins')
  const codes = [wechat.issue('tara'), wechat.issue('tara')]
  const result = await page.evaluate((args) => window.runSession(args), { api: apiUrl, codes })
  assert.equal(result.env, 'WEB')
  assert.deepEqual(result.login, { platform: 'wechat', openid: 'o-tara' })
  assert.deepEqual(result.me, [200, { platform: 'wechat', openid: 'o-tara' }])
  assert.match(result.stored.token, /^[A-Za-z0-9_-]{100,}$/, 'kept by Taro.setStorageSync, in one entry')
  assert.equal(result.stored.epoch, 1)
  assert.deepEqual(result.storm, Array(10).fill(200))
  assert.equal(result.logins, 2, 'the first login, and one for the ten 401s')
  assert.equal(result.logout, 200)
  assert.equal(result.after, 401)
  assert.equal(result.token, null)
})
