#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "parser/load.h"
#include "checks/config.h"
#include "checks/topology.h"
#include "schema/model.h"

namespace kmc {

// Wall time of each stage of analyze(), for the benchmark (bench/): a regression shows where it is.
struct StageTimes {
  struct Stage {
    std::string name;
    double seconds;
    double peak_rss_mb;  // of the process, at the end of the stage
  };
  std::vector<Stage> stages;  // in pipeline order
  std::vector<std::pair<std::string_view, double>> rules;  // seconds of each rule, table order
  LinkTimes link;                                          // the steps of the link stage
};

struct AnalysisOptions {
  ModelOptions model;
  Config config;  // rules disabled, severities overridden (.kmc.yaml)
  unsigned jobs = 1;  // threads for decoding, schema validation, the linker's scan and rules
  // Keep the parse trees and the files' bytes whole (`kmc compile` copies documents from them);
  // otherwise they are released as the model is built: Object::node() has no children, and a
  // file keeps only the lines rules may still quote (SourceFile::release_content).
  bool keep_trees = false;
  StageTimes* times = nullptr;  // filled when set
  // How many consecutive objects the rules about single objects check at a time
  // (checks/object_range.h). About what the rules read of them fits in a core's L2 cache; the
  // findings are the same for any number (tests/rule_ranges_test.cc runs ranges of one object).
  uint32_t objects_per_rule_range = 1024;
  // Findings of one rule in one file past the first `per_rule_per_file` are counted in one
  // (cap_findings_per_file); `total` is the CLI's to apply, after --only-files.
  FindingLimits limits;
};

struct Summary {
  size_t files = 0, documents = 0, objects = 0;
  size_t errors = 0, warnings = 0, infos = 0;
  size_t not_shown = 0;  // findings counted above but not listed (FindingLimits::total)
  size_t skipped = 0;    // files a walk found that are not manifests (not in `files`)
  size_t charts = 0;     // Helm charts a walk left out
};


// The result of a run: everything the renderers need, read-only.
struct Analysis {
  LoadResult input;
  Model model;
  Topology topology;
  std::vector<FixTexts> fix_texts;  // the texts of the findings' fix hints, a set a rule
  std::vector<Finding> findings;  // sorted by position
  Summary summary;
};

class ModelBuilder;

// Decodes the loaded input, runs every rule of the table, and merges the parser's findings.
// `built`: the builder a streaming load handed its batches to (checks/model_builder.h), with the
// same options; without, the whole model is built here.
Analysis analyze(LoadResult input, const AnalysisOptions& options, ModelBuilder* built = nullptr);

Summary summarize(const LoadResult& input, const std::vector<Finding>& findings);

// Lists at most `total` findings (0: all); the summary still counts the rest, so the exit status
// does not depend on the limit.
void limit_listed_findings(Analysis* analysis, size_t total);

}  // namespace kmc

namespace kmc {

// `--fail-on`: the least severity that makes the run fail; `none` never fails on findings.
enum class FailOn { Info, Warning, Error, None };
bool parse_fail_on(std::string_view text, FailOn* out);

// 0 clean, 1 a finding at or above `fail_on`, 2 an input could not be read.
int exit_status(const Summary& summary, FailOn fail_on, bool input_errors);

}  // namespace kmc
