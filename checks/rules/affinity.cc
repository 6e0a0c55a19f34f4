// The affinity family: Service session affinity, and pod/node (anti-)affinity and topology
// spread of pod templates, validated as the API server does and checked against the set
// (which pods exist, which nodes --context knows).
#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "checks/rules/wording.h"
#include "schema/names.h"

namespace kmc::checks {
using schema::Affinity;
using schema::Int;
using schema::LabelMap;
using schema::LabelSelector;
using schema::Model;
using schema::NodeSelectorTerm;
using schema::Object;
using schema::PersistentVolume;
using schema::PodAffinityRules;
using schema::PodAffinityTerm;
using schema::PodSpec;
using schema::PreferredSchedulingTerm;
using schema::SelectorRequirement;
using schema::Service;
using schema::Text;
using schema::TopologySpreadConstraint;
using schema::WeightedPodAffinityTerm;
using schema::label_key_error;

namespace {

constexpr int64_t kMaxClientIPTimeout = 86400;  // MaxClientIPServiceAffinitySeconds

// --- Services ----------------------------------------------------------------------------

void session_config(const RuleContext& ctx, Sink& sink) {
  for (const ServiceLinks& l : ctx.range.services()) {
    const Service& s = *l.service;
    if (!s.session_affinity_config_key) continue;
    if (s.session_affinity.value() != "ClientIP") {
      Position where = s.session_affinity_config_key->pos();
      sink.report(*l.object, Severity::Warning, where,
                  fmt::format("{} sets sessionAffinityConfig, but its sessionAffinity is {}; the API server drops the "
                              "config when it defaults the Service, so the stickiness you configured never happens",
                              l.object->display(), s.session_affinity.set() ? s.session_affinity.value() : "unset (None)"),
                  "set `sessionAffinity: ClientIP`, or remove sessionAffinityConfig");
      continue;
    }
    const Int& timeout = s.session_affinity_timeout;
    if (timeout.set() && (timeout.value <= 0 || timeout.value > kMaxClientIPTimeout))
      sink.report(*l.object, timeout.node->pos(),
                  fmt::format("{} has sessionAffinityConfig.clientIP.timeoutSeconds {}, outside 1–86400; the API server "
                              "rejects the Service",
                              l.object->display(), timeout.value),
                  "use a timeout between 1 and 86400 seconds (the default is 10800, three hours)");
  }
}

void session_ineffective(const RuleContext& ctx, Sink& sink) {
  for (const ServiceLinks& l : ctx.range.services()) {
    const Service& s = *l.service;
    if (l.affinity != "ClientIP" || !(s.headless() || s.external())) continue;
    sink.report(*l.object, s.session_affinity.pos(),
                fmt::format("{} asks for ClientIP session affinity, but it is {}: there is no virtual IP and no proxy "
                            "to keep a client on one backend, so the setting does nothing",
                            l.object->display(),
                            s.external() ? "an ExternalName Service (a DNS alias)" : "headless (clusterIP: None; clients get every pod's address from DNS)"),
                s.external() ? "remove sessionAffinity" : "give the Service a cluster IP, or make clients stick to one address themselves");
  }
}

// --- Selector and node selector operators ----------------------------------------------------

bool parses_integer(std::string_view s) {
  int64_t v;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// A metav1 LabelSelector requirement: In/NotIn need values, Exists/DoesNotExist none. Unknown
// operators are schema/enum's.
void label_requirement(const Object& o, const SelectorRequirement& r, std::string_view where, Sink& sink) {
  std::string_view op = r.op.value();
  if ((op == "In" || op == "NotIn") && r.values.empty())
    sink.report(o, r.op.pos(),
                fmt::format("{}: {} `{} {}` has no values; the API server rejects it (values must be specified for In "
                            "and NotIn)",
                            o.display(), where, r.key.value(), op),
                "list the values, or use Exists");
  if ((op == "Exists" || op == "DoesNotExist") && !r.values.empty())
    sink.report(o, r.values.front().pos(),
                fmt::format("{}: {} `{} {}` has values; the API server rejects it (Exists and DoesNotExist take none)",
                            o.display(), where, r.key.value(), op),
                "remove the values, or use In");
}

void label_selector_ops(const Object& o, const LabelSelector& sel, std::string_view where, Sink& sink) {
  for (const SelectorRequirement& r : sel.match_expressions) label_requirement(o, r, where, sink);
}

void node_requirement(const Object& o, const SelectorRequirement& r, bool field, Sink& sink) {
  std::string_view op = r.op.value();
  std::string_view what = field ? "node selector field" : "node selector";
  auto reject = [&](Position pos, std::string why, std::string fix) {
    sink.report(o, pos, fmt::format("{}: {} `{} {}` {}; the API server rejects it", o.display(), what, r.key.value(), op, why),
                std::move(fix));
  };
  if (field) {
    if (r.key.value() != "metadata.name")
      return reject(r.key.pos(), "uses a field other than metadata.name", "match node labels with matchExpressions instead");
    if ((op == "In" || op == "NotIn") && r.values.size() != 1)
      return reject(r.op.pos(), fmt::format("has {} values; a field selector takes exactly one", r.values.size()),
                    "use one node name per term (terms are ORed)");
    if (op != "In" && op != "NotIn" && !op.empty()) return reject(r.op.pos(), "is not In or NotIn", "use In or NotIn");
    return;
  }
  if ((op == "In" || op == "NotIn") && r.values.empty())
    return reject(r.op.pos(), "has no values", "list the values, or use Exists");
  if ((op == "Exists" || op == "DoesNotExist") && !r.values.empty())
    return reject(r.values.front().pos(), "has values (Exists and DoesNotExist take none)", "remove the values");
  if (op == "Gt" || op == "Lt") {
    if (r.values.size() != 1)
      return reject(r.op.pos(), fmt::format("has {} values; Gt and Lt take exactly one integer", r.values.size()),
                    "give exactly one integer value");
    if (!parses_integer(r.values[0].value()))
      return reject(r.values[0].pos(), fmt::format("compares with \"{}\", which is not an integer", r.values[0].value()),
                    "give an integer value");
  }
}

void node_term_ops(const Object& o, const NodeSelectorTerm& term, Sink& sink) {
  for (const SelectorRequirement& r : term.match_expressions) node_requirement(o, r, false, sink);
  for (const SelectorRequirement& r : term.match_fields) node_requirement(o, r, true, sink);
}

void operator_rule(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    const Object& o = *p.object;
    const Affinity& a = p.pod().spec.affinity();
    if (p.workload->selector.set() && o.kind() != "Pod") label_selector_ops(o, p.workload->selector, "spec.selector", sink);
    for (const NodeSelectorTerm& term : a.node_required) node_term_ops(o, term, sink);
    for (const PreferredSchedulingTerm& pref : a.node_preferred) node_term_ops(o, pref.preference, sink);
    for (const PodAffinityRules* rules : {&a.pod_affinity, &a.pod_anti_affinity}) {
      auto terms = [&](const PodAffinityTerm& term) {
        label_selector_ops(o, term.label_selector, "pod affinity selector", sink);
        label_selector_ops(o, term.namespace_selector, "namespace selector", sink);
      };
      for (const PodAffinityTerm& term : rules->required) terms(term);
      for (const WeightedPodAffinityTerm& w : rules->preferred) terms(w.term);
    }
    for (const TopologySpreadConstraint& c : p.pod().spec.topology_spread)
      label_selector_ops(o, c.label_selector, "topology spread selector", sink);
  }
  for (auto [o, pv] : ctx.range.of<PersistentVolume>())
    for (const NodeSelectorTerm& term : pv.node_affinity) node_term_ops(o, term, sink);
}

// --- topologyKey and weights ---------------------------------------------------------------------

void term_key(const Object& o, const PodAffinityTerm& term, std::string_view kind, Sink& sink) {
  if (!term.topology_key.set() || term.topology_key.value().empty()) {
    sink.report(o, term.topology_key.set() ? term.topology_key.pos() : term.node->pos(),
                fmt::format("{}: a {} term has no topologyKey; the API server rejects it (it says what \"together\" "
                            "means: the same node, zone, …)",
                            o.display(), kind),
                "add `topologyKey: kubernetes.io/hostname` (same node) or `topology.kubernetes.io/zone` (same zone)");
    return;
  }
  std::string why = label_key_error(term.topology_key.value());
  if (!why.empty())
    sink.report(o, term.topology_key.pos(),
                fmt::format("{}: topologyKey \"{}\" is not a valid label key: it {}", o.display(), term.topology_key.value(), why),
                "use a node label key such as kubernetes.io/hostname or topology.kubernetes.io/zone");
}

void weight(const Object& o, const Int& w, std::string_view kind, Sink& sink) {
  if (!w.set() || (w.value >= 1 && w.value <= 100)) return;
  sink.report(o, w.node->pos(),
              fmt::format("{}: a preferred {} term has weight {}; the API server accepts 1–100 only", o.display(), kind, w.value),
              "use a weight between 1 and 100");
}

void topology_key_rule(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    const Object& o = *p.object;
    const Affinity& a = p.pod().spec.affinity();
    for (const auto& [rules, kind] : {std::pair{&a.pod_affinity, "pod affinity"}, std::pair{&a.pod_anti_affinity, "pod anti-affinity"}}) {
      for (const PodAffinityTerm& term : rules->required) term_key(o, term, kind, sink);
      for (const WeightedPodAffinityTerm& w : rules->preferred) {
        if (w.term.node) term_key(o, w.term, kind, sink);  // a missing podAffinityTerm is schema/required's
        weight(o, w.weight, kind, sink);
      }
    }
    for (const PreferredSchedulingTerm& pref : a.node_preferred) weight(o, pref.weight, "node affinity", sink);
  }
}

// --- Satisfiability ----------------------------------------------------------------------------

// The namespaces a pod affinity term looks in, or nullopt when kmc cannot tell (a namespace
// selector with labels, and no Namespace object of the set to evaluate it on). Empty = all.
struct Scope {
  bool known = true;
  bool all = false;
  std::set<std::string_view> namespaces;
};

Scope scope_of(const PodAffinityTerm& term, const PodSource& p, const Model& model) {
  Scope s;
  for (const Text& n : term.namespaces) s.namespaces.insert(n.value());
  if (term.namespace_selector.set()) {
    if (term.namespace_selector.empty()) {
      s.all = true;
      return s;
    }
    bool any_namespace = false;
    for (const Object& o : model.namespaces()) {
      any_namespace = true;
      if (term.namespace_selector.matches(o.meta.labels)) s.namespaces.insert(o.name());
    }
    if (!any_namespace) s.known = false;
    return s;
  }
  if (s.namespaces.empty()) s.namespaces.insert(p.ns());
  return s;
}

bool in_scope(const Scope& s, std::string_view ns) { return s.all || s.namespaces.count(ns) > 0; }

// Whether a pod template of `scope` matches `selector`. In named namespaces, only the pods that
// carry the selector's matchLabels are looked at (the label index): a scan of every pod for every
// required term was quadratic in a tree where each workload has one. A term of every namespace
// (namespaceSelector: {}) scans them all, as the index is per namespace.
bool any_pod_selected(const Topology& t, const Scope& scope, const LabelSelector& selector) {
  auto selected = [&](uint32_t i) { return selector.matches(t.pod_sources[i].pod().meta.labels); };
  if (scope.all) {
    for (uint32_t i = 0; i < t.pod_sources.size(); ++i)
      if (selected(i)) return true;
    return false;
  }
  for (std::string_view ns : scope.namespaces) {
    std::vector<uint32_t> candidates = t.pods_with_labels(ns, selector.match_labels);
    if (std::any_of(candidates.begin(), candidates.end(), selected)) return true;
  }
  return false;
}

std::string scope_words(const Scope& s) {
  if (s.all) return "any namespace";
  std::string out;
  for (std::string_view n : s.namespaces) out += (out.empty() ? "" : ", ") + fmt::format("\"{}\"", n);
  return (s.namespaces.size() == 1 ? "namespace " : "namespaces ") + out;
}

bool node_matches(const Object& node, const SelectorRequirement& r, bool field) {
  std::string_view op = r.op.value();
  auto in_values = [&](std::string_view v) {
    return std::any_of(r.values.begin(), r.values.end(), [&](const Text& t) { return t.value() == v; });
  };
  if (field) {
    if (r.key.value() != "metadata.name") return false;
    return op == "In" ? in_values(node.name()) : op == "NotIn" ? !in_values(node.name()) : false;
  }
  std::optional<std::string_view> v = node.meta.labels.find(r.key.value());
  if (op == "In") return v && in_values(*v);
  if (op == "NotIn") return !v || !in_values(*v);
  if (op == "Exists") return v.has_value();
  if (op == "DoesNotExist") return !v.has_value();
  if ((op == "Gt" || op == "Lt") && v && r.values.size() == 1) {
    int64_t have, want;
    auto a = std::from_chars(v->data(), v->data() + v->size(), have);
    auto b = std::from_chars(r.values[0].value().data(), r.values[0].value().data() + r.values[0].value().size(), want);
    if (a.ec != std::errc() || b.ec != std::errc()) return false;
    return op == "Gt" ? have > want : have < want;
  }
  return false;
}

// Terms are ORed, requirements ANDed; an empty term matches nothing.
bool node_term_matches(const NodeSelectorTerm& term, const Object& node) {
  if (term.match_expressions.empty() && term.match_fields.empty()) return false;
  for (const SelectorRequirement& r : term.match_expressions)
    if (!node_matches(node, r, false)) return false;
  for (const SelectorRequirement& r : term.match_fields)
    if (!node_matches(node, r, true)) return false;
  return true;
}

int64_t replicas_of(const PodSource& p) {
  std::string_view k = p.object->kind();
  if (k != "Deployment" && k != "StatefulSet" && k != "ReplicaSet" && k != "ReplicationController") return 1;
  return p.workload->replicas && p.workload->replicas->node ? p.workload->replicas->value : 1;
}

// Required pod affinity terms that no pod of the input or the cluster can satisfy.
void unsatisfiable_pod_affinity(const RuleContext& ctx, const PodSource& p, Sink& sink) {
  const Object& o = *p.object;
  const LabelMap& own = p.pod().meta.labels;
  for (const PodAffinityTerm& term : p.pod().spec.affinity().pod_affinity.required) {
    if (!term.label_selector.set()) {
      sink.report(o, term.node->pos(),
                  fmt::format("{}: a required pod affinity term has no labelSelector, which matches no pods; its "
                              "pods can never be scheduled",
                              o.display()),
                  "add the labelSelector of the pods to run next to");
      continue;
    }
    Scope scope = scope_of(term, p, ctx.model);
    if (!scope.known) continue;
    // The scheduler lets the first pod through when it matches its own term.
    if (in_scope(scope, p.ns()) && term.label_selector.matches(own)) continue;
    bool found = any_pod_selected(ctx.topology, scope, term.label_selector), operator_scope = false;
    for (std::string_view ns : ctx.topology.operator_namespaces) operator_scope |= in_scope(scope, ns);
    if (found || operator_scope) continue;
    Position where = key_pos(term.node, "labelSelector");
    sink.report(o, where,
                fmt::format("{} must run in the same {} as pods matching the selector in {}, but no workload in the "
                            "input or --context creates such pods; its pods stay Pending",
                            o.display(), term.topology_key.value().empty() ? std::string("topology domain") : fmt::format("\"{}\" domain", term.topology_key.value()),
                            scope_words(scope)),
                "fix the selector, add the workload it means, or make the term preferred");
  }
}

// Required node affinity that none of the known nodes (--context) matches.
void unsatisfiable_node_affinity(const RuleContext& ctx, const PodSource& p, Sink& sink) {
  const Affinity& a = p.pod().spec.affinity();
  if (a.node_required.empty()) return;
  for (const Object* node : ctx.topology.nodes)
    for (const NodeSelectorTerm& term : a.node_required)
      if (node_term_matches(term, *node)) return;
  sink.report(*p.object, a.node_required_node ? a.node_required_node->pos() : a.node->pos(),
              fmt::format("{} requires nodes that match its node affinity, but none of the {} known nodes "
                          "(--context) does; its pods stay Pending",
                          p.object->display(), ctx.topology.nodes.size()),
              "fix the node selector terms, or label the nodes");
}

// The topology domains of `key` among the known nodes (each node for the hostname); none when a
// node lacks the label, as its domain is then unknown.
std::optional<std::set<std::string_view>> node_domains(const Topology& t, std::string_view key) {
  std::set<std::string_view> domains;
  for (const Object* node : t.nodes) {
    std::optional<std::string_view> v = node->meta.labels.find(key);
    if (v) domains.insert(*v);
    else if (key == "kubernetes.io/hostname") domains.insert(node->meta.name.value());
    else return std::nullopt;
  }
  return domains;
}

// Required anti-affinity against a workload's own pods that the known nodes have too few
// domains for.
void unsatisfiable_anti_affinity(const RuleContext& ctx, const PodSource& p, Sink& sink) {
  int64_t replicas = replicas_of(p);
  if (replicas <= 1) return;
  const LabelMap& own = p.pod().meta.labels;
  for (const PodAffinityTerm& term : p.pod().spec.affinity().pod_anti_affinity.required) {
    if (!term.label_selector.set() || !term.label_selector.matches(own) || term.topology_key.value().empty()) continue;
    Scope scope = scope_of(term, p, ctx.model);
    if (!scope.known || !in_scope(scope, p.ns())) continue;
    std::optional<std::set<std::string_view>> domains = node_domains(ctx.topology, term.topology_key.value());
    if (!domains || static_cast<int64_t>(domains->size()) >= replicas) continue;
    sink.report(*p.object, term.topology_key.pos(),
                fmt::format("{} wants {} replicas, each in its own \"{}\" domain (required anti-affinity against its "
                            "own pods), but the known nodes (--context) give only {}; {} pods stay Pending",
                            p.object->display(), replicas, term.topology_key.value(), domains->size(),
                            replicas - static_cast<int64_t>(domains->size())),
                "make the anti-affinity preferred, use a topology spread constraint, or lower replicas");
  }
}

void unsatisfiable(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    unsatisfiable_pod_affinity(ctx, p, sink);
    if (ctx.topology.nodes.empty()) continue;  // without node knowledge, nothing about nodes
    unsatisfiable_node_affinity(ctx, p, sink);
    unsatisfiable_anti_affinity(ctx, p, sink);
  }
}

