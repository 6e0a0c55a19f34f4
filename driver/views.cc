#include "driver/views.h"

#include <algorithm>
#include <set>

#include "kustomize/build.h"
#include "kustomize/files.h"

namespace kmc::driver {
using kustomize::PathKind;
using kustomize::RenderedRoot;
using kustomize::Renderer;
using kustomize::RunFiles;
using parser::Document;
using parser::Node;
using parser::RawObject;

namespace {

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// The directories the input's kustomizations list as resources or components (canonical).
std::set<std::string> listed_directories(const LoadResult& input, Renderer* renderer, RunFiles* files) {
  std::set<std::string> out;
  for (const Document* d : input.kustomizations) {
    if (input.sources[d->file].context) continue;
    std::string dir = dir_of(input.sources[d->file].path);
    const kustomize::Kustomization& k = renderer->read(d->file, dir)->k;
    for (const std::vector<kustomize::Entry>* list : {&k.resources, &k.components})
      for (const kustomize::Entry& e : *list) {
        std::string path = RunFiles::join(dir, e.text);
        if (RunFiles::kind_on_disk(path) == PathKind::Directory) out.insert(files->canonical(path));
      }
  }
  return out;
}

// The rendered resources as objects whose trees live in `arena`.
std::vector<RawObject> objects_of(const RenderedRoot& root, Arena* arena) {
  std::vector<RawObject> out;
  for (const kustomize::Resource& r : root.resources) {
    Node* tree = arena->make<Node>(kustomize::to_node(r.tree, arena));
    RawObject o;
    o.root = tree;
    o.file = r.file;
    o.api_version = tree->get_text("apiVersion");
    o.kind = tree->get_text("kind");
    o.rendered = true;
    kustomize::ResId original = r.original(), now = r.id();
    if (!original.cluster_scoped() && original.effective_ns() != now.effective_ns()) {
      std::string_view from = original.effective_ns();
      o.moved_from_ns = std::string_view(arena->copy_text(from.data(), from.size()), from.size());
    }
    o.order = static_cast<uint32_t>(out.size());  // kustomize's output order is the apply order of `kubectl apply -k`
    out.push_back(o);
  }
  return out;
}

}  // namespace

namespace {

// The kustomizations to render, roots first; then what no root reached: kustomizations that list
// each other in a cycle (which kustomize refuses, and the render reports), or bases listed only
// by such. A component is meant to be built by the kustomizations that list it, never alone.
std::vector<const Document*> render_order(const LoadResult& input, Renderer* renderer, RunFiles* files) {
  std::set<std::string> listed = listed_directories(input, renderer, files);
  std::vector<const Document*> order;
  for (bool listed_ones : {false, true})
    for (const Document* d : input.kustomizations) {
      if (input.sources[d->file].context || d->root.get_text("kind") == "Component") continue;
      std::string dir = dir_of(input.sources[d->file].path);
      if ((listed.count(files->canonical(dir.empty() ? "." : dir)) > 0) == listed_ones) order.push_back(d);
    }
  return order;
}

// "overlays/prod (`patches`, `configMapGenerator`)": what keeps a root from being rendered.
std::string not_rendered(const std::string& dir, const RenderedRoot& r) {
  std::string what;
  for (const kustomize::Entry& e : r.not_yet)
    if (what.find("`" + std::string(e.text) + "`") == std::string::npos)
      what += (what.empty() ? "`" : ", `") + std::string(e.text) + "`";
  return (dir.empty() ? "." : dir) + " (" + what + ")";
}

// The plain view: the objects of the files no rendered root read, and the context.
View plain_view(const LoadResult& input, const std::vector<bool>& rendered_file, std::vector<RawObject>* context) {
  View plain;
  std::set<uint32_t> files;
  for (const RawObject& o : input.objects) {
    if (o.context) {
      context->push_back(o);
    } else if (o.file >= rendered_file.size() || !rendered_file[o.file]) {
      plain.objects.push_back(o);
      files.insert(o.file);
    }
  }
  plain.files.assign(files.begin(), files.end());
  plain.objects.insert(plain.objects.end(), context->begin(), context->end());
  return plain;
}

}  // namespace

ViewPlan plan_views(LoadResult* input, const LoadOptions& load) {
  ViewPlan plan;
  RunFiles files(input, load);
  Renderer renderer(&files);
  std::vector<const Document*> order = render_order(*input, &renderer, &files);  // before the renders read more files
  auto arena = std::make_unique<Arena>(Arena::kHugePage, false);
  std::vector<View> roots;
  std::set<uint32_t> read;  // the kustomization files some render read
  std::vector<bool> rendered_file;
  for (const Document* d : order) {
    if (read.count(d->file)) continue;
    std::string dir = dir_of(input->sources[d->file].path);
    RenderedRoot r = renderer.render(d->file, dir);
    read.insert(r.files.begin(), r.files.end());
    if (!r.not_yet.empty()) plan.not_rendered.push_back(not_rendered(dir, r));
    if (!r.rendered) continue;
    View v;
    v.root = dir.empty() ? "." : dir;
    v.kustomization = d->file;
    v.files = r.files;
    v.objects = objects_of(r, arena.get());
    rendered_file.resize(input->sources.size(), false);
    for (uint32_t f : r.files) rendered_file[f] = true;
    roots.push_back(std::move(v));
  }
  for (Finding& f : renderer.findings()) input->findings.push_back(std::move(f));
  std::vector<RawObject> context;
  plan.views.push_back(plain_view(*input, rendered_file, &context));
  for (View& v : roots) {
    v.objects.insert(v.objects.end(), context.begin(), context.end());
    plan.views.push_back(std::move(v));
  }
  input->memory.text.push_back(renderer.take_text());
  input->memory.text.push_back(std::move(arena));
  return plan;
}

std::vector<size_t> views_to_show(const checks::Analysis& a, const std::vector<std::string>& paths) {
  std::set<std::string> named;
  for (const std::string& p : paths) named.insert(RunFiles::join("", p));
  std::vector<size_t> roots, given;
  for (size_t i = 0; i < a.views.size(); ++i) {
    const std::string& root = i == 0 ? a.primary_root : a.views[i]->root;
    if (root.empty()) continue;
    roots.push_back(i);
    if (named.count(root)) given.push_back(i);
  }
  if (!given.empty()) return given;
  if (!roots.empty()) return roots;
  return {0};
}

}  // namespace kmc::driver
