#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml), kept here so that they run (and are tested,
# tests/integration/github_action.sh) outside GitHub too.
#   github-action.sh install   puts kmc on PATH: the release tarball of INPUT_VERSION from
#                              INPUT_DOWNLOAD_URL, or, without a version, one built from the
#                              action's own source with `make dist`
#   github-action.sh check     runs kmc check on INPUT_PATHS twice: annotations for the diff
#                              (--format github) and a SARIF file for code scanning; records the
#                              exit status in GITHUB_OUTPUT (status=) for the last step
# GitHub sets GITHUB_ACTION_PATH, GITHUB_WORKSPACE, GITHUB_PATH, GITHUB_OUTPUT and RUNNER_TEMP.
set -euo pipefail
step=${1:?install or check}
case "$step" in
  install)
    dest="${RUNNER_TEMP:-/tmp}/kmc"
    mkdir -p "$dest"
    if [ -n "${INPUT_VERSION:-}" ]; then
      version=${INPUT_VERSION#v}
      arch=$(uname -m)
      url="${INPUT_DOWNLOAD_URL%/}/${INPUT_VERSION}/kmc-${version}-linux-${arch}.tar.gz"
      echo "kmc: downloading $url"
      curl --fail --silent --show-error --location --proto '=https,file' "$url" -o "$dest/kmc.tar.gz"
      tar -xzf "$dest/kmc.tar.gz" -C "$dest" --strip-components=1
    else
      echo "kmc: building from the action's source (make dist)"
      make -C "$GITHUB_ACTION_PATH" dist >&2
      tar -xzf "$GITHUB_ACTION_PATH"/dist/kmc-*.tar.gz -C "$dest" --strip-components=1
    fi
    "$dest/bin/kmc" --version
    echo "$dest/bin" >>"$GITHUB_PATH"
    ;;
  check)
    cd "$GITHUB_WORKSPACE"
    read -r -a paths <<<"${INPUT_PATHS:-.}"
    args=(--fail-on "${INPUT_FAIL_ON:-warning}")
    [ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
    set +e
    kmc check --format github "${args[@]}" "${paths[@]}"
    status=$?
    if [ -n "${INPUT_SARIF:-}" ]; then
      kmc check --format sarif "${args[@]}" "${paths[@]}" >"$INPUT_SARIF"
      sarif_status=$?
      # A SARIF run that could not read its input wrote no report (exit 2): say so.
      [ $sarif_status -le 1 ] || status=$sarif_status
    fi
    set -e
    echo "status=$status" >>"$GITHUB_OUTPUT"
    ;;
  *)
    echo "github-action.sh: install or check, not $step" >&2
    exit 2
    ;;
esac
