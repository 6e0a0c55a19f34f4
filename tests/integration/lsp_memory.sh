#!/usr/bin/env bash
# `kmc lsp` over a long editing session: 10 000 edits, resident memory flat (lsp_memory.py).
# Usage: lsp_memory.sh KMC SOURCE_DIR
set -euo pipefail
kmc=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cp -r "$src/examples/shop" "$work/shop"
timeout 600 python3 "$src/tests/integration/lsp_memory.py" "$kmc" "$work/shop" || fail=1
exit $fail
