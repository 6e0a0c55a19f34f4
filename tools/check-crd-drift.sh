#!/usr/bin/env bash
# Regenerates the built-in CRDs (the Gateway API's standard channel) from ../shared/k8s/crds and
# fails if they differ from the committed schema/builtin_crds.cc. Exit 77 (CTest: skipped) when
# ../shared is not beside the repository. With --write, writes the file instead (tools/README.md).
set -euo pipefail
gen=$1 src=$2 mode=${3:-check}
release=gateway-api-v1.6.1
dir="$src/../shared/k8s/crds/$release"
if [[ ! -d $dir ]]; then
  echo "SKIPPED: $dir not present"
  exit 77
fi
files=("$dir"/*.yaml)
if [[ $mode == --write ]]; then
  "$gen" "Gateway API v1.6.1, standard channel" "${files[@]}" > "$src/schema/builtin_crds.cc"
  exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$gen" "Gateway API v1.6.1, standard channel" "${files[@]}" > "$out"
if ! cmp -s "$out" "$src/schema/builtin_crds.cc"; then
  echo "schema/builtin_crds.cc is stale: regenerate it (tools/README.md)"
  diff -u "$src/schema/builtin_crds.cc" "$out" | head -20
  exit 1
fi
echo "schema/builtin_crds.cc matches the Gateway API CRDs"
