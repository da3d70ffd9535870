// Each platform's own entry point (sealed-session-miniprogram/wx, ...), as ES module and as its
// CommonJS bundle in dist/: create() without `platform` logs in on that platform's route and
// sends the session back; another platform's name is refused; and a bundle of the entry takes in
// no other platform's adapter (what the entries are for; fixtures/size measures the bytes).
import test from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { createRequire } from 'node:module'
import { build } from 'esbuild'
import { fakePlatform, listen } from './support.js'

const require = createRequire(import.meta.url)
const PLATFORMS = ['wx', 'qq', 'tt', 'my', 'swan', 'ks', 'uni', 'taro', 'h5']
const ROUTES = {
  wx: '/login/wechat',
  qq: '/login/qq',
  tt: '/login/douyin',
  my: '/login/alipay',
  swan: '/login/baidu',
  ks: '/login/kuaishou',
  uni: '/login/wechat',
  taro: '/login/wechat',
  h5: '/login',
}
// A string only that platform's adapter holds: a bundle of another entry must not contain it.
const MARKERS = { my: 'getAuthCode', swan: 'getLoginCode', uni: 'uniPlatform', taro: 'WEAPP', h5: 'localStorage' }

/** A token's clear prefix as the client reads it (version 2, line 01020304, `generation`); the rest is filler. */
const token = (generation) => Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, generation]), Buffer.alloc(82, 7)]).toString('base64url')

/** A stand-in server: any login route answers a token, /me wants one (401 without). */
async function startStandIn() {
  const seen = []
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    req.resume()
    req.on('end', () => {
      res.setHeader('access-control-expose-headers', 'x-session')
      if (req.url.startsWith('/login')) {
        res.setHeader('x-session', token(1))
        res.end('{"ok":true}')
      } else if (req.headers['x-session'] === token(1)) {
        res.end('{"user":"ada"}')
      } else {
        res.statusCode = 401
        res.end('{}')
      }
    })
  })
  return { url: await listen(server), seen, close: () => server.close() }
}

const loaders = {
  'ES module': (name) => import(`../${name}/index.js`),
  'CommonJS (dist)': async (name) => require(`../dist/${name}.js`),
}

for (const [kind, load] of Object.entries(loaders)) {
  for (const name of PLATFORMS) {
    test(`${kind} entry ${name}: logs in on its route and sends the session back`, async (t) => {
      const server = await startStandIn()
      t.after(server.close)
      const entry = await load(name)
      assert.deepEqual(Object.keys(entry).filter((k) => k !== 'default' && k !== '__esModule').sort(), name === 'h5' ? ['SessionError', 'create', 'memoryStorage'] : ['SessionError', 'create'])
      const options =
        name === 'h5'
          ? { storage: entry.memoryStorage(), login: () => ({ code: 'c' }) }
          : { api: fakePlatform(name, { nextCode: () => 'code-1' }) }
      const client = entry.create({ ...options, baseUrl: server.url })
      assert.equal(client.loginPath, ROUTES[name])
      const res = await client.request({ url: '/me' })
      assert.deepEqual(res.data, { user: 'ada' })
      assert.equal(client.token(), token(1))
      assert.deepEqual(server.seen, ['GET /me', `POST ${ROUTES[name]}`, 'GET /me'])
      // `platform` may be given, if it is this one.
      assert.equal(entry.create({ ...options, platform: name }).loginPath, ROUTES[name])
      assert.throws(
        () => entry.create({ ...options, platform: name === 'wx' ? 'qq' : 'wx' }),
        (e) => e instanceof entry.SessionError && e.code === 'CONFIG' && e.message.includes(`sealed-session-miniprogram/${name}, for platform '${name}' only`),
      )
    })
  }
}

test('a bundle of one entry point takes in no other platform adapter', async () => {
  for (const name of PLATFORMS) {
    const out = await build({ entryPoints: [new URL(`../${name}/index.js`, import.meta.url).pathname], bundle: true, write: false, format: 'esm', minify: true })
    const code = out.outputFiles[0].text
    for (const [other, marker] of Object.entries(MARKERS)) {
      assert.equal(code.includes(marker), other === name, `${name}'s bundle and ${other}'s ${marker}`)
    }
  }
  const all = await build({ entryPoints: [new URL('../src/index.js', import.meta.url).pathname], bundle: true, write: false, format: 'esm', minify: true })
  for (const marker of Object.values(MARKERS)) assert.ok(all.outputFiles[0].text.includes(marker), `the main entry keeps ${marker}`)
})
