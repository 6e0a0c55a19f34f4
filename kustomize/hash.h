#pragma once
#include <string>
#include <string_view>

#include "kustomize/rnode.h"

// The name suffix kustomize gives a generated ConfigMap or Secret: the first ten hex digits of
// the SHA-256 of a JSON encoding of its kind and data (Go's encoding/json, keys sorted; the name
// kustomize means to include is always empty there),
// with 0, 1, 3, a and e replaced so that the suffix never reads as a number or a word.
namespace kmc::kustomize {

// The SHA-256 of `data`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);
// `s` as Go's json.Marshal writes a string, quotes included (<, > and & escaped too).
std::string go_json_string(std::string_view s);
// kustomize's hash of a ConfigMap or Secret (the object as it is when the build ends).
std::string content_hash(const RNode& object);

}  // namespace kmc::kustomize
