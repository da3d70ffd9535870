#!/usr/bin/env bash
# Wall time per operation of a few contestants, runs interleaved (A B C A B C ...) so that they
# share the machine's load, reported as the minimum and the median over the rounds. A second
# view beside criterion's on a noisy machine. Process start and set-up are in each run, spread
# over N operations (well under 1%).
# Usage: N=200000 ROUNDS=9 benches/interleaved.sh variant...   (`count list` names them)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200000}
ROUNDS=${ROUNDS:-9}
[ $# -gt 0 ] || { echo "usage: $0 variant..." >&2; exit 2; }
bin=$(cargo bench -p sealed-session-benches --bench count --no-run --message-format=json 2>/dev/null |
    jq -r 'select(.reason == "compiler-artifact" and .target.name == "count" and .executable != null) | .executable' |
    tail -1)
declare -A times
for _ in $(seq "$ROUNDS"); do
    for v in "$@"; do
        start=$(date +%s%N)
        "$bin" "$v" "$N" >/dev/null
        end=$(date +%s%N)
        times[$v]+="$(((end - start) / N)) "
    done
done
printf '| variant | min (ns) | median (ns) |\n|---|---:|---:|\n'
for v in "$@"; do
    sorted=$(tr ' ' '\n' <<<"${times[$v]}" | grep . | sort -n)
    printf '| %s | %s | %s |\n' "$v" "$(head -1 <<<"$sorted")" "$(sed -n "$(((ROUNDS + 1) / 2))p" <<<"$sorted")"
done
