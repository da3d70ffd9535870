// H5 builds (a plain browser page): requests with `fetch`, the token in the session header (no
// cookie), kept in localStorage or in memory. There is no platform login: the caller's `login`
// function returns what to post.

import { plainHeaders, findHeader } from '../headers.js'
import { configError } from '../errors.js'

/** A storage in memory: the session ends with the page. */
export function memoryStorage() {
  const map = new Map()
  return {
    get: (key) => (map.has(key) ? map.get(key) : undefined),
    set: (key, value) => map.set(key, value),
    remove: (key) => map.delete(key),
  }
}

function localStorageOf(scope) {
  const ls = scope && scope.localStorage
  if (!ls) throw configError("storage 'local' needs window.localStorage: pass storage: 'memory' or your own { get, set, remove }")
  return {
    get: (key) => ls.getItem(key),
    set: (key, value) => ls.setItem(key, value),
    remove: (key) => ls.removeItem(key),
  }
}

function storageOf(option, scope) {
  if (option === undefined || option === 'local') return localStorageOf(scope)
  if (option === 'memory') return memoryStorage()
  if (option && typeof option.get === 'function' && typeof option.set === 'function' && typeof option.remove === 'function') {
    return option
  }
  throw configError("storage must be 'local', 'memory' or an object with get, set and remove")
}

/** A body for fetch, as wx.request sends `data`: GET data in the query, objects as JSON. */
function prepare(call) {
  const { url, method = 'GET', data, header, timeout, dataType = 'json', responseType, ...init } = call
  const headers = Object.assign({}, header)
  let target = url
  let body
  const upper = String(method).toUpperCase()
  if (data !== undefined && (upper === 'GET' || upper === 'HEAD')) {
    if (data && typeof data === 'object') {
      const query = new URLSearchParams(data).toString()
      if (query) target += (url.includes('?') ? '&' : '?') + query
    } else if (data !== '') {
      target += (url.includes('?') ? '&' : '?') + String(data)
    }
  } else if (data !== undefined) {
    const raw =
      typeof data === 'string' ||
      (typeof FormData !== 'undefined' && data instanceof FormData) ||
      (typeof Blob !== 'undefined' && data instanceof Blob) ||
      (typeof URLSearchParams !== 'undefined' && data instanceof URLSearchParams) ||
      data instanceof ArrayBuffer ||
      ArrayBuffer.isView(data)
    body = raw ? data : JSON.stringify(data)
    if (!raw && findHeader(headers, 'content-type') === undefined) headers['content-type'] = 'application/json'
  }
  if (timeout !== undefined && init.signal === undefined && typeof AbortSignal !== 'undefined' && AbortSignal.timeout) {
    init.signal = AbortSignal.timeout(timeout)
  }
  Object.assign(init, { method: upper, headers })
  if (body !== undefined) init.body = body
  return { target, init, dataType, responseType }
}

async function readBody(res, dataType, responseType) {
  if (responseType === 'arraybuffer') return res.arrayBuffer()
  const text = await res.text()
  if (dataType !== 'json') return text
  try {
    return text === '' ? text : JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * The H5 adapter. `options`: `fetch` (default the global one), `storage` ('local' (default),
 * 'memory' or `{ get, set, remove }`), `scope` (the window; default globalThis).
 */
export function h5(options = {}) {
  const scope = options.scope || globalThis
  const doFetch = options.fetch || (scope.fetch ? scope.fetch.bind(scope) : undefined)
  if (typeof doFetch !== 'function') throw configError("platform 'h5' needs fetch: pass it as create({ platform: 'h5', fetch })")
  return {
    name: 'h5',
    family: () => null,
    headerKey: 'header',
    storage: storageOf(options.storage, scope),
    async send(call) {
      const { target, init, dataType, responseType } = prepare(call)
      const res = await doFetch(target, init)
      const headers = plainHeaders(res.headers)
      const data = await readBody(res, dataType, responseType)
      const response = { statusCode: res.status, header: headers, data }
      return { status: res.status, headers, data, response, failed: false, cors: res.type === 'cors' }
    },
    login: () => Promise.reject(configError("platform 'h5' has no platform login: pass create({ login: async () => ({ ...what to post }) })")),
  }
}
