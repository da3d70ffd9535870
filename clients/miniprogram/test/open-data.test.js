// phoneNumber(code) and openData(encryptedData, iv) against the real login example, with WeChat's
// jscode2session, stable_token and getuserphonenumber stood in on 127.0.0.1, and encryptedData
// made with Node's AES-128-CBC under the session key the stand-in handed out.
import test from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import crypto from 'node:crypto'
import { create } from '../src/index.js'
import { APPID, SECRET, fakePlatform, exampleBinary, newKey, startServer, startJscode2session, listen } from './support.js'

/** WeChat's APIs after the login: `phone-<n>` codes give number n with this app's watermark. */
async function startApis(jscode) {
  const server = http.createServer(async (req, res) => {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {}
    const answer = (data) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(data))
    }
    const url = new URL(req.url, 'http://127.0.0.1')
    if (url.pathname === '/cgi-bin/stable_token') {
      if (body.grant_type !== 'client_credential' || body.appid !== APPID || body.secret !== SECRET) return answer({ errcode: 40013, errmsg: 'invalid appid' })
      return answer({ access_token: 'node-token', expires_in: 7200 })
    }
    if (url.pathname === '/wxa/business/getuserphonenumber') {
      if (url.searchParams.get('access_token') !== 'node-token') return answer({ errcode: 40001, errmsg: 'invalid credential' })
      const n = /^phone-(\d+)$/.exec(body.code || '')
      if (!n) return answer({ errcode: 40029, errmsg: 'invalid code' })
      return answer({
        errcode: 0,
        errmsg: 'ok',
        phone_info: { phoneNumber: n[1], purePhoneNumber: n[1], countryCode: '86', watermark: { timestamp: 1700000000, appid: APPID } },
      })
    }
    // Everything else (the login) goes to the jscode2session stand-in.
    const upstream = await fetch(jscode.url + req.url)
    res.writeHead(upstream.status, { 'content-type': 'text/plain' })
    res.end(await upstream.text())
  })
  const url = await listen(server)
  return { url, close: () => new Promise((resolve) => server.close(resolve)) }
}

function encrypt(sessionKey, payload) {
  const iv = crypto.randomBytes(16)
  const cipher = crypto.createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv)
  const data = Buffer.concat([cipher.update(JSON.stringify(payload)), cipher.final()])
  return { encryptedData: data.toString('base64'), iv: iv.toString('base64') }
}

test('wx: phoneNumber binds the number and openData decrypts with the session key', async (t) => {
  const jscode = await startJscode2session()
  const apis = await startApis(jscode)
  const site = await startServer(exampleBinary(), { keys: newKey(), wechatUrl: apis.url, env: { WECHAT_BIND_PHONE: '1' } })
  t.after(async () => {
    await site.stop()
    await apis.close()
    await jscode.close()
  })
  const fake = fakePlatform('wx', { nextCode: () => jscode.issue('pia') })
  const api = create({ platform: 'wx', api: fake, baseUrl: site.url })

  // phoneNumber logs in first (no token yet), then binds; /me then says so.
  const phone = await api.phoneNumber('phone-13800138000')
  assert.equal(phone.statusCode, 200)
  assert.deepEqual(phone.data, { phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' })
  const me = await api.request({ url: '/me' })
  assert.deepEqual(me.data, { platform: 'wechat', openid: 'o-pia', phone_bound: true })
  const sent = fake.calls.requests.map((r) => [r.url.replace(site.url, ''), r.method, r.data])
  assert.deepEqual(sent[1], ['/phone', 'POST', { code: 'phone-13800138000' }])

  // A wx.login-style code where the phone code belongs: WeChat's 40029, the example's 400.
  const wrong = await api.phoneNumber('not-a-phone-code')
  assert.equal(wrong.statusCode, 400)
  assert.equal(wrong.data.error, 'bad_code')

  // openData: the server decrypts under the session's key and drops the watermark.
  const key = jscode.sessionKeys.get('o-pia')
  const share = encrypt(key, { openGId: 'tG-node', watermark: { appid: APPID, timestamp: 1700000000 } })
  const opened = await api.openData(share.encryptedData, share.iv)
  assert.equal(opened.statusCode, 200)
  assert.deepEqual(opened.data, { openGId: 'tG-node' })
  assert.deepEqual(fake.calls.requests.at(-1).data, share)

  // Data under another key (a stale session_key): 409, with the hint.
  const stale = encrypt(crypto.randomBytes(16).toString('base64'), { openGId: 'x', watermark: { appid: APPID, timestamp: 1 } })
  const refused = await api.openData(stale.encryptedData, stale.iv)
  assert.equal(refused.statusCode, 409)
  assert.equal(refused.data.error, 'stale_session_key')
  assert.match(refused.data.hint, /log in again/)

  // A short IV: 400 bad_length, never a 500.
  const short = await api.openData(share.encryptedData, 'AAAA')
  assert.deepEqual([short.statusCode, short.data.error], [400, 'bad_length'])
})
