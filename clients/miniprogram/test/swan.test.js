// The swan adapter (Baidu) against the login example and a stand-in for Baidu's login API, its
// documented shapes mirrored by the fake platform object (swan.getLoginCode, and swan.login
// where a base library has no getLoginCode).
import test from 'node:test'
import assert from 'node:assert/strict'
import { adapters } from '../src/index.js'
import { adapterSuite } from './suite.js'
import { baiduLogin } from './logins.js'
import { fakePlatform } from './support.js'

adapterSuite('swan', baiduLogin)

test('swan: without getLoginCode, the login is swan.login', async () => {
  const fake = fakePlatform('swan', { nextCode: () => 'code-1' })
  fake.login = fake.getLoginCode
  delete fake.getLoginCode
  assert.deepEqual(await adapters.swan(fake).login({}), { code: 'code-1' })
  assert.equal(fake.calls.login, 1)
})
