#include "kustomize/build.h"

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/rule_catalogue.h"
#include "kustomize/generator.h"
#include "kustomize/hash.h"
#include "kustomize/inline_yaml.h"
#include "kustomize/order.h"
#include "kustomize/patch.h"
#include "kustomize/replacement.h"
#include "kustomize/report.h"
#include "kustomize/transform.h"

namespace kmc::kustomize {

namespace {

constexpr std::string_view kKustomizationNames[] = {"kustomization.yaml", "kustomization.yml", "Kustomization"};

bool remote(std::string_view path) {
  return path.find("://") != std::string_view::npos || path.starts_with("github.com/") ||
         path.starts_with("gitlab.com/") || path.starts_with("bitbucket.org/") || path.starts_with("git@") ||
         path.starts_with("git::") || path.find("?ref=") != std::string_view::npos;
}

bool inside(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         (dir.back() == '/' || path[dir.size()] == '/'));
}

// One root's render: the kustomizations it reads, depth first, with the chain of directories
// being built (a directory that holds one of them is a cycle).
class Build {
 public:
  Build(RunFiles* files, const std::function<const Renderer::Read*(uint32_t, const std::string&)>& read,
        std::vector<Finding>* findings, std::vector<Entry>* not_yet, Arena* text)
      : files_(files), read_(read), findings_(findings), not_yet_(not_yet), text_(text) {}

  // Accumulates the target in `dir` (its kustomization file `file`) into `ra`, as kustomize's
  // accumulateTarget does; false when kustomize would refuse it or kmc cannot render it.
  bool target(uint32_t file, const std::string& dir, std::vector<Resource>* ra) {
    const Renderer::Read* r = read_(file, dir);
    used_.insert(file);
    if (!r || !r->ok) return false;
    const Kustomization& k = r->k;
    chain_.push_back(files_->canonical(dir.empty() ? "." : dir));
    // In kustomize's order: what kustomize refuses in the resources is reported before what kmc
    // cannot render (generators, patches, replacements come after them).
    bool ok = resources(k, ra) && configurations(k) && renderable(k) && generate(k, ra) && components(k, ra) &&
              transform(k, ra);
    chain_.pop_back();
    return ok;
  }

  const std::set<uint32_t>& used() const { return used_; }

 private:
  void report(RuleId rule, Position pos, std::string message, std::string_view fix) {
    kustomize::report(findings_, rule, pos, std::move(message), fix);
  }

  bool renderable(const Kustomization& k) {
    for (const Entry& e : k.unsupported) unsupported(e);
    for (const Entry& e : k.not_yet) not_yet_->push_back(e);
    return k.unsupported.empty() && k.not_yet.empty();
  }

  void unsupported(const Entry& e) {
    if (!reported_unsupported_.insert(e.pos).second) return;
    report(RuleId::KustomizeUnsupported, e.pos,
           "kmc does not render `" + std::string(e.text) +
               "` (it runs neither Helm nor plugins), so this kustomization's root is checked file by file, not as "
               "kustomize builds it",
           "render it first and check the output: kustomize build --enable-helm DIR | kmc check -");
  }

  void remote_resource(const Entry& e) {
    report(RuleId::KustomizeUnsupported, e.pos,
           "`" + std::string(e.text) +
               "` is a remote resource, and kmc reads nothing from the network, so this kustomization's root is "
               "checked file by file, not as kustomize builds it",
           "render it first and check the output: kustomize build DIR | kmc check -");
  }

  bool resources(const Kustomization& k, std::vector<Resource>* ra) {
    for (const Entry& e : k.resources)
      if (!resource(k, e, ra)) return false;
    return true;
  }

  bool resource(const Kustomization& k, const Entry& e, std::vector<Resource>* ra) {
    std::string path = RunFiles::join(k.dir, e.text);
    switch (files_->kind_of(path)) {
      case PathKind::File: return resource_file(k, e, path, ra);
      case PathKind::Directory: return directory(e, path, false, ra);
      default: break;
    }
    return missing(e, path, "the resource `" + std::string(e.text) + "` does not exist");
  }

  bool configurations(const Kustomization& k) {
    for (const Entry& e : k.configurations) {
      std::string path = RunFiles::join(k.dir, e.text);
      if (files_->kind_of(path) != PathKind::File)
        return missing(e, path, "the file `" + std::string(e.text) + "` does not exist");
      if (!within_root(k, e, path)) return false;
    }
    return true;
  }

