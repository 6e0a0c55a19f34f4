#!/usr/bin/env bash
# `kmc lsp` in a real editor: headless Neovim (Debian's) drives it through its built-in LSP client
# on a copy of examples/shop (lsp_neovim.lua says what it edits and checks).
# Usage: lsp_neovim.sh KMC SOURCE_DIR
set -euo pipefail
kmc=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if ! command -v nvim >/dev/null; then
  echo "FAIL: nvim is not installed (make test-deps installs it)"
  exit 1
fi
cp -r "$src/examples/shop" "$work/shop"
# Neovim's own files (shada, logs) stay in the scratch directory.
export XDG_STATE_HOME="$work/state" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
if KMC="$kmc" ROOT="$work/shop" timeout 120 nvim --headless -u NONE -i NONE -n \
  -c "luafile $src/tests/integration/lsp_neovim.lua" >"$work/out" 2>&1; then
  cat "$work/out"
else
  cat "$work/out"
  bad "Neovim's run of lsp_neovim.lua failed"
fi
grep -q '^FAIL' "$work/out" && fail=1
exit $fail
