#!/usr/bin/env bash
# Regenerates the embedded schema from ../shared/k8s and fails if it differs from the committed
# schema/api_releases.cc or schema/api_descriptions.cc. Exit 77 (CTest: skipped) when ../shared is
# not beside the repository. With --write, writes the files instead (tools/README.md).
set -euo pipefail
gen=$1 src=$2 mode=${3:-check}
k8s="$src/../shared/k8s"
if [[ ! -f "$k8s/openapi-v1.36.json" || ! -f "$k8s/enums-v1.36.json" || ! -f "$k8s/api-removals.json" ]]; then
  echo "SKIPPED: $k8s not present"
  exit 77
fi
args=("$k8s/enums-v1.36.json" "$k8s/api-removals.json")
for minor in 28 29 30 31 32 33 34 35; do args+=("1.$minor=$k8s/versions/openapi-v1.$minor.json"); done
args+=("1.36=$k8s/openapi-v1.36.json")
if [[ $mode == --write ]]; then
  "$gen" "${args[@]}" > "$src/schema/api_releases.cc"
  "$gen" --descriptions "${args[@]}" > "$src/schema/api_descriptions.cc"
  exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for file in api_releases.cc api_descriptions.cc; do
  if [[ $file == api_descriptions.cc ]]; then "$gen" --descriptions "${args[@]}" > "$out"; else "$gen" "${args[@]}" > "$out"; fi
  if ! cmp -s "$out" "$src/schema/$file"; then
    echo "schema/$file is stale: regenerate it (tools/README.md)"
    diff -u "$src/schema/$file" "$out" | head -40
    exit 1
  fi
done
echo "schema/api_releases.cc and schema/api_descriptions.cc match the OpenAPI documents"
