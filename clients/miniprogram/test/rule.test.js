// Each step of the client rule (src/rule.js, the format page's "What a client does with them"),
// one case at a time, and the client's epochs: which calls move it, and which do not.

import test from 'node:test'
import assert from 'node:assert/strict'
import { decide } from '../src/rule.js'
import { create, SessionError } from '../src/index.js'

/** A version 2 token of `line` (a number) and `generation`; `n` tells tokens of one generation apart. */
function token(line, generation, n = 0) {
  const bytes = Buffer.alloc(21)
  bytes[0] = 2
  bytes.writeUInt32BE(line, 5)
  bytes.writeUInt32BE(generation, 9)
  bytes.writeUInt32BE(n, 13)
  return bytes.toString('base64url')
}
const A1 = token(0xa, 1)
const A2 = token(0xa, 2)
const A2b = token(0xa, 2, 1)
const A3 = token(0xa, 3)
const B1 = token(0xb, 1)

const at = (token, epoch = 5) => ({ token, epoch })
const answer = (kind, sent, value, ok = true) => ({ kind, sent, value, ok })
const run = (a, current) => {
  const d = decide(a, current)
  return [d.step, d.outcome, d.entry, d.lost && d.lost.kind]
}

test('rule 1: an answer without the session header changes nothing', () => {
  assert.deepEqual(run(answer('request', at(A1), undefined), at(A2)), ['rule 1', 'unchanged', null, null])
  assert.deepEqual(run(answer('login', at(A1), undefined), at(A1)), ['rule 1', 'unchanged', null, null])
})

test('rule 2.1: a login is stored and starts an epoch, unless the epoch moved since it was sent', () => {
  assert.deepEqual(run(answer('login', at(A1), A2), at(A3)), ['rule 2.1', 'stored', { token: A2, epoch: 6 }, null])
  assert.deepEqual(run(answer('login', at(A1, 4), A2), at(A1)), ['rule 2.1', 'unchanged', null, null], 'no new epoch either')
})

test('rule 2.2: a token answering a request of an earlier epoch is ignored, silently', () => {
  assert.deepEqual(run(answer('request', at(A1, 4), A2), at(A1)), ['rule 2.2', 'unchanged', null, null])
  assert.deepEqual(run(answer('request', at(null, 4), B1), at(null)), ['rule 2.2', 'unchanged', null, null])
})

test('rule 2.3: the request carried exactly what is stored (none included): stored', () => {
  assert.deepEqual(run(answer('request', at(A3), B1), at(A3)), ['rule 2.3', 'stored', { token: B1, epoch: 5 }, null])
  assert.deepEqual(run(answer('request', at(null), B1), at(null)), ['rule 2.3', 'stored', { token: B1, epoch: 5 }, null])
})

test('rule 2.4: the line of what is stored and a greater generation: stored', () => {
  assert.deepEqual(run(answer('request', at(A1), A3), at(A2)), ['rule 2.4', 'stored', { token: A3, epoch: 5 }, null])
})

test('rule 2.5: anything else is ignored; reported unless it renews what the request carried', () => {
  // A renewal of T (line and generation of T) after a newer write: ignored, nothing lost.
  assert.deepEqual(run(answer('request', at(A1), token(0xa, 1, 9)), at(A2)), ['rule 2.5', 'unchanged', null, null])
  // Two writes from one token: the second to arrive is reported as `same generation`.
  assert.deepEqual(run(answer('request', at(A1), A2b), at(A2)), ['rule 2.5', 'unchanged', null, 'same generation'])
  // The server started a new line for a request whose token was already replaced: `refused`.
  assert.deepEqual(run(answer('request', at(A1), B1), at(A2)), ['rule 2.5', 'unchanged', null, 'refused'])
  // A late renewal of a refused line does not bring it back (and loses no write).
  assert.deepEqual(run(answer('request', at(A2), token(0xa, 2, 9)), at(B1)), ['rule 2.5', 'unchanged', null, null])
  // The report names lines and generations, never a token.
  const { lost } = decide(answer('request', at(A1), A2b), at(A2))
  assert.deepEqual(lost, { kind: 'same generation', line: '0000000a', generation: 2, sentLine: '0000000a', sentGeneration: 1, storedLine: '0000000a', storedGeneration: 2 })
})

test('rule 3: an empty header deletes, only for the current epoch and the line of what is stored', () => {
  const deleted = (epoch) => ['rule 3', 'deleted', { token: null, epoch }, null]
  const ignored = ['rule 3', 'unchanged', null, null]
  assert.deepEqual(run(answer('request', at(A1), ''), at(A1)), deleted(6), 'it carried S')
  assert.deepEqual(run(answer('request', at(A1), ''), at(A3)), deleted(6), 'it carried a token of the line of S')
  assert.deepEqual(run(answer('request', at(null), ''), at(null)), deleted(6), 'none carried, none stored')
  assert.deepEqual(run(answer('request', at(A1), ''), at(B1)), ignored, 'S is of another line: a new session started since')
  assert.deepEqual(run(answer('request', at(null), ''), at(B1)), ignored, 'it carried none, S is a token')
  assert.deepEqual(run(answer('request', at(A1, 4), ''), at(A1)), ignored, 'an earlier epoch')
  // A logout treats any 2xx as an empty header, whatever it carries; not a non-2xx.
  assert.deepEqual(run(answer('logout', at(A1), undefined), at(A1)), deleted(6))
  assert.deepEqual(run(answer('logout', at(A1), A2), at(A1)), deleted(6))
  assert.deepEqual(run(answer('logout', at(A1), undefined, false), at(A1)), ['rule 1', 'unchanged', null, null])
  assert.deepEqual(run(answer('logout', at(A1), undefined), at(B1)), ignored)
})

