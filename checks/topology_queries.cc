// The linked set's lookups, what rules and renderers ask of a Topology once linking is done
// (checks/topology.h); the linking itself is checks/topology.cc.
#include "checks/topology.h"

#include <algorithm>

namespace kmc::checks {
using parser::Node;
using parser::TextPlace;
using parser::locate_text;
using schema::LabelMap;
using schema::LabelSelector;
using schema::Object;

std::string_view ref_site_name(RefSite s) {
  switch (s) {
    case RefSite::EnvValue: return "env value";
    case RefSite::Command: return "command";
    case RefSite::Args: return "args";
    case RefSite::ShellScript: return "shell script";
    case RefSite::ConfigValue: return "value it reads";
  }
  return "";
}

const ServiceLinks* Topology::service(std::string_view ns, std::string_view name) const {
  const uint32_t* i = service_index.find(NameKey{ns, name, {}});
  return i ? &services[*i] : nullptr;
}

const ServiceLinks* Topology::service(std::string_view ns, std::string_view name, const Object& from) const {
  if (!service_in_directory.empty() && !from.context)
    if (const uint32_t* i = service_in_directory.find(NameKey{ns, name, directory(from)})) return &services[*i];
  return service(ns, name);
}

const Object* Topology::find(std::string_view group, std::string_view kind, std::string_view ns,
                             std::string_view name) const {
  return object_index.find({group, kind, ns, name});
}

bool Topology::namespace_in_input(std::string_view ns) const { return input_namespaces.contains(ns); }

bool Topology::namespace_has_services(std::string_view ns, const Object& consumer) const {
  return service_namespaces.contains(NameKey{ns, kInTheCluster, {}}) ||
         (!consumer.context && service_namespaces.contains(NameKey{ns, scope(consumer), {}}));
}

bool Topology::namespace_has(std::string_view kind, std::string_view ns, const Object& consumer) const {
  return config_namespaces.contains(NameKey{kind, ns, kInTheCluster}) ||
         (!consumer.context && config_namespaces.contains(NameKey{kind, ns, scope(consumer)}));
}

bool cluster_service(std::string_view ns, std::string_view name) {
  return (ns == "default" && name == "kubernetes") || (ns == "kube-system" && name == "kube-dns");
}

bool selects_control_plane(std::string_view ns, const LabelMap& selector) {
  if (ns != "kube-system" || selector.empty()) return false;
  bool component = false;
  for (LabelMap::Entry e : selector) {
    if (e.key() == "component") {
      std::string_view v = e.value();
      component = v == "kube-apiserver" || v == "kube-controller-manager" || v == "kube-scheduler" || v == "etcd";
      if (!component) return false;
    } else if (!(e.key() == "tier" && e.value() == "control-plane")) {
      return false;
    }
  }
  return component;
}

bool Topology::operator_namespace(std::string_view ns) const {
  return std::binary_search(operator_namespaces.begin(), operator_namespaces.end(), ns);
}

namespace {

// Calls `visit` with each pod of `ns` that carries every label of `labels`, and is one of `among`
// when that is given, in pod-source order, until `visit` returns false. The label index's
// posting lists (each sorted, as pod sources are indexed in order) are intersected: the smallest
// is walked and each of its pods looked up in the others, so a selector whose every label is
// common but whose conjunction is rare costs the smallest list, not the pods it names.
template <class Visit>
void visit_pods_with_labels(const Topology& t, std::string_view ns, const LabelMap& labels,
                            const std::span<const uint32_t>* among, Visit visit) {
  std::vector<std::span<const uint32_t>> lists;
  lists.reserve(labels.size() + 1);
  for (LabelMap::Entry e : labels) {
    std::span<const uint32_t> carrying = t.label_index.find(NameKey{ns, e.key(), e.value()});
    if (carrying.empty()) return;  // nothing carries this label
    lists.push_back(carrying);
  }
  if (among) lists.push_back(*among);
  else if (lists.empty()) lists.push_back(t.pods_by_namespace.find(ns));  // no label: the whole namespace
  std::sort(lists.begin(), lists.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
  for (uint32_t i : lists[0]) {
    bool everywhere = true;
    for (size_t l = 1; l < lists.size() && everywhere; ++l) everywhere = std::binary_search(lists[l].begin(), lists[l].end(), i);
    if (everywhere && !visit(i)) return;
  }
}

}  // namespace

std::vector<uint32_t> Topology::pods_with_labels(std::string_view ns, const LabelMap& labels) const {
  std::vector<uint32_t> out;
  visit_pods_with_labels(*this, ns, labels, nullptr, [&](uint32_t i) {
    out.push_back(i);
    return true;
  });
  return out;
}

std::vector<uint32_t> Topology::pods_with_labels(std::string_view ns, const LabelMap& labels,
                                                 std::span<const uint32_t> among) const {
  std::vector<uint32_t> out;
  visit_pods_with_labels(*this, ns, labels, &among, [&](uint32_t i) {
    out.push_back(i);
    return true;
  });
  return out;
}

std::vector<uint32_t> Topology::select(std::string_view ns, const LabelMap& selector) const {
  return pods_with_labels(ns, selector);
}

std::vector<uint32_t> Topology::select(std::string_view ns, const LabelSelector& selector) const {
  std::vector<uint32_t> out = pods_with_labels(ns, selector.match_labels);
  if (!selector.match_expressions.empty())
    std::erase_if(out, [&](uint32_t i) { return !selector.matches(pod_sources[i].pod().meta.labels); });
  return out;
}

bool Topology::selects_any(std::string_view ns, const LabelSelector& selector) const {
  bool any = false;
  visit_pods_with_labels(*this, ns, selector.match_labels, nullptr, [&](uint32_t i) {
    any = selector.match_expressions.empty() || selector.matches(pod_sources[i].pod().meta.labels);
    return !any;
  });
  return any;
}

std::vector<uint32_t> Topology::select_together(const Object& near, const LabelMap& selector) const {
  if (near.context) return select(near.ns, selector);  // the cluster's: deployed with everything
  std::vector<uint32_t> out = pods_with_labels(near.ns, selector, pods_by_scope.find(NameKey{near.ns, scope(near), {}}));
  std::vector<uint32_t> cluster = pods_with_labels(near.ns, selector, pods_by_scope.find(NameKey{near.ns, kInTheCluster, {}}));
  if (!cluster.empty()) {
    size_t own = out.size();
    out.insert(out.end(), cluster.begin(), cluster.end());
    std::inplace_merge(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(own), out.end());
  }
  return out;
}

std::vector<uint32_t> Topology::select_together(const Object& near, const LabelSelector& selector) const {
  std::vector<uint32_t> out = select_together(near, selector.match_labels);
  if (!selector.match_expressions.empty())
    std::erase_if(out, [&](uint32_t i) { return !selector.matches(pod_sources[i].pod().meta.labels); });
  return out;
}

Position position_in(const SourceSet& sources, const Node* node, size_t offset, std::string_view fragment) {
  Position base = node->pos();
  if (!base.valid() || base.file >= sources.size()) return base;
  const SourceFile& src = sources[base.file];
  std::string_view text = node->text();
  if (size_t found = text.find(fragment, offset); found != std::string_view::npos) {
    // The model's copies know where their text stood; a tree's own node is looked up in its file.
    // Either way no line index of the file is built: on a large tree every file with a variable
    // reference would need one.
    Node located = *node;
    if (located.text_place() == TextPlace::Unknown) located.set_text_place(locate_text(src.content, *node));
    if (std::optional<Position> exact = located.position_at(found)) return *exact;
  }
  size_t newlines = static_cast<size_t>(std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
  // A plain or quoted scalar starts on the node's line; a block scalar's content one line below.
  for (uint32_t extra : {0u, 1u}) {
    uint32_t line = base.line + static_cast<uint32_t>(newlines) + extra;
    std::string_view line_text = src.line_text(line);
    size_t from = line == base.line ? base.column - 1 : 0;
    if (from > line_text.size()) continue;
    size_t at = line_text.find(fragment, from);
    if (at != std::string_view::npos) return {base.file, line, static_cast<uint32_t>(at + 1)};
  }
  return base;
}

bool Topology::deployed_together(const Object& a, const Object& b) const {
  // A view renders one kustomization root at most (driver/views.h): what it rendered is one
  // `kubectl apply -k`, whichever directories its resources and components came from.
  if (a.context || b.context || a.raw->file == b.raw->file) return true;
  return scope(a) == scope(b);
}

std::string_view Topology::scope(const Object& o) const {
  if (o.context) return kInTheCluster;
  return o.raw->rendered ? kRendered : directory(o);
}

std::string_view Topology::directory(const Object& o) const {
  std::string_view path = (*sources)[o.raw->file].path;
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

}  // namespace kmc::checks
