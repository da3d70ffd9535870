// Issue #11 over real HTTP: the real client module (the wx adapter on a fake `wx` doing real
// fetch), the real login example (examples/wechat_login.rs), and between them a proxy that
// holds chosen answers until the test releases them (test/latch-proxy.js): the orders are forced
// by latches, never by timers.
//
// The example has no write route and no renewal setting, so (without editing it):
// - a WRITE is a plain `request()` POSTing to /login/wechat: the server clears the session,
//   cycles its id and writes the new user into it (same line, one more generation); `/me` then
//   says whose session the client kept;
// - a RENEWING READ is GET /me carrying a token sealed under a key that is no longer the first:
//   the server re-seals it under the first key, keeping line and generation (the format's
//   "re-sealing under a newer key"), a re-seal that changes nothing, as a renewal;
// - a REFUSED token is one sealed under a key the answering server does not have: it refuses it
//   and the write starts a new session on a new line.
// Three example servers share keys: `seed` seals under OLD; `rot` has NEW then OLD (it renews
// OLD tokens); `fresh` has NEW only (it refuses OLD tokens). Every client session starts with a
// login at `seed`, so it holds an OLD token of generation 1.

import test from 'node:test'
import assert from 'node:assert/strict'
import { create } from '../src/index.js'
import { readPrefix } from '../src/token.js'
import { fakePlatform, startJscode2session, exampleBinary, newKey, startServer } from './support.js'
import { startLatchProxy } from './latch-proxy.js'

let wechat
let routes
const closers = []

test.before(async () => {
  const binary = exampleBinary()
  wechat = await startJscode2session()
  closers.push(() => wechat.close())
  const OLD = newKey()
  const NEW = newKey()
  routes = {}
  for (const [name, keys] of [['seed', OLD], ['rot', `${NEW},${OLD}`], ['fresh', NEW]]) {
    const s = await startServer(binary, { keys, wechatUrl: wechat.url })
    closers.push(() => s.stop())
    routes[name] = s.url
  }
})
test.after(async () => {
  for (const close of closers.reverse()) await close()
})

/** Line and generation of a token, what the tests compare and may print (never a token). */
const lg = (token) => {
  const p = readPrefix(token)
  return p && `${p.line}/${p.generation}`
}
const line = (token) => readPrefix(token).line

/**
 * A proxy in front of the three servers and `clients` clients on ONE storage (one is a mini
 * program; two are two H5 tabs on one localStorage), logged in as `user` at `seed`.
 */
async function world(user, clients = 1) {
  const proxy = await startLatchProxy(routes, { target: 'seed' })
  closers.push(() => proxy.close())
  const storage = new Map()
  const reports = []
  const apis = []
  let loginAs = user
  for (let i = 0; i < clients; i += 1) {
    const fake = fakePlatform('wx', { nextCode: () => wechat.issue(loginAs), storage })
    apis.push(create({ platform: 'wx', api: fake, baseUrl: proxy.url, onLostWrite: (r) => reports.push(r) }))
  }
  await apis[0].login()
  proxy.target = 'rot'
  const api = apis[0]
  const seeded = api.token()
  assert.equal(readPrefix(seeded).generation, 1, 'a new session: generation 1')
  return {
    proxy,
    api,
    apis,
    reports,
    seeded,
    storage,
    setLoginUser: (u) => {
      loginAs = u
    },
    /** GET /me, held under `label`, at `route`: a renewing read when the token is OLD's. */
    read: (label, route = 'rot', on = api) => on.request({ url: '/me', header: { 'x-label': label, 'x-route': route }, login: false }),
    /** A write: POST /login/wechat as `who`, held under `label`. */
    write: (label, who, route = 'rot', on = api) =>
      on.request({ url: '/login/wechat', method: 'POST', data: { code: wechat.issue(who) }, header: { 'x-label': label, 'x-route': route }, login: false }),
    /** Whose session the client holds now (GET /me at rot, not held). */
    whoami: async (on = api) => {
      const me = await on.request({ url: '/me', login: false })
      return me.statusCode === 200 ? me.data.openid : me.statusCode
    },
  }
}

/** The held answer of `label` must be a renewal of `token` (same line and generation, a new token). */
function assertRenewal(held, token) {
  assert.equal(lg(held.session), lg(token), 'the read was renewed: same line and generation')
  assert.ok(held.session !== token, 'a new token') // not assert.notEqual: it would print the token
}