// --- Spreading --------------------------------------------------------------------------------

void no_anti_affinity(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    int64_t replicas = replicas_of(p);
    if (replicas <= 1) continue;
    const PodSpec& spec = p.pod().spec;
    const PodAffinityRules& anti = spec.affinity().pod_anti_affinity;
    if (!anti.required.empty() || !anti.preferred.empty() || !spec.topology_spread.empty()) continue;
    sink.report(*p.object, p.workload->replicas->node->pos(),
                fmt::format("{} runs {} replicas with neither pod anti-affinity nor topology spread constraints: the "
                            "scheduler may put them all on one node, which then takes the whole workload down with it",
                            p.object->display(), replicas),
                "add a topologySpreadConstraint on kubernetes.io/hostname (whenUnsatisfiable: ScheduleAnyway), or a "
                "preferred podAntiAffinity against the workload's own labels");
  }
}

void topology_spread(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources()) {
    const Object& o = *p.object;
    for (const TopologySpreadConstraint& c : p.pod().spec.topology_spread) {
      if (c.max_skew.set() && c.max_skew.value < 1)
        sink.report(o, c.max_skew.node->pos(),
                    fmt::format("{}: a topology spread constraint has maxSkew {}; the API server requires at least 1",
                                o.display(), c.max_skew.value),
                    "use maxSkew: 1 (as even as possible)");
      if (c.topology_key.set() && c.topology_key.value().empty())
        sink.report(o, c.topology_key.pos(),
                    fmt::format("{}: a topology spread constraint has an empty topologyKey; the API server rejects it",
                                o.display()),
                    "use kubernetes.io/hostname or topology.kubernetes.io/zone");
      if (!c.label_selector.set()) {
        sink.report(o, Severity::Warning, c.node->pos(),
                    fmt::format("{}: a topology spread constraint has no labelSelector, so it counts no pods and "
                                "spreads nothing",
                                o.display()),
                    "add a labelSelector that matches this workload's own pod labels");
      } else if (!c.label_selector.matches(p.pod().meta.labels)) {
        sink.report(o, Severity::Warning, c.label_selector.node->pos(),
                    fmt::format("{}: a topology spread constraint selects pods with other labels than this workload's "
                                "own ({}), so it does not spread these pods",
                                o.display(), format_labels(p.pod().meta.labels)),
                    "select the pod template's own labels");
      }
    }
  }
}

}  // namespace

void add_affinity_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::AffinitySessionConfig, RuleScope::Object, session_config});
  t->push_back({RuleId::AffinitySessionIneffective, RuleScope::Object, session_ineffective});
  t->push_back({RuleId::AffinityOperator, RuleScope::Object, operator_rule});
  t->push_back({RuleId::AffinityTopologyKey, RuleScope::Object, topology_key_rule});
  t->push_back({RuleId::AffinityUnsatisfiable, RuleScope::ObjectAndLinks, unsatisfiable});
  t->push_back({RuleId::AffinityNoAntiAffinity, RuleScope::Object, no_anti_affinity});
  t->push_back({RuleId::AffinityTopologySpread, RuleScope::Object, topology_spread});
}

}  // namespace kmc::checks
