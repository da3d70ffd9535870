#!/usr/bin/env node
// Runs the JavaScript blocks of a README where a user would paste them: in a folder where the
// package was installed (from its tarball, by clients/packages-ci.sh). Each block is written to
// its own file there and run with node; a block that fails, hangs or throws fails the run, and
// so does a README without a single block to run.
//
//   node clients/run-snippets.mjs README.md INSTALL_DIR [--stub FILE]
//
// A block's fence says how to run it: the language, then words.
//   ```js              an ES module (written as .mjs): import, top-level await
//   ```js cjs          CommonJS (written as .cjs): require, no top-level await
//   ```js stub         run with FILE (--stub) imported first (node --import): stand-ins for what
//                      the block needs and Node has not, e.g. a mini program's `wx` global
//   ```js server       a server: run with PORT set to a free port until it answers GET / over
//                      HTTP (any status below 500), then stopped
//   ```js check        not run, only syntax-checked (node --check): for what CI cannot give it
// Words combine (```js cjs stub). Other languages (sh, toml, rust, ...) are not JavaScript and
// are left alone; TypeScript blocks are refused (Node cannot run them: write the block in JS).
// Every block gets SESSION_KEYS, a fresh random key, as a server that reads it from the
// environment needs; nothing a block prints is shown unless it fails.
//
// Prints one line per block and, last, `snippets: N passed, M failed`; exits 1 if any failed
// or none ran.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const JS = new Set(['js', 'javascript', 'mjs', 'cjs'])
const TS = new Set(['ts', 'typescript', 'tsx', 'mts', 'cts'])
const WORDS = new Set(['esm', 'cjs', 'stub', 'server', 'check'])
const TIMEOUT_MS = 60_000

function usage(message) {
  console.error(`error: ${message}\nusage: node clients/run-snippets.mjs README.md INSTALL_DIR [--stub FILE]`)
  process.exit(2)
}

const args = process.argv.slice(2)
let stub = null
const stubAt = args.indexOf('--stub')
if (stubAt >= 0) {
  stub = args[stubAt + 1]
  if (!stub) usage('--stub needs a file')
  args.splice(stubAt, 2)
}
const [readme, installDir] = args
if (!readme || !installDir || args.length !== 2) usage('a README and an install folder are needed')
if (!existsSync(readme)) usage(`no file ${readme}`)
if (!existsSync(installDir)) usage(`no folder ${installDir}`)
if (stub && !existsSync(stub)) usage(`no stub file ${stub}`)

/** The fenced blocks of a Markdown text: `{ line, info, code }` (line: the opening fence's, from 1). */
function blocksOf(text) {
  const blocks = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i])
    if (!open) continue
    const [, indent, fence, info] = open
    const body = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const close = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).exec(lines[j])
      if (close) break
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j].trimStart())
    }
    blocks.push({ line: i + 1, info: info.trim(), code: `${body.join('\n')}\n` })
    i = j
  }
  return blocks
}

/** How to run a block, from its info string; null when it is no JavaScript. */
function planOf(block) {
  const [lang = '', ...words] = block.info.split(/\s+/).filter(Boolean)
  const language = lang.toLowerCase()
  if (TS.has(language)) return { error: `a ${lang} block: Node cannot run TypeScript, write the block in JS` }
  if (!JS.has(language)) return null
  const unknown = words.filter((w) => !WORDS.has(w))
  if (unknown.length) return { error: `unknown word(s) ${unknown.join(', ')} after ${lang} (known: ${[...WORDS].join(', ')})` }
  const cjs = language === 'cjs' || words.includes('cjs')
  if (cjs && (language === 'mjs' || words.includes('esm'))) return { error: 'a block is ESM or CommonJS, not both' }
  return {
    cjs,
    stub: words.includes('stub'),
    server: words.includes('server'),
    check: words.includes('check'),
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Runs node with `argv`; resolves with { code, signal, output, timedOut }. `whileRunning` may stop it early. */
function node(argv, env, whileRunning) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { cwd: installDir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, TIMEOUT_MS)
    let exited = false
    const done = new Promise((resolveDone) =>
      child.on('close', (code, signal) => {
        exited = true
        clearTimeout(timer)
        resolveDone({ code, signal, output, timedOut })
      }),
    )
    if (whileRunning) whileRunning(child, () => exited).catch(() => {})
    done.then(resolve)
  })
}

/** Waits until the server at `port` answers GET /, then stops it; the answer's status, or null. */
async function serve(port, argv, env) {
  let status = null
  const result = await node(argv, env, async (child, exited) => {
    const deadline = Date.now() + 20_000
    while (!exited() && Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) })
        status = res.status
        await res.arrayBuffer()
        break
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    child.kill('SIGTERM')
  })
  return { ...result, status }
}

const name = path.relative(process.cwd(), path.resolve(readme)) || readme
const blocks = blocksOf(readFileSync(readme, 'utf8'))
const env = { ...process.env, SESSION_KEYS: randomBytes(32).toString('base64') }
let passed = 0
let failed = 0

for (const block of blocks) {
  const plan = planOf(block)
  if (plan === null) continue
  const where = `${name}:${block.line}`
  const label = `${where} (${block.info})`
  const fail = (why, output = '') => {
    failed++
    console.log(`FAIL ${label}: ${why}`)
    if (output.trim()) console.log(output.replace(/^/gm, '    | ').trimEnd())
  }
  if (plan.error) {
    fail(plan.error)
    continue
  }
  if (plan.stub && !stub) {
    fail('the block needs a stub: pass --stub FILE')
    continue
  }
  const file = path.join(installDir, `snippet-${block.line}.${plan.cjs ? 'cjs' : 'mjs'}`)
  writeFileSync(file, block.code)
  const argv = []
  if (plan.stub) argv.push('--import', pathToFileURL(path.resolve(stub)).href)
  if (plan.check) {
    const result = await node(['--check', file], env)
    if (result.code === 0) {
      passed++
      console.log(`ok   ${label}: syntax checked, not run`)
    } else fail(`node --check exited ${result.code}`, result.output)
    continue
  }
  if (plan.server) {
    const port = await freePort()
    const result = await serve(port, [...argv, file], { ...env, PORT: String(port) })
    if (result.status !== null && result.status < 500) {
      passed++
      console.log(`ok   ${label}: served GET / (${result.status}), stopped`)
    } else if (result.status !== null) fail(`GET / answered ${result.status}`, result.output)
    else fail(`never answered GET / on port ${port} (exit ${result.code ?? result.signal})`, result.output)
    continue
  }
  const result = await node([...argv, file], env)
  if (result.code === 0) {
    passed++
    console.log(`ok   ${label}`)
  } else fail(result.timedOut ? `still running after ${TIMEOUT_MS / 1000} s` : `exited ${result.code ?? result.signal}`, result.output)
}

if (passed + failed === 0) {
  console.log(`FAIL ${name}: no JavaScript block to run (every package README shows its use in one)`)
  failed++
}
console.log(`snippets: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
