// The h5 example (examples/h5.rs) in headless Chromium: a counter kept across reloads with the
// cookie carrier on the page's own origin, and with the header carrier through `fetch` to
// another origin, CORS exposing the header.
//
// Needs Debian's chromium at /usr/bin/chromium (or $CHROMIUM) and the example built first:
//   cargo build --example h5 --features cookie
//   cd tests/browser && npm ci && npm test
// (.ci/run does all of it.) Every wait is bounded; nothing sleeps.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TARGET = path.resolve(ROOT, process.env.CARGO_TARGET_DIR ?? 'target');
const SERVER = process.env.H5_BIN ?? path.join(TARGET, 'debug', 'examples', 'h5');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The flags that work on this machine's closed network (no background connections to Google).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The longest any one step may take, in milliseconds. */
const WAIT = 15_000;
/** The URL lines the example prints on stdout, `<name> <url>`. */
const URL_NAMES = ['cookie-page', 'header-page', 'header-api'];

let server;
let urls;
let browser;
let serverLog = '';

/** Starts the example and resolves with its URLs once it has printed all of them. */
function startServer() {
  const child = spawn(SERVER, [], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', API_PORT: '0', RUST_LOG: 'info,sealed_session=debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Drain stderr (the server's log) so it never blocks; keep its tail for failure messages.
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    serverLog = (serverLog + chunk).slice(-16_384);
  });
  const found = {};
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${SERVER} printed no URLs within ${WAIT} ms:\n${serverLog}`)),
      WAIT,
    );
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${SERVER} exited (${code ?? signal}) before it listened:\n${serverLog}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^(\S+) (http:\/\/127\.0\.0\.1:\d+\S*)$/.exec(line);
      if (m && URL_NAMES.includes(m[1])) found[m[1]] = m[2];
      if (URL_NAMES.every((name) => name in found)) {
        clearTimeout(timer);
        resolve({ ...found });
      }
    });
  });
  return { child, ready };
}

/** Stops the example: SIGTERM, then SIGKILL if it is still there after WAIT. */
async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), WAIT);
  await exited;
  clearTimeout(timer);
}

/** The count the page shows once its script has finished; fails with the page's error. */
async function shownCount(page) {
  await page.waitForSelector('body[data-state]', { timeout: WAIT });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'done') {
    assert.fail(`the page failed: ${await page.textContent('#error')}\nserver log:\n${serverLog}`);
  }
  return Number(await page.textContent('#count'));
}

/** A fresh browser context (own cookies and storage) and a page in it. */
async function freshPage(t) {
  const context = await browser.newContext();
  t.after(() => context.close());
  context.setDefaultTimeout(WAIT);
  context.setDefaultNavigationTimeout(WAIT);
  return { context, page: await context.newPage() };
}

before(
  async () => {
    assert.ok(
      existsSync(SERVER),
      `${SERVER} is missing: run \`cargo build --example h5 --features cookie\` first`,
    );
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: \`apt-get install chromium\``);
    const started = startServer();
    server = started.child;
    urls = await started.ready;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      timeout: WAIT,
    });
  },
  { timeout: 4 * WAIT },
);

after(
  async () => {
    try {
      await browser?.close();
    } finally {
      if (server) await stopServer(server);
    }
  },
  { timeout: 4 * WAIT },
);

test('cookie carrier: the count goes on across reloads in an HttpOnly cookie', { timeout: 8 * WAIT }, async (t) => {
  // Exercise: open the page on the API's own origin and reload it twice.
  // Expectation: 1, 2, 3; the browser holds one `session` cookie with the default attributes,
  // and the page's scripts cannot see it.
  const { context, page } = await freshPage(t);
  await page.goto(urls['cookie-page']);
  assert.equal(await shownCount(page), 1);
  await page.reload();
  assert.equal(await shownCount(page), 2);
  await page.reload();
  assert.equal(await shownCount(page), 3);

  const cookies = await context.cookies();
  assert.equal(cookies.length, 1, JSON.stringify(cookies.map((c) => c.name)));
  const [cookie] = cookies;
  assert.equal(cookie.name, 'session');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.secure, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.path, '/');
  assert.ok(cookie.expires > Date.now() / 1000, 'a persistent cookie (Max-Age), not a session cookie');
  assert.match(cookie.value, /^[A-Za-z0-9_-]{40,}$/);
  assert.equal(await page.evaluate(() => document.cookie), '', 'HttpOnly: invisible to scripts');
});

