// The h5 adapter (a plain browser page, fetch) against the login example on another origin,
// through a fetch that applies the browser's CORS rules (browser-fetch.js). H5 has no platform
// login: the page's own `login` function says what to post (here a WeChat OAuth-style code).

import test from 'node:test'
import assert from 'node:assert/strict'
import { create, memoryStorage } from '../src/index.js'
import { browserFetch } from './browser-fetch.js'
import { startJscode2session, exampleBinary, newKey, startServer } from './support.js'

const PAGE = 'http://127.0.0.1:5173'
let binary
let wechat
const closers = []

test.before(async () => {
  binary = exampleBinary()
  wechat = await startJscode2session()
  closers.push(() => wechat.close())
})
test.after(async () => {
  for (const close of closers.reverse()) await close()
})

async function server(env = {}) {
  const s = await startServer(binary, { keys: newKey(), wechatUrl: wechat.url, env: { CORS_ORIGINS: PAGE, ...env } })
  closers.push(() => s.stop())
  return s
}

/** A page's client; `logins` counts calls of its login function. */
function page(site, user, options = {}) {
  const seen = []
  const counter = { logins: 0 }
  const api = create({
    platform: 'h5',
    baseUrl: site.url,
    loginPath: '/login/wechat',
    fetch: browserFetch(PAGE, seen),
    storage: memoryStorage(),
    login: async () => {
      counter.logins += 1
      if (options.gate) await options.gate
      return { code: wechat.issue(user) }
    },
    ...options.create,
  })
  return { api, seen, counter }
}

test('h5: login across origins, a session that survives, logout', async () => {
  const site = await server()
  const { api, seen, counter } = page(site, 'hana')
  assert.deepEqual(await api.login(), { platform: 'wechat', openid: 'o-hana' })
  const token = api.token()
  assert.match(token, /^[A-Za-z0-9_-]{100,}$/)
  for (let i = 0; i < 2; i += 1) {
    const me = await api.request({ url: '/me' })
    assert.deepEqual([me.statusCode, me.data], [200, { platform: 'wechat', openid: 'o-hana' }])
  }
  assert.equal(counter.logins, 1)
  assert.ok(seen.some((r) => r.preflight), 'the session header made the browser send preflights')
  assert.equal(seen.filter((r) => !r.preflight).at(-1).headers['x-session'], token)
  const out = await api.logout()
  assert.equal(out.statusCode, 200)
  assert.equal(api.token(), null)
})

test('h5: a server whose CORS does not expose the header gives an error that says so', async () => {
  const site = await server({ CORS_EXPOSE: '' })
  const { api } = page(site, 'ivan')
  await assert.rejects(api.login(), (e) => {
    assert.equal(e.code, 'HEADER_MISSING')
    assert.match(e.message, /CORS does not expose `x-session`/)
    assert.match(e.message, /Access-Control-Expose-Headers/)
    return true
  })
  assert.equal(api.token(), null)
})

test('h5: ten parallel 401s share one login', async () => {
  const site = await server()
  let release
  const gate = new Promise((resolve) => {
    release = resolve
  })
  const storage = memoryStorage()
  storage.set('sealed-session', JSON.stringify({ token: 'stale', epoch: 0 }))
  const { api, seen, counter } = page(site, 'jin', { gate, create: { storage } })
  const all = Promise.all(Array.from({ length: 10 }, () => api.request({ url: '/me' })))
  // The login waits until all ten 401s are in.
  const refused = () => seen.filter((r) => !r.preflight && r.url.endsWith('/me')).length
  while (refused() < 10) await new Promise((resolve) => setImmediate(resolve))
  release()
  const replies = await all
  assert.deepEqual(replies.map((r) => r.statusCode), Array(10).fill(200))
  assert.equal(counter.logins, 1)
  assert.equal(seen.filter((r) => !r.preflight && r.url.endsWith('/login/wechat')).length, 1)
  assert.notEqual(api.token(), 'stale')
})

test('h5: the token is kept in localStorage, in one entry', async () => {
  const site = await server()
  const items = new Map()
  const localStorage = {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  }
  const api = create({
    platform: 'h5',
    baseUrl: site.url,
    loginPath: '/login/wechat',
    scope: { localStorage },
    fetch: browserFetch(PAGE),
    login: () => ({ code: wechat.issue('kai') }),
  })
  await api.login()
  assert.deepEqual([...items.keys()], ['sealed-session'])
  const entry = JSON.parse(items.get('sealed-session'))
  assert.deepEqual(Object.keys(entry), ['token', 'epoch'])
  assert.ok(entry.token === api.token(), 'the entry holds the token') // not printed: tokens are secrets
  assert.equal(entry.epoch, 2, 'the login call, then its stored answer (rule 2.1)')
})

test('h5: fetch options given are passed through untouched, and only those', async () => {
  const site = await server()
  const { api, seen } = page(site, 'lea')
  await api.login()
  const calls = []
  const res = await api.request({
    url: '/me',
    credentials: 'omit',
    mode: 'cors',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    timeout: undefined,
    header: { 'Accept-Language': 'zh-CN' }, // a custom header would need the server's CORS to allow it
    success: (r) => calls.push(['success', r.statusCode]),
    complete: (r) => calls.push(['complete', r.statusCode]),
  })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(calls, [['success', 200], ['complete', 200]])
  const { init } = seen.filter((r) => !r.preflight).at(-1)
  assert.deepEqual(init, {
    credentials: 'omit',
    mode: 'cors',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    method: 'GET',
    headers: { 'Accept-Language': 'zh-CN', 'x-session': api.token() },
  })
})

test('h5: create refuses to start without a login function', () => {
  assert.throws(() => create({ platform: 'h5', fetch: browserFetch(PAGE) }), /has no platform login: pass create\(\{ platform: 'h5', login/)
})
