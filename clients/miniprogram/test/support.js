// What the tests share: platform objects whose request does real HTTP with Node's fetch and
// mirrors each platform's documented shapes, stand-ins for the platforms' login APIs, a gateway
// that strips the session header, and the Rust login example as a child process. Everything
// listens on 127.0.0.1 only.

import http from 'node:http'
import path from 'node:path'
import crypto from 'node:crypto'
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const APPID = 'wx-node-test'
export const SECRET = 'node-test-app-secret'
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** Listens on a free loopback port; resolves with the base URL. */
export function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)))
}

/**
 * A stand-in for WeChat's (or QQ's: the same API) jscode2session: `issue(user)` makes a login code
 * for `user`, valid once; GET /sns/jscode2session exchanges it as the platform documents.
 */
export async function startJscode2session() {
  const codes = new Map()
  const used = new Set()
  const sessionKeys = new Map()
  let hits = 0
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
    hits += 1
    if (q.get('appid') !== APPID || q.get('secret') !== SECRET) return answer({ errcode: 40125, errmsg: 'invalid appsecret, rid: node' })
    const code = q.get('js_code')
    if (used.has(code)) return answer({ errcode: 40163, errmsg: 'code been used, rid: node' })
    if (!codes.has(code)) return answer({ errcode: 40029, errmsg: 'invalid code, rid: node' })
    used.add(code)
    const openid = `o-${codes.get(code)}`
    const sessionKey = crypto.randomBytes(16).toString('base64')
    sessionKeys.set(openid, sessionKey)
    answer({ openid, session_key: sessionKey })
  })
  const url = await listen(server)
  return {
    url,
    sessionKeys,
    hits: () => hits,
    issue(user) {
      const code = crypto.randomBytes(16).toString('hex')
      codes.set(code, user)
      return code
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/**
 * A gateway in front of `target` that forwards everything but drops the session header from
 * answers (`answers`, default) and/or from requests (`requests`), as some API gateways drop
 * headers they do not know, or empty ones.
 */
export async function startStrippingGateway(target, { header = 'x-session', requests = false, answers = true } = {}) {
  const server = http.createServer(async (req, res) => {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const headers = { ...req.headers }
    delete headers.host
    if (requests) delete headers[header]
    delete headers['content-length']
    const body = chunks.length ? Buffer.concat(chunks) : undefined
    const upstream = await fetch(target + req.url, { method: req.method, headers, body })
    const out = {}
    upstream.headers.forEach((value, name) => {
      if (!(answers && name === header) && name !== 'content-length' && name !== 'transfer-encoding') out[name] = value
    })
    const text = Buffer.from(await upstream.arrayBuffer())
    res.writeHead(upstream.status, out)
    res.end(text)
  })
  const url = await listen(server)
  return { url, close: () => new Promise((resolve) => server.close(resolve)) }
}

/** Codes made by `issue(user)`, each valid once, as the platforms' login codes are. */
function codeBook() {
  const codes = new Map()
  const used = new Set()
  return {
    issue(user) {
      const code = crypto.randomBytes(16).toString('hex')
      codes.set(code, user)
      return code
    },
    /** The user of `code`, 'used' if it was exchanged before, or undefined if unknown. */
    take(code) {
      if (used.has(code)) return 'used'
      if (!codes.has(code)) return undefined
      used.add(code)
      return { user: codes.get(code) }
    },
  }
}

async function readJson(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

export const DOUYIN_APPID = 'tt-node-test'
export const DOUYIN_SECRET = 'douyin-node-secret'

/**
 * A stand-in for Douyin's POST /api/apps/v2/jscode2session: JSON in ({appid, secret, code,
 * anonymous_code}), `{err_no, err_tips, log_id, data}` out, err_no 40018 for an unknown or used code.
 */
export async function startDouyin() {
  const book = codeBook()
  const server = http.createServer(async (req, res) => {
    const answer = (body) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ log_id: '20261201', ...body }))
    }
    if (req.method !== 'POST' || req.url !== '/api/apps/v2/jscode2session') {
      res.writeHead(404)
      return res.end()
    }
    let body
    try {
      body = JSON.parse(await readJson(req))
    } catch {
      return answer({ err_no: 40014, err_tips: 'bad params' })
    }
    if (body.appid !== DOUYIN_APPID) return answer({ err_no: 40015, err_tips: 'bad appid' })
    if (body.secret !== DOUYIN_SECRET) return answer({ err_no: 40017, err_tips: 'bad secret' })
    const found = book.take(body.code)
    if (!found || found === 'used') return answer({ err_no: 40018, err_tips: 'bad code' })
    answer({
      err_no: 0,
      err_tips: 'success',
      data: {
        session_key: crypto.randomBytes(16).toString('base64'),
        openid: `tt-${found.user}`,
        anonymous_openid: body.anonymous_code ? `anon-${found.user}` : '',
        unionid: '',
      },
    })
  })
  const url = await listen(server)
  return { url, issue: book.issue, close: () => new Promise((resolve) => server.close(resolve)) }
}

