'use strict'
/**
 * The mini program side of sealed-session: copy this file into your mini program.
 *
 * The server keeps the session sealed in a response header (`x-session` by default). This module
 * stores the newest value it sees, sends it back on every request, deletes it when the server
 * sends the header empty (logout), and logs in with `wx.login` when the server asks for it.
 *
 *   // utils/api.js
 *   const api = require('./session.js').create({ baseUrl: 'https://api.example.com' })
 *   module.exports = api
 *
 *   // a page
 *   const api = require('../../utils/api.js')
 *   const { openid } = await api.login()                                  // wx.login + POST /login
 *   const res = await api.request({ url: '/me', login: true })            // logs in again on a 401
 *   await api.request({ url: '/logout', method: 'POST' })                 // the token is deleted
 *
 * The token is opaque to the client: it is encrypted on the server, and WeChat's session_key,
 * which the server keeps inside it, never reaches JavaScript.
 */

const DEFAULTS = Object.freeze({
  /** Prefixed to relative URLs, e.g. 'https://api.example.com'. */
  baseUrl: '',
  /** The session header, as the server's `with_header_name` (compared without case). */
  header: 'x-session',
  /** Where the token lives in wx storage. */
  storageKey: 'session',
  /** The server's login route: POST {"code": "<from wx.login>"}. */
  loginPath: '/login',
  /** The `wx` object; the mini program's global `wx` when not given (tests pass their own). */
  wx: undefined,
})

/**
 * A session client. `options` override DEFAULTS.
 * @returns {{ request: Function, login: Function, token: Function, forget: Function }}
 */
function create(options) {
  const config = Object.assign({}, DEFAULTS, options)
  const headerName = config.header.toLowerCase()
  let pendingLogin = null

  function wxApi() {
    // eslint-disable-next-line no-undef
    const api = config.wx || (typeof wx !== 'undefined' ? wx : undefined)
    if (!api) throw new Error('session.js: no `wx` object (pass { wx } outside a mini program)')
    return api
  }

  /** The stored token, or null. */
  function token() {
    const value = wxApi().getStorageSync(config.storageKey)
    return typeof value === 'string' && value !== '' ? value : null
  }

  /** Deletes the stored token. */
  function forget() {
    wxApi().removeStorageSync(config.storageKey)
  }

  /** Keeps what the response says about the token: new value, deletion, or nothing. */
  function keep(responseHeader) {
    const header = responseHeader || {}
    const name = Object.keys(header).find((key) => key.toLowerCase() === headerName)
    if (name === undefined) return // unchanged: keep ours
    const value = header[name]
    if (value === '') forget() // destroyed on the server
    else if (typeof value === 'string') wxApi().setStorageSync(config.storageKey, value)
  }

  function url(path) {
    return /^https?:\/\//i.test(path) ? path : config.baseUrl + path
  }

  /** One wx.request with the stored token; resolves with wx's response, rejects on network failure. */
  function send(options) {
    const header = {}
    for (const [key, value] of Object.entries(options.header || {})) {
      if (key.toLowerCase() !== headerName) header[key] = value
    }
    const current = token()
    if (current !== null) header[config.header] = current
    return new Promise((resolve, reject) => {
      wxApi().request({
        url: url(options.url),
        method: options.method || 'GET',
        data: options.data,
        header,
        dataType: options.dataType,
        responseType: options.responseType,
        timeout: options.timeout,
        success(res) {
          keep(res.header)
          resolve(res)
        },
        fail(err) {
          reject(new Error((err && err.errMsg) || 'request:fail'))
        },
      })
    })
  }

  async function loginOnce() {
    const { code } = await new Promise((resolve, reject) => {
      wxApi().login({
        success: resolve,
        fail: (err) => reject(new Error((err && err.errMsg) || 'login:fail')),
      })
    })
    const res = await send({ url: config.loginPath, method: 'POST', data: { code } })
    if (res.statusCode !== 200) {
      const message = res.data && res.data.message ? res.data.message : 'no message'
      const error = new Error(`login failed with status ${res.statusCode}: ${message}`)
      error.statusCode = res.statusCode
      error.data = res.data
      throw error
    }
    return res.data
  }

  /**
   * wx.login, then POST the code to the login path. Resolves with the server's answer (e.g.
   * { openid }); rejects with an Error carrying `statusCode` and `data` when the server refuses.
   * Calls made while a login is under way share it.
   */
  function login() {
    if (pendingLogin === null) {
      pendingLogin = loginOnce().finally(() => {
        pendingLogin = null
      })
    }
    return pendingLogin
  }

  /**
   * wx.request with the session: `options` are wx.request's (url, method, data, header, ...),
   * as a promise of wx's response ({ statusCode, data, header }). With `login: true`, it logs in
   * first when there is no token, and on a 401 logs in once and retries once; a second 401 is
   * returned as it is.
   */
  async function request(options) {
    let loggedIn = false
    if (options.login && token() === null) {
      await login()
      loggedIn = true
    }
    const res = await send(options)
    if (!options.login || res.statusCode !== 401 || loggedIn) return res
    await login()
    return send(options)
  }

  return { request, login, token, forget }
}

module.exports = { create, DEFAULTS }
