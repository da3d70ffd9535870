'use strict'
// The package as others load it: the ES module and CommonJS entry points give the same
// functions, and the TypeScript declarations compile against real use (and refuse misuse).

const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

test('import and require give the same API', async () => {
  const esm = await import('sealed-session-reader')
  const cjs = require('sealed-session-reader')
  for (const name of ['ready', 'open', 'seal', 'inspect', 'parseKeys', 'parseKeyFile', 'readKeyFile', 'Keys', 'RefusedError', 'KeyError', 'KeyFileError', 'sessionReader', 'koaSessionReader']) {
    assert.equal(typeof esm[name], 'function', name)
    assert.equal(esm[name], cjs[name], name)
  }
  assert.equal(esm.default, cjs)
  assert.deepEqual(esm.REASONS, cjs.REASONS)
})

test('the TypeScript declarations compile with real use and refuse misuse', { timeout: 120000 }, () => {
  const tsc = require.resolve('typescript/bin/tsc')
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'types', 'tsconfig.json')], { encoding: 'utf8' })
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`)
})
