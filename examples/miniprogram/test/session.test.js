'use strict'
// session.js against the real Rust `wechat_login` example, over real HTTP on 127.0.0.1, with a
// stand-in for WeChat's API and a fake `wx` (real fetch, in-memory storage).

const test = require('node:test')
const assert = require('node:assert/strict')
const { create } = require('../session.js')
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
  return { wx, api: create({ baseUrl: site.url, wx }) }
}

/** The session header the app sent on each request so far. */
function sentTokens(wx) {
  return wx.calls.requests.map((r) => r.header['x-session'])
}

test('login stores the token and later requests carry it', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'alice')
  assert.deepEqual(await api.login(), { openid: 'o-alice' })
  const token = wx.storage.get('session')
  assert.match(token, /^[A-Za-z0-9_-]{100,}$/)
  assert.equal(api.token(), token)

  const me = await api.request({ url: '/me' })
  assert.equal(me.statusCode, 200)
  assert.deepEqual(me.data, { openid: 'o-alice' })
  assert.deepEqual(sentTokens(wx), [undefined, token])
})

test('the session survives across requests without another login', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'bob')
  await api.login()
  const token = api.token()
  for (let i = 0; i < 3; i += 1) {
    const me = await api.request({ url: '/me', login: true })
    assert.deepEqual([me.statusCode, me.data], [200, { openid: 'o-bob' }])
  }
  assert.equal(wx.calls.login, 1)
  assert.equal(api.token(), token, 'a read changes nothing, so the server sent no new token')
})

test('logout deletes the stored token when the server sends the header empty', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'carol')
  await api.login()
  const out = await api.request({ url: '/logout', method: 'POST' })
  assert.equal(out.statusCode, 200)
  assert.equal(out.header['x-session'], '', 'the server cleared the header')
  assert.equal(wx.storage.has('session'), false)
  const me = await api.request({ url: '/me' })
  assert.equal(me.statusCode, 401)
  assert.equal(me.data.error, 'not_logged_in')
  assert.equal(sentTokens(wx).at(-1), undefined, 'no token is sent after logout')
})

test('header names are compared without case', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'dan', { headerCase: 'upper' })
  await api.login()
  assert.ok(wx.storage.get('session'), 'stored from X-SESSION')
  await api.request({ url: '/logout', method: 'POST' })
  assert.equal(wx.storage.has('session'), false, 'deleted on an empty X-SESSION')
})

test('login: true logs in first when there is no token', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'erin')
  const me = await api.request({ url: '/me', login: true })
  assert.deepEqual([me.statusCode, me.data], [200, { openid: 'o-erin' }])
  assert.equal(wx.calls.login, 1)
  assert.deepEqual(
    wx.calls.requests.map((r) => r.url.replace(site.url, '')),
    ['/login', '/me'],
  )
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
  const again = create({ baseUrl: after.url, wx })
  const plain = await again.request({ url: '/me' })
  assert.equal(plain.statusCode, 401, 'without login: true, the 401 comes back as it is')
  assert.equal(wx.calls.login, 1)

  const me = await again.request({ url: '/me', login: true })
  assert.deepEqual([me.statusCode, me.data], [200, { openid: 'o-frank' }])
  assert.equal(wx.calls.login, 2)
  assert.notEqual(again.token(), old)
  assert.deepEqual(
    wx.calls.requests.slice(-3).map((r) => [r.url.replace(after.url, ''), r.header['x-session'] === old]),
    [['/me', true], ['/login', true], ['/me', false]],
  )
})

test('an altered token is refused and followed by one re-login', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'gina')
  await api.login()
  const token = api.token()
  const middle = Math.floor(token.length / 2)
  const altered = token.slice(0, middle) + (token[middle] === 'A' ? 'B' : 'A') + token.slice(middle + 1)
  wx.storage.set('session', altered)

  const me = await api.request({ url: '/me', login: true })
  assert.deepEqual([me.statusCode, me.data], [200, { openid: 'o-gina' }])
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
  const again = create({ baseUrl: rotated.url, wx })
  const me = await again.request({ url: '/me', login: true })
  assert.deepEqual([me.statusCode, me.data], [200, { openid: 'o-hana' }])
  assert.equal(wx.calls.login, 1)
  assert.notEqual(again.token(), old, 're-sealed under the new first key')
  assert.equal((await again.request({ url: '/me' })).statusCode, 200)
})

test('a second 401 after the re-login is returned, not retried again', async () => {
  // A proxy that drops the session header: every /me is a 401.
  const site = await server(newKey())
  const { wx, api } = client(site, 'ivan', { dropHeader: 'x-session' })
  wx.storage.set('session', 'stale')
  const me = await api.request({ url: '/me', login: true })
  assert.equal(me.statusCode, 401)
  assert.equal(wx.calls.login, 1)
  assert.equal(wx.calls.requests.length, 3, '/me, /login, /me')
})

test('parallel 401s share one login', async () => {
  // wx.login answers only once all three 401s are in, so all three ask while it is under way.
  let release
  const allRefused = new Promise((resolve) => {
    release = resolve
  })
  let refused = 0
  const site = await server(newKey())
  const { wx, api } = client(site, 'jun', {
    onResponse: (res) => {
      if (res.statusCode === 401 && ++refused === 3) release()
    },
    nextCode: async () => {
      await allRefused
      return wechat.issue('jun')
    },
  })
  wx.storage.set('session', 'stale')
  const replies = await Promise.all([1, 2, 3].map(() => api.request({ url: '/me', login: true })))
  assert.deepEqual(replies.map((r) => r.statusCode), [200, 200, 200])
  assert.equal(refused, 3)
  assert.equal(wx.calls.login, 1)
})

test('a refused login code rejects with the server error and keeps no token', async () => {
  const site = await server(newKey())
  const { wx, api } = client(site, 'kim', { nextCode: () => 'not-a-code-wechat-issued' })
  await assert.rejects(api.login(), (e) => {
    assert.equal(e.statusCode, 400)
    assert.equal(e.data.error, 'bad_code')
    assert.equal(e.data.errcode, 40029)
    return true
  })
  assert.equal(wx.storage.has('session'), false)
  await assert.rejects(api.request({ url: '/me', login: true }), /status 400/)
})
