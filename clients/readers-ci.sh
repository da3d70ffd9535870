#!/usr/bin/env bash
# The readers of issue 17 in CI: the Node and Python packages (clients/node, clients/python)
# against every vector file and against live tokens of the views example, both directions,
# and the command-line tool (cli/) if it is there. Runs from a clean checkout with node, npm
# and python3 on the PATH; installs the packages from their registries (npm ci, and pip into
# a throw-away venv, never into the system). Called from .ci/run; also runnable by hand:
#   bash clients/readers-ci.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "error: $*" >&2; exit 1; }

for tool in node npm python3 cargo; do
    command -v "$tool" >/dev/null || fail "$tool is missing (the readers need Node.js >= 20, Python >= 3.9 and cargo)"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "views example (the live tests' server)"
cargo build --example views
# Where cargo put it: target/, or CARGO_TARGET_DIR (or a build.target-dir setting) if set.
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export SEALED_SESSION_VIEWS_BIN="$target_dir/debug/examples/views"
[ -x "$SEALED_SESSION_VIEWS_BIN" ] || fail "cargo built no $SEALED_SESSION_VIEWS_BIN"

step "Node reader: npm ci, node --test (vectors, round trips, middleware, ESM/CJS, TypeScript declarations, live)"
(cd clients/node && npm ci --no-audit --no-fund)
set +e
(cd clients/node && node --test --test-reporter=tap test/) | tee "$work/node.tap"
node_rc=${PIPESTATUS[0]}
set -e
count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$work/node.tap" | tail -1; }
node_pass=$(count pass)
node_fail=$(count fail)
node_skip=$(count skipped)
echo "node: ${node_pass:-0} passed, ${node_fail:-0} failed, ${node_skip:-0} skipped"
[ "$node_rc" -eq 0 ] || fail "node --test failed (exit $node_rc)"
[ "${node_pass:-0}" -gt 0 ] || fail "node --test ran no test"
[ "${node_skip:-0}" -eq 0 ] || fail "node --test skipped a test (the live test needs the views example)"

step "Python reader: venv, pip install (PyNaCl, pytest, mypy), mypy --strict, pytest (vectors, round trips, live)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check ./clients/python "pytest>=8" "mypy>=1.10"
(cd clients/python && "$work/venv/bin/mypy" --strict --cache-dir "$work/mypy" src tests)
set +e
(cd clients/python && "$work/venv/bin/python" -m pytest -p no:cacheprovider -rs) | tee "$work/pytest.out"
py_rc=${PIPESTATUS[0]}
set -e
[ "$py_rc" -ne 5 ] || fail "pytest collected no test (exit 5)"
[ "$py_rc" -eq 0 ] || fail "pytest failed (exit $py_rc)"
if tail -1 "$work/pytest.out" | grep -q skipped; then
    fail "pytest skipped a test (the live test needs the views example)"
fi
# The installed package, not the source tree, was tested: it ships its type marker.
"$work/venv/bin/python" - <<'PY'
import importlib.resources, sealed_session_reader
assert "site-packages" in sealed_session_reader.__file__, sealed_session_reader.__file__
assert importlib.resources.files("sealed_session_reader").joinpath("py.typed").is_file()
PY

if [ -f cli/Cargo.toml ]; then
    step "command-line tool: cargo test -p sealed-session-cli, fmt (cli/)"
    # Its clippy run is .ci/run's `cargo clippy --workspace --all-targets --all-features`.
    cargo test -p sealed-session-cli
    cargo fmt -p sealed-session-cli --check
fi

step "readers ok"
