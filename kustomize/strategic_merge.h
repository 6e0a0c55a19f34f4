#pragma once
#include <string>

#include "core/arena.h"
#include "kustomize/merge_schema.h"
#include "kustomize/rnode.h"

// kustomize v5.7's strategic merge patch (kyaml's merge2 walk, with patch items prepended), on
// kmc's trees. It is kyaml's, not the API server's: the strategies of the 1.21 schema
// (kustomize/merge_schema.h), the directive `$patch: delete|replace|merge` on maps and lists;
// `$setElementOrder`, `$retainKeys` and `$deleteFromPrimitiveList` kustomize does not know, and
// merges in as ordinary fields (which the schema check then reports). A value the patch sets
// keeps the patch's position.
namespace kmc::kustomize {

struct MergeResult {
  bool ok = true;
  bool deleted = false;  // `$patch: delete` on the object: it leaves the build
  std::string error;     // kustomize's complaint when !ok
};

// Merges `patch` into `target` (both objects). `patch` is consumed. The target keeps its kind,
// name and namespace, as kustomize restores them after the merge.
MergeResult strategic_merge(RNode* target, RNode patch, Arena* text);

}  // namespace kmc::kustomize