test('a slow renewing read lands after a fast write: the write is kept', async () => {
  const w = await world('sam')
  const read = w.read('read')
  const write = w.write('write', 'wendy')
  const [r, wr] = await Promise.all([w.proxy.held('read'), w.proxy.held('write')])
  assertRenewal(r, w.seeded)
  assert.equal(lg(wr.session), `${line(w.seeded)}/2`, 'the write: same line, one more generation')
  wr.release()
  await write
  r.release()
  await read
  assert.equal(lg(w.api.token()), `${line(w.seeded)}/2`)
  assert.equal(await w.whoami(), 'o-wendy')
  assert.deepEqual(w.reports, [], 'a renewal of what the read carried: nothing lost')
})

test('the write lands last: the write is kept', async () => {
  const w = await world('sam')
  const read = w.read('read')
  const write = w.write('write', 'wendy')
  const [r, wr] = await Promise.all([w.proxy.held('read'), w.proxy.held('write')])
  r.release()
  await read
  assert.ok(w.api.token() === r.session, 'the renewal is stored first (rule 2.3)')
  wr.release()
  await write
  assert.equal(lg(w.api.token()), `${line(w.seeded)}/2`, 'then the write: a greater generation (rule 2.4)')
  assert.equal(await w.whoami(), 'o-wendy')
  assert.deepEqual(w.reports, [])
})

test('a late renewal after a logout is not stored, before or after the logout\'s answer', async () => {
  for (const readFirst of [false, true]) {
    const w = await world('sam')
    const read = w.read('read')
    w.proxy.hold = (req) => req.headers['x-label'] || (req.url === '/logout' ? 'logout' : null)
    const out = w.api.logout()
    const [r, lo] = await Promise.all([w.proxy.held('read'), w.proxy.held('logout')])
    assertRenewal(r, w.seeded)
    assert.equal(lo.session, '', 'the server destroyed the session')
    const order = readFirst ? [r, lo] : [lo, r]
    for (const held of order) {
      held.release()
      await (held === r ? read : out)
    }
    assert.equal(w.api.token(), null, `read ${readFirst ? 'before' : 'after'} the logout's answer`)
    assert.equal(await w.whoami(), 401)
  }
  // With no token at all, only the epoch tells a late answer from before the logout: a write
  // sent without a token (it starts a new session) lands before or after the logout's answer,
  // which carried none.
  for (const writeFirst of [true, false]) {
    const w = await world('sam')
    w.api.forget()
    const write = w.write('write', 'wendy')
    w.proxy.hold = (req) => req.headers['x-label'] || (req.url === '/logout' ? 'logout' : null)
    const out = w.api.logout()
    const [wr, lo] = await Promise.all([w.proxy.held('write'), w.proxy.held('logout')])
    assert.equal(readPrefix(wr.session).generation, 1, 'the write started a new session')
    for (const held of writeFirst ? [wr, lo] : [lo, wr]) {
      held.release()
      await (held === wr ? write : out)
    }
    assert.equal(w.api.token(), null, `the write from before the logout is not stored (rule 2.2), landing ${writeFirst ? 'first' : 'last'}`)
  }
})

test('a write arriving during a login: the login wins, whichever lands first', async () => {
  for (const writeFirst of [true, false]) {
    for (const sentFirst of ['write', 'login']) {
      const w = await world('sam')
      w.setLoginUser('lena')
      w.proxy.hold = (req) => req.headers['x-label'] || (req.url === '/login/wechat' ? 'login' : null)
      let write
      let login
      if (sentFirst === 'write') {
        write = w.write('write', 'wendy')
        await w.proxy.held('write')
        login = w.api.login()
      } else {
        login = w.api.login()
        await w.proxy.held('login')
        write = w.write('write', 'wendy')
      }
      const [wr, lo] = await Promise.all([w.proxy.held('write'), w.proxy.held('login')])
      for (const held of writeFirst ? [wr, lo] : [lo, wr]) {
        held.release()
        await (held === wr ? write : login)
      }
      const why = `${sentFirst} sent first, ${writeFirst ? 'write' : 'login'} landed first`
      assert.ok(w.api.token() === lo.session, `the login's token is kept (${why})`)
      assert.equal(await w.whoami(), 'o-lena', why)
      assert.deepEqual(w.reports, [], 'a write during a login is dropped by the epoch (rule 2.2), not reported')
    }
  }
})

