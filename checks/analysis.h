#pragma once
#include <memory>
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
  // Objects whose fields no schema checked (schema/unknown-kind), by kind, most first.
  std::vector<std::pair<std::string, size_t>> unchecked;
};

// One cluster view of a run that renders kustomizations: the files no rendered kustomization
// reads, or one root as kustomize builds it. Each view is linked and checked on its own, as if
// deployed to a cluster of its own (driver/views.h).
struct View {
  std::string root;  // the root's directory; empty for the files no rendered root reads
  uint32_t kustomization = Position::kNoFile;  // the root's kustomization file
  std::vector<uint32_t> files;  // the files the view reads (sorted)
  std::vector<parser::RawObject> objects;  // what its model points at
  Model model;
  Topology topology;
};

// The result of a run: everything the renderers need, read-only.
struct Analysis {
  Analysis() = default;
  // A topology reads its sources (Topology::directory) through a pointer to `input.sources`:
  // a moved Analysis points its topologies at its own.
  Analysis(Analysis&& other) noexcept { *this = std::move(other); }
  Analysis& operator=(Analysis&& other) noexcept;
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;

  LoadResult input;
  // The primary view's model and topology (the only one without kustomize roots): the plain
  // files when they hold objects, else the first root.
  Model model;
  Topology topology;
  // Every view, when kustomize roots were rendered: the first's model and topology are the two
  // above (moved there); each keeps the objects its model points at.
  std::vector<std::unique_ptr<View>> views;
  std::string primary_root;                  // the root the model is, if it is one
  std::vector<FixTexts> fix_texts;  // the texts of the findings' fix hints, a set a rule
  std::vector<Finding> findings;  // sorted by position
  Summary summary;
};

Summary summarize(const LoadResult& input, const std::vector<Finding>& findings);
// Summary::unchecked, from the models of the run (an object several views share counts once).
std::vector<std::pair<std::string, size_t>> unchecked_by_kind(const Analysis& a);

// Lists at most `total` findings (0: all); the summary still counts the rest, so the exit status
// does not depend on the limit.
void limit_listed_findings(Analysis* analysis, size_t total);

}  // namespace kmc::checks

