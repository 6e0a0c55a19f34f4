#include "checks/selector_reach.h"

#include <algorithm>

namespace kmc::checks {
using schema::LabelMap;
using schema::LabelSelector;
using schema::Object;

Reach both(Reach a, Reach b) {
  if (a == Reach::No || b == Reach::No) return Reach::No;
  return a == Reach::ClusterDecides || b == Reach::ClusterDecides ? Reach::ClusterDecides : Reach::Yes;
}

Reach either(Reach a, Reach b) {
  if (a == Reach::Yes || b == Reach::Yes) return Reach::Yes;
  return a == Reach::ClusterDecides || b == Reach::ClusterDecides ? Reach::ClusterDecides : Reach::No;
}

Reach selector_reach(const LabelSelector& s, const KnownLabels& labels) {
  Reach r = Reach::Yes;
  std::optional<std::string_view> v;
  for (LabelMap::Entry e : s.match_labels) {
    if (!labels.known(e.key(), &v)) r = both(r, Reach::ClusterDecides);
    else if (!v || *v != e.value()) return Reach::No;
  }
  for (const schema::SelectorRequirement& req : s.match_expressions) {
    if (!labels.known(req.key.value(), &v)) {
      r = both(r, Reach::ClusterDecides);
      continue;
    }
    bool listed = v && std::any_of(req.values.begin(), req.values.end(), [&](const schema::Text& t) { return t.value() == *v; });
    std::string_view op = req.op.value();
    bool ok = op == "In" ? listed : op == "NotIn" ? !listed : op == "Exists" ? v.has_value() : op == "DoesNotExist" && !v;
    if (!ok) return Reach::No;
  }
  return r;
}

const Object* namespace_object(const schema::Model& model, const Topology& topology, std::string_view ns, const Object& near) {
  const Object* only = nullptr;
  size_t named = 0;
  for (const Object& n : model.namespaces()) {
    if (n.name() != ns) continue;
    if (topology.deployed_together(n, near)) return &n;
    only = &n;
    ++named;
  }
  return named == 1 ? only : nullptr;
}

Reach namespace_selected(const schema::Model& model, const Topology& topology, const LabelSelector& selector,
                         std::string_view ns, const Object& near) {
  if (selector.empty()) return Reach::Yes;
  const Object* n = namespace_object(model, topology, ns, near);
  return selector_reach(selector, {n ? &n->meta.labels : nullptr, n != nullptr, ns});
}

}  // namespace kmc::checks