test('cookie carrier: a forged form from another origin gets 403; the page\'s own fetch counts', { timeout: 8 * WAIT }, async (t) => {
  // Exercise: with a session at 1, the page POSTs /api/count itself with a plain `fetch` (no
  // custom header); then a page on another origin (another port of 127.0.0.1: same site, so
  // the browser sends the cookie along) submits a form to the same URL, the forgery CSRF is.
  // Expectation: the page's own POST counts (2); the forged one gets 403 from the CSRF layer
  // although the cookie went along; the reload shows 3, not 4.
  const { page } = await freshPage(t);
  await page.goto(urls['cookie-page']);
  assert.equal(await shownCount(page), 1);

  const own = await page.evaluate(async () => {
    const res = await fetch('/api/count', { method: 'POST' });
    return { status: res.status, body: await res.json() };
  });
  assert.deepEqual(own, { status: 200, body: { count: 2 } });

  const target = new URL('/api/count', urls['cookie-page']).href;
  const forger = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<form method="POST" action="${target}"></form><script>document.forms[0].submit()</script>`);
  });
  await new Promise((resolve) => forger.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => forger.close(resolve)));
  const forgerUrl = `http://127.0.0.1:${forger.address().port}/`;
  assert.notEqual(new URL(forgerUrl).origin, new URL(target).origin);

  const isCountPost = (r) => r.url() === target && r.request().method() === 'POST';
  const [forged] = await Promise.all([
    page.waitForResponse(isCountPost, { timeout: WAIT }),
    page.goto(forgerUrl),
  ]);
  assert.equal(forged.status(), 403);
  assert.match((await forged.request().headerValue('cookie')) ?? '', /(^|; )session=/);
  await page.waitForLoadState('load', { timeout: WAIT });

  await page.goto(urls['cookie-page']);
  assert.equal(await shownCount(page), 3);
});

test('header carrier across origins: fetch with CORS keeps the token in localStorage', { timeout: 8 * WAIT }, async (t) => {
  // Exercise: open the page on one origin; its script calls the API on another origin with
  // `fetch`, keeps the exposed `x-session` response header in localStorage and sends it back.
  // Expectation: 1, 2, 3 across reloads; each call sends the token the previous one returned;
  // no cookie anywhere.
  const { context, page } = await freshPage(t);
  assert.notEqual(new URL(urls['header-page']).origin, new URL(urls['header-api']).origin);
  const apiCount = `${urls['header-api']}/api/count`;
  const isApiPost = (r) => r.url() === apiCount && r.method() === 'POST';

  await page.goto(urls['header-page']);
  assert.equal(await shownCount(page), 1);
  for (const expected of [2, 3]) {
    const token = await page.evaluate(() => localStorage.getItem('session'));
    assert.match(token ?? '', /^[A-Za-z0-9_-]{40,}$/, 'the page kept the exposed x-session header');
    const [request] = await Promise.all([
      page.waitForRequest(isApiPost, { timeout: WAIT }),
      page.reload(),
    ]);
    assert.equal(await request.headerValue('x-session'), token);
    assert.equal(await shownCount(page), expected);
    const next = await page.evaluate(() => localStorage.getItem('session'));
    assert.notEqual(next, token, 'a changed session comes back as a new token');
  }
  assert.deepEqual(await context.cookies(), [], 'the header carrier sets no cookie');
});
