#pragma once
#include <string>

#include "core/arena.h"
#include "core/position.h"
#include "kustomize/rnode.h"

// JSON patches (RFC 6902) as kustomize v5.7 applies them (through evanphx/json-patch v4): `add`,
// `remove`, `replace`, `move`, `copy` and `test`, paths as JSON pointers (`~1` for `/`, `~0` for
// `~`, `-` for the end of a list, negative indices from its end). Like that library, `replace`
// of a missing field adds it, and every other path must exist. A value an operation sets keeps
// the position of the patch line that wrote it.
namespace kmc::kustomize {

struct JsonPatchError {
  std::string message;  // empty: the patch applied
  Position pos;         // the operation that failed
};

// Applies the operations of `ops` (a sequence of mappings) to `target`, in order; the first that
// fails stops the patch. New keys' text is kept in `text`.
JsonPatchError json_patch(RNode* target, const RNode& ops, Arena* text);

}  // namespace kmc::kustomize
