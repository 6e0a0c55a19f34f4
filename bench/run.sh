#!/usr/bin/env bash
# `make bench`: generates 100 000 objects once (bench/out), then measures the loader alone,
# model+rules alone, and the whole `kmc check` with -j1 and all cores.
set -euo pipefail
build=${1:-build-release}
objects=${KMC_BENCH_OBJECTS:-100000}
tree=bench/out/tree-$objects
if [ ! -d "$tree" ]; then "$build/kmc-bench-gen" --objects "$objects" --seed 1 --out "$tree"; fi
bytes=$(du -sb "$tree" | cut -f1)
echo "== corpus: $objects objects, $((bytes / 1000000)) MB in $tree"
echo "== stages, one thread"
"$build/kmc-bench-load" -j 1 "$tree"
echo "== stages, all cores"
"$build/kmc-bench-load" -j "$(nproc)" "$tree"
for j in 1 "$(nproc)"; do
  echo "== kmc check -j $j --format json > /dev/null"
  /usr/bin/time -f "%e s wall, %M KB peak RSS" "$build/kmc" check -j "$j" --format json --fail-on none "$tree" >/dev/null 2>/tmp/kmc-bench-time || true
  tail -1 /tmp/kmc-bench-time | awk -v b="$bytes" '{ printf "  %s s wall  %.1f MB/s  %s\n", $1, b / 1e6 / $1, substr($0, index($0, ",") + 2) }'
done
