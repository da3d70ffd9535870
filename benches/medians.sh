#!/usr/bin/env bash
# Medians of the last criterion run, as a markdown table, with each one's ratio to a reference
# in the same group (the same run): codec against floor_ring, request against bare_handler.
# Usage: benches/medians.sh   (after `cargo bench -p sealed-session-benches --bench codec --bench request`)
set -euo pipefail
cd "$(dirname "$0")/../target/criterion"
table() {
    local group=$1 ref=$2
    local ref_ns
    ref_ns=$(jq '.median.point_estimate' "$group/$ref/new/estimates.json")
    printf '\n| %s | median (ns) | / %s |\n|---|---:|---:|\n' "$group" "$ref"
    for dir in "$group"/*/; do
        name=$(basename "$dir")
        [ -f "$dir/new/estimates.json" ] || continue
        jq -r --arg n "$name" --argjson r "$ref_ns" \
            '"| \($n) | \(.median.point_estimate | round) | \((.median.point_estimate / $r * 100 | round) / 100) |"' \
            "$dir/new/estimates.json"
    done
}
table codec floor_ring
table request bare_handler
