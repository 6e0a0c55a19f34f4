#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/rule_catalogue.h"
#include "checks/topology.h"
#include "schema/model.h"

namespace kmc {

class ObjectRange;
class Sink;

// One rule of the catalogue, with the function that checks it: exactly one of `run_on_set` and
// `run_on_range`, or neither for the rules that the parser emits (syntax/*).
struct Rule {
  // A rule that compares objects with each other (two Services that want one node port): run
  // once, on the whole set.
  using RunOnSet = void (*)(const Model& model, const Topology& topology, Sink& sink);
  // A rule that checks one object at a time (with any links of the topology): run on each range
  // of objects in turn, it walks only the range's objects, so that every object is checked in
  // exactly one run, and keeps nothing from one object to the next (checks/object_range.h says
  // why rules run range by range).
  using RunOnRange = void (*)(const Model& model, const Topology& topology, const ObjectRange& range, Sink& sink);

  explicit Rule(RuleId rule) : Rule(rule_row(rule)) {}
  Rule(RuleId rule, RunOnSet run) : Rule(rule_row(rule)) { run_on_set = run; }
  Rule(RuleId rule, RunOnRange run) : Rule(rule_row(rule)) { run_on_range = run; }

  // The catalogue's row (core/rule_catalogue.h), and the fields of it every reader wants.
  const RuleRow* row;
  std::string_view id;  // family/slug; an interface: never renamed
  Severity severity;    // the default
  std::string_view summary;
  RunOnSet run_on_set = nullptr;
  RunOnRange run_on_range = nullptr;

  // Whether a finding of this rule can come from a change to another object than the one it is
  // about (a Service that selects no pod since a Deployment's labels changed): true for every rule
  // on the whole set and for the range rules that read the links of the topology. `--only-files`
  // reports such findings about the neighbours of the files it names (driver/only_files.h).
  bool reads_links = false;

  std::string_view family() const { return row->family(); }
  RuleId rule() const { return row->rule; }
  bool relates_objects() const { return run_on_set || reads_links; }
  bool runs() const { return run_on_set || run_on_range; }

 private:
  explicit Rule(const RuleRow& r) : row(&r), id(r.id), severity(r.severity), summary(r.summary) {}
};

// The rule table: every row of the catalogue, in its order, with the function that checks it
// (checks/rules/*.cc bind them). The only global of the program.
const std::vector<Rule>& rule_table();
const Rule* find_rule(std::string_view id);

// The findings of one task of the rules (one rule on the set, or the rules on a range of
// objects), as they are reported. They never move (a Finding* stays valid for notes) and grow by
// chunks: a doubling vector left 9 MiB of copies behind the 21 000 findings of
// affinity/no-anti-affinity on the bench tree, at the run's peak, and std::deque's 512-byte
// blocks hold two 176-byte findings and leave a third of each unused. The first chunk holds 16
// findings and each next one twice as many, up to 64 KiB: a range of objects has a few hundred
// findings, and 200 ranges of 64 KiB chunks half empty were 9 MiB more at the peak.
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

}  // namespace kmc
