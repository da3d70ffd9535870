// A small HTTP proxy for tests that force the order in which answers arrive, without timers:
// it forwards each request to one of several upstreams at once, reads the whole answer, and,
// if the test asked to hold that request, keeps the answer until the test releases its latch
// (a promise the test resolves). Listens on 127.0.0.1 only. Never logs a header.

import http from 'node:http'
import { listen } from './support.js'

/**
 * `routes` maps names to upstream base URLs; a request goes to the route named by its
 * `x-route` header, else to `proxy.target`. `proxy.hold(req)` returns a label to hold the
 * request's answer under (default: its `x-label` header), or null to pass it through.
 * `await proxy.held(label)` resolves, once that answer is in, with `{ status, session,
 * release() }` (`session`: the answer's session header, for the test to compare, never to print).
 */
export async function startLatchProxy(routes, { target, header = 'x-session' } = {}) {
  const arrived = new Map() // label -> { promise, resolve }
  const slot = (label) => {
    if (!arrived.has(label)) {
      let resolve
      const promise = new Promise((r) => {
        resolve = r
      })
      arrived.set(label, { promise, resolve })
    }
    return arrived.get(label)
  }
  const proxy = {
    target,
    hold: (req) => req.headers['x-label'] || null,
    /** Resolves when the answer labelled `label` is held. */
    held: (label) => slot(label).promise,
    /** How many requests went through, by route. */
    counts: {},
  }
  const server = http.createServer(async (req, res) => {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const route = req.headers['x-route'] || proxy.target
    const label = proxy.hold(req)
    const headers = { ...req.headers }
    for (const name of ['host', 'content-length', 'connection', 'x-route', 'x-label']) delete headers[name]
    proxy.counts[route] = (proxy.counts[route] || 0) + 1
    const upstream = await fetch(routes[route] + req.url, {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    })
    const out = {}
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) out[name] = value
    })
    const body = Buffer.from(await upstream.arrayBuffer())
    if (label) {
      let release
      const latch = new Promise((resolve) => {
        release = resolve
      })
      const session = upstream.headers.get(header)
      slot(label).resolve({ status: upstream.status, session: session === null ? undefined : session, route, release })
      await latch
    }
    res.writeHead(upstream.status, out)
    res.end(body)
  })
  const url = await listen(server)
  proxy.url = url
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(resolve)
    })
  return proxy
}