  // A resource or component that is not there: remote (which kmc never reads), or missing.
  bool missing(const Entry& e, const std::string& path, const std::string& what) {
    if (remote(e.text)) {
      remote_resource(e);
      return false;
    }
    report(RuleId::KustomizeMissingResource, e.pos, what + " (" + path + "), and kustomize fails the whole build on it",
           "correct the path (it is relative to the kustomization's directory), or remove the entry");
    return false;
  }

  // kustomize reads a file only in or below the kustomization's directory (its default load
  // restriction, LoadRestrictionsRootOnly), symlinks resolved.
  bool within_root(const Kustomization& k, const Entry& e, const std::string& path) {
    std::string root = files_->canonical(k.dir.empty() ? "." : k.dir);
    std::string target = files_->canonical(path);
    if (!root.empty() && !target.empty() && inside(target, root)) return true;
    report(RuleId::KustomizeLoadRestriction, e.pos,
           "`" + std::string(e.text) + "` is outside the kustomization's directory " + (k.dir.empty() ? "." : k.dir) +
               ", and kustomize refuses to read files outside it (\"security; file ... is not in or below ...\")",
           "move the file into the kustomization's directory, or make its directory a kustomization of its own and "
           "list that directory");
    return false;
  }

  bool resource_file(const Kustomization& k, const Entry& e, const std::string& path, std::vector<Resource>* ra) {
    if (!within_root(k, e, path)) return false;
    uint32_t file = 0;
    const std::vector<const Document*>* docs = files_->documents(path, &file);
    used_.insert(file);
    if (!docs) return false;  // unreadable: the loader said why
    std::vector<Resource> read;
    for (const Document* d : *docs)
      if (!document(*d, file, &read)) return false;
    return append_all(std::move(read), ra);
  }

  bool document(const Document& d, uint32_t file, std::vector<Resource>* ra) {
    const Node& root = d.root;
    if (root.is_null()) return true;  // an empty document
    if (!root.is_map()) {
      report(RuleId::KustomizeInvalid, root.pos(), "a resource document must be a mapping (a Kubernetes object)",
             "make the document an object with apiVersion, kind and metadata.name");
      return false;
    }
    RNode tree = from_node(root);
    if (local_config(tree)) return true;  // kustomize drops it as it reads it
    bool list = tree.get_text("kind").ends_with("List");
    if (!list && (tree.get_text("kind").empty() || tree.get("metadata") == nullptr ||
                  tree.get("metadata")->get_text("name").empty())) {
      report(RuleId::KustomizeInvalid, root.pos(),
             "a resource needs a kind and a metadata.name, and kustomize refuses one without (\"missing "
             "metadata.name\" or \"missing kind\")",
             "give the object its kind and name, or remove the document from the resource file");
      return false;
    }
    RNode* items = tree.get("items");
    if (list && items && items->is_seq()) {
      for (RNode& item : items->kids)
        if (item.is_map()) ra->push_back(Resource{std::move(item), file, {}, {}, {}});
      return true;
    }
    ra->push_back(Resource{std::move(tree), file, {}, {}, {}});
    return true;
  }

  // Appends `more` to `ra`, as kustomize's accumulator does: a resource whose id is taken fails
  // the build.
  bool append_all(std::vector<Resource> more, std::vector<Resource>* ra) {
    std::unordered_map<std::string, size_t> taken;
    for (size_t i = 0; i < ra->size(); ++i) taken.emplace((*ra)[i].id().key(), i);
    for (Resource& r : more) {
      ResId id = r.id();
      auto [at, fresh] = taken.emplace(id.key(), ra->size());
      if (!fresh) {
        Finding f;
        f.rule = rule_name(RuleId::KustomizeIdConflict);
        f.severity = Severity::Error;
        f.pos = r.tree.pos;
        f.message = "kustomize already has " + id.describe() +
                    " from another resource, and refuses a second one with the same id (\"may not add resource with "
                    "an already registered id\")";
        f.fix = "rename one of them, or keep only one (a patch changes an existing resource)";
        f.related.push_back({(*ra)[at->second].tree.pos, "the resource registered first"});
        findings_->push_back(std::move(f));
        return false;
      }
      ra->push_back(std::move(r));
    }
    return true;
  }

