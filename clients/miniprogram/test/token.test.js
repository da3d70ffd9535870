// The clear prefix decoder (src/token.js) against the project's public vectors: every token of
// tests/vectors/v2.json gives its `line` and `generation`; every token of v1.json gives the first
// four bytes of its nonce as its line, and generation 0.

import test from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readPrefix } from '../src/token.js'

const VECTORS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tests', 'vectors')
const vectors = (name) => JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8')).vectors

test('version 2 vectors: line and generation from the first 20 characters', () => {
  const all = vectors('v2.json')
  assert.ok(all.length >= 5)
  for (const v of all) {
    assert.deepEqual(readPrefix(v.token), { version: 2, line: v.line, generation: v.generation }, v.name)
    // The prefix alone is enough: nothing after character 20 is read.
    assert.deepEqual(readPrefix(v.token.slice(0, 20)), readPrefix(v.token), v.name)
  }
  assert.ok(all.some((v) => v.generation === 4294967295), 'the largest generation is among them (u32, not a negative number)')
})

test('version 1 vectors: the nonce\'s first four bytes are the line, generation 0', () => {
  const all = vectors('v1.json')
  assert.ok(all.length >= 3)
  for (const v of all) {
    assert.deepEqual(readPrefix(v.token), { version: 1, line: v.nonce.slice(0, 8), generation: 0 }, v.name)
  }
})

test('what is no token of version 1 or 2 reads as null', () => {
  const v2 = vectors('v2.json')[0].token
  assert.equal(readPrefix(null), null)
  assert.equal(readPrefix(''), null)
  assert.equal(readPrefix('stale'), null)
  assert.equal(readPrefix(v2.slice(0, 19)), null, 'shorter than 20 characters')
  assert.equal(readPrefix('Aw' + v2.slice(2)), null, 'version 3')
  assert.equal(readPrefix(v2.slice(0, 10) + '+' + v2.slice(11)), null, 'not the URL-safe alphabet')
  assert.equal(readPrefix(v2.slice(0, 10) + '=' + v2.slice(11)), null, 'padding')
})
