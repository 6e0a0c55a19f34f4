#!/usr/bin/env bash
# `make leak-check`: the demo's commands under valgrind; fails on any leak or memory error.
# kmc links jemalloc, so valgrind is told to replace it as it replaces glibc's malloc.
set -euo pipefail
kmc=${1:-build/kmc}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() {
  echo "== valgrind kmc $*"
  valgrind -q --num-callers=64 --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=9 \
    --soname-synonyms=somalloc=*jemalloc* --suppressions=scripts/graphviz.supp \
    "$kmc" "$@" >/dev/null
}
run check examples/ --fail-on none
run check examples/ --format sarif --fail-on none
run graph examples/
run compile examples/
run compile examples/ -o "$out/compiled"
run compile examples/ -o "$out/compiled" --force
printf 'paths: [%s/examples]\n' "$PWD" > "$out/kmc.yaml"
run check --config "$out/kmc.yaml" --only-files examples/shop/30-catalog.yaml --fail-on none
if "$kmc" graph examples/ -o "$out/probe.svg" 2>/dev/null; then run graph examples/ -o "$out/topology.svg"; fi
echo "== no leaks, no memory errors"
