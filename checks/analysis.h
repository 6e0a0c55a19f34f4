#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "parser/load.h"
#include "checks/topology.h"
#include "schema/model.h"

namespace kmc::checks {
using parser::LoadResult;
using schema::Model;

// Wall time of each stage of a run (driver/pipeline.h), for the benchmark (bench/): a regression shows where it is.
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

Summary summarize(const LoadResult& input, const std::vector<Finding>& findings);

// Lists at most `total` findings (0: all); the summary still counts the rest, so the exit status
// does not depend on the limit.
void limit_listed_findings(Analysis* analysis, size_t total);

}  // namespace kmc::checks

