#!/usr/bin/env bash
# The two npm packages as a user gets them (clients/node = sealed-session-reader,
# clients/miniprogram = sealed-session-miniprogram): each is packed (npm pack), installed from
# its tarball into an empty folder (its registry dependencies, such as libsodium-wrappers, come
# from npm), and checked there: its metadata and licenses, its README's links and install lines,
# every entry point through import and require, and every JavaScript block of its README, run
# by clients/run-snippets.mjs. Then the size budget of the mini program package's entry points
# (clients/miniprogram/fixtures/size). Runs from the repository root with node >= 20.6 and npm:
#   bash clients/packages-ci.sh
#
# README blocks (see clients/run-snippets.mjs): ```js is an ES module, ```js cjs CommonJS;
# `stub` runs the block over stand-ins for what Node has not (the mini program globals: the
# package's fixtures/readme/stub.mjs), `server` runs it until it answers GET /, `check` only
# syntax-checks it. Every block gets SESSION_KEYS, a fresh random key.
#
# Ends with `packages: N passed, M failed` (checks and README blocks); exits 1 if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
die() { echo "error: $*" >&2; exit 1; }

for tool in node npm; do
    command -v "$tool" >/dev/null || die "$tool is missing (this needs Node.js >= 20.6 and npm)"
done
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 6) ? 0 : 1)' \
    || die "Node.js >= 20.6 is needed (module.register), found $(node --version)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
# check DESCRIPTION COMMAND...: one check, counted; its output is shown when it fails.
check() {
    local what=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$what"; else bad "$what"; printf '%s\n' "$out" | sed 's/^/    | /'; fi
}

