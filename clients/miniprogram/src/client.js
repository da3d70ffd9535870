// The session client: one shape over every adapter. It sends the stored token in the session
// header, hands every answer to the store (store.js and rule.js decide), reports a write lost to
// a parallel one (rule 2.5), logs in when the server answers 401 (one login at a time for the
// whole client), and says clearly when the header goes missing.

import { findHeader, withHeader } from './headers.js'
import { createStore } from './store.js'
import { headerMissing, stillUnauthorized, loginFailed, configError } from './errors.js'

/** Options of the client's own, never passed to the platform's request call. */
const OWN = new Set(['login'])
const CALLBACKS = ['success', 'fail', 'complete']

const is2xx = (status) => status >= 200 && status < 300

/** The caller's options minus the client's own, the callbacks and keys given as undefined. */
function passThrough(options) {
  const call = {}
  for (const key of Object.keys(options)) {
    if (OWN.has(key) || CALLBACKS.includes(key) || options[key] === undefined) continue
    call[key] = options[key]
  }
  return call
}

/** Runs `work`, then the caller's success or fail, then complete, with the final outcome. */
async function withCallbacks(options, work) {
  let result
  try {
    result = await work()
  } catch (error) {
    if (typeof options.fail === 'function') options.fail(error)
    if (typeof options.complete === 'function') options.complete(error)
    throw error
  }
  if (typeof options.success === 'function') options.success(result)
  if (typeof options.complete === 'function') options.complete(result)
  return result
}

/** The platform's outcome of a final answer: its response, or its own rejection (Taro H5). */
function outcome(answer) {
  if (answer.failed) throw answer.error
  return answer.response
}

