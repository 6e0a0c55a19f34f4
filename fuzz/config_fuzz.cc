// libFuzzer target: `.kmc.yaml` as kmc reads it (a checkout can ship one, so it is input too):
// the settings reader over any YAML, then what a run does with what it read: rule switches and
// severities applied to findings of every rule, and the cluster's nodes and StorageClasses
// loaded as manifests. `make fuzz` runs it after the pipeline target.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "checks/analysis.h"
#include "driver/pipeline.h"
#include "driver/config.h"
#include "core/rule_catalogue.h"
#include "parser/load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kmc::driver::Config config;
  std::vector<std::string> errors;
  kmc::driver::parse_config("fuzz/.kmc.yaml", std::string(reinterpret_cast<const char*>(data), size), &config, &errors);
  std::vector<kmc::Finding> findings;
  for (const kmc::RuleRow& r : kmc::rule_catalogue()) {
    kmc::Finding f;
    f.rule = r.id;
    f.severity = r.severity;
    findings.push_back(f);
  }
  kmc::driver::apply_rule_config(config, &findings);
  if (!config.cluster_manifests.empty()) {
    kmc::parser::LoadResult input;
    kmc::parser::load_text(&input, "fuzz/.kmc.yaml (cluster)", config.cluster_manifests, kmc::parser::LoadOptions{}, true);
    kmc::driver::AnalysisOptions options;
    options.config = config;
    kmc::driver::analyze(std::move(input), options);
  }
  return 0;
}
