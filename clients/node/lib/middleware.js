'use strict'
// Read-only middleware: opens the session header of each request and puts the session (or
// `null`, with the refusal reason) on the request. It never writes a header: sealing stays
// with the Rust server, or with code that calls `seal` on purpose.

const { Keys } = require('./keys.js')
const { open } = require('./token.js')
const { ready } = require('./sodium.js')
const { RefusedError } = require('./errors.js')

function reader(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('options: expected { keys, ... }')
  const keys = Keys.from(options.keys) // parsed once, at start-up: a bad list fails here
  const header = (options.header ?? 'x-session').toLowerCase()
  const now = options.now ?? Date.now
  const openOptions = {
    keys,
    context: options.context,
    maxLen: options.maxLen,
    absoluteLifetime: options.absoluteLifetime,
    skew: options.skew,
  }
  return function read(headers) {
    let value = headers[header]
    if (Array.isArray(value)) value = value.join(', ')
    try {
      return { session: open(value ?? '', { ...openOptions, now: now() }), refusal: null }
    } catch (e) {
      if (e instanceof RefusedError) return { session: null, refusal: e.reason }
      throw e
    }
  }
}

/**
 * Connect/Express middleware `(req, res, next)`: sets `req.session` to the opened session (what
 * `open` returns) or `null`, and `req.sessionRefusal` to the refusal reason or `null`.
 * @param {import('../index').ReaderOptions} options `keys` and the options of `open`, plus
 *   `header` (default `x-session`), `now` (a function, default `Date.now`) and `property`
 *   (default `session`; the reason goes to `${property}Refusal`)
 * @returns {(req: any, res: any, next: (err?: unknown) => void) => void}
 */
function sessionReader(options) {
  const read = reader(options)
  const property = options.property ?? 'session'
  return function sealedSessionReader(req, _res, next) {
    ready().then(
      () => {
        let result
        try {
          result = read(req.headers)
        } catch (e) {
          next(e)
          return
        }
        req[property] = result.session
        req[`${property}Refusal`] = result.refusal
        next()
      },
      (e) => next(e),
    )
  }
}

/**
 * Koa middleware `async (ctx, next)`: sets `ctx.state.session` and `ctx.state.sessionRefusal`
 * as `sessionReader` sets them on `req`.
 * @param {import('../index').ReaderOptions} options as for `sessionReader`
 * @returns {(ctx: any, next: () => Promise<unknown>) => Promise<void>}
 */
function koaSessionReader(options) {
  const read = reader(options)
  const property = options.property ?? 'session'
  return async function sealedSessionReader(ctx, next) {
    await ready()
    const result = read(ctx.request.headers)
    ctx.state[property] = result.session
    ctx.state[`${property}Refusal`] = result.refusal
    await next()
  }
}

module.exports = { sessionReader, koaSessionReader }
