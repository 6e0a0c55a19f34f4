#pragma once
#include <cstdint>
#include <vector>

#include "core/arena.h"
#include "core/finding.h"
#include "core/source.h"
#include "kustomize/rnode.h"
#include "parser/node.h"

// YAML written inside a kustomization's string (an inline patch, `patch: |-`). Written as a
// literal block (`|`), its lines are the file's lines: it is parsed in place, and each node
// points at the line and column it has in the kustomization. Written any other way (quoted,
// folded), every node points at the string.
namespace kmc::kustomize {

// The documents of string `value` of file `file` (whose source is `source`), as trees whose text
// lives in `arena`. Syntax errors are findings (syntax/yaml), at their lines.
std::vector<RNode> parse_inline_yaml(const parser::Node& value, const SourceFile& source, uint32_t file,
                                     Arena* arena, std::vector<Finding>* findings);

}  // namespace kmc::kustomize
