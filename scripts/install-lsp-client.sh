#!/usr/bin/env bash
# Installs the npm packages the editor-protocol test drives `kmc lsp` with: vscode-jsonrpc and
# vscode-languageserver-protocol, the libraries VS Code's own client is built on, pinned with
# their SHA-512s by tests/integration/lsp-client/package-lock.json. Test-only, and cached: the
# download happens once per machine. Prints the directory holding node_modules/.
#
#   scripts/install-lsp-client.sh           # installs when missing, prints the directory
set -euo pipefail
src=$(cd "$(dirname "$0")/../tests/integration/lsp-client" && pwd)
lock_sum=$(sha256sum "$src/package-lock.json" | cut -c1-16)
dir=${KMC_LSP_CLIENT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kmc/lsp-client-$lock_sum}

if [ ! -f "$dir/node_modules/vscode-languageserver-protocol/package.json" ]; then
  if ! command -v npm >/dev/null; then
    s=(); [ "$(id -u)" -eq 0 ] || s=(sudo -n)
    { "${s[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${s[@]}" apt-get install -y -qq npm >/dev/null; } ||
      echo "install-lsp-client: could not install npm" >&2
  fi
  command -v npm >/dev/null || { echo "install-lsp-client: npm is needed (apt-get install npm)" >&2; exit 2; }
  mkdir -p "$dir"
  cp "$src/package.json" "$src/package-lock.json" "$dir/"
  echo "install-lsp-client: fetching vscode-languageserver-protocol 3.17.5" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --silent >/dev/null)
fi
echo "$dir"
