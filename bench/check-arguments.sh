#!/usr/bin/env bash
# ctest bench_tool_arguments: kmc-bench-load takes `-j N` and `-jN` as kmc does, and both bench
# tools refuse an unknown option or a missing value with their usage (exit 2) instead of reading
# the option as a path or ignoring it.
set -u
load=$1 input=$2 gen=$3
fail() { echo "FAIL: $*"; exit 1; }
"$load" -j 2 "$input" | head -1 | grep -q '^jobs=2 ' || fail "-j 2 did not set two jobs"
"$load" -j2 "$input" | head -1 | grep -q '^jobs=2 ' || fail "-j2 did not set two jobs"
"$load" "$input" | head -1 | grep -q '^jobs=1 ' || fail "one job is the default"
"$load" --jobs=2 "$input" >/dev/null 2>&1
[ $? = 2 ] || fail "an unknown option was not refused"
"$load" >/dev/null 2>&1
[ $? = 2 ] || fail "no path was not refused"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$gen" "$out/tree" >/dev/null 2>&1
[ $? = 2 ] || fail "kmc-bench-gen took a path without --out"
"$gen" --objects >/dev/null 2>&1
[ $? = 2 ] || fail "kmc-bench-gen took an option without its value"
"$gen" --objects 120 --out "$out/tree" >/dev/null || fail "kmc-bench-gen --objects 120 --out DIR failed"
"$load" "$out/tree" | head -1 | grep -q ' objects=120 ' || fail "the generated tree does not hold 120 objects"
echo "ok"
