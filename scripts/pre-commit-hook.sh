#!/usr/bin/env bash
# The pre-commit hook's entry (.pre-commit-hooks.yaml): `kmc check --only-files` on the staged
# files, with the kmc on PATH, or else with one built once from this clone (pre-commit keeps the
# clone in its cache, so the build stays there too; KMC_HOOK_BUILD=1 builds even with a kmc on
# PATH). The build needs what `make build` needs: scripts/install-deps.sh installs it as root,
# and otherwise prints the apt-get command to run.
set -euo pipefail
if [ -z "${KMC_HOOK_BUILD:-}" ] && command -v kmc >/dev/null 2>&1; then
  exec kmc check --no-color --only-files "$@"
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$here/build-hook"
if [ ! -x "$build/kmc" ]; then
  # One build at a time: pre-commit may run hooks of several repositories at once.
  exec 9>"$here/.build-hook.lock"
  flock 9
  if [ ! -x "$build/kmc" ]; then
    echo "kmc: not on PATH; building it once into $build (a few minutes)" >&2
    bash "$here/scripts/install-deps.sh" >&2
    cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" --target kmc -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
  fi
fi
exec "$build/kmc" check --no-color --only-files "$@"
