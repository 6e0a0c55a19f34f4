#!/usr/bin/env bash
# ctest bench_load_arguments: kmc-bench-load takes `-j N` and `-jN` as kmc does, and refuses an
# unknown option or no path with its usage (exit 2) instead of reading the option as a path.
set -u
load=$1 input=$2
fail() { echo "FAIL: $*"; exit 1; }
"$load" -j 2 "$input" | head -1 | grep -q '^jobs=2 ' || fail "-j 2 did not set two jobs"
"$load" -j2 "$input" | head -1 | grep -q '^jobs=2 ' || fail "-j2 did not set two jobs"
"$load" "$input" | head -1 | grep -q '^jobs=1 ' || fail "one job is the default"
"$load" --jobs=2 "$input" >/dev/null 2>&1
[ $? = 2 ] || fail "an unknown option was not refused"
"$load" >/dev/null 2>&1
[ $? = 2 ] || fail "no path was not refused"
echo "ok"
