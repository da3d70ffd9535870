'use strict'
// Loads the vector files the readers share with the crate, by path from the repository root:
// every tests/vectors/*.json that exists (v1.json, v2.json, fail.json, keys.json, and any added
// later) and clients/test-vectors/*.json. Each vector is sorted by its fields: `reason` makes a
// refusal, `input` a key list, `token` a passing vector.

const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..', '..', '..')
const DIRS = [path.join(ROOT, 'tests', 'vectors'), path.join(ROOT, 'clients', 'test-vectors')]

function load() {
  const kinds = { pass: [], fail: [], keys: [] }
  for (const dir of DIRS) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))
      for (const vector of doc.vectors) {
        const kind = 'reason' in vector ? 'fail' : 'input' in vector ? 'keys' : 'pass'
        kinds[kind].push({ id: `${path.relative(ROOT, path.join(dir, file))}:${vector.name}`, vector })
      }
    }
  }
  return kinds
}

module.exports = { ROOT, vectors: load() }
