#!/usr/bin/env bash
# Regenerates the embedded schema from ../shared/k8s and fails if it differs from the committed
# schema/api_v1_36.cc. Exit 77 (CTest: skipped) when ../shared is not beside the repository.
set -euo pipefail
gen=$1 src=$2
k8s="$src/../shared/k8s"
if [[ ! -f "$k8s/openapi-v1.36.json" || ! -f "$k8s/enums-v1.36.json" ]]; then
  echo "SKIPPED: $k8s not present"
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$gen" "$k8s/openapi-v1.36.json" "$k8s/enums-v1.36.json" 1.36 > "$out"
if ! cmp -s "$out" "$src/schema/api_v1_36.cc"; then
  echo "schema/api_v1_36.cc is stale: regenerate it (tools/README.md)"
  diff -u "$src/schema/api_v1_36.cc" "$out" | head -40
  exit 1
fi
echo "schema/api_v1_36.cc matches the OpenAPI document"
