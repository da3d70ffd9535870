'use strict'
// What the tests share: a `wx` whose request does real HTTP with Node's fetch, a stand-in for
// WeChat's code2session API, and the Rust `wechat_login` example server as a child process.
// (clients/miniprogram/test has the same for every platform; this one drives the package
// through its CommonJS entry point, as a mini program's `require` does.)
// Everything listens on 127.0.0.1 only.

const http = require('node:http')
const path = require('node:path')
const crypto = require('node:crypto')
const { spawn, spawnSync } = require('node:child_process')

const APPID = 'wx-node-test'
const SECRET = 'node-test-app-secret'
const REPO = path.resolve(__dirname, '..', '..', '..')

/**
 * A stand-in for WeChat's API: `issue(user)` makes a login code for `user` (what wx.login would
 * get), valid once; GET /sns/jscode2session exchanges it as WeChat documents.
 */
async function startWechat() {
  const codes = new Map() // code -> user
  const used = new Set()
  const sessionKeys = new Map() // openid -> the newest session_key handed out
  const server = http.createServer((req, res) => {
    const q = new URL(req.url, 'http://127.0.0.1').searchParams
    const answer = (body) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(JSON.stringify(body))
    }
    if (!req.url.startsWith('/sns/jscode2session?')) {
      res.writeHead(404)
      return res.end()
    }
    if (q.get('appid') !== APPID || q.get('secret') !== SECRET) {
      return answer({ errcode: 40125, errmsg: 'invalid appsecret, rid: node' })
    }
    const code = q.get('js_code')
    if (used.has(code)) return answer({ errcode: 40163, errmsg: 'code been used, rid: node' })
    if (!codes.has(code)) return answer({ errcode: 40029, errmsg: 'invalid code, rid: node' })
    used.add(code)
    const openid = `o-${codes.get(code)}`
    const sessionKey = crypto.randomBytes(16).toString('base64')
    sessionKeys.set(openid, sessionKey)
    answer({ openid, session_key: sessionKey })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    sessionKeys,
    issue(user) {
      const code = crypto.randomBytes(16).toString('hex')
      codes.set(code, user)
      return code
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/**
 * A fake `wx`: storage is a Map; `request` does real HTTP with fetch, as wx.request does
 * (GET data in the query, other data as JSON, JSON answers parsed); `login` asks `nextCode()`.
 * `headerCase` renames response headers ('lower' as fetch gives them, or 'upper') to check that
 * names are compared without case. `dropHeader` strips the session header from requests, like a
 * proxy that drops it. `onResponse(res)` sees each response before the app does. `calls` counts
 * what the app did.
 */
function fakeWx({ nextCode, storage = new Map(), headerCase = 'lower', dropHeader = null, onResponse = () => {} }) {
  const calls = { login: 0, requests: [] }
  return {
    storage,
    calls,
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => storage.set(key, value),
    removeStorageSync: (key) => storage.delete(key),
    login({ success, fail }) {
      calls.login += 1
      Promise.resolve()
        .then(nextCode)
        .then((code) => success({ code, errMsg: 'login:ok' }), (e) => fail({ errMsg: `login:fail ${e.message}` }))
    },
    request({ url, method = 'GET', data, header = {}, dataType = 'json', timeout = 10000, success, fail }) {
      const headers = { ...header }
      if (dropHeader) delete headers[dropHeader]
      calls.requests.push({ url, method, header: { ...headers } })
      let target = url
      let body
      if (data !== undefined && method === 'GET') {
        target += (url.includes('?') ? '&' : '?') + new URLSearchParams(data)
      } else if (data !== undefined) {
        body = typeof data === 'string' ? data : JSON.stringify(data)
        if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
          headers['content-type'] = 'application/json'
        }
      }
      fetch(target, { method, headers, body, signal: AbortSignal.timeout(timeout) })
        .then(async (res) => {
          const text = await res.text()
          let parsed = text
          if (dataType === 'json') {
            try {
              parsed = JSON.parse(text)
            } catch {
              // wx gives the raw string when the body is not JSON
            }
          }
          const responseHeader = {}
          res.headers.forEach((value, name) => {
            responseHeader[headerCase === 'upper' ? name.toUpperCase() : name] = value
          })
          const reply = { statusCode: res.status, data: parsed, header: responseHeader, errMsg: 'request:ok' }
          onResponse(reply)
          success(reply)
        })
        .catch((e) => fail({ errMsg: `request:fail ${e.message}` }))
    },
  }
}

/** The compiled `wechat_login` example (cargo builds it, or finds it up to date). */
function exampleBinary() {
  const build = spawnSync(
    'cargo',
    ['build', '--quiet', '--features', 'wechat,qq,douyin,alipay,baidu,kuaishou', '--example', 'wechat_login', '--message-format=json'],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60 * 1000 },
  )
  if (build.status !== 0) throw new Error(`cargo build failed:\n${build.stderr}`)
  for (const line of build.stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    const message = JSON.parse(line)
    if (message.reason === 'compiler-artifact' && message.target.name === 'wechat_login' && message.executable) {
      return message.executable
    }
  }
  throw new Error('cargo build did not report the wechat_login executable')
}

/** A fresh session key, as SESSION_KEYS takes it. */
function newKey() {
  return crypto.randomBytes(32).toString('base64')
}

/**
 * Starts the example server with `keys` (SESSION_KEYS) against the stand-in at `wechatUrl`, on a
 * free port; resolves with { url, stop } once it prints its address.
 */
function startServer(binary, { keys, wechatUrl }) {
  const child = spawn(binary, [], {
    env: {
      ...process.env,
      WECHAT_APPID: APPID,
      WECHAT_SECRET: SECRET,
      WECHAT_API_BASE: wechatUrl,
      SESSION_KEYS: keys,
      PORT: '0',
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return new Promise((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`the example did not print its address within 30 s; stderr:\n${stderr}`))
    }, 30000)
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      const match = /listening on (http:\/\/\S+)/.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve({ url: match[1], stop })
      }
    })
    exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the example exited (${code}) before listening; stderr:\n${stderr}`))
    })
  })
}

module.exports = { APPID, SECRET, startWechat, fakeWx, exampleBinary, newKey, startServer }
