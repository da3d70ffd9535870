'use strict'
// Starts the crate's views example (examples/views.rs) on a free loopback port with a fixed
// key, for the live tests. The binary comes from SEALED_SESSION_VIEWS_BIN, which
// clients/readers-ci.sh sets after `cargo build --example views`.

const { spawn } = require('node:child_process')

const VIEWS_BIN = process.env.SEALED_SESSION_VIEWS_BIN

/**
 * Starts the server; resolves to `{ url, stop }` once it listens (at most 20 s).
 * @param {string} keys SESSION_KEYS for the server
 */
function startViews(keys) {
  const child = spawn(VIEWS_BIN, [], {
    env: { PATH: process.env.PATH, SESSION_KEYS: keys, PORT: '0', RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      stop().then(() => reject(new Error('the views example did not start listening within 20 s')))
    }, 20000)
    child.stderr.resume()
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        out = ''
        resolve({ url: m[1], stop })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the views example exited with ${code} before listening`))
    })
  })
}

/** GET a path with an optional session header; the body text and the answer's session header. */
async function get(url, path, token) {
  const headers = token === undefined ? {} : { 'x-session': token }
  const res = await fetch(`${url}${path}`, { headers, signal: AbortSignal.timeout(10000) })
  return { status: res.status, body: await res.text(), token: res.headers.get('x-session') }
}

module.exports = { VIEWS_BIN, startViews, get }
