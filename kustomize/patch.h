#pragma once
#include <optional>
#include <vector>

#include "core/arena.h"
#include "core/finding.h"
#include "core/rule_catalogue.h"
#include "kustomize/kustomization.h"
#include "kustomize/resource.h"

// Applies a kustomization's patches as kustomize v5.7's patch transformers do. A strategic merge
// patch without a target applies to the one resource with its id (kustomize fails the build
// when there is none, or several); one with a target applies to every resource the target
// selects; a JSON 6902 patch needs a target. What kustomize refuses is a finding at the entry.
namespace kmc::kustomize {

// A patch as read: a strategic merge patch's objects, or a JSON 6902 patch's operations.
struct LoadedPatch {
  const Kustomization::Patch* entry = nullptr;
  std::vector<RNode> objects;
  std::optional<RNode> operations;
};

enum class PatchField { StrategicMerge, Patches, Json6902 };  // the kustomization field it is in

class Patcher {
 public:
  Patcher(Arena* text, std::vector<Finding>* findings) : text_(text), findings_(findings) {}
  // False when kustomize would fail the build.
  bool apply(const LoadedPatch& patch, PatchField field, std::vector<Resource>* ra);

 private:
  bool by_id(const LoadedPatch& patch, const RNode& object, std::vector<Resource>* ra);
  bool merge_into(Resource* r, const RNode& object, const Kustomization::Patch& entry);
  std::optional<std::vector<Resource*>> select(const Kustomization::Selector& target, std::vector<Resource>* ra);
  void no_match(const Kustomization::Selector& target);
  void fail(RuleId rule, Position pos, std::string message, std::string_view fix);

  Arena* text_;
  std::vector<Finding>* findings_;
};

}  // namespace kmc::kustomize
