#include "parser/kustomize.h"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace kmc::parser {
namespace {

std::string normal(std::string_view path) {
  return std::filesystem::path(std::string(path)).lexically_normal().string();
}

std::string_view dir_of(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

void add_path(std::set<std::string>* out, std::string_view dir, const Node* n) {
  if (!n || n->kind != NodeKind::String) return;
  std::string_view rel = n->text();
  // An inline patch (a YAML string with the patch itself) names no file.
  if (rel.empty() || rel.find('\n') != std::string_view::npos) return;
  out->insert(normal(dir.empty() ? std::string(rel) : std::string(dir) + "/" + std::string(rel)));
}

}  // namespace

// kustomize's naming convention for patch files (`patch.yaml`, `memory_patch.yaml`,
// `patch-replicas.yaml`, `delete.patch.yaml`); trusted only where no kustomization says.
bool named_like_patch(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') + 1);
  base = base.substr(0, base.find('.') == std::string_view::npos ? base.size() : base.rfind('.'));
  if (base.ends_with(".patch")) return true;
  return base == "patch" || base.starts_with("patch-") || base.starts_with("patch_") || base.ends_with("-patch") ||
         base.ends_with("_patch");
}

bool is_kustomization_file(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') + 1);
  return base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization";
}

void KustomizeMarks::add(std::string_view path, const Node& k) {
  std::string_view dir = dir_of(path);
  kustomized_dirs_.insert(normal(dir.empty() ? "." : dir));
  if (!k.is_map()) return;
  // commonLabels (and labels with includeSelectors) write the selector and the template
  // labels into every resource: those resources may leave them out.
  bool adds_selectors = k.get("commonLabels") != nullptr;
  if (const Node* labels = k.get("labels"); labels && labels->is_seq())
    for (uint32_t i = 0; i < labels->size(); ++i) {
      bool include = false;
      if (const Node* inc = labels->item(i).get("includeSelectors"); inc && inc->as_bool(&include) && include)
        adds_selectors = true;
    }
  if (const Node* resources = k.get("resources"); adds_selectors && resources && resources->is_seq())
    for (uint32_t i = 0; i < resources->size(); ++i) add_path(&completed_, dir, &resources->item(i));
  if (const Node* list = k.get("patchesStrategicMerge"); list && list->is_seq())
    for (uint32_t i = 0; i < list->size(); ++i) add_path(&patches_, dir, &list->item(i));
  for (const char* key : {"patches", "patchesJson6902"})
    if (const Node* list = k.get(key); list && list->is_seq())
      for (uint32_t i = 0; i < list->size(); ++i) add_path(&patches_, dir, list->item(i).get("path"));
}

void KustomizeMarks::apply(const SourceSet& sources, std::vector<RawObject>* objects, size_t begin) const {
  // The answer is the same for every object of a file: worked out once per file (a large tree
  // has a hundred thousand objects in a few thousand files).
  struct FileMarks {
    bool known = false, patch = false, completed = false;
  };
  std::vector<FileMarks> marks(sources.size());
  for (size_t i = begin; i < objects->size(); ++i) {
    RawObject& o = (*objects)[i];
    FileMarks& m = marks[o.file];
    if (!m.known) {
      std::string path = normal(sources[o.file].path);
      std::string_view dir = dir_of(path);
      // Without the kustomization (not part of the input), the conventions say it: files named
      // like patches, and anything under an `overlays/` directory.
      bool by_name = !kustomized_dirs_.count(normal(dir.empty() ? "." : std::string(dir))) &&
                     (named_like_patch(path) || path.find("/overlays/") != std::string::npos ||
                      path.starts_with("overlays/"));
      m = {true, patches_.count(path) > 0 || by_name, completed_.count(path) > 0};
    }
    if (m.patch) o.patch = true;
    if (m.completed) o.completed_by_kustomize = true;
  }
}

void mark_kustomize_patches(LoadResult* result) {
  KustomizeMarks marks;
  for (const Document* doc : result->kustomizations) marks.add(result->sources[doc->file].path, doc->root);
  marks.apply(result->sources, &result->objects, 0);
}

}  // namespace kmc::parser
