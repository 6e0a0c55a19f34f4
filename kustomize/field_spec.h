#pragma once
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kustomize/rnode.h"

// kustomize's field specs: which field of which kinds a transformer edits ("spec/selector of a
// v1 Service, created when missing"), and its default tables, as kustomize v5.7 ships them
// (api/internal/konfig/builtinpluginconsts).
namespace kmc::kustomize {

// A group/version/kind to match; an empty part matches any.
struct GvkMatch {
  std::string_view group, version, kind;
};

struct FieldSpec {
  GvkMatch gvk;
  std::string_view path;  // "spec/template/metadata/labels"; `name[]` walks a list's items
  bool create = false;
};

struct Gvk {
  std::string group, version, kind;
  static Gvk of(const RNode& object);
  bool matches(const GvkMatch& m) const {
    return (m.group.empty() || m.group == group) && (m.version.empty() || m.version == version) &&
           (m.kind.empty() || m.kind == kind);
  }
};

// Calls `edit` with each node at `spec.path` in `object` (when its kind matches): the mapping
// or scalar there. With `spec.create`, missing or null mappings on the way are made at `pos`,
// and the last field as `leaf` (a mapping, or a scalar for a name or a count); a Null `leaf`
// never creates anything.
void visit_field(RNode& object, const Gvk& gvk, const FieldSpec& spec, NodeKind leaf, Position pos,
                 const std::function<void(RNode&)>& edit);

std::span<const FieldSpec> common_label_specs();   // selectors, templates and metadata
std::span<const FieldSpec> template_label_specs();  // templates and metadata
std::span<const FieldSpec> common_annotation_specs();
std::span<const FieldSpec> replicas_specs();
std::span<const FieldSpec> image_specs();
std::span<const FieldSpec> namespace_specs();

}  // namespace kmc::kustomize
