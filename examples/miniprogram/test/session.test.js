'use strict'
// sealed-session-miniprogram, through its CommonJS entry (`require`, as a mini program loads
// it), against the real Rust `wechat_login` example over real HTTP on 127.0.0.1, with a
// stand-in for WeChat's API and a fake `wx` (real fetch, in-memory storage). The adapter suite
// of clients/miniprogram/test covers every platform; these are the key and token cases.

const test = require('node:test')
const assert = require('node:assert/strict')
const { create, SessionError } = require('sealed-session-miniprogram')
const { startWechat, fakeWx, exampleBinary, newKey, startServer } = require('./support.js')

let wechat
let binary
const servers = []

test.before(async () => {
  binary = exampleBinary()
  wechat = await startWechat()
})

test.after(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  await wechat.close()
})

async function server(keys) {
  const s = await startServer(binary, { keys, wechatUrl: wechat.url })
  servers.push(s)
  return s
}

/** A client for `site` whose wx.login logs `user` in; `wxOptions` go to fakeWx. */
function client(site, user, wxOptions = {}) {
  const wx = fakeWx({ nextCode: () => wechat.issue(user), ...wxOptions })
  return { wx, api: create({ platform: 'wx', api: wx, baseUrl: site.url }) }
}

const stored = (wx) => JSON.parse(wx.storage.get('sealed-session'))
const paths = (wx, base) => wx.calls.requests.map((r) => r.url.replace(base, ''))

test('the package loads through require, with its error class', () => {
  assert.equal(typeof create, 'function')
  assert.ok(new SessionError('CONFIG', 'x') instanceof Error)
})

test('a token refused after the key was removed leads to one automatic re-login', async () => {
  // Exercise: log in on a server, then talk to a server whose SESSION_KEYS no longer has that
  // key (a restart that removed it), with the same storage.
  // Expectation: the old token is refused (401), the client logs in once and retries once.
  const before = await server(newKey())
  const { wx, api } = client(before, 'frank')
  await api.login()
  const old = api.token()

  const after = await server(newKey())
  const again = create({ platform: 'wx', api: wx, baseUrl: after.url })
  const plain = await again.request({ url: '/me', login: false })
  assert.equal(plain.statusCode, 401, 'with login: false, the 401 comes back as it is')
  assert.equal(wx.calls.login, 1)

  const me = await again.request({ url: '/me' })
  assert.deepEqual([me.statusCode, me.data], [200, { platform: 'wechat', openid: 'o-frank' }])
  assert.equal(wx.calls.login, 2)
  assert.notEqual(again.token(), old)
  assert.deepEqual(
    wx.calls.requests.slice(-3).map((r) => [r.url.replace(after.url, ''), r.header['x-session'] === old]),
    [['/me', true], ['/login/wechat', true], ['/me', false]],
  )
})

test('an altered token is refused and followed by one re-login', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'gina')
  await api.login()
  const token = api.token()
  const middle = Math.floor(token.length / 2)
  const altered = token.slice(0, middle) + (token[middle] === 'A' ? 'B' : 'A') + token.slice(middle + 1)
  wx.storage.set('sealed-session', JSON.stringify({ ...stored(wx), token: altered }))

  const me = await api.request({ url: '/me' })
  assert.deepEqual([me.statusCode, me.data], [200, { platform: 'wechat', openid: 'o-gina' }])
  assert.equal(wx.calls.login, 2)
  assert.notEqual(api.token(), altered)
})

test('a rotated key keeps the session: the token is re-sealed, no login', async () => {
  const oldKey = newKey()
  const before = await server(oldKey)
  const { wx, api } = client(before, 'hana')
  await api.login()
  const old = api.token()

  const rotated = await server(`${newKey()},${oldKey}`)
  const again = create({ platform: 'wx', api: wx, baseUrl: rotated.url })
  const me = await again.request({ url: '/me' })
  assert.deepEqual([me.statusCode, me.data], [200, { platform: 'wechat', openid: 'o-hana' }])
  assert.equal(wx.calls.login, 1)
  assert.notEqual(again.token(), old, 're-sealed under the new first key')
  // The login moved it twice (rule 2.1); a re-seal is no new epoch.
  assert.equal(stored(wx).epoch, 2, 'a re-seal is no new epoch')
  assert.equal((await again.request({ url: '/me' })).statusCode, 200)
})

test('a proxy that drops the request header: one re-login, then a clear error, no loop', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'ivan', { dropHeader: 'x-session' })
  wx.storage.set('sealed-session', JSON.stringify({ token: 'stale', epoch: 0 }))
  await assert.rejects(api.request({ url: '/me' }), (e) => e.code === 'STILL_UNAUTHORIZED' && e.status === 401)
  assert.equal(wx.calls.login, 1)
  assert.deepEqual(paths(wx, site.url), ['/me', '/login/wechat', '/me'])
})

test('a refused login code rejects with the server error and keeps no token', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'kim', { nextCode: () => 'not-a-code-wechat-issued' })
  await assert.rejects(api.login(), (e) => {
    assert.equal(e.code, 'LOGIN_FAILED')
    assert.equal(e.statusCode, 400)
    assert.equal(e.data.error, 'bad_code')
    assert.equal(e.data.errcode, 40029)
    return true
  })
  // The epoch the failed login started is kept in the entry; no token.
  assert.equal(JSON.parse(wx.storage.get('sealed-session')).token, null)
  await assert.rejects(api.request({ url: '/me', login: true }), /status 400/)
})

test('a token stored by the old session.js (a plain string under "session") is still used', async () => {
  const site = await server(newKey())
  const { wx, api: first } = client(site, 'lou')
  await first.login()
  const token = first.token()
  wx.storage.clear()
  wx.storage.set('session', token)
  const legacy = create({ platform: 'wx', api: wx, baseUrl: site.url, storageKey: 'session' })
  const me = await legacy.request({ url: '/me', login: false })
  assert.equal(me.statusCode, 200)
  assert.equal(wx.calls.login, 1)
})
