#pragma once
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "checks/topology.h"
#include "schema/model.h"

namespace kmc {

class Sink;

// One rule of the catalogue. `run` is null for rules the parser emits (syntax/*).
struct Rule {
  std::string_view id;  // family/slug; an interface: never renamed
  Severity severity;
  std::string_view summary;
  void (*run)(const Model& model, const Topology& topology, Sink& sink);

  std::string_view family() const { return id.substr(0, id.find('/')); }
};

// The rule table: every rule kmc has, in catalogue order. The only global of the program.
const std::vector<Rule>& rule_table();
const Rule* find_rule(std::string_view id);

// Where rules report. Fills in the rule id, the default severity and the object, and drops
// findings about context objects (they exist in the cluster and are not the user's to fix).
//
// A rule's findings go in a deque: it grows without moving them (a Finding* stays valid for notes)
// and without the copies a doubling vector leaves behind; the rule with the most findings on the
// bench tree (21 000) left 9 MiB of them, at the run's peak.
class Sink {
 public:
  Sink(std::deque<Finding>* out, const SourceSet* sources) : out_(out), sources_(sources) {}

  void set_rule(const Rule* rule) { rule_ = rule; }
  const Rule& rule() const { return *rule_; }

  // Reports at `pos` about `object`. Returns the finding to add notes to, or nullptr when dropped.
  Finding* report(const Object& object, Position pos, std::string message, std::string fix = {});
  Finding* report(const Object& object, Severity severity, Position pos, std::string message, std::string fix = {});

  // "file:line" of a position, for messages that name the other end of a link.
  std::string where(Position pos) const;
  const SourceSet& sources() const { return *sources_; }

 private:
  std::deque<Finding>* out_;
  const SourceSet* sources_;
  const Rule* rule_ = nullptr;
};

ObjectRef object_ref(const Object& o);

}  // namespace kmc
