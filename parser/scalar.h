#pragma once
#include <cstdint>
#include <string_view>

#include "parser/node.h"

namespace kmc::parser {

// Resolves a plain (unquoted) scalar the way Kubernetes does: kubectl and the API server read
// YAML through sigs.k8s.io/yaml, whose YAML 1.1 resolver makes `yes`/`no`/`on`/`off`/`y`/`n`
// booleans, `0x1F`/`017`/`0b11`/`1_000` integers, `.inf`/`.nan` floats and `~` null.
// Quoted scalars are always strings.
NodeKind resolve_plain_scalar(std::string_view text);

// Unrendered template text (`{{ .Values.x }}`, `${VAR}`): a value kmc cannot judge.
inline bool is_template_text(std::string_view s) {
  return s.find("{{") != std::string_view::npos || s.find("${") != std::string_view::npos;
}

bool parse_yaml_bool(std::string_view text, bool* out);
// YAML 1.1 integer forms; false on overflow of int64 or when not an integer.
bool parse_yaml_int(std::string_view text, int64_t* out);

}  // namespace kmc::parser
