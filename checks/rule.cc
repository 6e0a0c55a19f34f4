#include "checks/rule.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "checks/rules/rules.h"

namespace kmc::checks {
using schema::Object;

const std::vector<Rule>& rule_table() {
  static const std::vector<Rule> table = [] {
    std::vector<Rule> t;
    add_syntax_rules(&t);
    add_schema_rules(&t);
    add_service_rules(&t);
    add_endpoints_rules(&t);
    add_discovery_rules(&t);
    add_storage_rules(&t);
    add_ingress_rules(&t);
    add_workload_rules(&t);
    add_affinity_rules(&t);
    add_kustomize_rules(&t);
    add_reference_rules(&t);
    add_disruption_rules(&t);
    add_autoscaling_rules(&t);
    add_admission_rules(&t);
    add_resource_admission_rules(&t);
    add_practice_rules(&t);
    add_network_policy_selector_rules(&t);
    add_network_policy_traffic_rules(&t);
    add_gateway_rules(&t);
    // Row i of the table is row i of the catalogue (tests/rules_test.cc), so a rule is found by
    // its number.
    return t;
  }();
  return table;
}

const Rule* find_rule(std::string_view id) {
  const RuleRow* row = find_rule_row(id);
  return row ? &rule_table()[static_cast<size_t>(row->rule)] : nullptr;
}

ObjectRef object_ref(const Object& o) {
  return {o.api_version(), o.kind(), o.ns, o.name()};
}

Finding* Sink::report(const Object& object, Position pos, std::string message, std::string fix) {
  return report(object, rule_->severity(), pos, std::move(message), std::move(fix));
}

Finding* Sink::report(const Object& object, Severity severity, Position pos, std::string message, std::string fix) {
  assert(rule_->row->allows(severity) && "a severity the catalogue does not list for this rule");
  if (object.context) return nullptr;
  Finding f;
  f.rule = rule_->id();
  f.severity = severity;
  f.message = clip_message(std::move(message));  // messages quote values, which can be megabytes
  f.pos = pos.valid() ? pos : object.pos();
  f.object = object_ref(object);
  f.fix = fixes_->keep(std::move(fix));
  return &out_->push_back(std::move(f));
}

Finding& FindingList::push_back(Finding&& f) {
  if (chunks_.empty() || chunks_.back().used == chunks_.back().capacity) {
    size_t capacity = chunks_.empty() ? kFirstChunk : std::min(2 * chunks_.back().capacity, kLargestChunk);
    chunks_.push_back({std::make_unique_for_overwrite<Finding[]>(capacity), 0, capacity});
  }
  Finding& slot = chunks_.back().findings[chunks_.back().used++];
  slot = std::move(f);
  ++size_;
  return slot;
}

}  // namespace kmc::checks

namespace kmc::checks {

std::string Sink::where(Position pos) const {
  if (!pos.valid() || !sources_ || pos.file >= sources_->size()) return "?";
  return fmt::format("{}:{}", (*sources_)[pos.file].path, pos.line);
}

}  // namespace kmc::checks
