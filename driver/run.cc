#include "driver/run.h"

#include <filesystem>

#include <fmt/format.h>

#include "core/parallel.h"
#include "core/paths.h"
#include "core/rule_catalogue.h"
#include "driver/model_builder.h"
#include "driver/only_files.h"
#include "driver/pipeline.h"
#include "driver/views.h"
#include "parser/load.h"
#include "parser/walk.h"

namespace kmc::driver {
using parser::LoadBatch;
using parser::LoadOptions;
using parser::LoadResult;
using parser::excluded;
using parser::load_inputs;
using parser::load_paths;
using parser::load_text;
using checks::Analysis;
using checks::Summary;
using checks::limit_listed_findings;

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

bool unreadable_document(const Finding& f) {
  return f.rule == rule_name(RuleId::SyntaxYaml) || f.rule == rule_name(RuleId::SyntaxDuplicateKey) || f.rule == rule_name(RuleId::SyntaxNotAnObject) ||
         f.rule == rule_name(RuleId::SyntaxLimit);
}

bool Run::unreadable_documents() const {
  for (const Finding& f : analysis.findings)
    if (unreadable_document(f)) return true;
  return false;
}

int Run::exit_status() const { return failed ? 2 : kmc::driver::exit_status(analysis.summary, fail_on, input_errors()); }

namespace {

// The project's .kmc.yaml (or --config). False after adding its errors to the messages.
bool read_config(const RunOptions& options, Run* run) {
  if (options.no_config) return true;
  std::string path = !options.config_path.empty() ? options.config_path
                                                 : find_config(options.directory.empty() ? "." : options.directory);
  if (path.empty()) return true;
  std::vector<std::string> errors;
  const std::string* buffer = nullptr;
  if (options.buffers)
    if (auto open = options.buffers->find(absolute_path(path)); open != options.buffers->end()) buffer = &open->second;
  if (buffer ? parse_config(path, *buffer, &run->config, &errors) : load_config(path, &run->config, &errors)) return true;
  for (std::string& e : errors) run->messages.push_back({RunMessage::Detail, std::move(e)});
  run->messages.push_back({RunMessage::Error, fmt::format("the configuration {} has errors", path)});
  return false;
}

// The paths a run reads: those given, else the config's, else the working directory. With
// --only-files the given paths are the files to report on, and the tree is the config's.
std::vector<std::string> tree_paths(const RunOptions& options, const Config& config) {
  if (!options.paths.empty() && !options.only_files) return options.paths;
  if (!config.paths.empty()) return config.paths;
  return {options.directory.empty() ? "." : options.directory};
}

// Whether a path has a hidden component, which a walk skips (`.github/workflows/ci.yml`).
bool hidden(const std::string& path) {
  for (const auto& part : std::filesystem::path(path))
    if (std::string s = part.string(); s.size() > 1 && s[0] == '.' && s != "..") return true;
  return false;
}

// --kubernetes-version (else the config's, else the newest) and --upgrade-to, as embedded
// releases; false with a message when either names another release.
bool choose_releases(const RunOptions& options, Run* r, ModelOptions* model) {
  std::string version = !options.kubernetes_version.empty() ? options.kubernetes_version
                                                            : r->config.kubernetes_version.value_or(api::embedded_schema().release);
  model->release = api::find_release(version);
  if (!model->release) {
    r->messages.push_back({RunMessage::Error, fmt::format("--kubernetes-version {} is not a release kmc knows: use one of {}",
                                                          version, api::release_range())});
    return false;
  }
  if (options.upgrade_to.empty()) return true;
  model->upgrade_to = api::find_release(options.upgrade_to);
  if (!model->upgrade_to || model->upgrade_to->bit <= model->release->bit) {
    r->messages.push_back({RunMessage::Error, fmt::format("--upgrade-to {} is not a release after {} that kmc knows ({})",
                                                          options.upgrade_to, model->release->release, api::release_range())});
    return false;
  }
  return true;
}

Analysis load_and_analyze(const RunOptions& options, const Run& run, std::vector<RunMessage>* notes) {
  const Config& config = run.config;
  AnalysisOptions analysis;
  analysis.model.default_namespace = !options.ns.empty() ? options.ns : config.ns.value_or("default");
  analysis.model.release = run.release;
  analysis.model.upgrade_to = run.upgrade_to;
  analysis.crds = run.crds.get();
  analysis.config = config;
  analysis.workers = &run.workers;
  analysis.keep_trees = options.keep_trees;
  analysis.limits = options.limits;
  LoadOptions load;
  load.buffers = options.buffers;
  load.workers = &run.workers;
  load.limits.max_findings_per_rule = options.limits.per_rule_per_file;
  load.exclude = config.exclude;
  // The model is built as the files are read, batch by batch (driver/model_builder.h), unless
  // the input has kustomizations: a streaming load reads those first, and then every file
  // stays for the roots to render (driver/views.h).
  ModelBuilder builder(analysis);
  load.on_batch = [&](LoadResult& input, const LoadBatch& batch) {
    if (!batch.kustomizations) builder.add(input, batch);
  };
  LoadResult input = load_inputs(run.tree, load);
  bool kustomized = !input.kustomizations.empty();
  load.on_batch = nullptr;
  std::vector<std::string> context = options.context;
  context.insert(context.end(), config.context.begin(), config.context.end());
  if (!context.empty()) load_paths(&input, context, load, true);
  if (!config.cluster_manifests.empty())
    load_text(&input, config.path + " (cluster)", config.cluster_manifests, load, true);
  if (!kustomized) return analyze(std::move(input), analysis, &builder);
  ViewPlan plan = plan_views(&input, load);
  for (const std::string& root : plan.not_rendered)
    notes->push_back({RunMessage::Note, fmt::format("the kustomization {} is checked file by file: kmc does not "
                                                    "render it as kustomize builds it yet",
                                                    root)});
  return analyze_views(std::move(input), std::move(plan.views), analysis);
}

// The input's errors and the walk's notices; the files a walk skipped as not manifests when
// asked (the summary counts them).
void tell_input_problems(const RunOptions& options, Run* run) {
  const LoadResult& input = run->analysis.input;
  for (const std::string& e : input.errors) run->messages.push_back({RunMessage::Error, e});
  for (const std::string& n : input.notices) run->messages.push_back({RunMessage::Note, n});
  if (!options.list_skipped) return;
  for (const auto& f : input.sources.files)
    if (f->skipped)
      run->messages.push_back(
          {RunMessage::Note, fmt::format("skipped '{}': not a Kubernetes manifest (no document has apiVersion or kind; "
                                         "name the file to check it anyway)",
                                         f->path)});
}

// A finding on `helm template` output piped in names the template its line came from.
void name_helm_templates(Analysis* analysis) {
  const std::vector<parser::HelmSource>& sources = analysis->input.helm_sources;
  if (sources.empty()) return;
  for (Finding& f : analysis->findings) {
    if (!f.pos.valid()) continue;
    if (const parser::HelmSource* s = parser::helm_source_of(sources, f.pos.file, f.pos.line))
      f.related.push_back({{s->file, s->line, 1}, "rendered by helm from " + s->template_path});
  }
}

}  // namespace

Run run(const RunOptions& options) {
  Run r;
  if (!read_config(options, &r)) {
    r.failed = true;
    return r;
  }
  std::string fail_on = !options.fail_on.empty() ? options.fail_on : r.config.fail_on.value_or("warning");
  if (!parse_fail_on(fail_on, &r.fail_on)) {
    r.messages.push_back({RunMessage::Error, "--fail-on must be error, warning, info or none"});
    r.failed = true;
    return r;
  }
  ModelOptions releases;
  if (!choose_releases(options, &r, &releases)) {
    r.failed = true;
    return r;
  }
  r.release = releases.release;
  r.upgrade_to = releases.upgrade_to;
  std::vector<std::string> crd_paths = options.crds;
  crd_paths.insert(crd_paths.end(), r.config.crds.begin(), r.config.crds.end());
  if (!crd_paths.empty()) {
    r.crds = std::make_unique<schema::CrdCatalog>();
    std::vector<std::string> errors;
    r.crds->load(crd_paths, &errors);
    for (const std::string& e : errors) r.messages.push_back({RunMessage::Error, "--crds " + e});
    if (!errors.empty()) {
      r.failed = true;
      return r;
    }
  }
  r.workers = Workers(effective_jobs(options.jobs));
  r.tree = tree_paths(options, r.config);
  std::vector<RunMessage> notes;
  r.analysis = load_and_analyze(options, r, &notes);
  for (RunMessage& n : notes) r.messages.push_back(std::move(n));
  tell_input_problems(options, &r);
  if (options.only_files) {
    std::vector<std::string> unread;
    keep_findings_involving(&r.analysis, options.paths, &unread);
    for (const std::string& f : unread)
      if (!hidden(f) && !excluded(display_path(f), r.config.exclude))
        r.messages.push_back({RunMessage::Warning, fmt::format("'{}' is not among the files checked ({}); nothing is "
                                                               "reported for it",
                                                               f, fmt::join(r.tree, ", "))});
  }
  name_helm_templates(&r.analysis);
  limit_listed_findings(&r.analysis, options.limits.total);
  return r;
}

}  // namespace kmc::driver
