// Prints the cookies that koa-session (cookie mode: base64 JSON + keygrip `.sig` cookie) and
// @fastify/secure-session (libsodium secretbox) set for the reference payload, from their own
// code: koa over HTTP on 127.0.0.1 (port 0), fastify through its in-process `inject`.
// Run: npm ci && node measure.mjs
import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import session from 'koa-session';
import Fastify from 'fastify';
import secureSession from '@fastify/secure-session';

const PAYLOAD = JSON.parse(
  '{"user_id":123456,"openid":"oAbCdEfGhIjKlMnOpQrStUvWxYz12","session_key":"tiihtNczf5v6AKRyjwEUhQ==","views":{"/foo":3,"/bar":5},"roles":["user"]}',
);

// What the client keeps and sends back: the `name=value` part of each Set-Cookie.
const pairs = (setCookies) => setCookies.map((c) => c.split(';')[0]);

function report(name, setCookies) {
  const sent = pairs(setCookies);
  const cookieHeader = `cookie: ${sent.join('; ')}`;
  console.log(`${name}:`);
  for (const [i, c] of setCookies.entries()) {
    const [cookieName, ...rest] = sent[i].split('=');
    console.log(`  cookie ${cookieName}: value ${rest.join('=').length} chars; Set-Cookie value ${c.length} chars`);
  }
  console.log(`  request header \`${cookieHeader.slice(0, 8)}...\`: ${cookieHeader.length} bytes`);
}

async function koa() {
  const app = new Koa();
  app.keys = [randomBytes(32).toString('base64')];
  app.use(session(app)); // defaults: key koa.sess, maxAge 1 day, signed, httpOnly
  app.use((ctx) => {
    Object.assign(ctx.session, PAYLOAD);
    ctx.body = 'ok';
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${server.address().port}/`);
    await res.text();
    report('koa-session 7.0.2 (cookie mode, signed)', res.headers.getSetCookie());
  } finally {
    server.close();
  }
}

async function fastify() {
  const app = Fastify();
  await app.register(secureSession, { key: randomBytes(32), cookie: { path: '/' } });
  app.get('/', (request) => {
    for (const [k, v] of Object.entries(PAYLOAD)) request.session.set(k, v);
    return 'ok';
  });
  // The cookie value is percent-encoded, so its length depends on how many `+`, `/` and `=`
  // the random ciphertext and nonce have: report the first one, and the range over 100.
  const lengths = [];
  let first;
  for (let i = 0; i < 100; i++) {
    const res = await app.inject({ method: 'GET', url: '/' });
    const setCookie = res.headers['set-cookie'];
    const cookies = Array.isArray(setCookie) ? setCookie : [setCookie];
    first ??= cookies;
    const value = pairs(cookies)[0].split('=').slice(1).join('=');
    lengths.push([value.length, decodeURIComponent(value).length]);
  }
  report('@fastify/secure-session 8.4.0', first);
  const encoded = lengths.map(([e]) => e);
  const decoded = lengths.map(([, d]) => d);
  console.log(
    `  over 100 sessions: value ${Math.min(...encoded)}..${Math.max(...encoded)} chars ` +
      `(${Math.min(...decoded)}..${Math.max(...decoded)} before percent-encoding)`,
  );
  await app.close();
}

await koa();
await fastify();
