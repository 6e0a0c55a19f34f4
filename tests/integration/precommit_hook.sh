#!/usr/bin/env bash
# The pre-commit hook as a user meets it: Debian's real `pre-commit`, a throwaway git repository,
# this checkout's .pre-commit-hooks.yaml served from a file:// clone URL, and `git commit`.
#   precommit_hook.sh KMC_BINARY SOURCE_DIR
# A staged label change in one file must fail the commit because of a Service in another; an
# unrelated staged file must not; the same with a .kmc.yaml whose paths are [.].
set -euo pipefail
kmc=$(realpath "$1")
src=$(realpath "$2")
if ! command -v pre-commit >/dev/null; then
  echo "pre-commit is not installed: make test installs it (scripts/install-deps.sh)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$(dirname "$kmc"):$PATH"
export PRE_COMMIT_HOME="$work/cache"  # no user cache touched, nothing fetched
export GIT_AUTHOR_NAME=kmc GIT_AUTHOR_EMAIL=kmc@localhost GIT_COMMITTER_NAME=kmc GIT_COMMITTER_EMAIL=kmc@localhost
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# The hook repository: this checkout's sources as they are (committed or not, in a git checkout
# or not), committed to a repository of their own, which pre-commit clones at a revision.
hooks="$work/hooks"
mkdir -p "$hooks"
tar -C "$src" --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$hooks" -xf -
git init -q "$hooks"
git -C "$hooks" add -A
git -C "$hooks" commit -qm "kmc as it is"
rev=$(git -C "$hooks" rev-parse HEAD)

repo="$work/repo"
git init -q "$repo"
cd "$repo"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: file://$hooks
    rev: $rev
    hooks:
      - id: kmc
YAML
mkdir -p deploy other
cat > deploy/api-deploy.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: "nginx:1.25"}]}
YAML
cat > deploy/api-svc.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80}]
YAML
cat > other/settings.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: other}
data: {mode: fast}
YAML
echo "# demo" > README.md
pre-commit install >/dev/null
git add -A
git commit -qm "a consistent tree" >"$work/out" 2>&1 || { cat "$work/out"; fail "the first, consistent commit was refused"; }

# 1. The Deployment's labels change, only its file is staged: the Service in the other file
#    selects no pod now, and the commit fails because of it.
sed -i 's/app: api}/app: api-v2}/g' deploy/api-deploy.yaml
git add deploy/api-deploy.yaml
if git commit -qm "relabel" >"$work/out" 2>&1; then cat "$work/out"; fail "a relabelled Deployment passed the hook"; fi
grep -q 'deploy/api-svc.yaml:5:19: warning\[service/no-matching-pods\]' "$work/out" ||
  { cat "$work/out"; fail "the hook did not name the Service that lost its pods"; }

# 2. The same with a .kmc.yaml whose paths are [.] (kmc matched no file there before).
printf 'paths: [.]\n' > .kmc.yaml
git add .kmc.yaml deploy/api-deploy.yaml
if git commit -qm "relabel, with a config" >"$work/out" 2>&1; then cat "$work/out"; fail "with paths: [.], the relabelled Deployment passed"; fi
grep -q 'service/no-matching-pods' "$work/out" || { cat "$work/out"; fail "with paths: [.], no Service named"; }
git reset -q --hard HEAD

# 3. An unrelated change (another namespace's ConfigMap) passes, although nothing else changed.
sed -i 's/fast/slow/' other/settings.yaml
git add other/settings.yaml
git commit -qm "unrelated" >"$work/out" 2>&1 || { cat "$work/out"; fail "an unrelated change was refused"; }
grep -q 'Passed' "$work/out" || { cat "$work/out"; fail "the hook did not run on the unrelated change"; }

# 4. No kmc on PATH: the hook builds one on first use, into pre-commit's clone of the hook
#    repository (its cache), and fails the relabelled Deployment with it; the second run reuses it.
if [ -n "${KMC_HOOK_TEST_BUILD:-1}" ] && [ "${KMC_HOOK_TEST_BUILD:-1}" != 0 ]; then
  export PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vx "$(dirname "$kmc")" | paste -sd: -)
  if command -v kmc >/dev/null; then export KMC_HOOK_BUILD=1; fi  # another kmc on PATH: build all the same
  sed -i 's/app: api}/app: api-v2}/g' deploy/api-deploy.yaml
  git add deploy/api-deploy.yaml
  if git commit -qm "relabel, built" >"$work/out" 2>&1; then cat "$work/out"; fail "the built hook passed a relabelled Deployment"; fi
  grep -q 'building it once' "$work/out" || { cat "$work/out"; fail "the hook did not build kmc"; }
  grep -q 'service/no-matching-pods' "$work/out" || { cat "$work/out"; fail "the built kmc did not name the Service"; }
  ls "$PRE_COMMIT_HOME"/repo*/build-hook/kmc >/dev/null 2>&1 || fail "kmc was not built into pre-commit's cache"
  if git commit -qm "relabel, again" >"$work/out" 2>&1; then fail "the second run passed"; fi
  if grep -q 'building it once' "$work/out"; then cat "$work/out"; fail "the hook built kmc twice"; fi
  git reset -q --hard HEAD
  echo "pre-commit hook: 4 scenarios passed (kmc on PATH, and built on first use)"
else
  echo "pre-commit hook: 3 scenarios passed (KMC_HOOK_TEST_BUILD=0: the build on first use was not tried)"
fi
