'use strict'
// The read-only middleware, through a real HTTP server on loopback (Connect/Express shape) and
// a Koa-shaped context: the opened session or null with the refusal reason, and no header written.

const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const reader = require('..')

const KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const NOW = 1_750_000_000_000

test.before(() => reader.ready())

function serve(middleware) {
  const server = http.createServer((req, res) => {
    middleware(req, res, (err) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(err ? { error: String(err) } : { session: req.session, refusal: req.sessionRefusal }))
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

async function get(server, headers) {
  const { port } = server.address()
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers, signal: AbortSignal.timeout(5000) })
  return { body: await res.json(), sessionHeader: res.headers.get('x-session') }
}

test('Express-style middleware puts the session or the refusal on the request', async (t) => {
  const server = await serve(reader.sessionReader({ keys: KEY, now: () => NOW }))
  t.after(() => server.close())
  const token = reader.seal({ data: { user: 'ada' } }, { keys: KEY, now: NOW })
  const ok = await get(server, { 'x-session': token })
  assert.deepEqual(ok.body.session.data, { user: 'ada' })
  assert.equal(ok.body.session.generation, 1)
  assert.equal(ok.body.refusal, null)
  assert.equal(ok.sessionHeader, null, 'read-only: no session header is written')
  const none = await get(server, {})
  assert.deepEqual(none.body, { session: null, refusal: 'missing' })
  const forged = await get(server, { 'x-session': `${token.slice(0, 50)}${token[50] === 'A' ? 'B' : 'A'}${token.slice(51)}` })
  assert.deepEqual(forged.body, { session: null, refusal: 'forged' })
})

test('the middleware reads the configured header and clock', async (t) => {
  const token = reader.seal({ data: {}, maxAgeMs: 1000 }, { keys: KEY, now: NOW })
  let now = NOW
  const server = await serve(reader.sessionReader({ keys: KEY, header: 'Authorization-Session', now: () => now }))
  t.after(() => server.close())
  assert.equal((await get(server, { 'authorization-session': token })).body.refusal, null)
  now = NOW + 1000
  assert.equal((await get(server, { 'authorization-session': token })).body.refusal, 'expired')
  assert.equal((await get(server, { 'x-session': token })).body.refusal, 'missing')
})

test('a bad key list fails when the middleware is made, not per request', () => {
  assert.throws(() => reader.sessionReader({ keys: 'AAAA' }), (e) => e instanceof reader.KeyError && e.code === 'bad_length')
  assert.throws(() => reader.koaSessionReader({ keys: '' }), (e) => e instanceof reader.KeyError && e.code === 'empty')
})

test('Koa-style middleware sets ctx.state and calls next', async () => {
  const middleware = reader.koaSessionReader({ keys: KEY, now: () => NOW, property: 'user' })
  const token = reader.seal({ data: { id: 7 } }, { keys: KEY, now: NOW })
  const ctx = { request: { headers: { 'x-session': token } }, state: {} }
  let called = false
  await middleware(ctx, async () => {
    called = true
  })
  assert.ok(called)
  assert.deepEqual(ctx.state.user.data, { id: 7 })
  assert.equal(ctx.state.userRefusal, null)
  const bad = { request: { headers: { 'x-session': 'nope' } }, state: {} }
  await middleware(bad, async () => {})
  assert.deepEqual([bad.state.user, bad.state.userRefusal], [null, 'malformed'])
})
