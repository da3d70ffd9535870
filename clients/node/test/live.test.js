'use strict'
// Live tokens, both directions, with the crate's views example server: a token the server
// issues opens here, and one sealed here opens in the server, which counts on from it.

const test = require('node:test')
const assert = require('node:assert/strict')
const reader = require('..')
const { VIEWS_BIN, startViews, get } = require('./live.js')

const KEY = reader.generateKey()
const skip = VIEWS_BIN ? false : 'set SEALED_SESSION_VIEWS_BIN to the views example (clients/readers-ci.sh does)'

test('the server and this reader share sessions both ways', { skip, timeout: 60000 }, async (t) => {
  await reader.ready()
  const server = await startViews(KEY)
  t.after(() => server.stop())

  // Exercise: a first request without token. Expectation: the server's new token opens here,
  // with the view counted once, a new line at generation 1 (0 for a version 1 token).
  const first = await get(server.url, '/foo')
  assert.equal(first.body, 'you viewed this page 1 times')
  assert.ok(first.token, 'the server sets x-session')
  const opened = reader.open(first.token, { keys: KEY })
  assert.deepEqual(opened.data, { views: { '/foo': 1 } })
  assert.equal(opened.generation, opened.version === 1 ? 0 : 1)
  assert.equal(opened.keyIndex, 0)

  // Exercise: write the counter here, as a change of that session, and send it.
  // Expectation: the server opens it and counts on (41 -> 42) instead of starting over; its
  // answer keeps the line and sid and carries the next generation.
  const mine = reader.seal({ data: { views: { '/foo': 41, '/bar': 5 } } }, { keys: KEY, replaces: opened })
  assert.equal(reader.inspect(mine).generation, opened.generation + 1)
  const second = await get(server.url, '/foo', mine)
  assert.equal(second.body, 'you viewed this page 42 times')
  const back = reader.open(second.token, { keys: KEY })
  assert.deepEqual(back.data, { views: { '/foo': 42, '/bar': 5 } })
  assert.deepEqual([back.version, back.line, back.sid], [2, opened.line, opened.sid])
  assert.equal(back.generation, opened.generation + 2)
  const views = await get(server.url, '/views', second.token)
  assert.deepEqual(JSON.parse(views.body), { '/foo': 42, '/bar': 5 })

  // Exercise: a token sealed here under another key. Expectation: the server starts over.
  const stranger = reader.seal({ data: { views: { '/foo': 99 } } }, { keys: reader.generateKey() })
  assert.equal((await get(server.url, '/foo', stranger)).body, 'you viewed this page 1 times')
})