  // A resource or component directory: a kustomization of its own.
  bool directory(const Entry& e, const std::string& path, bool component, std::vector<Resource>* ra) {
    std::string canonical = files_->canonical(path);
    for (const std::string& visited : chain_)
      if (inside(visited, canonical)) {
        report(RuleId::KustomizeInvalid, e.pos,
               "`" + std::string(e.text) + "` is a kustomization that contains one being built (" + visited +
                   "): a cycle, which kustomize refuses",
               "list a directory that is not this kustomization's own directory or one above it");
        return false;
      }
    std::string kfile;
    int found = 0;
    for (std::string_view name : kKustomizationNames)
      if (files_->kind_of(RunFiles::join(path, name)) == PathKind::File) {
        kfile = RunFiles::join(path, name);
        ++found;
      }
    if (found != 1) {
      report(RuleId::KustomizeMissingResource, e.pos,
             found == 0 ? "the directory `" + std::string(e.text) +
                              "` holds no kustomization.yaml, kustomization.yml or Kustomization, so kustomize cannot "
                              "build it"
                        : "the directory `" + std::string(e.text) +
                              "` holds more than one kustomization file, and kustomize refuses to choose",
             found == 0 ? "add a kustomization to the directory, or list its files one by one"
                        : "keep one of kustomization.yaml, kustomization.yml and Kustomization");
      return false;
    }
    uint32_t file = 0;
    if (!files_->documents(kfile, &file)) return false;
    const Renderer::Read* r = read_(file, path);
    if (r && r->ok && r->k.component != component) {
      report(RuleId::KustomizeInvalid, e.pos,
             component ? "`" + std::string(e.text) + "` is listed as a component but is a Kustomization, not a "
                                                     "`kind: Component`, which kustomize refuses"
                       : "`" + std::string(e.text) + "` is a Component, which kustomize takes only under "
                                                     "`components:`, not as a resource",
             component ? "list it under `resources:`, or make it `kind: Component`"
                       : "list it under `components:`");
      return false;
    }
    if (component) return target(file, path, ra);
    std::vector<Resource> sub;
    return target(file, path, &sub) && append_all(std::move(sub), ra);
  }

  bool components(const Kustomization& k, std::vector<Resource>* ra) {
    for (const Entry& e : k.components) {
      std::string path = RunFiles::join(k.dir, e.text);
      if (files_->kind_of(path) == PathKind::Directory) {
        if (!directory(e, path, true, ra)) return false;
        continue;
      }
      return missing(e, path, "the component `" + std::string(e.text) + "` is not a directory");
    }
    return true;
  }

  bool generate(const Kustomization& k, std::vector<Resource>* ra) {
    Generators g([this](const Kustomization& from, const Entry& e, const std::string& path) { return read_text(from, e, path); },
                 text_, findings_);
    return g.run(k, ra);
  }

  // A file a generator reads, whole: within the root, as every file kustomize loads.
  std::optional<std::string> read_text(const Kustomization& k, const Entry& e, const std::string& relative) {
    std::string path = RunFiles::join(k.dir, relative);
    if (files_->kind_of(path) != PathKind::File) {
      missing(e, path, "the file `" + relative + "` a generator reads does not exist");
      return std::nullopt;
    }
    if (!within_root(k, e, path)) return std::nullopt;
    std::optional<std::string> text = files_->read_text(path);
    if (!text)
      report(RuleId::KustomizeInvalid, e.pos, "kmc cannot read `" + relative + "`, which the generator needs",
             "make the file readable, and smaller than kmc's file size limit");
    return text;
  }

  bool transform(const Kustomization& k, std::vector<Resource>* ra) {
    Transformer t(text_, findings_);
    Patcher patcher(text_, findings_);
    return patches(k, k.patches_strategic_merge, PatchField::StrategicMerge, &patcher, ra) &&
           patches(k, k.patches, PatchField::Patches, &patcher, ra) && t.run_first(k, ra) &&
           patches(k, k.patches_json6902, PatchField::Json6902, &patcher, ra) && t.run_last(k, ra) &&
           replacements(k, ra);
  }

