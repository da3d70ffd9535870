// The errors this package rejects with. Platform failures (no network, a timeout, Taro H5's
// rejection of a non-2xx answer that stays non-2xx) are passed on as the platform gave them.

/**
 * An error of the session client. `code` says which:
 * - 'HEADER_MISSING': the login was answered 2xx without the session header.
 * - 'STILL_UNAUTHORIZED': a request got 401 again right after a fresh login.
 * - 'LOGIN_FAILED': the server answered the login with a status other than 2xx.
 * - 'PLATFORM_LOGIN_FAILED': the platform's login call (wx.login, my.getAuthCode, ...) failed.
 * - 'CONFIG': `create` was called with options it cannot use.
 */
export class SessionError extends Error {
  constructor(code, message, details) {
    super(message)
    this.name = 'SessionError'
    this.code = code
    if (details) {
      for (const key of Object.keys(details)) {
        if (details[key] !== undefined) this[key] = details[key]
      }
    }
  }
}

/** Why the session header may be missing from an answer, and what to do about it. */
function causes(header, cors) {
  const proxy =
    `a proxy or API gateway between the client and the server strips the \`${header}\` header ` +
    `(fix: let it pass the header through, in requests and in responses, even when its value is empty)`
  if (!cors) return proxy
  return (
    `the answer is cross-origin and CORS does not expose \`${header}\` to scripts ` +
    `(fix: the server must list it in Access-Control-Expose-Headers and accept it in ` +
    `Access-Control-Allow-Headers; with tower-http: CorsLayer::new().expose_headers([...]).allow_headers([...])), ` +
    `or ${proxy}`
  )
}

export function headerMissing(header, path, answer) {
  return new SessionError(
    'HEADER_MISSING',
    `sealed-session: the login (${path}) was answered ${answer.status} without the \`${header}\` header, ` +
      `so there is no session to keep. Likely cause: ${causes(header, answer.cors)}. ` +
      `If the server uses another header name, pass it as create({ header }).`,
    { status: answer.status, data: answer.data, response: answer.response },
  )
}

export function stillUnauthorized(header, url, answer) {
  return new SessionError(
    'STILL_UNAUTHORIZED',
    `sealed-session: ${url} was answered 401 again right after a fresh login, so the server did not ` +
      `get the session back. Likely cause: ${causes(header, answer.cors)}. ` +
      `Not retried, to spare the platform's login rate limit.`,
    { status: answer.status, data: answer.data, response: answer.response },
  )
}

export function loginFailed(path, answer) {
  const data = answer.data
  const message = data && typeof data === 'object' && typeof data.message === 'string' ? data.message : 'no message'
  return new SessionError('LOGIN_FAILED', `sealed-session: the login (${path}) failed with status ${answer.status}: ${message}`, {
    status: answer.status,
    statusCode: answer.status,
    data,
    response: answer.response,
  })
}

export function platformLoginFailed(platform, error) {
  const detail = (error && (error.errMsg || error.errorMessage || error.message)) || String(error)
  return new SessionError('PLATFORM_LOGIN_FAILED', `sealed-session: ${platform} login failed: ${detail}`, { cause: error })
}

export function configError(message) {
  return new SessionError('CONFIG', `sealed-session: ${message}`)
}
