#!/usr/bin/env bash
# The differential test of kmc's kustomize rendering (issue: check what is actually deployed):
# every kustomization directory in testdata/ and ../shared/corpus is built by the
# reference kustomize (v5.7.1 inside kubectl v1.35.2, scripts/install-reference.sh) and
# rendered by `kmc compile`, and
#   - where kustomize builds it and kmc renders it, the objects must be the same, field by field;
#   - where kustomize refuses it, kmc must report a kustomize/* error;
#   - where kmc does not render it (kustomize/unsupported, or a note that it does not render a
#     feature yet), the directory must be listed in
#     tests/integration/kustomize_unrendered.txt, and every directory listed must still be
#     unrendered: the list says what is left to build, and it can only shrink.
# Usage: kustomize_reference.sh KMC SOURCE_DIR
set -uo pipefail
kmc=$(realpath "$1")
src=$(realpath "$2")
. "$src/tests/integration/lib.sh"

ref_dir=$(bash "$src/scripts/install-reference.sh") || { bad "the reference kubectl could not be installed"; exit 1; }
kubectl="$ref_dir/kubectl"
python3 -c 'import yaml' 2>/dev/null || { bad "python3 with PyYAML is needed (apt-get install python3-yaml)"; exit 1; }

dirs=()
while IFS= read -r f; do dirs+=("$(dirname "$f")"); done < <(
  cd "$src" && find testdata -name kustomization.yaml -o -name kustomization.yml -o -name Kustomization | sort)
corpus="$src/../shared/corpus"
if [ -d "$corpus" ]; then
  while IFS= read -r f; do dirs+=("../shared/corpus/$(dirname "$f")"); done < <(
    cd "$corpus" && find . -name kustomization.yaml -o -name kustomization.yml -o -name Kustomization | sed 's|^\./||' | sort)
fi

cd "$src"
unrendered="$work/unrendered"
: >"$unrendered"
same=0 refused=0
for d in "${dirs[@]}"; do
  # A component is built only inside a kustomization that lists it.
  if grep -qE '^kind:[[:space:]]*Component' "$d"/kustomization.y*ml "$d"/Kustomization 2>/dev/null; then continue; fi
  ref_ok=0
  timeout 60 "$kubectl" kustomize "$d" >"$work/ref.yaml" 2>"$work/ref.err" && ref_ok=1
  "$kmc" check --no-config --format json "$d" >"$work/check.json" 2>"$work/check.err"
  # What kustomize refuses, kmc reports as a kustomize/* error; a dead patch (a target that selects
  # nothing, which kustomize applies to nothing without a word) is an error of kmc's only.
  errors=$(python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if f["rule"].startswith("kustomize/") and f["severity"]=="error" and "applies the patch to nothing" not in f["message"]))' "$work/check.json")
  unsupported=$(python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if f["rule"]=="kustomize/unsupported"))' "$work/check.json")
  # A root kmc does not render yet is named in a note: "the kustomization DIR (...) is checked file by file".
  if grep -q "the kustomization $d (.*) is checked file by file" "$work/check.err"; then unsupported=1; fi
  if [ "$unsupported" != 0 ]; then
    echo "$d" >>"$unrendered"
    continue
  fi
  if [ $ref_ok = 0 ]; then
    if [ "$errors" = 0 ]; then bad "$d: kustomize refuses it ($(grep -m1 -v '^#' "$work/ref.err" | cut -c1-200)), kmc reports no kustomize/* error"
    else refused=$((refused + 1)); fi
    continue
  fi
  if [ "$errors" != 0 ]; then
    bad "$d: kustomize builds it, kmc reports a kustomize/* error"
    continue
  fi
  "$kmc" compile --no-config "$d" >"$work/kmc.yaml" 2>"$work/kmc.err"
  if diff_text=$(python3 "$src/tests/integration/kustomize_compare.py" "$work/ref.yaml" "$work/kmc.yaml"); then
    same=$((same + 1))
  else
    bad "$d: $diff_text"
  fi
done

listed="$src/tests/integration/kustomize_unrendered.txt"
if ! diff <(grep -v '^#' "$listed" | sort) <(sort "$unrendered") >"$work/list.diff"; then
  bad "the directories kmc does not render differ from $listed (< listed, > now):"
  cat "$work/list.diff"
fi
echo "kustomize reference: $same rendered identically, $refused refused by both, $(wc -l <"$unrendered") not rendered by kmc yet"
[ $fail = 0 ] && ok "kmc renders as kustomize v5.7.1 builds"
exit $fail