export function createClient(adapter, options, internals = {}) {
  const config = {
    baseUrl: options.baseUrl || '',
    header: options.header || 'x-session',
    storageKey: options.storageKey || 'sealed-session',
    loginPath: options.loginPath || (adapter.family() ? `/login/${adapter.family()}` : '/login'),
    logoutPath: options.logoutPath || '/logout',
    phonePath: options.phonePath || '/phone',
    openDataPath: options.openDataPath || '/open-data',
    autoLogin: options.autoLogin !== false,
    login: options.login,
    loginOptions: options.loginOptions || {},
    onLostWrite: options.onLostWrite,
  }
  if (config.login !== undefined && typeof config.login !== 'function') {
    throw configError('login must be a function that returns (a promise of) what to post to the login path')
  }
  if (config.onLostWrite !== undefined && typeof config.onLostWrite !== 'function') {
    throw configError('onLostWrite must be a function: it is called with { kind, url, method, line, generation, ... } when a write is lost')
  }
  // `internals.decide` is for the tests only (simpler rules, shown to fail); index.js never passes it.
  const store = createStore(adapter.storage, config.storageKey, internals.decide)
  let pendingLogin = null

  const url = (path) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? path : config.baseUrl + path)

  /** One call of the platform's request with the stored token; the answer goes to the store. */
  async function send(options, kind) {
    const sent = store.snapshot()
    const call = passThrough(options)
    call.url = url(options.url)
    call[adapter.headerKey] = withHeader(options[adapter.headerKey], config.header, sent.token === null ? undefined : sent.token)
    const answer = await adapter.send(call)
    answer.value = findHeader(answer.headers, config.header)
    // One step: read the entry, decide, write (store.js); nothing awaits in between.
    const decision = store.acceptAnswer({ kind, sent, value: answer.value, ok: is2xx(answer.status) })
    if (decision.lost) reportLostWrite(Object.assign({}, decision.lost, { url: options.url, method: call.method || 'GET' }))
    return { answer, sent }
  }

  /** Rule 2.5: a write lost to a parallel one, never silently: to `onLostWrite`, else a warning. */
  function reportLostWrite(report) {
    if (config.onLostWrite) {
      try {
        config.onLostWrite(report)
      } catch (error) {
        // The answer is already handled; a failing callback must not fail the request.
        if (typeof console !== 'undefined') console.error('sealed-session: onLostWrite threw', error)
      }
      return
    }
    if (typeof console !== 'undefined') {
      console.warn(
        `sealed-session: the write of ${report.method} ${report.url} was lost to a parallel request (${report.kind}): ` +
          `line ${report.line} generation ${report.generation} not kept; pass create({ onLostWrite }) to handle it`,
      )
    }
  }

  async function loginOnce() {
    const body = config.login ? await config.login() : await adapter.login(config.loginOptions)
    const { answer } = await send({ url: config.loginPath, method: 'POST', data: body }, 'login')
    if (!is2xx(answer.status)) throw loginFailed(config.loginPath, answer)
    if (typeof answer.value !== 'string' || answer.value === '') throw headerMissing(config.header, config.loginPath, answer)
    return answer.data
  }

  /**
   * Logs in: the platform's login (or the `login` option), then POST to the login path.
   * Resolves with the server's answer body. Every caller while a login is under way (login(),
   * and requests that got 401) shares that one login.
   */
  function login() {
    if (pendingLogin === null) {
      // Only the call that starts a login increases the epoch (the format's rule); a call that
      // joins the login in flight sends nothing and changes nothing.
      try {
        store.advance()
      } catch (error) {
        return Promise.reject(error) // a storage that throws: a rejected login, as before
      }
      pendingLogin = loginOnce().finally(() => {
        pendingLogin = null
      })
    }
    return pendingLogin
  }

  async function attempt(options) {
    // `login: true`: log in first when there is no token; `login: false`: never log in;
    // unset: log in again on a 401 unless create({ autoLogin: false }).
    const auto = options.login === undefined ? config.autoLogin : options.login !== false
    let fresh = false
    if (options.login === true && store.snapshot().token === null) {
      await login()
      fresh = true
    }
    let { answer, sent } = await send(options, 'request')
    if (answer.status !== 401 || !auto) return outcome(answer)
    if (!fresh) {
      // Another request's login may have stored a new token since this one was sent: use it.
      // Otherwise (the same token, or none left) log in, or join the login under way.
      const now = store.snapshot().token
      if (now === null || now === sent.token) await login()
      ;({ answer } = await send(options, 'request'))
    }
    if (answer.status === 401) throw stillUnauthorized(config.header, options.url, answer)
    return outcome(answer)
  }

  /**
   * The platform's request with the session: `options` are the platform's own (url relative to
   * baseUrl, method, data, header/headers, timeout, ...), passed through untouched; `login: true`
   * logs in first when there is no token, `login: false` turns off the login on a 401. Resolves with the platform's response; the
   * caller's success/fail/complete are called once, with the final outcome.
   */
  function request(options) {
    return withCallbacks(options, () => attempt(options))
  }

  /**
   * POST to the logout path; any 2xx forgets the token (rule 3), whatever the header says. The
   * call starts a new epoch at once: an answer to a request sent before it is ignored (rule 2.2).
   */
  function logout(path, options = {}) {
    const call = Object.assign({ method: 'POST' }, options, { url: path || config.logoutPath })
    return withCallbacks(call, async () => {
      store.advance()
      return outcome((await send(call, 'logout')).answer)
    })
  }

  /**
   * POSTs the phone button's code (`<button open-type="getPhoneNumber">`, `e.detail.code`; not
   * the wx.login code) to the phone path as `{ code }`; resolves with the platform's response
   * (the server's answer in its data). Logs in first when there is no token.
   */
  function phoneNumber(code, options = {}) {
    return request(Object.assign({ method: 'POST', login: true }, options, { url: options.url || config.phonePath, data: { code } }))
  }

  /**
   * POSTs a WeChat API's `encryptedData` and `iv` (wx.getShareInfo, wx.getWeRunData, ...) to the
   * open-data path, as they came, for the server to decrypt with the session's key; resolves
   * with the platform's response. A 409 `stale_session_key` means: log in again, fetch anew.
   */
  function openData(encryptedData, iv, options = {}) {
    return request(
      Object.assign({ method: 'POST', login: true }, options, { url: options.url || config.openDataPath, data: { encryptedData, iv } }),
    )
  }

  return {
    login,
    request,
    logout,
    phoneNumber,
    openData,
    /** The stored token, or null. */
    token: () => store.snapshot().token,
    /** Forgets the token here (the server's copy of the session is not touched). */
    forget: () => store.forget(),
    /** Where this client logs in. */
    loginPath: config.loginPath,
  }
}
