// The exhaustive model of issue #11: a fake server that follows the format page's *Line and
// generation* rules, a fake transport that holds every answer until the model delivers it, the
// REAL client module (src/client.js) in between, and a checker of four promises:
//
// - no write lost without a report (rule 2.5's report, with the request's url);
// - no logout undone (after a logout's answer, no session from before it comes back);
// - no login lost (the last login's session, or a later one built on it, is what stays);
// - never an older generation of a line stored than one stored before.
//
// The checker knows nothing of epochs or of the rule: it judges the trace by what was called,
// sent and answered, in which order, and by what each token holds (the fake server's oracle).

import { createClient } from '../src/client.js'
import { readPrefix } from '../src/token.js'

export const KINDS = ['read', 'renew', 'write', 'login', 'logout', 'refused']
const KEY = 'sealed-session'
const flush = () => new Promise((resolve) => setImmediate(resolve))

/**
 * A fake server, stateless as the real one: each answer depends only on the request's kind and
 * the token it carried. Tokens are version 2 prefixes (version, kid, line, generation) and a
 * serial; `oracle` maps each token to what it holds: its line, generation and the marks of the
 * writes (and logins) in it.
 */
function fakeServer() {
  const oracle = new Map()
  let serial = 0
  let lines = 0
  const seal = (line, generation, marks) => {
    serial += 1
    const bytes = Buffer.alloc(21)
    bytes[0] = 2
    bytes.writeUInt32BE(0x5eed0001, 1) // kid
    bytes.writeUInt32BE(line, 5)
    bytes.writeUInt32BE(generation, 9)
    bytes.writeUInt32BE(serial, 13)
    const token = bytes.toString('base64url')
    oracle.set(token, { line, generation, marks: new Set(marks) })
    return token
  }
  const freshLine = () => {
    lines += 1
    return 0xa0000000 + lines
  }
  /** The session header of the answer to `kind` (op `mark`) carrying `T`: a token, '' or undefined. */
  function answer(kind, mark, T) {
    const opened = T === null ? undefined : oracle.get(T)
    switch (kind) {
      case 'read':
        return undefined // nothing changed, nothing due: no header
      case 'renew':
        return opened ? seal(opened.line, opened.generation, opened.marks) : undefined // same line, same generation
      case 'write':
      case 'login': // the example's login: id cycled, the session written (the model keeps the data, to check more)
        return opened ? seal(opened.line, opened.generation + 1, [...opened.marks, mark]) : seal(freshLine(), 1, [mark])
      case 'refused': // the token is refused (expired, unknown key): a new session, written
        return seal(freshLine(), 1, [mark])
      case 'logout':
        return '' // destroyed
      default:
        throw new Error(kind)
    }
  }
  return { oracle, answer, seal, freshLine }
}

/** Initial storage entries: none, a version 2 token of generation 3, a version 1 token (generation 0). */
export const STARTS = ['none', 'v2', 'v1']

function initialToken(server, start) {
  if (start === 'none') return null
  if (start === 'v2') return server.seal(server.freshLine(), 3, [])
  // A version 1 token: its line is its nonce's first four bytes; the server opens it as generation 0.
  const bytes = Buffer.alloc(21)
  bytes[0] = 1
  bytes.writeUInt32BE(0x5eed0001, 1)
  bytes.writeUInt32BE(0x01020304, 5)
  const token = bytes.toString('base64url')
  server.oracle.set(token, { line: 0x01020304, generation: 0, marks: new Set() })
  return token
}

/** Every order of `n` calls (in order) and their arrivals (each after its call), as [op, 'call'|'arrive'] lists. */
export function interleavings(n) {
  const out = []
  const walk = (called, arrived, acc) => {
    if (acc.length === 2 * n) return out.push(acc)
    if (called < n) walk(called + 1, arrived, [...acc, [called, 'call']])
    for (let i = 0; i < called; i += 1) {
      if (!arrived.includes(i)) walk(called, [...arrived, i], [...acc, [i, 'arrive']])
    }
  }
  walk(0, [], [])
  return out
}

/** Every list of `n` kinds. */
export function sequences(n) {
  if (n === 0) return [[]]
  return sequences(n - 1).flatMap((rest) => KINDS.map((k) => [...rest, k]))
}

/**
 * Runs one case through the real client: `kinds[i]` is op i's kind, `clients[i]` which of the
 * clients (all on one storage) calls it, `order` the events. Resolves with the trace.
 */
