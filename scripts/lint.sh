#!/usr/bin/env bash
# `make lint`: the style guide's checks (../shared/docs/style.md §2), each named in the guide.
#   headers   every header compiles alone (the kmc-headers-alone target of BUILD_DIR)
#   tidy      clang-tidy with .clang-tidy: naming, function size and complexity, globals
#   size      headers up to 200 lines, .cc files up to 600 (generated tables excepted)
#   own       no shared_ptr, no new or delete outside placement new: ownership is in the type
#   name      no file named util, helpers, common or manager
#   ns        a folder's code is in the folder's namespace (kmc::parser, …); core/ is kmc itself
# Findings that predate a check are listed in scripts/lint-baseline.txt, one key a line. A
# finding not listed fails, and so does a listed one that is gone (remove its line): the list
# only shrinks. Usage: lint.sh BUILD_DIR (configured, with compile_commands.json)
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
baseline=scripts/lint-baseline.txt
found=$(mktemp)
trap 'rm -f "$found"' EXIT
sources=(core parser kustomize schema checks driver render lsp cli)

echo "== headers alone"
cmake --build "$build" --target kmc-headers-alone -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

echo "== clang-tidy"
# Each clang-tidy writes its own file (parallel ones sharing a pipe could cut each other's lines).
# A key a finding: the check, the file and the name it is about (line numbers move).
tidy_out=$(mktemp -d)
find "${sources[@]}" -name '*.cc' ! -name 'api_releases.cc' ! -name 'api_descriptions.cc' ! -name 'builtin_crds.cc' | sort |
  xargs -P "$(nproc 2>/dev/null || echo 2)" -n 4 sh -c 'clang-tidy -p "$0" --quiet "$@" >"$(mktemp -p '"$tidy_out"')" 2>/dev/null || true' "$build"
cat "$tidy_out"/* |
  sed -nE "s|^$PWD/([^:]+):[0-9]+:[0-9]+: warning: [^']*'([^']+)'.*\[([a-z-]+)\]$|tidy \3 \1 \2|p" >>"$found" || true
rm -rf "$tidy_out"

echo "== sizes, ownership, names, namespaces"
for f in $(find "${sources[@]}" -name '*.h' -o -name '*.cc' | sort); do
  lines=$(wc -l <"$f")
  case "$f" in
    *.h) [ "$lines" -le 200 ] || echo "size $f" >>"$found" ;;
    *.cc) head -3 "$f" | grep -qi 'generated' || [ "$lines" -le 600 ] || echo "size $f" >>"$found" ;;
  esac
  case "$(basename "$f")" in util.* | helpers.* | common.* | manager.*) echo "name $f" >>"$found" ;; esac
done
for d in parser kustomize schema checks driver render lsp cli; do
  grep -lE '^namespace kmc \{' -r "$d" --include=*.h --include=*.cc | sed 's|^|ns |' >>"$found" || true
done
# ctest's test discovery splits a name at ';': such a Catch2 case would never run under ctest.
grep -lE 'TEST_CASE\("[^"]*;' tests/*.cc | sed 's|^|test-name |' >>"$found" || true
# (The API's own prose, schema/api_descriptions.cc, says "new" and "delete" in its own sense.)
grep -rnE 'shared_ptr|(^|[^a-z_])new [A-Za-z_:]+[\[(]|(^|[^=] )delete [a-z_]' --include=*.h --include=*.cc \
  --exclude=api_descriptions.cc "${sources[@]}" |
  grep -vE '^[^:]+:[0-9]+: *//' | sed -E 's|^([^:]+):.*|own \1|' >>"$found" || true

sort -u "$found" -o "$found"
new=$(comm -13 <(sort -u "$baseline") "$found")
gone=$(comm -23 <(sort -u "$baseline") "$found")
status=0
if [ -n "$new" ]; then
  echo "lint: new findings (fix them; the style guide says how):"
  sed 's/^/  /' <<<"$new"
  status=1
fi
if [ -n "$gone" ]; then
  echo "lint: fixed, so remove these lines from $baseline:"
  sed 's/^/  /' <<<"$gone"
  status=1
fi
[ $status = 0 ] && echo "lint: clean ($(wc -l <"$baseline") findings in the baseline)"
exit $status