# The README rules of a package folder: no relative links (dead on the registry's page), the
# registry install line, "not published yet" in exactly one place, and the tarball it names.
readme_rules() {
    local dir=$1 name=$2 version=$3
    node - "$dir/README.md" "$name" "$version" <<'JS'
const [file, name, version] = process.argv.slice(2)
const text = require('node:fs').readFileSync(file, 'utf8')
const problems = []
// Markdown links and images: [text](target), [label]: target. Absolute (scheme) or #anchor only.
for (const m of text.matchAll(/\]\(\s*([^)\s]+)[^)]*\)|^\s*\[[^\]]+\]:\s*(\S+)/gm)) {
  const target = m[1] ?? m[2]
  if (!/^([a-z][a-z0-9+.-]*:|#)/i.test(target)) problems.push(`a relative link: ${target}`)
}
if (!text.includes(`npm install ${name}\n`)) problems.push(`no registry install line \`npm install ${name}\``)
const notYet = text.match(/not published yet/gi)?.length ?? 0
if (notYet !== 1) problems.push(`"not published yet" ${notYet} times, expected once`)
if (!text.includes(`npm install ./${name}-${version}.tgz`)) problems.push(`no install line of the packed tarball ./${name}-${version}.tgz`)
if (problems.length) {
  console.log(problems.join('\n'))
  process.exit(1)
}
JS
}

# The metadata the registry shows, and both license texts in the tarball.
package_rules() {
    local dir=$1 tarball=$2
    node - "$dir" <<'JS' || return 1
const dir = process.argv[2]
const pkg = require(require('node:path').resolve(dir, 'package.json'))
const want = {
  'repository.type': 'git',
  'repository.url': 'git+https://github.com/sealed-session/sealed-session.git',
  'repository.directory': dir,
  'bugs.url': 'https://github.com/sealed-session/sealed-session/issues',
}
const problems = []
for (const [key, value] of Object.entries(want)) {
  const got = key.split('.').reduce((o, k) => (o == null ? undefined : o[k]), pkg)
  if (got !== value) problems.push(`${key} is ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`)
}
if (!/^https:\/\/github\.com\/sealed-session\/sealed-session\//.test(pkg.homepage ?? '')) problems.push(`homepage is ${pkg.homepage}`)
if (pkg.license !== 'MIT OR Apache-2.0') problems.push(`license is ${pkg.license}`)
if (problems.length) {
  console.log(problems.join('\n'))
  process.exit(1)
}
JS
    local listing
    listing=$(tar -tzf "$tarball")
    for file in LICENSE-MIT LICENSE-APACHE README.md package.json; do
        grep -qx "package/$file" <<<"$listing" || { echo "the tarball has no $file"; return 1; }
    done
    cmp -s "$dir/LICENSE-MIT" LICENSE-MIT || { echo "$dir/LICENSE-MIT differs from the repository's"; return 1; }
    cmp -s "$dir/LICENSE-APACHE" LICENSE-APACHE || { echo "$dir/LICENSE-APACHE differs from the repository's"; return 1; }
}

# Every entry point of the installed package (its "exports" but ./package.json), through
# import and through require, from the install folder; each must export `probe`.
entries_load() {
    local app=$1 name=$2 probe=$3
    (cd "$app" && node --input-type=module - "$name" "$probe") <<'JS'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
const [name, probe] = process.argv.slice(2)
const require = createRequire(`${process.cwd()}/`)
const pkg = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8'))
const problems = []
const specifiers = Object.keys(pkg.exports ?? { '.': 1 })
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`))
for (const specifier of specifiers) {
  for (const [how, load] of [['import', (s) => import(s)], ['require', async (s) => require(s)]]) {
    try {
      const m = await load(specifier)
      if (typeof m[probe] !== 'function') problems.push(`${how} ${specifier}: no ${probe}`)
    } catch (e) {
      problems.push(`${how} ${specifier}: ${e.message.split('\n')[0]}`)
    }
  }
}
console.log(`${specifiers.length} entry point(s): ${specifiers.join(', ')}`)
if (problems.length) {
  console.log(problems.join('\n'))
  process.exit(1)
}
JS
}

# package DIR PROBE [--stub FILE] [-- EXTRA_DEPS...]: packs DIR, installs it in an empty
# folder (with the README's other imports, EXTRA_DEPS), and checks it there.
package() {
    local dir=$1 probe=$2
    shift 2
    local stub_args=() extra=()
    if [ "${1:-}" = --stub ]; then stub_args=(--stub "$dir/$2"); shift 2; fi
    if [ "${1:-}" = -- ]; then shift; extra=("$@"); fi
    local name version tarball app
    name=$(node -p "require('./$dir/package.json').name")
    version=$(node -p "require('./$dir/package.json').version")

    step "$name: npm pack ./$dir"
    tarball="$work/$(npm pack --silent --pack-destination "$work" "./$dir" | tail -1)"
    [ -f "$tarball" ] || die "npm pack wrote no tarball for $dir"
    tar -tzf "$tarball" | sed 's|^package/|    |'
    check "$name: repository, homepage, bugs, license; LICENSE-MIT and LICENSE-APACHE shipped" package_rules "$dir" "$tarball"
    check "$name: README links absolute, install lines there, \"not published yet\" once" readme_rules "$dir" "$name" "$version"

    step "$name: npm install of the tarball into an empty folder ${extra[*]:+(with ${extra[*]}, which README blocks import)}"
    app="$work/$name-app"
    mkdir "$app"
    printf '{ "name": "%s-readme", "version": "0.0.0", "private": true }\n' "$name" >"$app/package.json"
    (cd "$app" && npm install --no-audit --no-fund --loglevel=error "$tarball" "${extra[@]}")
    [ ! -L "$app/node_modules/$name" ] || die "$name was linked, not installed"
    check "$name: every entry point loads through import and require" entries_load "$app" "$name" "$probe"

    step "$name: the README's JavaScript blocks, run in that folder"
    local rc
    set +e
    node clients/run-snippets.mjs "$dir/README.md" "$app" "${stub_args[@]}" | tee "$work/snippets.out"
    rc=${PIPESTATUS[0]}
    set -e
    local p f
    p=$(sed -n 's/^snippets: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$work/snippets.out")
    f=$(sed -n 's/^snippets: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$work/snippets.out")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then bad "$name: run-snippets.mjs exited $rc"; fi
}

package clients/node open -- express@5 koa@3
package clients/miniprogram create --stub fixtures/readme/stub.mjs

step "sealed-session-miniprogram: size budget of each entry point (Vite build, minified and gzip)"
(cd clients/miniprogram/fixtures && npm ci --no-audit --no-fund --loglevel=error)
set +e
(cd clients/miniprogram/fixtures && npm run --silent size) | tee "$work/size.out"
size_rc=${PIPESTATUS[0]}
set -e
measured=$(grep -c '^| `' "$work/size.out" || true)
if [ "$size_rc" -eq 0 ] && [ "$measured" -gt 0 ]; then
    ok "sealed-session-miniprogram: $measured entry points within their size budget"
else
    bad "sealed-session-miniprogram: size budget (exit $size_rc, $measured entry points measured)"
fi

step "done"
echo "packages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
