#pragma once
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "parser/load.h"

// kustomize's build files. `kmc check dir/` on a kustomize layout meets kustomization.yaml
// (which need not have apiVersion/kind) and the patches it lists, which are fragments of
// objects, not objects. Both are recognised by file, the way kustomize finds them.
namespace kmc::parser {

// kustomization.yaml, kustomization.yml or Kustomization, in any directory.
bool is_kustomization_file(std::string_view path);

// Marks the objects of every file that a loaded kustomization lists as a patch
// (`patches[].path`, `patchesStrategicMerge[]`, `patchesJson6902[].path`, relative to it), and
// of files named like patches (`patch.yaml`, `*_patch.yaml`, …) or under an `overlays/`
// directory, in directories without a kustomization (whose lists would say). Marks the resources of a kustomization that adds selector labels
// (`commonLabels`) as completed by kustomize.
void mark_kustomize_patches(LoadResult* result);

// The same, a kustomization at a time and then objects from `begin` on: a streaming load reads
// every kustomization file first (parser/load.h).
class KustomizeMarks {
 public:
  void add(std::string_view path, const Node& kustomization);
  void apply(const SourceSet& sources, std::vector<RawObject>* objects, size_t begin) const;

 private:
  std::set<std::string> patches_, completed_, kustomized_dirs_;
};

}  // namespace kmc::parser
