#pragma once
#include <string>
#include <vector>

#include "kustomize/rnode.h"
#include "render/yaml_emit.h"
#include "support.h"

// Trees for the kustomize/ tests: parsed from YAML text, and written back as YAML.
namespace kmc::test {

// A tree of `yaml` (file 0); its load stays alive for the test run, as the trees point into it.
inline kustomize::RNode tree(const std::string& yaml) {
  static std::vector<LoadResult> kept;
  kept.push_back(load_string(yaml));
  return kustomize::from_node(kept.back().documents.at(0)->root);
}

inline std::string yaml_of(const kustomize::RNode& n) {
  Arena arena(Arena::kHugePage, false);
  std::string out;
  render::emit_yaml(kustomize::to_node(n, &arena), &out);
  return out;
}

}  // namespace kmc::test
