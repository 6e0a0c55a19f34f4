#pragma once
#include <string>

#include "parser/node.h"

// A parsed or rendered tree written back as block YAML that reads back to the same values: a
// string that would read as something else (`true`, `1.0`, `null`, `0x1f`, an indicator) is
// quoted, a multi-line one is a literal block when that is exact. For objects that have no
// source text of their own (kustomize renders them).
namespace kmc::render {
using parser::Node;

void emit_yaml(const Node& root, std::string* out);

}  // namespace kmc::render
