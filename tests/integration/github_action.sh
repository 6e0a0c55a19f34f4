#!/usr/bin/env bash
# The GitHub Action (action.yml) as a runner would run it, without GitHub: every `run` step
# calls a script that exists with inputs the action declares; the install step downloads the
# release tarball (here from a file:// "releases" directory holding the one `make dist` built)
# and puts kmc on GITHUB_PATH; the check step annotates the diff with workspace-relative paths,
# writes SARIF and records the exit status for the last step.
# Usage: github_action.sh TARBALL SOURCE_DIR
set -euo pipefail
tarball=$(realpath "$1")
src=$(realpath "$2")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The action's definition: declared inputs only, scripts that exist, SARIF upload wired.
python3 - "$src/action.yml" "$src" <<'PY' && ok "action.yml: steps, inputs and scripts agree" || bad "action.yml"
import re, sys, os, yaml
action = yaml.safe_load(open(sys.argv[1]))
assert action["runs"]["using"] == "composite"
declared = set(action["inputs"])
text = open(sys.argv[1]).read()
used = set(re.findall(r"inputs\.([a-z-]+)", text))
assert used <= declared, f"undeclared inputs: {used - declared}"
steps = action["runs"]["steps"]
for s in steps:
    if "run" in s:
        assert s.get("shell") == "bash", s
        for script in re.findall(r'\$GITHUB_ACTION_PATH/([\w/.-]+)', s["run"]):
            assert os.path.exists(os.path.join(sys.argv[2], script)), script
assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)
assert "exit ${{ steps.check.outputs.status }}" in steps[-1]["run"]
PY

version=$(basename "$tarball" | sed -E 's/^kmc-(.*)-linux-[^-]+\.tar\.gz$/\1/')
mkdir -p "$work/releases/v$version" "$work/runner"
cp "$tarball" "$work/releases/v$version/"
export RUNNER_TEMP="$work/runner" GITHUB_PATH="$work/github_path" GITHUB_OUTPUT="$work/github_output"
: >"$GITHUB_PATH"; : >"$GITHUB_OUTPUT"
INPUT_VERSION="v$version" INPUT_DOWNLOAD_URL="file://$work/releases" GITHUB_ACTION_PATH="$src" \
  bash "$src/scripts/github-action.sh" install >"$work/install.log" 2>&1 && ok "install: downloaded v$version" ||
  { bad "install: $(cat "$work/install.log")"; exit 1; }
bin=$(cat "$GITHUB_PATH")
[ -x "$bin/kmc" ] && ok "install: kmc on GITHUB_PATH ($bin)" || bad "install: no kmc in $bin"
INPUT_VERSION="v9.9.9" INPUT_DOWNLOAD_URL="file://$work/releases" GITHUB_ACTION_PATH="$src" \
  bash "$src/scripts/github-action.sh" install >/dev/null 2>&1 && bad "install: a missing release succeeded" ||
  ok "install: a missing release fails the step"

# A repository whose Service selects no pod.
repo="$work/repo"
mkdir -p "$repo/deploy"
write_lonely_service "$repo/deploy/web.yaml"
PATH="$bin:$PATH" GITHUB_WORKSPACE="$repo" INPUT_PATHS="deploy/" INPUT_FAIL_ON=warning INPUT_SARIF=kmc.sarif \
  bash "$src/scripts/github-action.sh" check >"$work/check.log" 2>&1 || bad "check: the step itself failed: $(cat "$work/check.log")"
grep -qE '^::(error|warning) file=deploy/web.yaml,line=[0-9]+' "$work/check.log" && ok "check: annotations on deploy/web.yaml" ||
  bad "check: no annotation: $(cat "$work/check.log")"
grep -qx 'status=1' "$GITHUB_OUTPUT" && ok "check: status=1 recorded for the last step" || bad "check: output $(cat "$GITHUB_OUTPUT")"
python3 - "$repo/kmc.sarif" <<'PY' && ok "check: SARIF with the finding at deploy/web.yaml" || bad "check: SARIF"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
assert uris == {"deploy/web.yaml"}, uris
assert run["invocations"][0]["executionSuccessful"] is True
PY
# Fixed, the same steps pass.
cat >>"$repo/deploy/web.yaml" <<'YAML'
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]
YAML
: >"$GITHUB_OUTPUT"
PATH="$bin:$PATH" GITHUB_WORKSPACE="$repo" INPUT_PATHS="deploy/" INPUT_SARIF=kmc.sarif \
  bash "$src/scripts/github-action.sh" check >"$work/check.log" 2>&1
grep -qx 'status=0' "$GITHUB_OUTPUT" && ok "check: a clean tree records status=0" || bad "check: clean tree: $(cat "$work/check.log")"
exit $fail
