#include "checks/rule_runner.h"

#include <algorithm>
#include <chrono>

#include "checks/object_range.h"
#include "checks/rule.h"
#include "core/heap.h"
#include "core/parallel.h"

namespace kmc::checks {

// Rules only read the model and the topology: they run in parallel, each task into its own
// list. A task is either one rule on the whole set or every rule about single objects on one
// range of objects (checks/object_range.h); the rules of the whole set go first, as they are the
// longest tasks, and the short ranges fill in behind them. The lists are joined in task order.
// The output never depends on the threads: one rule's findings keep the order of its objects,
// and sort_findings orders findings of different rules.
void run_rules(Analysis& a, const RuleRunOptions& options) {
  std::vector<const Rule*> on_set, on_range;
  for (const Rule& rule : rule_table()) {
    if (!rule.runs()) continue;
    (rule.scope == RuleScope::Set ? on_set : on_range).push_back(&rule);
  }
  const ObjectRanges ranges(a.model, a.topology, options.objects_per_rule_range);
  const size_t tasks = on_set.size() + (on_range.empty() ? 0 : ranges.size());
  std::vector<FindingList> found(tasks);
  a.fix_texts.resize(tasks);  // not to move while the rules keep texts in them
  std::vector<double> set_seconds(on_set.size());
  std::vector<double> range_seconds(ranges.size() * on_range.size());
  auto seconds_since = [](std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  options.workers->parallel_for(tasks, 1, [&](size_t task, unsigned) {
    Sink sink(&found[task], &a.fix_texts[task], &a.input.sources);
    if (task < on_set.size()) {
      auto start = std::chrono::steady_clock::now();
      sink.set_rule(on_set[task]);
      on_set[task]->check(RuleContext{a.model, a.topology, ranges.whole(), options.settings}, sink);
      set_seconds[task] = seconds_since(start);
    } else {
      size_t r = task - on_set.size();
      const RuleContext context{a.model, a.topology, ranges[r], options.settings};
      for (size_t i = 0; i < on_range.size(); ++i) {
        auto start = std::chrono::steady_clock::now();
        sink.set_rule(on_range[i]);
        on_range[i]->check(context, sink);
        range_seconds[r * on_range.size() + i] = seconds_since(start);
      }
    }
    // What the rules freed (their indexes, their messages' temporaries) stays resident with
    // jemalloc for reuse; the next rules allocate other sizes, so it would only add up.
    return_free_heap_pages();
  });
  // The joined list fills as the tasks' lists empty into it, a finding at a time, and the pages
  // they free go back as the join goes: otherwise the findings are all resident twice at its end,
  // the run's peak.
  a.findings = std::move(a.input.findings);
  a.input.findings.clear();
  size_t total = a.findings.size();
  for (const auto& list : found) total += list.size();
  a.findings.reserve(total);
  const size_t step = std::max<size_t>(total / 16, 1024);
  size_t moved = 0;
  for (FindingList& list : found) {
    list.drain([&](Finding&& f) {
      a.findings.push_back(std::move(f));
      if (++moved % step == 0) return_free_heap_pages();
    });
  }
  return_free_heap_pages();
  if (!options.times) return;
  for (const Rule& rule : rule_table()) {
    double seconds = 0;
    for (size_t i = 0; i < on_set.size(); ++i)
      if (on_set[i] == &rule) seconds = set_seconds[i];
    for (size_t i = 0; i < on_range.size(); ++i)
      if (on_range[i] == &rule)
        for (size_t r = 0; r < ranges.size(); ++r) seconds += range_seconds[r * on_range.size() + i];
    if (rule.runs()) options.times->rules.emplace_back(rule.id(), seconds);
  }
}

}  // namespace kmc::checks
