#!/usr/bin/env bash
# Requests per second over loopback (127.0.0.1 only): ours, the floor server and a bare server
# (benches/loopback_server.rs), interleaved round by round, each server pinned to CPU 0 and
# wrk to CPU 1. Three routes each: a write per request (`/foo`), a read-only request
# (`/views`), and a one-key read of the reference payload (`/user`). Bounded: ROUNDS x 3
# servers x 3 routes x DURATION seconds. Writes benches/results/loopback.tsv and prints the
# medians and the ratios (benches/loopback_medians.py).
#
#   benches/loopback.sh                 # ROUNDS=3 DURATION=8 CONNECTIONS=32
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
duration=${DURATION:-8}
connections=${CONNECTIONS:-32}
out=${OUT:-benches/results/loopback.tsv}
if ! command -v wrk >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y wrk
fi
cargo build --release -q -p sealed-session-benches --bin loopback_server
bin=target/release/loopback_server
mkdir -p "$(dirname "$out")"
printf 'server\troute\tround\treq_per_s\n' >"$out"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT
servers=(ours floor bare)
for round in $(seq "$rounds"); do
    # A different server goes first each round, so no one always gets the coolest machine.
    shift_by=$(((round - 1) % 3))
    order=("${servers[@]:shift_by}" "${servers[@]:0:shift_by}")
    for server in "${order[@]}"; do
        log=$(mktemp)
        taskset -c 0 "$bin" "$server" >"$log" 2>&1 &
        pid=$!
        for _ in $(seq 100); do
            grep -q listening "$log" && break
            sleep 0.05
        done
        url=$(sed -n 's/^listening on //p' "$log")
        [ -n "$url" ] || { echo "the $server server did not start" >&2; cat "$log" >&2; exit 1; }
        token=$(curl -si --max-time 5 "$url/seed" | sed -n 's/^x-session: //p' | tr -d '\r')
        for route in foo views user; do
            rps=$(taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" --timeout 5s \
                -H "x-session: $token" "$url/$route" | awk '/Requests\/sec/ {print $2}')
            printf '%s\t%s\t%s\t%s\n' "$server" "$route" "$round" "$rps" | tee -a "$out"
        done
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        pid=""
        rm -f "$log"
    done
done
python3 benches/loopback_medians.py "$out"