  // The replacements, last, each entry inline or a file of them.
  bool replacements(const Kustomization& k, std::vector<Resource>* ra) {
    Replacer replacer(text_, findings_);
    for (const Kustomization::Replacement& r : k.replacements) {
      if (r.path.text.empty()) {
        if (!replacer.apply(r, ra)) return false;
        continue;
      }
      if (r.source || (r.targets && !r.targets->empty())) {
        report(RuleId::KustomizeInvalid, r.pos,
               "a replacement has both `path` and its own `source` or `targets`, and kustomize refuses to choose "
               "(\"cannot specify both path and inline replacement\")",
               "keep the file, or the inline replacement");
        return false;
      }
      std::optional<std::vector<Kustomization::Replacement>> read = replacement_file(k, r.path);
      if (!read) return false;
      for (const Kustomization::Replacement& each : *read)
        if (!replacer.apply(each, ra)) return false;
    }
    return true;
  }

  std::optional<std::vector<Kustomization::Replacement>> replacement_file(const Kustomization& k, const Entry& e) {
    std::string path = RunFiles::join(k.dir, e.text);
    if (files_->kind_of(path) != PathKind::File) {
      missing(e, path, "the replacements file `" + std::string(e.text) + "` does not exist");
      return std::nullopt;
    }
    if (!within_root(k, e, path)) return std::nullopt;
    uint32_t file = 0;
    const std::vector<const Document*>* docs = files_->documents(path, &file);
    used_.insert(file);
    if (!docs) return std::nullopt;  // unreadable: the loader said why
    // kustomize decodes the file's first document.
    static const Node no_document;
    return read_replacement_file(docs->empty() ? no_document : docs->front()->root, findings_);
  }

  bool patches(const Kustomization& k, const std::vector<Kustomization::Patch>& list, PatchField field,
               Patcher* patcher, std::vector<Resource>* ra) {
    for (const Kustomization::Patch& entry : list) {
      std::optional<LoadedPatch> p = load_patch(k, entry, field);
      if (!p || !patcher->apply(*p, field, ra)) return false;
    }
    return true;
  }

  // A patch's documents: read from its file, or parsed from the kustomization's string.
  std::optional<std::vector<RNode>> patch_documents(const Kustomization& k, const Kustomization::Patch& entry) {
    std::vector<RNode> docs;
    if (entry.text != nullptr) {
      size_t before = findings_->size();
      docs = parse_inline_yaml(*entry.text, files_->input().sources[k.file], k.file, text_, findings_);
      if (findings_->size() != before) return std::nullopt;  // kustomize cannot parse it either
      return docs;
    }
    std::string path = RunFiles::join(k.dir, entry.path.text);
    if (files_->kind_of(path) != PathKind::File) {
      missing(entry.path, path, "the patch file `" + std::string(entry.path.text) + "` does not exist");
      return std::nullopt;
    }
    if (!within_root(k, entry.path, path)) return std::nullopt;
    uint32_t file = 0;
    const std::vector<const Document*>* read = files_->documents(path, &file);
    used_.insert(file);
    if (!read) return std::nullopt;  // unreadable: the loader said why
    for (const Document* d : *read) docs.push_back(from_node(d->root));
    return docs;
  }

  std::optional<LoadedPatch> load_patch(const Kustomization& k, const Kustomization::Patch& entry, PatchField field) {
    bool has_path = !entry.path.text.empty();
    if (has_path == (entry.text != nullptr)) {
      report(RuleId::KustomizeInvalid, entry.pos,
             has_path ? "a patch has both `path` and `patch`, and kustomize refuses to choose"
                      : "a patch needs its `path` (a file) or its `patch` (written inline), and kustomize refuses one "
                        "with neither",
             has_path ? "keep one of them" : "add `path:` or `patch:`");
      return std::nullopt;
    }
    std::optional<std::vector<RNode>> docs = patch_documents(k, entry);
    if (!docs) return std::nullopt;
    std::erase_if(*docs, [](const RNode& d) { return d.is_null(); });
    LoadedPatch p;
    p.entry = &entry;
    bool operations = !docs->empty() && docs->front().is_seq();
    bool objects = !docs->empty() && std::all_of(docs->begin(), docs->end(), [](const RNode& d) { return d.is_map(); });
    if (docs->empty() || (field == PatchField::Json6902 ? !operations : !operations && !objects) ||
        (field == PatchField::StrategicMerge && !objects)) {
      report(RuleId::KustomizeInvalid, has_path ? entry.path.pos : entry.text->pos(),
             docs->empty() ? "the patch is empty, and kustomize refuses an empty patch"
                           : "the patch is neither a strategic merge patch (objects) nor a JSON 6902 patch (a list of "
                             "operations), and kustomize cannot parse it",
             "write the fields to change as an object with its kind and metadata.name, or a list of `op`/`path`/`value` "
             "operations");
      return std::nullopt;
    }
    if (operations) {
      p.operations = std::move(docs->front());
    } else {
      p.objects = std::move(*docs);
    }
    return p;
  }

