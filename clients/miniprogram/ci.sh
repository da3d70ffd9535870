#!/usr/bin/env bash
# CI for issue 15: the mini program client package (clients/miniprogram), its fixtures, the
# example that uses it, and the Rust login exchanges of the features wechat, qq, douyin, alipay,
# baidu, kuaishou.
# Runs from the repository root on a clean checkout; needs cargo, node >= 20 and npm (installs
# the rest from npm). Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TERM_COLOR=never
FEATURES=wechat,qq,douyin,alipay,baidu,kuaishou

step() { printf '\n==> %s\n' "$*"; }

for tool in cargo node npm; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (this step needs cargo, Node.js >= 20 and npm)" >&2; exit 1; }
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
    || { echo "error: Node.js >= 20 is needed, found $(node --version)" >&2; exit 1; }

step "Rust: the login exchanges against their stand-ins (features $FEATURES)"
cargo test --features "$FEATURES" --test logins --test wechat --test wechat_open_data \
    --test wechat_open_data_routes --test wechat_access_token --test paths
cargo test --features "$FEATURES" --lib -- login::
cargo test --features "$FEATURES" --doc -- login qq douyin alipay baidu kuaishou wechat

step "clients/miniprogram: npm ci, and dist/ and the .d.cts files are what the sources build"
(cd clients/miniprogram && npm ci --no-audit --no-fund)
built=$(mktemp -d)
trap 'rm -rf "$built"' EXIT
# build.mjs writes every generated file (dist/<entry>.js, each .d.cts) under the folder it is
# given: each must equal the committed one, and dist/ must hold no bundle it no longer builds.
node clients/miniprogram/build.mjs "$built"
stale=0
while IFS= read -r file; do
    cmp -s "$built/$file" "clients/miniprogram/$file" || { echo "stale: clients/miniprogram/$file" >&2; stale=1; }
done < <(cd "$built" && find . -type f | sed 's|^\./||' | sort)
for file in clients/miniprogram/dist/*.js; do
    [ -f "$built/dist/$(basename "$file")" ] || { echo "not built any more: $file" >&2; stale=1; }
done
if [ "$stale" -ne 0 ]; then
    echo "error: clients/miniprogram's dist/ or .d.cts files are stale: run npm run build there and commit" >&2
    exit 1
fi

step "clients/miniprogram: node --test, every adapter against the login example"
# The tests build the example themselves (cargo, features $FEATURES); build it once here.
cargo build --features "$FEATURES" --example wechat_login
(cd clients/miniprogram && node --test test/)

step "examples/miniprogram: the package through require, and libsodium opening our tokens"
(cd examples/miniprogram && npm ci --no-audit --no-fund && node --test test/)

step "clients/miniprogram/fixtures: vite build (ESM), the bundle run, tsc --noEmit (every entry point)"
(cd clients/miniprogram/fixtures && npm ci --no-audit --no-fund && npm run build && node vite/check.mjs && npm run types)

step "tests/browser/runtimes: the taro adapter on Taro's own H5 runtime, in headless Chromium"
# Debian's chromium, driven by playwright-core from npm (which downloads no browser of its own).
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
(cd tests/browser/runtimes && npm ci --no-audit --no-fund && npm run build && node --test runtimes.test.js)

step "tests/browser/uni-h5: the uni adapter on uni-app's own H5 runtime (Vue 3), in headless Chromium"
# Its harness is tests/browser/runtimes/harness.js (installed by the step above).
(cd tests/browser/uni-h5 && npm ci --no-audit --no-fund && UNI_PLATFORM=h5 npm run build && node --test uni.test.mjs)

step "ok: issue 15's checks passed"
