#include "parser/kustomize.h"

#include <filesystem>
#include <set>
#include <string>

namespace kmc {
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

bool is_kustomization_file(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') + 1);
  return base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization";
}

void mark_kustomize_patches(LoadResult* result) {
  std::set<std::string> patches;
  for (const Document* doc : result->kustomizations) {
    const Node& k = doc->root;
    if (!k.is_map()) continue;
    std::string_view dir = dir_of(result->sources[doc->file].path);
    if (const Node* list = k.get("patchesStrategicMerge"); list && list->is_seq())
      for (uint32_t i = 0; i < list->size(); ++i) add_path(&patches, dir, &list->item(i));
    for (const char* key : {"patches", "patchesJson6902"})
      if (const Node* list = k.get(key); list && list->is_seq())
        for (uint32_t i = 0; i < list->size(); ++i) add_path(&patches, dir, list->item(i).get("path"));
  }
  if (patches.empty()) return;
  for (RawObject& o : result->objects)
    if (!o.patch && patches.count(normal(result->sources[o.file].path))) o.patch = true;
}

}  // namespace kmc