/** A client on an adapter whose answers the test gives one by one (`answerNext(value)`). */
function held(entry) {
  const storage = new Map()
  if (entry) storage.set('sealed-session', JSON.stringify(entry))
  const waiting = []
  const sent = []
  const adapter = {
    name: 'held',
    family: () => null,
    headerKey: 'header',
    storage: { get: (k) => storage.get(k), set: (k, v) => storage.set(k, v), remove: (k) => storage.delete(k) },
    login: async () => ({ code: 'c' }),
    send: (call) => {
      sent.push({ url: call.url, token: call.header['x-session'] })
      return new Promise((resolve) => waiting.push(resolve))
    },
  }
  const epoch = () => JSON.parse(storage.get('sealed-session')).epoch
  const answerNext = (value, status = 200) =>
    waiting.shift()({ status, headers: value === undefined ? {} : { 'x-session': value }, data: {}, response: { statusCode: status }, failed: false })
  return { adapter, sent, epoch, answerNext }
}
const flush = () => new Promise((resolve) => setImmediate(resolve))

test('epochs: the login() that starts a login moves the epoch; one that joins it sends nothing and changes nothing', async () => {
  const h = held({ token: A1, epoch: 0 })
  const api = create({ platform: h.adapter })
  const first = api.login()
  assert.equal(h.epoch(), 1, 'the starting call')
  await flush()
  const joined = api.login()
  const alsoJoined = api.request({ url: '/me', login: true }) // a token is stored: no login, a request
  await flush()
  assert.equal(h.epoch(), 1, 'joining changes nothing')
  assert.deepEqual(h.sent.map((s) => s.url), ['/login', '/me'], 'one login sent')
  h.answerNext(A2) // the login
  await flush()
  assert.equal(h.epoch(), 2, 'the stored login starts another (rule 2.1)')
  assert.equal(api.token(), A2)
  assert.equal(await joined, await first)
  h.answerNext(token(0xa, 1, 7)) // /me, sent during the login, renewed: an earlier epoch, ignored
  await alsoJoined
  assert.equal(api.token(), A2)
})

test('epochs: logout() moves the epoch when called, so an answer sent before it is ignored', async () => {
  const h = held({ token: A1, epoch: 0 })
  const api = create({ platform: h.adapter })
  const read = api.request({ url: '/me' })
  const out = api.logout()
  assert.equal(h.epoch(), 1)
  h.answerNext(A2) // /me, written before the logout: arrives first, ignored (rule 2.2)
  await read
  assert.equal(api.token(), A1)
  h.answerNext('')
  await out
  assert.deepEqual([api.token(), h.epoch()], [null, 2])
  api.forget()
  assert.deepEqual([api.token(), h.epoch()], [null, 3], 'forget moves it too')
})

test('a lost write goes to onLostWrite with its kind and the request, never the token; without it, a warning', async () => {
  const reports = []
  const h = held({ token: A1, epoch: 0 })
  const api = create({ platform: h.adapter, onLostWrite: (r) => reports.push(r) })
  const one = api.request({ url: '/cart', method: 'POST' })
  const two = api.request({ url: '/profile', method: 'POST' })
  h.answerNext(A2)
  h.answerNext(A2b)
  await Promise.all([one, two])
  assert.equal(api.token(), A2, 'the first to arrive is kept')
  assert.deepEqual(reports, [
    { kind: 'same generation', url: '/profile', method: 'POST', line: '0000000a', generation: 2, sentLine: '0000000a', sentGeneration: 1, storedLine: '0000000a', storedGeneration: 2 },
  ])
  assert.ok(!JSON.stringify(reports).includes(A2b.slice(0, 20)))

  const warned = []
  const warn = console.warn
  console.warn = (...args) => warned.push(args.join(' '))
  try {
    const g = held({ token: A1, epoch: 0 })
    const quiet = create({ platform: g.adapter })
    const a = quiet.request({ url: '/a', method: 'POST' })
    const b = quiet.request({ url: '/b', method: 'POST' })
    g.answerNext(A2)
    g.answerNext(B1)
    await Promise.all([a, b])
  } finally {
    console.warn = warn
  }
  assert.equal(warned.length, 1)
  assert.match(warned[0], /the write of POST \/b was lost to a parallel request \(refused\): line 0000000b generation 1 not kept; pass create\(\{ onLostWrite \}\)/)
  assert.ok(!warned[0].includes(B1.slice(0, 20)), 'no token in the warning')

  assert.throws(() => create({ platform: h.adapter, onLostWrite: 'log' }), (e) => e instanceof SessionError && e.code === 'CONFIG' && /onLostWrite must be a function/.test(e.message))
})
