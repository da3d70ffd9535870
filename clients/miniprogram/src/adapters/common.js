// What the mini program adapters share: request and login calls in the callback style of
// wx.request / my.request / tt.request / uni.request / Taro.request, and their sync storage.

import { plainHeaders } from '../headers.js'
import { platformLoginFailed, configError } from '../errors.js'

/**
 * Checks that `api` has the functions `names` (the adapter's request and storage calls), with a
 * clear error naming the missing ones; `hint` says how to pass them.
 */
export function needs(name, api, names, hint = '') {
  if (!api || (typeof api !== 'object' && typeof api !== 'function')) {
    throw configError(`platform '${name}': the platform object is missing (got ${api === null ? 'null' : typeof api})`)
  }
  const missing = names.filter((fn) => typeof api[fn] !== 'function')
  if (missing.length) {
    throw configError(`platform '${name}': the platform object has no ${missing.join(', ')}${hint}`)
  }
}

/** A status code, when `value` is one (a number from 100 to 599). */
function statusOf(value) {
  return typeof value === 'number' && value >= 100 && value <= 599 ? value : undefined
}

/**
 * Calls `request(call)` with success and fail callbacks and resolves with an answer:
 * `{ status, headers, data, response, failed, error }`. A failure that carries an HTTP status
 * (Taro H5 rejects non-2xx answers in some versions; Alipay reports HTTP errors through `fail`)
 * is an answer too, marked `failed`; any other failure (no network, timeout) rejects with the
 * platform's own error object.
 */
export function sendWith(request, call, shape) {
  return new Promise((resolve, reject) => {
    const answer = (res, failed) => {
      const status = statusOf(res[shape.status]) !== undefined ? res[shape.status] : statusOf(res.status !== undefined ? res.status : res.statusCode)
      const rawHeaders = res[shape.headers] !== undefined ? res[shape.headers] : res.headers || res.header
      return { status, headers: plainHeaders(rawHeaders), data: res.data, response: res, failed, error: failed ? res : undefined }
    }
    let settled = false
    const settle = (fn, value) => {
      if (settled) return
      settled = true
      fn(value)
    }
    const returned = request(
      Object.assign({}, call, {
        success: (res) => settle(resolve, answer(res || {}, false)),
        fail: (err) => {
          const e = err || {}
          const status = statusOf(e[shape.status]) !== undefined ? e[shape.status] : statusOf(e.status !== undefined ? e.status : e.statusCode)
          if (status !== undefined) settle(resolve, answer(e, true))
          else settle(reject, err)
        },
      }),
    )
    // Taro.request (and uni.request without callbacks) also return a promise: it rejects when
    // `fail` is called, which the callbacks above already handle.
    if (returned && typeof returned.then === 'function') returned.then(undefined, () => {})
  })
}

/** Calls a platform login (`wx.login`, `my.getAuthCode`, ...) and resolves with its success result. */
export function loginWith(name, login, options) {
  return new Promise((resolve, reject) => {
    if (typeof login !== 'function') {
      reject(platformLoginFailed(name, { errMsg: `${name} is not available here: pass create({ login }) to say what to post` }))
      return
    }
    let settled = false
    const returned = login(
      Object.assign({}, options, {
        success: (res) => {
          if (!settled) resolve(res || {})
          settled = true
        },
        fail: (err) => {
          if (!settled) reject(platformLoginFailed(name, err))
          settled = true
        },
      }),
    )
    if (returned && typeof returned.then === 'function') returned.then(undefined, () => {})
  })
}

/** The sync storage of wx, qq, tt, uni and Taro. */
export function syncStorage(api) {
  return {
    get: (key) => api.getStorageSync(key),
    set: (key, value) => api.setStorageSync(key, value),
    remove: (key) => api.removeStorageSync(key),
  }
}

/** What to post for a login: the code (and Douyin's anonymous code) as the server expects them. */
export function codeBody(res, name) {
  const code = res.code || res.authCode
  const anonymous = res.anonymousCode || res.anonymous_code
  if (typeof code !== 'string' && typeof anonymous !== 'string') {
    throw platformLoginFailed(name, { errMsg: 'the login answered without a code' })
  }
  const body = {}
  if (typeof code === 'string') body.code = code
  if (typeof anonymous === 'string') body.anonymous_code = anonymous
  return body
}
