#pragma once
#include <vector>

#include "core/arena.h"
#include "core/finding.h"
#include "kustomize/kustomization.h"
#include "kustomize/resource.h"

// The transformers a kustomization configures, in kustomize v5.7's order (namespace, name
// prefix, name suffix, labels, annotations, replicas, images; the patches, kustomize/patch.h,
// come before the namespace and, for patchesJson6902, before the replicas), and what a build does last: the
// name references that renaming left behind, and dropping local-config resources. A value a
// transformer sets keeps the position of the kustomization entry that set it.
namespace kmc::kustomize {

class Transformer {
 public:
  Transformer(Arena* text, std::vector<Finding>* findings) : text_(text), findings_(findings) {}
  // The transformers before the JSON 6902 patches (namespace, name prefix and suffix, labels,
  // annotations), then those after (replicas, images). False when kustomize would refuse the
  // result (an id conflict, a replicas entry for nothing).
  bool run_first(const Kustomization& k, std::vector<Resource>* ra);
  bool run_last(const Kustomization& k, std::vector<Resource>* ra);

 private:
  bool set_namespace(const Kustomization& k, std::vector<Resource>* ra);
  void add_prefix_suffix(const Kustomization& k, std::vector<Resource>* ra);
  void add_labels(const Kustomization& k, std::vector<Resource>* ra);
  void add_annotations(const Kustomization& k, std::vector<Resource>* ra);
  bool set_replicas(const Kustomization& k, std::vector<Resource>* ra);
  void set_images(const Kustomization& k, std::vector<Resource>* ra);
  std::string_view keep(const std::string& s);

  Arena* text_;
  std::vector<Finding>* findings_;
};

// kustomize's FixBackReferences: a field that names a resource kustomize renamed (a ConfigMap in
// a volume, a Service in an Ingress, a Role in a RoleBinding...) is set to its new name, by its
// default name-reference table. False, with a finding, when a name could be several resources.
bool fix_name_references(std::vector<Resource>* ra, std::vector<Finding>* findings);

// Resources annotated `config.kubernetes.io/local-config: "true"` are not output.
void drop_local_config(std::vector<Resource>* ra);
// An empty or null metadata.annotations is not output either: kustomize writes the annotations
// back without its own build annotations, and an empty set clears the field.
void drop_empty_annotations(std::vector<Resource>* ra);

}  // namespace kmc::kustomize
