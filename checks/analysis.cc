#include "checks/analysis.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>

#include "core/heap.h"
#include "core/parallel.h"

#include "checks/model_builder.h"
#include "checks/object_range.h"
#include "checks/rule.h"
#include "checks/suppress.h"
#include "schema/validate.h"

namespace kmc {

Summary summarize(const LoadResult& input, const std::vector<Finding>& findings) {
  Summary s;
  for (const auto& f : input.sources.files) {
    s.files += !f->context && !f->skipped;
    s.skipped += !f->context && f->skipped;
  }
  s.charts = input.skipped_charts;
  for (const Document* d : input.documents) s.documents += !input.sources[d->file].context;
  for (const RawObject& o : input.objects) s.objects += !o.context;
  for (const Finding& f : findings) {
    switch (f.severity) {
      case Severity::Error: ++s.errors; break;
      case Severity::Warning: ++s.warnings; break;
      case Severity::Info: ++s.infos; break;
    }
  }
  return s;
}

namespace {

class StageClock {
 public:
  explicit StageClock(StageTimes* times) : times_(times), start_(std::chrono::steady_clock::now()) {}
  void lap(const char* stage) {
    if (!times_) return;
    auto now = std::chrono::steady_clock::now();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    times_->stages.push_back({stage, std::chrono::duration<double>(now - start_).count(), ru.ru_maxrss / 1024.0});
    start_ = now;
  }
  // Two stages that ran interleaved, with the seconds each took; both get the peak RSS so far.
  void lap_split(const char* first, double first_s, const char* second, double second_s) {
    if (!times_) return;
    lap(second);
    times_->stages.back().seconds = second_s;
    times_->stages.insert(times_->stages.end() - 1, {first, first_s, times_->stages.back().peak_rss_mb});
  }

 private:
  StageTimes* times_;
  std::chrono::steady_clock::time_point start_;
};

// Rules only read the model and the topology: they run in parallel, each task into its own
// list. A task is either one rule on the whole set or every rule about single objects on one
// range of objects (checks/object_range.h); the rules of the whole set go first, as they are the
// longest tasks, and the short ranges fill in behind them. The lists are joined in task order.
// The output never depends on the threads: one rule's findings keep the order of its objects,
// and sort_findings orders findings of different rules.
void run_rules(Analysis& a, const AnalysisOptions& options) {
  std::vector<const Rule*> on_set, on_range;
  for (const Rule& rule : rule_table()) {
    if (rule.run_on_set) on_set.push_back(&rule);
    else if (rule.run_on_range) on_range.push_back(&rule);
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
  parallel_for(tasks, options.jobs, 1, [&](size_t task, unsigned) {
    Sink sink(&found[task], &a.fix_texts[task], &a.input.sources);
    if (task < on_set.size()) {
      auto start = std::chrono::steady_clock::now();
      sink.set_rule(on_set[task]);
      on_set[task]->run_on_set(a.model, a.topology, sink);
      set_seconds[task] = seconds_since(start);
    } else {
      size_t r = task - on_set.size();
      const ObjectRange& range = ranges[r];
      for (size_t i = 0; i < on_range.size(); ++i) {
        auto start = std::chrono::steady_clock::now();
        sink.set_rule(on_range[i]);
        on_range[i]->run_on_range(a.model, a.topology, range, sink);
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
    if (rule.runs()) options.times->rules.emplace_back(rule.id, seconds);
  }
}

}  // namespace

namespace {

// An input with no object checks nothing, and an empty report looks like a clean one: the
// output of a failed `helm template` piped in, a path with no manifest under it. Reported at the
// first file read as a manifest, when there is one; not when the input has syntax errors, which
// say more.
void report_empty_input(const LoadResult& input, std::vector<Finding>* findings) {
  for (const RawObject& o : input.objects)
    if (!o.context) return;
  for (const Finding& f : *findings)
    if (f.severity == Severity::Error && f.rule.starts_with("syntax/")) return;
  Finding f;
  f.rule = "syntax/empty-input";
  f.severity = Severity::Warning;
  f.message = "the input holds no Kubernetes object, so nothing was checked; an empty standard input (a failed "
              "`helm template` or `kustomize build` before the pipe?) or paths without manifests";
  f.fix = "check the command that writes kmc's input, or the paths given (a directory walk skips files that are not "
          "manifests: kmc check -v lists them)";
  for (uint32_t i = 0; i < input.sources.size(); ++i) {
    if (input.sources[i].context || input.sources[i].skipped) continue;
    f.pos = {i, 1, 1};
    break;
  }
  findings->push_back(std::move(f));
}

}  // namespace

Analysis analyze(LoadResult input, const AnalysisOptions& options, ModelBuilder* built) {
  StageClock clock(options.times);
  std::unique_ptr<ModelBuilder> own;
  if (!built) built = (own = std::make_unique<ModelBuilder>(options)).get();
  Analysis a;
  a.model = built->finish(input);
  a.input = std::move(input);
  return_free_heap_pages();
  clock.lap_split("decode", built->decode_seconds(), "schema", built->schema_seconds());
  a.topology = link(a.model, a.input.sources, options.jobs, options.times ? &options.times->link : nullptr);
  return_free_heap_pages();
  clock.lap("link");
  run_rules(a, options);
  if (a.input.errors.empty()) report_empty_input(a.input, &a.findings);
  clock.lap("rules");
  apply_suppressions(a.input, a.model, &a.findings, options.jobs);
  apply_rule_config(options.config, &a.findings);
  sort_findings(a.findings);
  cap_findings_per_file(&a.findings, options.limits.per_rule_per_file);
  a.summary = summarize(a.input, a.findings);
  clock.lap("suppress+sort");
  return a;
}

}  // namespace kmc

namespace kmc {

void limit_listed_findings(Analysis* a, size_t total) {
  if (total == 0 || a->findings.size() <= total) return;
  a->summary.not_shown += a->findings.size() - total;
  a->findings.erase(a->findings.begin() + static_cast<std::ptrdiff_t>(total), a->findings.end());
}

bool parse_fail_on(std::string_view text, FailOn* out) {
  if (text == "info") *out = FailOn::Info;
  else if (text == "warning") *out = FailOn::Warning;
  else if (text == "error") *out = FailOn::Error;
  else if (text == "none") *out = FailOn::None;
  else return false;
  return true;
}

int exit_status(const Summary& s, FailOn fail_on, bool input_errors) {
  if (input_errors) return 2;
  switch (fail_on) {
    case FailOn::None: return 0;
    case FailOn::Error: return s.errors ? 1 : 0;
    case FailOn::Warning: return s.errors + s.warnings ? 1 : 0;
    case FailOn::Info: return s.errors + s.warnings + s.infos ? 1 : 0;
  }
  return 0;
}

}  // namespace kmc
