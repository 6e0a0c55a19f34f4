#pragma once
#include <memory>
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

// The findings of one rule, as it reports them. They never move (a Finding* stays valid for
// notes) and grow by chunks of 64 KiB: a doubling vector left 9 MiB of copies behind the 21 000
// findings of affinity/no-anti-affinity on the bench tree, at the run's peak, and std::deque's
// 512-byte blocks hold two 176-byte findings and leave a third of each unused.
class FindingList {
 public:
  Finding& push_back(Finding&& f);
  size_t size() const { return size_; }
  // Hands every finding to `take`, in order, and frees each chunk as soon as it is emptied.
  template <class Take> void drain(const Take& take) {
    for (size_t i = 0; i < size_; ++i) {
      take(std::move(chunks_[i / kPerChunk][i % kPerChunk]));
      if ((i + 1) % kPerChunk == 0 || i + 1 == size_) chunks_[i / kPerChunk].reset();
    }
    chunks_.clear();
    size_ = 0;
  }

 private:
  static constexpr size_t kPerChunk = (64 << 10) / sizeof(Finding);
  std::vector<std::unique_ptr<Finding[]>> chunks_;
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
