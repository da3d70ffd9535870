// What the runtime tests share: a built page served on one origin, the login example (with CORS
// for that origin) and a stand-in for WeChat's API on others, and headless Chromium on the page.
// Every wait is bounded; nothing sleeps.

import http from 'node:http'
import { readFile } from 'node:fs/promises'
import path from 'node:path'

import { exampleBinary, listen, newKey, startJscode2session, startServer } from '../../../clients/miniprogram/test/support.js'

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
// The flags that work on this machine's closed network (no background connections to Google).
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
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' }

/** Serves the files of `dir` on 127.0.0.1; resolves with its URL and a close function. */
async function serveStatic(dir) {
  const server = http.createServer(async (req, res) => {
    const file = path.join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\/$/, '/index.html'))
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
  return { url, close: () => new Promise((resolve) => server.close(resolve)) }
}

/**
 * Starts everything for the page built in `dist` and opens it once `#state` says 'ready'.
 * Resolves with `{ page, pageUrl, apiUrl, wechat, close }`.
 */
export async function openPage(chromium, dist) {
  const closers = []
  const close = async () => {
    for (const c of closers.reverse()) await c()
  }
  try {
    const site = await serveStatic(dist)
    closers.push(site.close)
    const wechat = await startJscode2session()
    closers.push(() => wechat.close())
    const api = await startServer(exampleBinary(), { keys: newKey(), wechatUrl: wechat.url, env: { CORS_ORIGINS: site.url } })
    closers.push(() => api.stop())
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: WAIT })
    closers.push(() => browser.close())
    const page = await browser.newPage()
    page.setDefaultTimeout(WAIT)
    const errors = []
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(`${site.url}/`)
    await page
      .waitForFunction(() => document.querySelector('#state')?.textContent?.trim() === 'ready')
      .catch((e) => {
        throw new Error(`the page did not get ready: ${e.message}; page errors: ${errors.join(' | ')}`)
      })
    return { page, pageUrl: site.url, apiUrl: api.url, wechat, close }
  } catch (e) {
    await close()
    throw e
  }
}