test('a server that refused the token and answers on a new line is obeyed; a late renewal of the refused line does not bring it back', async () => {
  const w = await world('sam')
  const read = w.read('read') // at rot: renews the OLD token
  const write = w.write('write', 'wendy', 'fresh') // at fresh: OLD is refused, a new session
  const [r, wr] = await Promise.all([w.proxy.held('read'), w.proxy.held('write')])
  assertRenewal(r, w.seeded)
  assert.notEqual(line(wr.session), line(w.seeded), 'the refusing server started a new line')
  assert.equal(readPrefix(wr.session).generation, 1)
  wr.release()
  await write
  assert.ok(w.api.token() === wr.session, 'obeyed (rule 2.3)')
  r.release()
  await read
  assert.ok(w.api.token() === wr.session, 'the renewal of the refused line is ignored (rule 2.5)')
  assert.equal(await w.whoami(), 'o-wendy')
  assert.deepEqual(w.reports, [], 'the late renewal lost no write')
})

test('a refusal that lands after a renewal racing it cannot be told apart: the write is reported as refused', async () => {
  const w = await world('sam')
  const read = w.read('read')
  const write = w.write('write', 'wendy', 'fresh')
  const [r, wr] = await Promise.all([w.proxy.held('read'), w.proxy.held('write')])
  r.release()
  await read
  wr.release()
  await write
  assert.ok(w.api.token() === r.session, 'the renewal stays')
  assert.equal(await w.whoami(), 'o-sam')
  assert.equal(w.reports.length, 1)
  const [report] = w.reports
  assert.deepEqual(
    [report.kind, report.url, report.line, report.generation, report.sentLine, report.sentGeneration],
    ['refused', '/login/wechat', line(wr.session), 1, line(w.seeded), 1],
  )
})

test('two parallel writes from the same token: the first to arrive is kept, the other reported as same generation', async () => {
  for (const first of ['one', 'two']) {
    const w = await world('sam')
    const one = w.write('one', 'wendy')
    const two = w.write('two', 'walt')
    const held = { one: await w.proxy.held('one'), two: await w.proxy.held('two') }
    assert.equal(lg(held.one.session), lg(held.two.session), 'one generation, two writes')
    const second = first === 'one' ? 'two' : 'one'
    held[first].release()
    await (first === 'one' ? one : two)
    held[second].release()
    await (second === 'one' ? one : two)
    assert.ok(w.api.token() === held[first].session, `the first to arrive (${first}) is kept`)
    assert.equal(await w.whoami(), first === 'one' ? 'o-wendy' : 'o-walt')
    assert.equal(w.reports.length, 1)
    const [report] = w.reports
    assert.deepEqual(
      [report.kind, report.method, report.line, report.generation, report.sentGeneration, report.storedGeneration],
      ['same generation', 'POST', line(w.seeded), 2, 1, 2],
    )
    const text = JSON.stringify(report)
    assert.ok(!text.includes(held.one.session) && !text.includes(held.two.session) && !text.includes(w.seeded), 'no token in the report')
  }
})

test('two clients on one storage (two tabs): a write in one survives a late renewal in the other; a logout in one is not undone by the other', async () => {
  const w = await world('sam', 2)
  const [tab1, tab2] = w.apis
  assert.ok(tab2.token() === tab1.token(), 'one entry for both')
  const read = w.read('read', 'rot', tab2)
  const write = w.write('write', 'wendy', 'rot', tab1)
  const [r, wr] = await Promise.all([w.proxy.held('read'), w.proxy.held('write')])
  wr.release()
  await write
  r.release()
  await read
  assert.equal(lg(tab2.token()), `${line(w.seeded)}/2`, 'tab 2 reads what tab 1 wrote')
  assert.equal(await w.whoami(tab2), 'o-wendy')

  assert.deepEqual(w.reports, [])

  // A late renewal in tab 2, sent before tab 1's logout, lands after it: not stored.
  const v = await world('sue', 2)
  const [tab3, tab4] = v.apis
  const renewal = v.read('read', 'rot', tab4)
  const r2 = await v.proxy.held('read')
  assertRenewal(r2, v.seeded)
  await tab3.logout()
  assert.equal(tab4.token(), null, 'tab 3 logged out: tab 4 sees it')
  r2.release()
  await renewal
  assert.equal(tab3.token(), null, 'the late renewal in tab 4 did not undo the logout (the epoch is in the shared entry)')
  assert.equal(await v.whoami(tab4), 401)
  assert.deepEqual(v.reports, [])
})
