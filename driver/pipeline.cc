#include "driver/pipeline.h"

#include <sys/resource.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <tuple>

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
using checks::View;
using checks::apply_suppressions;
using checks::link;
using checks::run_rules;
using checks::summarize;
using checks::unchecked_by_kind;

namespace {

// What the config says of the cluster that the rules read.
checks::RuleSettings rule_settings(const AnalysisOptions& options) {
  int minor = api::release_minor(options.model.release->release);
  return {checks::pod_security_of(options.config.pod_security, minor), minor};
}

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
// first file read as a manifest, when there is one; not when the input has syntax errors, or a
// kustomization that does not build, which say more.
void report_empty_input(const LoadResult& input, std::vector<Finding>* findings) {
  for (const RawObject& o : input.objects)
    if (!o.context) return;
  for (const Finding& f : *findings)
    if (f.severity == Severity::Error && (f.rule.starts_with("syntax/") || f.rule.starts_with("kustomize/"))) return;
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

// A finding as views repeat it: the same rule, place and message.
using FindingKey = std::tuple<std::string_view, Position, std::string>;
FindingKey key_of(const Finding& f) { return {f.rule, f.pos, f.message}; }

// Joins the views' findings: one of each, with a note naming the roots that rendered it; an
// unused suppression only where every view that reads its file leaves it unused.
std::vector<Finding> join_view_findings(std::vector<std::vector<Finding>> per_view, const std::vector<const View*>& views,
                                        const std::set<FindingKey>& of_input) {
  std::map<FindingKey, std::vector<size_t>> seen;  // the views that reported it
  std::vector<Finding> out;
  std::vector<size_t> first_index;
  for (size_t v = 0; v < per_view.size(); ++v)
    for (Finding& f : per_view[v]) {
      auto [it, fresh] = seen.try_emplace(key_of(f));
      it->second.push_back(v);
      if (fresh) out.push_back(std::move(f));
    }
  auto reads = [&](const View& view, uint32_t file) {
    return std::binary_search(view.files.begin(), view.files.end(), file);
  };
  // The first view holds the comments of every file (the loader's and renderer's findings are
  // among its own), so it may call unused what another view used: only the views that read the
  // file count.
  std::erase_if(out, [&](const Finding& f) {
    if (f.rule != rule_name(RuleId::SyntaxUnusedSuppression) || !f.pos.valid()) return false;
    size_t reading = 0, unused = 0;
    for (const View* view : views) reading += reads(*view, f.pos.file);
    for (size_t v : seen[key_of(f)]) unused += reads(*views[v], f.pos.file);
    return unused < reading;
  });
  for (Finding& f : out) {
    if (of_input.count(key_of(f))) continue;  // about a file, not a rendered object
    std::string roots;
    Position at;
    for (size_t v : seen[key_of(f)]) {
      const View& view = *views[v];
      if (view.root.empty()) continue;
      roots += (roots.empty() ? "" : ", ") + view.root;
      if (!at.valid()) at = {view.kustomization, 1, 1};
    }
    if (!roots.empty()) f.related.push_back({at, "rendered by " + roots + " (kustomize)"});
  }
  return out;
}

}  // namespace

Analysis analyze_views(LoadResult input, std::vector<View> views, const AnalysisOptions& given) {
  AnalysisOptions options = given;
  options.keep_trees = true;  // a base's trees serve every root that renders it
  std::vector<std::unique_ptr<View>> done;
  std::vector<std::vector<Finding>> per_view;
  std::vector<FixTexts> fix_texts;
  std::set<FindingKey> of_input;  // the loader's and the renderer's findings, joined by the first view's rules
  for (const Finding& f : input.findings) of_input.insert(key_of(f));
  size_t objects = 0;
  for (View& v : views)
    for (const RawObject& o : v.objects) objects += !o.context;
  checks::CommentSuppressions comments = checks::read_comment_suppressions(input, *options.workers);
  for (View& v : views) {
    bool has_objects = std::any_of(v.objects.begin(), v.objects.end(), [](const RawObject& o) { return !o.context; });
    if (!has_objects && !v.root.empty()) continue;
    if (!has_objects && objects > 0) continue;  // the plain view is empty, the roots are not
    auto view = std::make_unique<View>(std::move(v));
    input.objects = std::move(view->objects);
    AnalysisOptions for_view = options;
    for_view.model.small = !view->root.empty();
    ModelBuilder builder(for_view);
    Analysis a;
    a.model = builder.finish(input);
    a.input = std::move(input);
    a.topology = link(a.model, a.input.sources, *options.workers, nullptr);
    run_rules(a, {options.workers, options.objects_per_rule_range, nullptr, rule_settings(options)});
    if (objects == 0 && a.input.errors.empty()) report_empty_input(a.input, &a.findings);
    // The first view has the loader's and renderer's findings, which may be anywhere; the
    // others, those of the files they read.
    apply_suppressions(comments, done.empty() ? nullptr : &view->files, a.model, &a.findings, *options.workers);
    per_view.push_back(std::move(a.findings));
    // The findings' fix texts live in the rules' sets: kept for the whole run.
    for (FixTexts& t : a.fix_texts) fix_texts.push_back(std::move(t));
    input = std::move(a.input);
    view->objects = std::move(input.objects);
    view->model = std::move(a.model);
    view->topology = std::move(a.topology);
    done.push_back(std::move(view));
  }
  Analysis a;
  std::vector<const View*> order;
  for (const auto& v : done) order.push_back(v.get());
  a.findings = join_view_findings(std::move(per_view), order, of_input);
  for (const auto& v : done) input.objects.insert(input.objects.end(), v->objects.begin(), v->objects.end());
  a.input = std::move(input);
  for (auto& v : done) v->topology.sources = &a.input.sources;
  if (!done.empty()) {
    a.model = std::move(done.front()->model);
    a.topology = std::move(done.front()->topology);
    a.primary_root = done.front()->root;
    // Its objects stay where the model points: in the view, kept with the others.
  }
  a.views = std::move(done);
  a.fix_texts = std::move(fix_texts);
  apply_rule_config(options.config, &a.findings);
  sort_findings(a.findings);
  cap_findings_per_file(&a.findings, options.limits.per_rule_per_file);
  a.summary = summarize(a.input, a.findings);
  a.summary.unchecked = unchecked_by_kind(a);
  return a;
}

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
  run_rules(a, {options.workers, options.objects_per_rule_range, options.times, rule_settings(options)});
  if (a.input.errors.empty()) report_empty_input(a.input, &a.findings);
  clock.lap("rules");
  apply_suppressions(a.input, a.model, &a.findings, *options.workers);
  apply_rule_config(options.config, &a.findings);
  sort_findings(a.findings);
  cap_findings_per_file(&a.findings, options.limits.per_rule_per_file);
  a.summary = summarize(a.input, a.findings);
  a.summary.unchecked = unchecked_by_kind(a);
  clock.lap("suppress+sort");
  return a;
}

}  // namespace kmc::driver
