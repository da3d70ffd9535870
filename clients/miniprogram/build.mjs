// Builds what the package ships beside its ES module sources: one CommonJS bundle per entry
// point in dist/ (esbuild; `require` loads them, and a mini program's "Build npm" takes the
// main one), and each entry's CommonJS declarations (.d.cts), a copy of its .d.ts that points
// at the other .d.cts files. `npm run build` writes them here; ci.sh builds them into a
// temporary folder and compares, so that a stale dist/ or .d.cts fails CI.
//   node build.mjs [outdir]        (default: this folder)
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = path.dirname(fileURLToPath(import.meta.url))
const out = path.resolve(process.argv[2] || here)

/** The platforms with an entry point of their own (`sealed-session-miniprogram/<name>`). */
export const PLATFORMS = ['wx', 'qq', 'tt', 'my', 'swan', 'ks', 'uni', 'taro', 'h5']

const entryPoints = { index: 'src/index.js' }
for (const name of PLATFORMS) entryPoints[name] = `${name}/index.js`

await build({
  absWorkingDir: here,
  entryPoints,
  outdir: path.join(out, 'dist'),
  bundle: true,
  format: 'cjs',
  platform: 'neutral',
  target: 'es2017',
  logLevel: 'warning',
})

// The .d.cts files: the .d.ts text, its imports of ../index.js turned to ../index.cjs (so that
// a CommonJS project's types stay CommonJS all the way).
for (const dts of ['index.d.ts', ...PLATFORMS.map((name) => `${name}/index.d.ts`)]) {
  const text = readFileSync(path.join(here, dts), 'utf8').replace(/from '\.\.\/index\.js'/g, "from '../index.cjs'")
  const target = path.join(out, dts.replace(/\.d\.ts$/, '.d.cts'))
  mkdirSync(path.dirname(target), { recursive: true })
  writeFileSync(target, text)
}
