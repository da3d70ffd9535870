// The tests every adapter passes, against the real login example over real HTTP on 127.0.0.1.
// `adapterSuite(platform, world)` registers them; `world(t)` gives what the platform logs in with.

import test from 'node:test'
import assert from 'node:assert/strict'
import { create, SessionError } from '../src/index.js'
import { fakePlatform, exampleBinary, newKey, startServer, startStrippingGateway } from './support.js'

const STORAGE_KEY = 'sealed-session'

/** The entry the client keeps: one key, `{ token, epoch }`. */
function entry(fake) {
  const raw = fake.storage.get(STORAGE_KEY)
  return raw === undefined ? undefined : JSON.parse(raw)
}

/**
 * Registers the suite for `platform`. `login` is `{ start(), issue(user), family, expectedId(user),
 * env(standIn) }`: the stand-in of the platform's login API and how the example reaches it.
 */
export function adapterSuite(platform, login) {
  const alipay = platform === 'my'
  const headerKey = alipay ? 'headers' : 'header'
  const statusKey = alipay ? 'status' : 'statusCode'
  const adapterName = platform === 'taro-h5' ? 'taro' : platform
  let binary
  let standIn
  const closers = []

  test.before(async () => {
    binary = exampleBinary()
    standIn = await login.start()
    closers.push(() => standIn.close())
  })
  test.after(async () => {
    for (const close of closers.reverse()) await close()
  })

  async function server() {
    const s = await startServer(binary, { keys: newKey(), ...login.serverOptions(standIn) })
    closers.push(() => s.stop())
    return s
  }

  async function gateway(target, options) {
    const g = await startStrippingGateway(target, options)
    closers.push(() => g.close())
    return g
  }

  /** A platform object and a client for `baseUrl`; the platform's login logs `user` in. */
  function client(baseUrl, user, options = {}) {
    const { create: createOptions = {}, ...fakeOptions } = options
    const fake = fakePlatform(platform, { nextCode: () => standIn.issue(user), env: login.env, ...fakeOptions })
    const api = create({ platform: adapterName, api: fake, baseUrl, ...login.createOptions, ...createOptions })
    return { fake, api }
  }

  /** The session header each request carried, as the platform received it. */
  const sentTokens = (fake) => fake.calls.requests.map((r) => (r[headerKey] || {})['x-session'])
  const paths = (fake, base) => fake.calls.requests.map((r) => r.url.replace(base, ''))

  test(`${platform}: login stores the token in one entry { token, epoch } and later requests carry it`, async () => {
    const site = await server()
    const { fake, api } = client(site.url, 'alice')
    assert.equal(api.loginPath, `/login/${login.family}`)
    assert.deepEqual(await api.login(), { platform: login.family, openid: login.expectedId('alice') })
    const stored = entry(fake)
    assert.match(stored.token, /^[A-Za-z0-9_-]{100,}$/)
    // The login() call starts an epoch, and its stored answer another (rule 2.1).
    assert.equal(stored.epoch, 2, 'a login moves the epoch twice: when called, and when stored')
    assert.deepEqual([...fake.storage.keys()], [STORAGE_KEY], 'one storage key')
    assert.equal(api.token(), stored.token)

    const me = await api.request({ url: '/me' })
    assert.equal(me[statusKey], 200)
    assert.deepEqual(me.data, { platform: login.family, openid: login.expectedId('alice') })
    assert.deepEqual(sentTokens(fake), [undefined, stored.token])
    assert.deepEqual(paths(fake, site.url), [`/login/${login.family}`, '/me'])
  })

  test(`${platform}: the session survives across requests without another login`, async () => {
    const site = await server()
    const { fake, api } = client(site.url, 'bob')
    await api.login()
    const token = api.token()
    for (let i = 0; i < 3; i += 1) {
      const me = await api.request({ url: '/me', login: true })
      assert.deepEqual([me[statusKey], me.data], [200, { platform: login.family, openid: login.expectedId('bob') }])
    }
    assert.equal(fake.calls.login, 1)
    assert.equal(api.token(), token)
    // A second client on the same storage (the app restarted) keeps the session too.
    const again = create({ platform: adapterName, api: fake, baseUrl: site.url, ...login.createOptions })
    assert.equal((await again.request({ url: '/me', login: false }))[statusKey], 200)
  })

  test(`${platform}: logout forgets the token when the server sends the header empty`, async () => {
    const site = await server()
    const { fake, api } = client(site.url, 'carol')
    await api.login()
    const epoch = entry(fake).epoch
    const out = await api.logout()
    assert.equal(out[statusKey], 200)
    assert.equal(out[headerKey]['x-session'], '', 'the server cleared the header')
    // The logout() call starts an epoch, and its answer another (rule 3).
    assert.deepEqual(entry(fake), { token: null, epoch: epoch + 2 })
    // Taro H5 rejects a non-2xx answer with the fetch Response; the client passes that on.
    const me = await api.request({ url: '/me', login: false }).catch((rejected) => {
      assert.equal(platform, 'taro-h5', 'only Taro H5 rejects a 401')
      return { [statusKey]: rejected.status }
    })
    assert.equal(me[statusKey], 401)
    assert.equal(sentTokens(fake).at(-1), undefined, 'no token is sent after logout')
  })

  test(`${platform}: logout forgets the token on a 2xx even when a gateway drops the empty header`, async () => {
    const site = await server()
    const { fake, api } = client(site.url, 'dan')
    await api.login()
    const token = api.token()
    const through = await gateway(site.url)
    const viaGateway = create({ platform: adapterName, api: fake, baseUrl: through.url, ...login.createOptions })
    const out = await viaGateway.logout('/logout')
    assert.equal(out[statusKey], 200)
    assert.equal(out[headerKey]['x-session'], undefined, 'the gateway dropped the header')
    assert.equal(fake.calls.requests.at(-1)[headerKey]['x-session'], token, 'the logout carried the token')
    assert.equal(api.token(), null)
  })

  test(`${platform}: a login answered 2xx without the header rejects with the cause and the fix`, async () => {
    const site = await server()
    const through = await gateway(site.url)
    const { fake, api } = client(through.url, 'erin')
    await assert.rejects(api.login(), (e) => {
      assert.ok(e instanceof SessionError)
      assert.equal(e.code, 'HEADER_MISSING')
      assert.equal(e.status, 200)
      assert.match(e.message, /without the `x-session` header/)
      assert.match(e.message, /proxy or API gateway .* strips/)
      assert.match(e.message, /fix: let it pass the header through/)
      return true
    })
    assert.equal(api.token(), null, 'nothing stored')
    // A request that needs a login fails the same way, after one platform login, not in a loop.
    await assert.rejects(api.request({ url: '/me' }), (e) => e.code === 'HEADER_MISSING')
    assert.equal(fake.calls.login, 2)
    assert.deepEqual(paths(fake, through.url), [`/login/${login.family}`, '/me', `/login/${login.family}`])
  })

  test(`${platform}: a 401 right after a fresh login rejects with the cause, no second login`, async () => {
    const site = await server()
    // The gateway drops the header from requests only: the login works, the token never arrives.
    const through = await gateway(site.url, { requests: true, answers: false })
    const { fake, api } = client(through.url, 'fay')
    await assert.rejects(api.request({ url: '/me' }), (e) => {
      assert.equal(e.code, 'STILL_UNAUTHORIZED')
      assert.equal(e.status, 401)
      assert.match(e.message, /401 again right after a fresh login/)
      assert.match(e.message, /strips the `x-session` header/)
      return true
    })
    assert.equal(fake.calls.login, 1)
    assert.deepEqual(paths(fake, through.url), ['/me', `/login/${login.family}`, '/me'])
  })

  test(`${platform}: ten parallel 401s share one login; the token is stored and all ten retries succeed`, async () => {
    const site = await server()
    // The platform login answers only once all ten 401s are in, so all ten wait for it.
    let release
    const allRefused = new Promise((resolve) => {
      release = resolve
    })
    let refused = 0
    const { fake, api } = client(site.url, 'gus', {
      onResponse: (res) => {
        if (res[statusKey] === 401 && ++refused === 10) release()
      },
      nextCode: async () => {
        await allRefused
        return standIn.issue('gus')
      },
    })
    fake.storage.set(STORAGE_KEY, JSON.stringify({ token: 'stale', epoch: 0 }))
    const replies = await Promise.all(Array.from({ length: 10 }, () => api.request({ url: '/me' })))
    assert.deepEqual(replies.map((r) => r[statusKey]), Array(10).fill(200))
    assert.equal(refused, 10)
    assert.equal(fake.calls.login, 1)
    const logins = paths(fake, site.url).filter((p) => p.startsWith('/login'))
    assert.deepEqual(logins, [`/login/${login.family}`], 'one POST /login')
    const token = api.token()
    assert.notEqual(token, 'stale')
    assert.deepEqual(sentTokens(fake).slice(-10), Array(10).fill(token), 'every retry carried the new token')
    // And login() called while one is in flight joins it too.
    const { fake: other, api: second } = client(site.url, 'gus2')
    const [a, b] = await Promise.all([second.login(), second.request({ url: '/me', login: true })])
    assert.deepEqual(a, { platform: login.family, openid: login.expectedId('gus2') })
    assert.equal(b[statusKey], 200)
    assert.equal(other.calls.login, 1)
  })

  test(`${platform}: header names are compared without case`, async () => {
    const site = await server()
    const { api } = client(site.url, 'hal', { headerCase: 'upper' })
    await api.login()
    assert.ok(api.token(), 'stored from X-SESSION')
    await api.request({ url: '/me' })
    await api.logout()
    assert.equal(api.token(), null)
  })

  test(`${platform}: every option given is passed through untouched, and only those`, async () => {
    const site = await server()
    const { fake, api } = client(site.url, 'ida')
    await api.login()
    const options = platformOptions(platform)
    const seen = []
    const res = await api.request({
      ...options,
      url: '/me',
      dataType: 'json',
      timeout: undefined, // given as undefined: not passed on
      [headerKey]: { 'X-Trace': 'trace-1', 'X-SESSION': 'the caller cannot override the token' },
      success: (r) => seen.push(['success', r[statusKey]]),
      fail: (e) => seen.push(['fail', e]),
      complete: (r) => seen.push(['complete', r[statusKey]]),
    })
    assert.equal(res[statusKey], 200)
    assert.deepEqual(seen, [['success', 200], ['complete', 200]], 'the caller\'s callbacks, once each')
    const received = fake.calls.requests.at(-1)
    const { success, fail, complete, ...rest } = received
    assert.equal(typeof success, 'function')
    assert.equal(typeof fail, 'function')
    assert.equal(typeof complete, 'undefined', 'the client passes success and fail only; complete is called by the client')
    assert.deepEqual(rest, {
      ...options,
      url: `${site.url}/me`,
      dataType: 'json',
      [headerKey]: { 'X-Trace': 'trace-1', 'x-session': api.token() },
    })
    assert.ok(!Object.values(rest).includes(undefined), 'no undefined options')

    // A failure: no server there. fail and complete get the platform's own error.
    const closed = create({ platform: adapterName, api: fake, baseUrl: 'http://127.0.0.1:9' })
    const failed = []
    await assert.rejects(
      closed.request({ url: '/me', timeout: 2000, fail: (e) => failed.push(['fail', e]), complete: (e) => failed.push(['complete', e]) }),
      (e) => (alipay ? e.error === 12 : /request:fail/.test(e.errMsg)),
    )
    assert.deepEqual(failed.map(([name]) => name), ['fail', 'complete'])
  })
}

/** Options of each platform's request call that the client has no business with. */
function platformOptions(platform) {
  if (platform === 'my') return { method: 'GET', enableCookie: true }
  const wx = {
    method: 'GET',
    responseType: 'text',
    enableHttp2: true,
    enableQuic: false,
    enableCache: true,
    enableChunked: false,
    enableHttpDNS: false,
    forceCellularNetwork: false,
    useHighPerformanceMode: true,
    redirect: 'manual',
  }
  if (platform === 'tt') return { method: 'GET', responseType: 'text', enableHttp2: true, usePrefetchCache: false }
  if (platform === 'uni') return { method: 'GET', withCredentials: false, firstIpv4: true, sslVerify: true, enableHttp2: true }
  if (platform === 'taro' || platform === 'taro-h5') return { method: 'GET', mode: 'cors', credentials: 'omit', cache: 'no-cache', jsonp: false }
  return wx
}
