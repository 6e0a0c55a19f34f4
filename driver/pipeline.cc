#include "driver/pipeline.h"

#include <sys/resource.h>

#include <chrono>
#include <memory>

#include "checks/rule_runner.h"
#include "checks/suppress.h"
#include "core/heap.h"
#include "core/rule_catalogue.h"
#include "driver/model_builder.h"

namespace kmc::driver {
using parser::LoadResult;
using parser::RawObject;
using checks::Analysis;
using checks::StageTimes;
using checks::apply_suppressions;
using checks::link;
using checks::run_rules;
using checks::summarize;

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
  f.rule = rule_name(RuleId::SyntaxEmptyInput);
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
  a.topology = link(a.model, a.input.sources, *options.workers, options.times ? &options.times->link : nullptr);
  return_free_heap_pages();
  clock.lap("link");
  run_rules(a, {options.workers, options.objects_per_rule_range, options.times});
  if (a.input.errors.empty()) report_empty_input(a.input, &a.findings);
  clock.lap("rules");
  apply_suppressions(a.input, a.model, &a.findings, *options.workers);
  apply_rule_config(options.config, &a.findings);
  sort_findings(a.findings);
  cap_findings_per_file(&a.findings, options.limits.per_rule_per_file);
  a.summary = summarize(a.input, a.findings);
  clock.lap("suppress+sort");
  return a;
}

}  // namespace kmc::driver
