#include "schema/crd_catalog.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "parser/file_reader.h"
#include "parser/yaml_loader.h"

namespace kmc::schema {
namespace fs = std::filesystem;

namespace {

// `{type: object}` alone is a placeholder (test stubs, trimmed copies): it describes no field,
// and validating against it would call every field unknown.
const Node* usable_schema(const Node* schema) {
  if (schema && schema->is_map() && !schema->get("properties") && !schema->get("x-kubernetes-preserve-unknown-fields"))
    return nullptr;
  return schema && schema->is_map() ? schema : nullptr;
}

bool has_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

bool read_crd(const Node& root, std::string_view api_version, CrdDefinition* out) {
  const Node* spec = root.get("spec");
  if (!spec || !spec->is_map()) return false;
  out->group = spec->get_text("group");
  if (const Node* names = spec->get("names")) out->kind = names->get_text("kind");
  if (out->group.empty() || out->kind.empty()) return false;
  bool v1beta1 = api_version == "apiextensions.k8s.io/v1beta1";
  out->preserve_unknown = spec->bool_at("preserveUnknownFields", v1beta1);
  // v1beta1 (removed in 1.22, still in old repositories): one schema for every version.
  const Node* shared = nullptr;
  if (const Node* v = spec->get("validation")) shared = v->get("openAPIV3Schema");
  if (std::string_view v = spec->get_text("version"); !v.empty()) out->versions.push_back({v, usable_schema(shared)});
  const Node* versions = spec->get("versions");
  if (!versions || !versions->is_seq()) return true;
  for (uint32_t i = 0; i < versions->size(); ++i) {
    const Node& v = versions->item(i);
    CrdVersion version{v.get_text("name"), shared};
    if (version.name.empty()) continue;
    if (const Node* s = v.get("schema")) version.schema = s->get("openAPIV3Schema");
    version.schema = usable_schema(version.schema);
    version.served = v.bool_at("served", true);
    version.deprecated = v.bool_at("deprecated", false);
    version.warning = v.get_text("deprecationWarning");
    // `version:` and `versions:` both name the first version in v1beta1 CRDs: one entry.
    auto same = std::find_if(out->versions.begin(), out->versions.end(), [&](const CrdVersion& x) { return x.name == version.name; });
    if (same != out->versions.end()) *same = version;
    else out->versions.push_back(version);
  }
  return true;
}

void CrdCatalog::load(const std::vector<std::string>& paths, std::vector<std::string>* errors) {
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> files;
      for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && has_extension(it->path())) files.push_back(it->path().string());
      if (ec) errors->push_back(path + ": " + ec.message());
      std::sort(files.begin(), files.end());
      // A directory of CRDs may hold other files (a kustomization, values): they are passed over.
      for (const std::string& f : files) load_file(f, false, errors);
    } else if (fs::exists(path, ec)) {
      load_file(path, true, errors);
    } else {
      errors->push_back(path + ": no such file or directory");
    }
  }
}

void CrdCatalog::load_file(const std::string& path, bool named, std::vector<std::string>* errors) {
  SourceFile& src = files_.emplace_back();
  src.path = path;
  std::string why;
  parser::LoaderLimits limits;
  if (parser::read_file(path, limits.max_file_bytes, &arena_, &src, &why) != parser::ReadStatus::Ok) {
    errors->push_back(path + ": " + (why.empty() ? "larger than the 64 MiB a file may have" : why));
    return;
  }
  read_documents(src, path, named, errors);
}

void CrdCatalog::load_text(std::string name, std::string_view text) {
  SourceFile& src = files_.emplace_back();
  src.path = std::move(name);
  src.content = text;
  std::vector<std::string> errors;
  read_documents(src, src.path, false, &errors);
}

void CrdCatalog::read_documents(SourceFile& src, const std::string& path, bool named, std::vector<std::string>* errors) {
  parser::LoaderLimits limits;
  src.ascii = std::all_of(src.content.begin(), src.content.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  // Positions in these trees are never shown: findings point at the custom resource's lines.
  parser::ParsedFile parsed = parser::parse_yaml(src, 0, limits, &arena_);
  size_t before = crds_.size();
  for (const parser::Document* doc : parsed.documents) {
    const Node& root = doc->root;
    if (!root.is_map()) continue;
    std::string_view api_version = root.get_text("apiVersion");
    CrdDefinition crd;
    crd.source = src.path;
    if (api_version.starts_with("apiextensions.k8s.io/") && root.get_text("kind") == "CustomResourceDefinition") {
      if (read_crd(root, api_version, &crd)) crds_.push_back(std::move(crd));
      continue;
    }
    // A catalogue's schema: {group}/{kind}_{version}.json, the version's openAPIV3Schema itself.
    fs::path p(path);
    std::string stem = p.stem().string(), group = p.parent_path().filename().string();
    size_t underscore = stem.rfind('_');
    if (!api_version.empty() || p.extension() != ".json" || underscore == std::string::npos ||
        group.find('.') == std::string::npos || !usable_schema(&root))
      continue;
    crd.group = names_.emplace_back(group);
    crd.kind = names_.emplace_back(stem.substr(0, underscore));
    crd.kind_from_file_name = true;
    crd.versions.push_back({names_.emplace_back(stem.substr(underscore + 1)), &root});
    crds_.push_back(std::move(crd));
  }
  if (crds_.size() > before || !named) return;
  if (!parsed.findings.empty()) errors->push_back(path + ": " + parsed.findings.front().message);
  else
    errors->push_back(path + ": neither a CustomResourceDefinition nor a catalogue schema ({group}/{kind}_{version}.json)");
}

const CrdCatalog& builtin_crds() {
  static const CrdCatalog* catalog = [] {
    auto* c = new CrdCatalog;  // for the process's life: its trees are read by every run
    c->load_text(std::string(builtin_crd_release()), builtin_crd_text());
    return c;
  }();
  return *catalog;
}

}  // namespace kmc::schema
