#!/usr/bin/env bash
# Load test over loopback: examples/views.rs (release) on a free 127.0.0.1 port, driven by
# benches/load_client.rs with thousands of sessions, each a sequential client. Prints errors
# (must be 0), lost increments (must be 0) and the server's resident memory from 100k requests
# to the end (must be flat). Not part of `cargo test` or CI. Bounded: REQUESTS requests and
# DEADLINE seconds at most; it stops the server when it ends.
#
#   scripts/load.sh [REQUESTS [SESSIONS [CONCURRENCY [DEADLINE]]]]
#   REQUESTS=1000 scripts/load.sh          # the same, as environment variables
# Defaults: 1000000 requests, 4000 sessions, 64 at a time, 900 s at most.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-${REQUESTS:-1000000}}
sessions=${2:-${SESSIONS:-4000}}
concurrency=${3:-${CONCURRENCY:-64}}
deadline=${4:-${DEADLINE:-900}}

cargo build --release --example views --example keygen && cargo build --release -p sealed-session-benches --bin load_client
log=$(mktemp)
SESSION_KEYS=$(target/release/examples/keygen) PORT=0 RUST_LOG=warn \
    target/release/examples/views >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

# The server prints its address once it listens (port 0: the system picks a free one).
url=
for _ in $(seq 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start"; cat "$log"; exit 1; }
echo "server: pid $pid at $url ($(nproc) cores shared by server and client)"

target/release/load_client --url "$url" --pid "$pid" --requests "$requests" \
    --sessions "$sessions" --concurrency "$concurrency" --deadline-secs "$deadline"