  RunFiles* files_;
  const std::function<const Renderer::Read*(uint32_t, const std::string&)>& read_;
  std::vector<Finding>* findings_;
  std::vector<Entry>* not_yet_;
  Arena* text_;
  std::vector<std::string> chain_;
  std::set<uint32_t> used_;
  std::set<Position> reported_unsupported_;
};

// kustomize's HashTransformer, when the root's build ends: each generated object's name gets the
// hash of its content as it is then (the name's prefix and suffix included).
void add_hashes(std::vector<Resource>* ra, Arena* text) {
  for (Resource& r : *ra) {
    if (!r.needs_hash) continue;
    RNode* name = r.tree.map_at("metadata", r.tree.pos).get("name");
    if (name == nullptr) continue;
    std::string hash = content_hash(r.tree);
    r.store_previous_id();
    std::string hashed = std::string(name->text) + "-" + hash;
    name->text = std::string_view(text->copy_text(hashed.data(), hashed.size()), hashed.size());
  }
}

}  // namespace

Renderer::Renderer(RunFiles* files) : files_(files) {}
Renderer::~Renderer() = default;

// The root's sortOptions, as kustomize applies them after the build: legacy (the default) with
// its kind lists, or fifo (the order the resources were accumulated in).
bool Renderer::sort(const Read* root, std::vector<Resource>* ra) {
  const std::optional<Kustomization::SortOptions>& o = root ? root->k.sort_options : std::nullopt;
  if (!o) {
    legacy_sort(ra);
    return true;
  }
  if (o->order.text != "legacy" && o->order.text != "fifo") {
    report(&findings_, RuleId::KustomizeInvalid, o->order.text.empty() ? o->pos : o->order.pos,
           "sortOptions.order must be legacy or fifo, and kustomize refuses the kustomization",
           "write `order: legacy` (kustomize's kind order) or `order: fifo` (the order the resources are listed in)");
    return false;
  }
  if (o->order.text == "fifo") {
    if (!o->legacy_options) return true;
    report(&findings_, RuleId::KustomizeInvalid, o->pos,
           "sortOptions.legacySortOptions is set but the order is fifo, and kustomize refuses the kustomization",
           "remove legacySortOptions, or set `order: legacy`");
    return false;
  }
  if (!o->legacy_options) {
    legacy_sort(ra);
    return true;
  }
  KindOrder order;
  for (const Entry& e : o->first) order.first.push_back(e.text);
  for (const Entry& e : o->last) order.last.push_back(e.text);
  legacy_sort(ra, order);
  return true;
}

const Renderer::Read* Renderer::read(uint32_t file, const std::string& dir) {
  auto it = read_.find(file);
  if (it != read_.end()) return it->second.get();
  auto r = std::make_unique<Read>();
  // A kustomization is one YAML document: kustomize decodes the first.
  const std::vector<const Document*>& docs = files_->documents_of(file);
  if (!docs.empty()) r->k = read_kustomization(docs.front()->root, file, dir, &findings_, &r->ok);
  return (read_[file] = std::move(r)).get();
}

RenderedRoot Renderer::render(uint32_t kustomization, const std::string& dir) {
  RenderedRoot out;
  out.kustomization = kustomization;
  out.dir = dir;
  std::function<const Read*(uint32_t, const std::string&)> read_fn = [this](uint32_t f, const std::string& d) {
    return read(f, d);
  };
  Build build(files_, read_fn, &findings_, &out.not_yet, text_.get());
  std::vector<Resource> ra;
  out.rendered = build.target(kustomization, dir, &ra);
  if (out.rendered) add_hashes(&ra, text_.get());
  out.rendered = out.rendered && fix_name_references(&ra, &findings_);
  if (out.rendered) {
    drop_local_config(&ra);
    drop_empty_annotations(&ra);
    if (!sort(read(kustomization, dir), &ra)) out.rendered = false;
    out.resources = std::move(ra);
  }
  out.files.assign(build.used().begin(), build.used().end());
  return out;
}

}  // namespace kmc::kustomize
