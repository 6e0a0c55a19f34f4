#!/usr/bin/env bash
# `kmc lsp` under the client library VS Code uses (lsp-client/client.js says what it checks),
# on a copy of examples/shop. The npm packages are pinned and cached (scripts/install-lsp-client.sh).
# Usage: lsp_vscode_client.sh KMC SOURCE_DIR
set -euo pipefail
kmc=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
modules=$(bash "$src/scripts/install-lsp-client.sh")/node_modules
cp -r "$src/examples/shop" "$work/shop"
NODE_PATH="$modules" timeout 120 node "$src/tests/integration/lsp-client/client.js" "$kmc" "$work/shop" || fail=1
exit $fail