export const ALIPAY_APPID = '2021000000000002'

/**
 * A stand-in for Alipay's gateway (POST /gateway.do, form): checks the request's RSA2 signature
 * with the app's public key, and answers alipay.system.oauth.token signed with "Alipay's" key.
 * The keys are made here; `env` is what the example needs to talk to it.
 */
export async function startAlipay() {
  const app = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const alipay = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const book = codeBook()
  const server = http.createServer(async (req, res) => {
    const params = new URLSearchParams(await readJson(req))
    const send = (name, member, signed = true) => {
      const text = JSON.stringify(member)
      const sign = crypto.sign('sha256', Buffer.from(text), alipay.privateKey).toString('base64')
      res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' })
      res.end(signed ? `{"${name}":${text},"sign":"${sign}"}` : `{"${name}":${text}}`)
    }
    const error = (sub_code, sub_msg) => send('error_response', { code: '40002', msg: 'Invalid Arguments', sub_code, sub_msg })
    if (params.get('app_id') !== ALIPAY_APPID) return error('isv.invalid-app-id', '无效的AppID参数')
    const content = [...params.entries()]
      .filter(([k, v]) => k !== 'sign' && v !== '')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&')
    const ok = crypto.verify('sha256', Buffer.from(content), app.publicKey, Buffer.from(params.get('sign') || '', 'base64'))
    if (!ok || params.get('sign_type') !== 'RSA2') return error('isv.invalid-signature', '验签出错')
    if (params.get('method') !== 'alipay.system.oauth.token') return error('isv.invalid-method', '不存在的方法名')
    const found = book.take(params.get('code'))
    if (!found || found === 'used') return error('isv.code-invalid', '授权码code无效')
    send('alipay_system_oauth_token_response', {
      user_id: `2088${found.user}`,
      open_id: `al-${found.user}`,
      access_token: `authusrB${crypto.randomBytes(8).toString('hex')}`,
      expires_in: 1296000,
      refresh_token: `authusrR${crypto.randomBytes(8).toString('hex')}`,
      re_expires_in: 2592000,
    })
  })
  const url = await listen(server)
  const der = (key, type) => key.export({ format: 'der', type }).toString('base64')
  return {
    url,
    issue: book.issue,
    env: {
      ALIPAY_APPID,
      ALIPAY_PRIVATE_KEY: der(app.privateKey, 'pkcs8'),
      ALIPAY_PUBLIC_KEY: der(alipay.publicKey, 'spki'),
      ALIPAY_GATEWAY: `${url}/gateway.do`,
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

export const BAIDU_APP_KEY = 'bd-node-test-app-key'
export const BAIDU_SECRET = 'baidu-node-secret'

/**
 * A stand-in for Baidu's POST /oauth/jscode2sessionkey: a form of `code`, `client_id` (the App
 * Key) and `sk` in, `{openid, session_key}` out; an unknown or used code is the OAuth 2.0 error
 * `invalid_grant` with status 400, as Baidu's OAuth service answers.
 */
export async function startBaidu() {
  const book = codeBook()
  const server = http.createServer(async (req, res) => {
    const answer = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'POST' || req.url !== '/oauth/jscode2sessionkey') {
      res.writeHead(404)
      return res.end()
    }
    const form = new URLSearchParams(await readJson(req))
    if (form.get('client_id') !== BAIDU_APP_KEY || form.get('sk') !== BAIDU_SECRET) {
      return answer(400, { error: 'invalid_client', error_description: 'unknown client id' })
    }
    const found = book.take(form.get('code'))
    if (!found || found === 'used') return answer(400, { error: 'invalid_grant', error_description: 'Invalid authorization code' })
    answer(200, { openid: `bd-${found.user}`, session_key: crypto.randomBytes(16).toString('hex') })
  })
  const url = await listen(server)
  return { url, issue: book.issue, close: () => new Promise((resolve) => server.close(resolve)) }
}

export const KUAISHOU_APPID = 'ks-node-test'
export const KUAISHOU_SECRET = 'kuaishou-node-secret'

/**
 * A stand-in for Kuaishou's POST /oauth2/mp/code2session: a form of `app_id`, `app_secret` and
 * `js_code` in, `{result: 1, open_id, session_key}` out; `result` 100200101 for a wrong app id or
 * secret, 100200100 for an unknown or used code.
 */
export async function startKuaishou() {
  const book = codeBook()
  const server = http.createServer(async (req, res) => {
    const answer = (body) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'POST' || req.url !== '/oauth2/mp/code2session') {
      res.writeHead(404)
      return res.end()
    }
    const form = new URLSearchParams(await readJson(req))
    if (form.get('app_id') !== KUAISHOU_APPID || form.get('app_secret') !== KUAISHOU_SECRET) {
      return answer({ result: 100200101, error: 'invalid', error_msg: '验证出错' })
    }
    const found = book.take(form.get('js_code'))
    if (!found || found === 'used') return answer({ result: 100200100, error: 'invalid', error_msg: '参数有误' })
    answer({ result: 1, open_id: `ks-${found.user}`, session_key: crypto.randomBytes(16).toString('base64') })
  })
  const url = await listen(server)
  return { url, issue: book.issue, close: () => new Promise((resolve) => server.close(resolve)) }
}

/** wx.request's way with `data`: GET data in the query, other data as JSON. */
function prepare(url, method, data, headers) {
  let target = url
  let body
  if (data !== undefined && method === 'GET') {
    target += (url.includes('?') ? '&' : '?') + new URLSearchParams(data)
  } else if (data !== undefined) {
    body = typeof data === 'string' ? data : JSON.stringify(data)
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
  }
  return { target, body }
}

/** The answer's headers, names as fetch gives them (lowercase) or as `headerCase` says. */
function headersOf(res, headerCase) {
  const out = {}
  res.headers.forEach((value, name) => {
    out[headerCase === 'upper' ? name.toUpperCase() : name] = value
  })
  return out
}

async function parse(res, dataType) {
  const text = await res.text()
  if (dataType !== 'json' && dataType !== 'json_or_text') return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * A platform object for `platform` ('wx', 'qq', 'tt', 'my', 'uni', 'taro', 'taro-h5'), over real
 * HTTP. Its login asks `nextCode()` for a code. `calls.requests` records each request's options
 * as the platform received them; `calls.login` counts platform logins. `headerCase: 'upper'`
 * uppercases answer header names. `onResponse(res)` sees each answer first. `family` is what
 * uni.getSystemInfoSync / Taro.getEnv report.
 */
export function fakePlatform(platform, { nextCode, storage = new Map(), headerCase = 'lower', onResponse = () => {}, env } = {}) {
  const calls = { login: 0, loginOptions: [], requests: [] }
  const alipay = platform === 'my'
  const headerKey = alipay ? 'headers' : 'header'
  const statusKey = alipay ? 'status' : 'statusCode'
  const taroH5 = platform === 'taro-h5'
  const taro = platform === 'taro' || taroH5

  function request(options) {
    calls.requests.push({ ...options })
    const { url, method = 'GET', data, timeout = 10000, success, fail, complete } = options
    const dataType = options.dataType || (alipay ? 'json_or_text' : 'json')
    const headers = { ...(options[headerKey] || {}) }
    const { target, body } = prepare(url, method, data, headers)
    const done = fetch(target, { method, headers, body, signal: AbortSignal.timeout(timeout) }).then(
      async (res) => {
        const reply = { [statusKey]: res.status, [headerKey]: headersOf(res, headerCase), data: await parse(res, dataType) }
        if (!alipay) reply.errMsg = 'request:ok'
        onResponse(reply)
        if (taroH5 && !res.ok) {
          // Taro H5 (some versions): a non-2xx answer goes to `fail`, and the promise rejects,
          // with the fetch Response itself.
          const rejected = { status: res.status, statusText: res.statusText, headers: res.headers, data: reply.data, ok: false }
          if (fail) fail(rejected)
          if (complete) complete(rejected)
          throw rejected
        }
        if (success) success(reply)
        if (complete) complete(reply)
        return reply
      },
      (e) => {
        const err = alipay ? { error: 12, errorMessage: `network error: ${e.message}` } : { errMsg: `request:fail ${e.message}` }
        if (fail) fail(err)
        if (complete) complete(err)
        throw err
      },
    )
    if (taro) return done // Taro.request returns a promise
    done.catch(() => {})
    return { abort() {} }
  }

  function login(options) {
    calls.login += 1
    calls.loginOptions.push({ ...options })
    const { success, fail } = options
    Promise.resolve()
      .then(nextCode)
      .then(
        (code) => {
          if (alipay) success({ authCode: code })
          else if (platform === 'tt') success({ code, anonymousCode: `anon-${code}`, isLogin: true, errMsg: 'login:ok' })
          else success({ code, errMsg: 'login:ok' })
        },
        (e) => fail(alipay ? { error: 11, errorMessage: e.message } : { errMsg: `login:fail ${e.message}` }),
      )
  }

  const api = { storage, calls, request }
  if (alipay) {
    api.getAuthCode = login
    api.getStorageSync = ({ key }) => ({ data: storage.has(key) ? storage.get(key) : null })
    api.setStorageSync = ({ key, data }) => storage.set(key, data)
    api.removeStorageSync = ({ key }) => storage.delete(key)
  } else {
    // swan: getLoginCode (swan.login stays for base libraries without it).
    if (platform === 'swan') api.getLoginCode = login
    else api.login = login
    api.getStorageSync = (key) => (storage.has(key) ? storage.get(key) : '')
    api.setStorageSync = (key, value) => storage.set(key, value)
    api.removeStorageSync = (key) => storage.delete(key)
  }
  if (platform === 'uni') api.getSystemInfoSync = () => ({ uniPlatform: env || 'mp-weixin' })
  if (taro) api.getEnv = () => env || (taroH5 ? 'WEB' : 'WEAPP')
  return api
}

/** The compiled login example (cargo builds it, or finds it up to date). */
export function exampleBinary() {
  const build = spawnSync(
    'cargo',
    ['build', '--quiet', '--features', 'wechat,qq,douyin,alipay,baidu,kuaishou', '--example', 'wechat_login', '--message-format=json'],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 20 * 60 * 1000 },
  )
  if (build.status !== 0) throw new Error(`cargo build failed:\n${build.stderr}`)
  for (const line of build.stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    const message = JSON.parse(line)
    if (message.reason === 'compiler-artifact' && message.target.name === 'wechat_login' && message.executable) return message.executable
  }
  throw new Error('cargo build did not report the wechat_login executable')
}

/** A fresh session key, as SESSION_KEYS takes it. */
export function newKey() {
  return crypto.randomBytes(32).toString('base64')
}

/**
 * Starts the example with `keys` against the stand-in at `wechatUrl` (and `env`), on a free
 * port; resolves with { url, stop } once it prints its address.
 */
export function startServer(binary, { keys, wechatUrl, env = {} }) {
  const child = spawn(binary, [], {
    env: {
      ...process.env,
      WECHAT_APPID: APPID,
      WECHAT_SECRET: SECRET,
      WECHAT_API_BASE: wechatUrl,
      SESSION_KEYS: keys,
      PORT: '0',
      RUST_LOG: 'warn',
      ...env,
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
