#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/rule_catalogue.h"
#include "checks/pod_security.h"
#include "checks/topology.h"
#include "schema/model.h"

namespace kmc::checks {
using schema::Model;
using schema::Object;

class ObjectRange;
class Sink;

// What a project says of the cluster that no manifest does (.kmc.yaml).
struct RuleSettings {
  // podSecurity: the levels of a namespace whose Namespace object the input and --context lack.
  NamespacePodSecurity pod_security;
  // The target Kubernetes release's minor (--kubernetes-version): 1.30 is 30.
  int kubernetes_minor = PodSecurityPolicy::kLatest;
};

// What one call of a rule reads: the linked set, and the objects it checks in this call.
struct RuleContext {
  const Model& model;
  const Topology& topology;
  // The objects to report about: one range of them for a rule of single objects (the runner
  // calls it on each range in turn, so that every object is checked in exactly one call), every
  // object for a rule of the whole set (checks/object_range.h says why rules run range by range).
  const ObjectRange& range;
  const RuleSettings& settings;
};

// How a rule reads the set, which says how the runner calls it and which files' changes can
// change its findings.
enum class RuleScope : uint8_t {
  // Checks one object at a time, by its own fields: called on each range of objects, it walks
  // only the range's objects and keeps nothing from one object to the next.
  Object,
  // As Object, and reads the object's links in the topology (the pods a Service selects): a
  // finding can come from a change to another object than the one it is about.
  ObjectAndLinks,
  // Compares objects with each other (two Services that want one node port): called once, on
  // a range of every object.
  Set,
};

// One rule of the catalogue, with the function that checks it; none for the rules that the
// parser and the schema emit (syntax/*, the findings of schema validation).
struct Rule {
  using Check = void (*)(const RuleContext& context, Sink& sink);

  explicit Rule(RuleId rule) : row(&rule_row(rule)) {}
  Rule(RuleId rule, RuleScope scope, Check check) : row(&rule_row(rule)), scope(scope), check(check) {}

  const RuleRow* row;  // the catalogue's (core/rule_catalogue.h)
  RuleScope scope = RuleScope::Object;
  Check check = nullptr;

  std::string_view id() const { return row->id; }  // family/slug; an interface: never renamed
  Severity severity() const { return row->severity; }  // the default
  std::string_view summary() const { return row->summary; }
  std::string_view family() const { return row->family(); }
  RuleId rule() const { return row->rule; }
  bool runs() const { return check != nullptr; }
  // Whether a finding of this rule can come from a change to another object than the one it is
  // about (a Service that selects no pod since a Deployment's labels changed). `--only-files`
  // reports such findings about the neighbours of the files it names (driver/only_files.h).
  bool relates_objects() const { return runs() && scope != RuleScope::Object; }
};

// The rule table: every row of the catalogue, in its order, with the function that checks it
// (checks/rules/*.cc bind them). The only global of the program.
const std::vector<Rule>& rule_table();
const Rule* find_rule(std::string_view id);

// The findings of one task of the rules (one rule on the set, or the rules on a range of
// objects), as they are reported. They never move (a Finding* stays valid for notes) and grow by
// chunks: a doubling vector left its copies behind at the run's peak, and std::deque's 512-byte
// blocks hold two 176-byte findings and leave a third of each unused. The first chunk holds 16
// findings and each next one twice as many, up to 64 KiB: a range of objects has a few hundred
// findings, and ranges of 64 KiB chunks half empty raised the peak (docs/performance.md,
// "Measurements behind the code").
class FindingList {
 public:
  Finding& push_back(Finding&& f);
  size_t size() const { return size_; }
  // Hands every finding to `take`, in order, and frees each chunk as soon as it is emptied.
  template <class Take> void drain(const Take& take) {
    for (Chunk& c : chunks_) {
      for (size_t i = 0; i < c.used; ++i) take(std::move(c.findings[i]));
      c.findings.reset();
    }
    chunks_.clear();
    size_ = 0;
  }

 private:
  static constexpr size_t kFirstChunk = 16;
  static constexpr size_t kLargestChunk = (64 << 10) / sizeof(Finding);
  struct Chunk {
    std::unique_ptr<Finding[]> findings;
    size_t used, capacity;
  };
  std::vector<Chunk> chunks_;
  size_t size_ = 0;
};

// Where rules report. Fills in the rule id, the default severity and the object, and drops
// findings about context objects (they exist in the cluster and are not the user's to fix).
class Sink {
 public:
  Sink(FindingList* out, FixTexts* fixes, const SourceSet* sources) : out_(out), fixes_(fixes), sources_(sources) {}

  void set_rule(const Rule* rule) { rule_ = rule; }
  const Rule& rule() const { return *rule_; }

  // Reports at `pos` about `object`. Returns the finding to add notes to, or nullptr when dropped.
  Finding* report(const Object& object, Position pos, std::string message, std::string fix = {});
  Finding* report(const Object& object, Severity severity, Position pos, std::string message, std::string fix = {});

  // "file:line" of a position, for messages that name the other end of a link.
  std::string where(Position pos) const;
  const SourceSet& sources() const { return *sources_; }

 private:
  FindingList* out_;
  FixTexts* fixes_;
  const SourceSet* sources_;
  const Rule* rule_ = nullptr;
};

ObjectRef object_ref(const Object& o);

}  // namespace kmc::checks
