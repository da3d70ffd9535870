#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) and prints the executions reached and the
# crashes found. Not part of CI: too slow.
#
#   fuzz/run.sh 120
#   TARGETS="cookie prefix" fuzz/run.sh 60   # some of them
#   RUNS=20000000 SANITIZER=none fuzz/run.sh # a fixed number of executions per target, no ASan
#
# cargo-fuzz passes nightly-only flags (-Z sanitizer, -C passes=sancov...); only stable Rust is
# installed here, so RUSTC_BOOTSTRAP=1 lets the stable compiler accept them. Inputs go up to
# 6000 bytes, past the default 4096-character cap of the layer.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
# RUNS, when set, stops each target after that many executions instead of after SECONDS.
# SANITIZER (cargo-fuzz's -s: address by default, or none) trades ASan's checks, which only
# unsafe code in dependencies can need (the crate forbids unsafe), for 2-10x the executions.
sanitizer=${SANITIZER:-address}
if [ -n "${RUNS:-}" ]; then limit=(-runs="$RUNS"); else limit=(-max_total_time="$secs"); fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
mkdir -p logs
status=0
summary=()
for target in ${TARGETS:-open request cookie prefix open_data key_file}; do
    mkdir -p "corpus/$target" "artifacts/$target"
    echo "==> fuzzing $target (${RUNS:-${secs}s} ${RUNS:+executions}, sanitizer $sanitizer)"
    started=$(date +%s)
    if cargo fuzz run -s "$sanitizer" "$target" "corpus/$target" -- "${limit[@]}" -max_len=6000 \
        -print_final_stats=1 >"logs/$target.log" 2>&1; then
        result=ok
    else
        result="FAILED (see fuzz/logs/$target.log)"
        status=1
    fi
    # A target that failed to build has no stats line: report it and go on to the next one.
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$target.log" | grep -o '[0-9]*$' | tail -n 1 || true)
    crashes=$(find "artifacts/$target" -type f 2>/dev/null | wc -l)
    corpus=$(find "corpus/$target" -type f | wc -l)
    took=$(($(date +%s) - started))
    summary+=("$target: ${runs:-?} executions in ${took}s, corpus ${corpus}, crashes ${crashes}: ${result}")
done
printf '\n'
printf '%s\n' "${summary[@]}"
exit "$status"
