#!/usr/bin/env bash
# The completion scripts of `kmc completion` in the real shells, as a user has them: bash's
# completion function over a command line, fish's `complete -C`, and an interactive zsh (driven
# through zsh/zpty) pressing Tab. Also the man page through groff, which must not warn.
# Usage: completion.sh KMC
set -euo pipefail
kmc=$(realpath "$1")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
expect() {  # what, got, wanted (a word that must be among the candidates)
  if grep -qw -- "$3" <<<"$2"; then ok "$1"; else bad "$1: wanted $3, got: $2"; fi
}
refuse() {  # what, got, unwanted
  if grep -qw -- "$3" <<<"$2"; then bad "$1: did not want $3, got: $2"; else ok "$1"; fi
}

# bash: the function the script registers, over COMP_WORDS as readline would fill them.
"$kmc" completion bash >"$work/kmc.bash"
bash_complete() {  # words... (the last is the one being completed)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kmc; echo "${COMPREPLY[*]}"' _ "$work/kmc.bash" "$@"
}
expect "bash: commands" "$(bash_complete kmc "")" check
expect "bash: a prefix" "$(bash_complete kmc exp)" explain
refuse "bash: a hidden command" "$(bash_complete kmc "")" manpage
expect "bash: --format's values" "$(bash_complete kmc check --format "")" sarif
expect "bash: options" "$(bash_complete kmc graph --exp)" --expand
expect "bash: rule ids" "$(bash_complete kmc explain storage/claim-u)" storage/claim-unbound
touch "$work/app.yaml"
expect "bash: paths" "$(cd "$work" && bash_complete kmc check ap)" app.yaml

# fish: `complete -C` prints what Tab would offer.
if command -v fish >/dev/null; then
  "$kmc" completion fish >"$work/kmc.fish"
  fish_complete() { fish --no-config -c "source $work/kmc.fish; complete -C '$1'" | cut -f1; }
  expect "fish: commands" "$(fish_complete 'kmc ')" graph
  expect "fish: --fail-on's values" "$(fish_complete 'kmc check --fail-on ')" none
  expect "fish: options" "$(fish_complete 'kmc check --only')" --only-files
  expect "fish: rule ids" "$(fish_complete 'kmc explain service/no-')" service/no-matching-pods
else
  bad "fish is not installed (KMC_WITH_TESTS=1 scripts/install-deps.sh)"
fi

# zsh: an interactive shell with compinit and the script on fpath; Tab completes the word.
if command -v zsh >/dev/null; then
  mkdir -p "$work/zfunc"
  "$kmc" completion zsh >"$work/zfunc/_kmc"
  zsh -n "$work/zfunc/_kmc" || bad "zsh: the script does not parse"
  zsh_complete() {  # line, pattern the screen must show within 10 s
    ZFUNC="$work/zfunc" LINE="$1" WANT="$2" timeout 30 zsh -f -c '
      zmodload zsh/zpty
      zpty z "zsh -f -i"
      zpty -w z "PS1=\"> \"; fpath=($ZFUNC \$fpath); autoload -Uz compinit; compinit -u -D; kmc() { :; }"
      zpty -wn z "$LINE"$'"'"'\t'"'"'
      out=""
      for i in {1..100}; do
        zpty -rt z chunk 2>/dev/null && out+=$chunk
        [[ $out == *$WANT* ]] && { print found; break; }
        sleep 0.1
      done
      zpty -d z' || true
  }
  for case in "kmc expl|explain" "kmc check --format sa|sarif" "kmc explain storage/claim-u|storage/claim-unbound" \
              "kmc graph --exp|--expand"; do
    line=${case%%|*} want=${case#*|}
    if [ "$(zsh_complete "$line" "$want")" = found ]; then ok "zsh: $line"; else bad "zsh: $line: no $want"; fi
  done
else
  bad "zsh is not installed (KMC_WITH_TESTS=1 scripts/install-deps.sh)"
fi

# The man page: groff reads it without a warning, and it documents every visible command.
"$kmc" manpage >"$work/kmc.1"
warnings=$(groff -man -Tutf8 -ww -z "$work/kmc.1" 2>&1 || true)
[ -z "$warnings" ] && ok "man: no groff warning" || bad "man: $warnings"
page=$(MANWIDTH=100 man -l "$work/kmc.1" 2>/dev/null || groff -man -Tutf8 "$work/kmc.1")
for word in "kmc check" "kmc compile" "kmc graph" "kmc explain" "--only-files" "EXIT STATUS" "NO_COLOR"; do
  grep -qF -- "$word" <<<"$page" && ok "man: $word" || bad "man: no $word"
done
exit $fail
