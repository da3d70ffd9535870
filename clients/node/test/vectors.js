'use strict'
// Loads the vector files the readers share with the crate, by path from the repository root:
// every tests/vectors/*.json that exists (v1.json, v2.json, fail.json, keys.json, and any added
// later) and clients/test-vectors/*.json, each vector sorted by its kind (KINDS).

const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..', '..', '..')
const DIRS = [path.join(ROOT, 'tests', 'vectors'), path.join(ROOT, 'clients', 'test-vectors')]

const BIG_TIME = /("(?:created_ms|expires_ms|max_age_ms|open_at_ms)":\s*)(\d{16,})/g

// A vector's kind by its fields: refusals have a reason, odd data that still opens says so, key
// lists have an input; the rest are passing vectors with every field.
const KINDS = [
  ['fail', 'reason'],
  ['opens', 'opens'],
  ['keys', 'input'],
]

function load() {
  const kinds = { pass: [], fail: [], opens: [], keys: [] }
  for (const dir of DIRS) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      // Times past 2^53 would be rounded by JSON.parse: they are read as exact decimal strings.
      const text = fs.readFileSync(path.join(dir, file), 'utf8').replace(BIG_TIME, '$1"$2"')
      const doc = JSON.parse(text)
      for (const vector of doc.vectors) {
        const kind = KINDS.find(([, field]) => field in vector)?.[0] ?? 'pass'
        kinds[kind].push({ id: `${path.relative(ROOT, path.join(dir, file))}:${vector.name}`, vector })
      }
    }
  }
  return kinds
}

module.exports = { ROOT, vectors: load() }
