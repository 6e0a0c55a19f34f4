#pragma once
#include <cstdint>
#include <vector>

#include "checks/analysis.h"
#include "core/parallel.h"
#include "driver/config.h"
#include "parser/load.h"
#include "schema/crd_catalog.h"
#include "schema/model.h"

// The stages after loading: the model (decoded and validated), linking, the rules, suppressions
// and .kmc.yaml's rule settings, sorted and capped findings and their summary.
namespace kmc::driver {
using parser::LoadResult;
using schema::ModelOptions;
using checks::Analysis;
using checks::StageTimes;

struct AnalysisOptions {
  ModelOptions model;
  Config config;  // rules disabled, severities overridden (.kmc.yaml)
  const schema::CrdCatalog* crds = nullptr;  // --crds: schemas of custom resources, never objects
  // The run's threads, for decoding, schema validation, the linker's scan and rules.
  const Workers* workers = &Workers::serial();
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

class ModelBuilder;

// Decodes the loaded input, runs every rule of the table, and merges the parser's findings.
// `built`: the builder a streaming load handed its batches to (driver/model_builder.h), with the
// same options; without, the whole model is built here.
Analysis analyze(LoadResult input, const AnalysisOptions& options, ModelBuilder* built = nullptr);

// analyze() for a run with rendered kustomization roots: each view (driver/views.h) is decoded,
// linked and checked on its own; a finding several roots share (a line of a common base) is
// reported once, naming the roots; a suppression is unused only if no view uses it.
Analysis analyze_views(LoadResult input, std::vector<checks::View> views, const AnalysisOptions& options);

}  // namespace kmc::driver
