#!/usr/bin/env bash
# Mutation testing of the core with cargo-mutants (not part of CI: over an hour on 2 cores).
# Which files and which test suites are in .cargo/mutants.toml. Every mutant must be caught or
# named in docs/mutants-equivalent.txt, with the argument for why no test can tell it apart;
# the script fails on any other missed mutant (or timeout), and on a listed one that is now
# caught (the list is then out of date).
#
#   scripts/mutants.sh                 # everything, 2 jobs
#   scripts/mutants.sh --shard 0/4     # a quarter of it; any cargo-mutants option passes on
#   JOBS=1 scripts/mutants.sh -f src/aead.rs
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked
# The Redis suite needs a server; one of our own if none is given.
[ -n "${REDIS_URL:-}" ] || . scripts/private-redis.sh
out=${OUT:-target/mutants}
mkdir -p "$out"
# The baseline: the suites of .cargo/mutants.toml, unmutated, from both packages. cargo-mutants'
# own baseline tests only the mutated package (not its `test_package`), where the integration
# tests are not (they are the tests/suite member), so it is run here and skipped there; each
# mutant then runs the configured packages' tests, bounded by explicit timeouts.
suites=$(sed -n '/^additional_cargo_test_args/,/^]/p' .cargo/mutants.toml | grep -oE '"[^"]+"' | tr -d '"' | tr '\n' ' ')
# shellcheck disable=SC2086 # the suites are words
cargo test --profile mutants --all-features -p sealed-session -p sealed-session-tests -p sealed-session-cli $suites
# cargo-mutants exits 2 when mutants are missed and 3 on timeouts: judged below instead.
status=0
cargo mutants -j "${JOBS:-2}" --output "$out" --baseline=skip --timeout "${TEST_TIMEOUT:-300}" \
    --build-timeout "${BUILD_TIMEOUT:-900}" "$@" || status=$?
[ "$status" -le 3 ] || exit "$status"
results=$out/mutants.out
# Names without line and column, which move whenever the code above them does.
names() { sed -E 's/^([^:]+):[0-9]+:[0-9]+:/\1:/' | sort -u; }
{ grep -v -e '^#' -e '^$' docs/mutants-equivalent.txt || true; } | names >"$results/equivalent-listed.txt"
cat "$results/missed.txt" "$results/timeout.txt" | names >"$results/not-caught.txt"
unexplained=$(comm -13 "$results/equivalent-listed.txt" "$results/not-caught.txt")
tested=$(cat "$results/caught.txt" "$results/missed.txt" "$results/timeout.txt" | names)
stale=$(comm -12 <(printf '%s\n' "$tested" | sort -u) "$results/equivalent-listed.txt" |
    comm -23 - "$results/not-caught.txt")
printf 'caught %d, missed %d (of which listed as equivalent %d), timeouts %d, unviable %d\n' \
    "$(wc -l <"$results/caught.txt")" "$(wc -l <"$results/missed.txt")" \
    "$(comm -12 "$results/equivalent-listed.txt" "$results/not-caught.txt" | wc -l)" \
    "$(wc -l <"$results/timeout.txt")" "$(wc -l <"$results/unviable.txt")"
if [ -n "$unexplained" ]; then
    printf '\nnot caught and not listed in docs/mutants-equivalent.txt:\n%s\n' "$unexplained"
    exit 1
fi
if [ -n "$stale" ]; then
    printf '\nlisted as equivalent but caught now (remove them from the list):\n%s\n' "$stale"
    exit 1
fi
echo "every mutant is caught or listed as equivalent"
