// A fetch that treats cross-origin requests as a browser does (the Fetch standard's CORS
// protocol): a preflight for requests that are not "simple", the answer refused without a
// matching Access-Control-Allow-Origin, and only the safelisted response headers plus those in
// Access-Control-Expose-Headers visible to the page. Real HTTP underneath (Node's fetch).

const SAFELISTED = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']
const SIMPLE_METHODS = ['GET', 'HEAD', 'POST']
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']

const list = (value) => (value || '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)

function failed() {
  return new TypeError('Failed to fetch')
}

/** A fetch for a page at `pageOrigin`; `seen` records each request, preflights included. */
export function browserFetch(pageOrigin, seen = []) {
  return async function fetchLikeABrowser(url, init = {}) {
    const target = new URL(url)
    const method = (init.method || 'GET').toUpperCase()
    const headers = Object.fromEntries(Object.entries(init.headers || {}).map(([k, v]) => [k.toLowerCase(), v]))
    seen.push({ url: String(url), method, headers: { ...headers }, init })
    if (target.origin === pageOrigin) return fetch(url, init)

    const unsafe = Object.keys(headers).filter(
      (name) => !['accept', 'accept-language', 'content-language', 'content-type'].includes(name) ||
        (name === 'content-type' && !SIMPLE_TYPES.includes(headers[name].split(';')[0].trim())),
    )
    if (!SIMPLE_METHODS.includes(method) || unsafe.length) {
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin: pageOrigin,
          'access-control-request-method': method,
          ...(unsafe.length ? { 'access-control-request-headers': unsafe.sort().join(',') } : {}),
        },
      })
      seen.push({ url: String(url), method: 'OPTIONS', preflight: true, status: preflight.status })
      const allowOrigin = preflight.headers.get('access-control-allow-origin')
      if (!preflight.ok || (allowOrigin !== '*' && allowOrigin !== pageOrigin)) throw failed()
      const methods = list(preflight.headers.get('access-control-allow-methods')).map((m) => m.toUpperCase())
      if (!SIMPLE_METHODS.includes(method) && !methods.includes(method) && !methods.includes('*')) throw failed()
      const allowed = list(preflight.headers.get('access-control-allow-headers'))
      if (!unsafe.every((name) => allowed.includes(name) || allowed.includes('*'))) throw failed()
    }
    const res = await fetch(url, { ...init, method, headers: { ...headers, origin: pageOrigin } })
    const allowOrigin = res.headers.get('access-control-allow-origin')
    if (allowOrigin !== '*' && allowOrigin !== pageOrigin) throw failed()
    const exposed = list(res.headers.get('access-control-expose-headers'))
    const visible = new Headers()
    res.headers.forEach((value, name) => {
      if (SAFELISTED.includes(name) || exposed.includes(name) || exposed.includes('*')) visible.set(name, value)
    })
    return {
      type: 'cors',
      status: res.status,
      ok: res.ok,
      headers: visible,
      text: () => res.text(),
      arrayBuffer: () => res.arrayBuffer(),
    }
  }
}