export async function runCase({ kinds, clients = kinds.map(() => 0), order, start, decide }) {
  const server = fakeServer()
  const storage = new Map()
  const first = initialToken(server, start)
  if (first !== null) storage.set(KEY, JSON.stringify({ token: first, epoch: 0 }))
  const pending = [] // requests the transport holds: { op, T, value, deliver }
  const reports = []
  let calling = null // the op being called: a request sent now is its request
  const adapter = {
    name: 'model',
    family: () => null,
    headerKey: 'header',
    storage: { get: (k) => storage.get(k), set: (k, v) => storage.set(k, v), remove: (k) => storage.delete(k) },
    login: async () => ({ code: 'c' }),
    send(call) {
      const T = (call.header || {})['x-session'] ?? null
      const op = calling
      const value = server.answer(kinds[op], `op${op}`, T)
      return new Promise((resolve) => {
        pending.push({
          op,
          T,
          value,
          deliver: () =>
            resolve({ status: 200, headers: value === undefined ? {} : { 'x-session': value }, data: {}, response: { statusCode: 200 }, failed: false }),
        })
      })
    },
  }
  const made = [...new Set(clients)].sort()
  const apis = {}
  for (const c of made) {
    apis[c] = createClient(adapter, { loginPath: '/login', onLostWrite: (r) => reports.push(r) }, decide ? { decide } : {})
  }
  const stored = () => {
    const raw = storage.get(KEY)
    return raw === undefined ? null : JSON.parse(raw).token
  }

  const ops = kinds.map((kind, i) => ({ kind, client: clients[i], call: null, send: null, arrive: null, T: null, value: undefined, joined: false }))
  const steps = [] // the stored token after each event
  const settled = []
  let step = 0
  for (const [i, what] of order) {
    step += 1
    const op = ops[i]
    if (what === 'call') {
      op.call = step
      calling = i
      const before = pending.length
      const api = apis[op.client]
      const url = `/${op.kind}?op=${i}`
      let p
      if (op.kind === 'login') p = api.login()
      else if (op.kind === 'logout') p = api.logout(url)
      else p = api.request({ url, method: op.kind === 'read' || op.kind === 'renew' ? 'GET' : 'POST', login: false })
      settled.push(p.catch((e) => e))
      await flush()
      calling = null
      if (pending.length === before) {
        op.joined = true // a login() that joined the login in flight: nothing sent
      } else {
        const request = pending[pending.length - 1]
        op.send = step
        op.T = request.T
        op.value = request.value
      }
    } else {
      op.arrive = step
      const request = pending.find((r) => r.op === i)
      if (request) request.deliver()
      await flush()
    }
    steps.push(stored())
  }
  await Promise.all(settled)
  return { kinds, clients, order, start, ops, steps, reports, oracle: server.oracle, first }
}

const hex = (line) => line.toString(16).padStart(8, '0')

