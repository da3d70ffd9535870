#!/usr/bin/env bash
# Instructions per operation of each contestant, counted by callgrind (independent of the
# machine's load): runs `count <variant> N` at two N and divides the difference, so set-up and
# warm-up cancel out. Usage: benches/callgrind.sh [variant...]   (default: all)
# FEATURES=metrics builds the benches with the crate's `metrics` feature, and
# BENCH_RECORDER=prometheus then installs metrics-exporter-prometheus's recorder first.
# The OS nonce is one `getrandom` system call: callgrind counts no kernel instructions.
set -euo pipefail
cd "$(dirname "$0")/.."
LO=${LO:-200}
HI=${HI:-2200}
bin=$(cargo bench -p sealed-session-benches ${FEATURES:+--features "$FEATURES"} --bench count --no-run --message-format=json 2>/dev/null |
    jq -r 'select(.reason == "compiler-artifact" and .target.name == "count" and .executable != null) | .executable' |
    tail -1)
variants=("$@")
[ ${#variants[@]} -gt 0 ] || mapfile -t variants < <("$bin" list)
instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
# Also written to benches/results/callgrind.tsv, for benches/chart.py.
out=${OUT:-benches/results/callgrind.tsv}
mkdir -p "$(dirname "$out")"
printf 'variant\tinstructions\n' >"$out"
printf '%-26s %14s\n' variant instructions/op
for v in "${variants[@]}"; do
    lo=$(instructions "$v" "$LO")
    hi=$(instructions "$v" "$HI")
    printf '%-26s %14d\n' "$v" $(((hi - lo) / (HI - LO)))
    printf '%s\t%d\n' "$v" $(((hi - lo) / (HI - LO))) >>"$out"
done
