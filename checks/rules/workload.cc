#include <fmt/format.h>

#include "checks/rules/rules.h"

namespace kmc {
namespace {

// Kinds whose API validation requires the selector to match the template's labels.
bool selector_must_match(const Object& o) {
  std::string_view k = o.kind;
  return k == "Deployment" || k == "StatefulSet" || k == "DaemonSet" || k == "ReplicaSet" ||
         k == "ReplicationController" || k == "Job";
}

std::string format_labels(const LabelMap& labels) {
  if (labels.empty()) return "no labels";
  std::string out;
  for (const auto& e : labels.entries) {
    if (!out.empty()) out += ",";
    out += fmt::format("{}={}", e.key, e.value);
  }
  return out;
}

// What the selector asks for that the labels lack, as "selects X, but its pod template Y".
std::string first_unmet(const LabelSelector& sel, const LabelMap& labels, Position* where) {
  for (const auto& e : sel.match_labels.entries) {
    const std::string_view* v = labels.find(e.key);
    *where = e.key_node->pos();
    if (!v) return fmt::format("selects `{}={}`, but its pod template has no label `{}`", e.key, e.value, e.key);
    if (*v != e.value) return fmt::format("selects `{}={}`, but its pod template has `{}={}`", e.key, e.value, e.key, *v);
  }
  for (const SelectorRequirement& r : sel.match_expressions) {
    LabelSelector one;
    one.match_expressions.push_back(r);
    if (!one.matches(labels)) {
      *where = r.node->pos();
      std::string values;
      for (const Text& t : r.values) values += (values.empty() ? "" : ",") + std::string(t.value);
      return fmt::format("selects `{} {} [{}]`, but its pod template's labels ({}) do not satisfy it", r.key.value,
                         r.op.value, values, format_labels(labels));
    }
  }
  return {};
}

void selector_mismatch(const Model& model, Sink& sink) {
  for (const Object& o : model.objects) {
    if (!selector_must_match(o)) continue;
    const Workload* w = o.as<Workload>();
    if (!w || !w->selector.set() || w->selector.empty()) continue;
    const PodTemplate& t = w->template_;
    if (!t.node) continue;
    if (w->selector.matches(t.meta.labels)) continue;
    Position where = w->selector.node->pos();
    std::string unmet = first_unmet(w->selector, t.meta.labels, &where);
    Finding* f = sink.report(
        o, where,
        fmt::format("{} {}; the API server rejects a {} whose selector does not match its own template's labels",
                    o.display(), unmet, o.kind),
        "make spec.selector select the labels in spec.template.metadata.labels (or add the label to the template)");
    if (f) {
      Position labels_pos = t.meta.labels.node ? t.meta.labels.node->pos() : t.node->pos();
      f->related.push_back({labels_pos, "the pod template's labels are here"});
    }
  }
}

}  // namespace

void add_workload_rules(std::vector<Rule>* t) {
  t->push_back({"workload/selector-mismatch", Severity::Error,
                "a workload's selector does not match its own pod template labels", selector_mismatch});
}

}  // namespace kmc
