#include "checks/analysis.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iterator>

#include "core/heap.h"
#include "core/parallel.h"

#include "checks/rule.h"
#include "checks/suppress.h"
#include "schema/validate.h"

namespace kmc {

Summary summarize(const LoadResult& input, const std::vector<Finding>& findings) {
  Summary s;
  for (const auto& f : input.sources.files) s.files += !f->context;
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

// Rules only read the model and the topology: they run in parallel, each into its own list,
// and the lists are joined in table order so that the output never depends on the threads.
void run_rules(Analysis& a, const AnalysisOptions& options) {
  std::vector<const Rule*> rules;
  for (const Rule& rule : rule_table())
    if (rule.run) rules.push_back(&rule);
  std::vector<std::vector<Finding>> found(rules.size());
  std::vector<double> seconds(rules.size());
  parallel_for(rules.size(), options.jobs, 1, [&](size_t i, unsigned) {
    auto start = std::chrono::steady_clock::now();
    Sink sink(&found[i], &a.input.sources);
    sink.set_rule(rules[i]);
    rules[i]->run(a.model, a.topology, sink);
    found[i].shrink_to_fit();  // grown by doubling; the lists are all alive while they are joined
    seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  });
  // The joined list and the rules' lists are briefly all alive, the run's peak: let what the
  // rules freed go first.
  return_free_heap_pages();
  a.findings = std::move(a.input.findings);
  a.input.findings.clear();
  size_t total = a.findings.size();
  for (const auto& list : found) total += list.size();
  a.findings.reserve(total);
  for (auto& list : found) {
    std::move(list.begin(), list.end(), std::back_inserter(a.findings));
    std::vector<Finding>().swap(list);
  }
  if (options.times)
    for (size_t i = 0; i < rules.size(); ++i) options.times->rules.emplace_back(rules[i]->id, seconds[i]);
}

// Decodes and validates every object, a range at a time in input order, and lets each region of
// the parse trees and of the files' bytes go once the objects in it are done with: the model
// keeps copies of the nodes it points at and of their text, and the trees and files (most of a
// large run's memory) and the model are never all whole.
// The CRDs are decoded first (their trees are not among those released, parser/load.h, and
// their files' bytes go last, as those trees point into them): custom resources validate
// against them.
Model build_model(LoadResult& input, const AnalysisOptions& options, StageClock& clock) {
  std::vector<RawObject>& raw = input.objects;
  constexpr size_t kGrain = 256, kRange = 2048;
  const bool release = !options.keep_trees;
  unsigned workers = parallel_workers(raw.size(), options.jobs, kGrain);
  ModelDecoder decoder(raw, options.model, false, workers, release ? &input.sources : nullptr);
  TreeRelease trees(&input);
  SourceRelease sources(&input);
  // Decoded first for the validator too, which holds them until the model is built.
  std::vector<bool> crd(raw.size());
  std::vector<Object> crd_objects;
  for (size_t i = 0; i < raw.size(); ++i) crd[i] = is_crd(raw[i]);
  crd_objects.reserve(static_cast<size_t>(std::count(crd.begin(), crd.end(), true)));
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!crd[i]) continue;
    crd_objects.push_back(decoder.decode(i, 0));
    sources.pin(raw[i].file);
  }
  std::vector<const Object*> crds;
  for (const Object& o : crd_objects) crds.push_back(&o);
  ModelValidator validator(crds, input.sources, workers);
  double decode_s = 0, schema_s = 0;
  std::vector<Object> decoded;
  std::vector<Object*> objects;
  for (size_t begin = 0; begin < raw.size(); begin += kRange) {
    size_t end = std::min(raw.size(), begin + kRange);
    // Timed apart (the benchmark shows each stage); a range's trees are still in the cache.
    auto t0 = std::chrono::steady_clock::now();
    decoded.resize(end - begin);
    objects.resize(end - begin);
    parallel_for(end - begin, options.jobs, kGrain, [&](size_t k, unsigned worker) {
      decoded[k] = decoder.decode(begin + k, worker);
    });
    for (size_t k = 0; k < end - begin; ++k) objects[k] = &decoder.add(begin + k, std::move(decoded[k]));
    auto t1 = std::chrono::steady_clock::now();
    parallel_for(end - begin, options.jobs, kGrain, [&](size_t k, unsigned worker) {
      validator.validate(*objects[k], raw[begin + k].patch, worker);
      if (!release) return;
      RawObject& r = raw[begin + k];
      if (!crd[begin + k]) r.root = decoder.keep_root(begin + k, worker);
      r.api_version = objects[k]->api_version();
      r.kind = objects[k]->kind();
    });
    auto t2 = std::chrono::steady_clock::now();
    if (release) {
      for (const NodeKeeper::Lines& l : decoder.take_lines()) sources.keep_lines(l.file, l.first, l.last);
      trees.done_through(end);
      sources.done_through(end);
    }
    decode_s += std::chrono::duration<double>(t1 - t0).count();
    schema_s += std::chrono::duration<double>(t2 - t1).count();
  }
  if (release) {
    // Validation is done with the CRDs' trees: their objects stand on copies too, and the files
    // that held their text go. (A tree of CRDs is small; the files, on a repository of
    // operators, are in every region.)
    for (size_t i = 0; i < raw.size(); ++i)
      if (crd[i]) raw[i].root = decoder.keep_root(i, 0);
    for (const NodeKeeper::Lines& l : decoder.take_lines()) sources.keep_lines(l.file, l.first, l.last);
    sources.release_all();
  }
  Model model = decoder.finish();
  list_objects_with_issues(&model);
  clock.lap_split("decode", decode_s, "schema", schema_s);
  return model;
}

}  // namespace

Analysis analyze(LoadResult input, const AnalysisOptions& options) {
  StageClock clock(options.times);
  Analysis a;
  a.input = std::move(input);
  a.model = build_model(a.input, options, clock);
  a.topology = link(a.model, a.input.sources, options.jobs);
  clock.lap("link");
  run_rules(a, options);
  clock.lap("rules");
  apply_suppressions(a.input, a.model, &a.findings);
  apply_rule_config(options.config, &a.findings);
  sort_findings(a.findings);
  a.summary = summarize(a.input, a.findings);
  clock.lap("suppress+sort");
  return a;
}

}  // namespace kmc

namespace kmc {

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