/** The broken promises of one trace (empty when it keeps them all). */
export function check(trace) {
  const { ops, steps, reports, oracle, first } = trace
  const broken = []
  const holds = (token, mark) => token !== null && oracle.get(token).marks.has(mark)
  const final = steps.at(-1) ?? first
  // When each event happened: the index in `steps` is the event's step minus one.
  const storedAfter = (step) => steps.slice(step - 1)

  // Never an older generation of a line stored than one stored before, but for a login's own
  // answer: the login wins over writes made while it was under way (their generations may be
  // higher, since the login was sealed from the token it carried).
  const highest = new Map()
  let previous = first
  for (const [index, token] of [first, ...steps].entries()) {
    if (token === null || token === previous) {
      previous = token
      continue
    }
    previous = token
    const p = readPrefix(token)
    const byLogin = index > 0 && ops.some((o) => o.kind === 'login' && !o.joined && o.arrive === index && o.value === token)
    if (!byLogin && p.generation < (highest.get(p.line) ?? -1)) {
      broken.push(`an older generation of line ${p.line} stored (${p.generation} after ${highest.get(p.line)})`)
    }
    highest.set(p.line, byLogin ? p.generation : Math.max(p.generation, highest.get(p.line) ?? -1))
  }

  // No report carries a token; each reports a write, and a real conflict: another answer with
  // a token ran at the same time; `same generation` only when another write was made from the
  // generation this one was sent with, `refused` only when the server answered on another line
  // than the one it was sent.
  for (const r of reports) {
    const text = JSON.stringify(r)
    for (const token of oracle.keys()) if (text.includes(token)) broken.push('a report carries a token')
    const w = ops[Number(/op=(\d+)/.exec(r.url)[1])]
    if (w.kind !== 'write' && w.kind !== 'refused') broken.push(`a ${w.kind} reported as a lost write`)
    const sentLine = w.T === null ? null : oracle.get(w.T).line
    if (r.kind === 'refused' && oracle.get(w.value).line === sentLine) broken.push('a write on the line it was sent reported as refused')
    const racing = ops.filter((o) => o !== w && o.value && o.send !== null && o.send < w.arrive && o.arrive > w.send)
    if (racing.length === 0) broken.push('a write reported lost with nothing running beside it')
    const sentFrom = (o) => (o.T === null ? 'none' : `${oracle.get(o.T).line}/${oracle.get(o.T).generation}`)
    const rival = ops.some((o) => o !== w && o.value && sentFrom(o) === sentFrom(w) && ['write', 'login', 'refused'].includes(o.kind))
    if (r.kind === 'same generation' && !rival) broken.push('a write reported as same generation with no other write from its token')
    if (r.kind !== 'refused' && r.kind !== 'same generation') broken.push(`a report of kind ${r.kind}`)
  }

  const logins = ops.filter((o) => o.kind === 'login' && !o.joined)
  const logouts = ops.filter((o) => o.kind === 'logout')

  // No logout undone: after the last logout's answer (when no login was called after it), no
  // session that existed when that logout was called is stored again.
  for (const x of logouts.slice(-1)) {
    if (ops.some((o) => o.kind === 'login' && !o.joined && o.call > x.call)) continue
    const tainted = new Set()
    for (const [token, held] of oracle) {
      if (token === first || ops.some((o) => o.send !== null && o.send < x.call && (o.value === token || o.T === token))) tainted.add(held.line)
    }
    if (x.T !== null) tainted.add(oracle.get(x.T).line)
    for (const token of storedAfter(x.arrive)) {
      if (token !== null && tainted.has(oracle.get(token).line)) {
        broken.push(`logout op${ops.indexOf(x)} undone: line ${hex(oracle.get(token).line)} stored again`)
        break
      }
    }
  }

  // No login lost: the last login that sent a request, unless a logout was called after it or
  // the server refused a token sent after it answered (then a new session is right).
  const last = logins.filter((o) => o.value).sort((a, b) => b.call - a.call)[0]
  if (last) {
    const mark = `op${ops.indexOf(last)}`
    const excused = ops.some((o) => (o.kind === 'logout' && o.call > last.call) || (o.kind === 'refused' && o.send !== null && o.send > last.arrive))
    if (!excused && !holds(final, mark)) broken.push(`login ${mark} lost`)
  }

  // No write lost without a report: a write's answer is in the final session, or reported,
  // unless a logout answered after it was sent (a logout called after it, or under way while
  // it ran), a login overlapped it, or the server refused a token sent after it arrived.
  for (const w of ops) {
    if ((w.kind !== 'write' && w.kind !== 'refused') || !w.value) continue
    const mark = `op${ops.indexOf(w)}`
    if (holds(final, mark)) continue
    if (reports.some((r) => r.url === `/${w.kind}?op=${ops.indexOf(w)}`)) continue
    const excused = ops.some(
      (o) =>
        (o.kind === 'logout' && o.arrive > w.send) ||
        (o.kind === 'login' && !o.joined && o.call < w.arrive && o.arrive > w.send) ||
        (o.kind === 'refused' && o.send !== null && o.send > w.arrive),
    )
    if (!excused) broken.push(`write ${mark} lost without a report`)
  }
  return broken
}

/** Every case of up to `max` ops (one client, or each op on either of two clients). */
export function* cases({ max = 3, twoClients = false, starts = STARTS } = {}) {
  for (let n = 1; n <= max; n += 1) {
    for (const kinds of sequences(n)) {
      const assignments = []
      // Two clients: every split of the ops between them in which both call something.
      if (twoClients) for (let bits = 1; bits < (1 << n) - 1; bits += 1) assignments.push(kinds.map((_, i) => (bits >> i) & 1))
      else assignments.push(kinds.map(() => 0))
      for (const clients of assignments) {
        for (const order of interleavings(n)) for (const start of starts) yield { kinds, clients, order, start }
      }
    }
  }
}
