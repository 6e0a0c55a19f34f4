#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// `helm template` writes `# Source: CHART/templates/FILE.yaml` above each document it renders.
// Piped into `kmc check -`, those comments are the only trace of the template a finding's object
// came from: kmc keeps them, and a finding on standard input names its template.
namespace kmc::parser {

struct HelmSource {
  uint32_t file;
  uint32_t line;               // 1-based line of the comment
  std::string template_path;   // CHART/templates/FILE.yaml
};

// Appends the `# Source:` comments of `content` (the file numbered `file`), in line order.
void find_helm_sources(std::string_view content, uint32_t file, std::vector<HelmSource>* out);

// The template line `line` of `file` was rendered from (the last `# Source:` at or above it), or
// nullptr. `sources` in file and line order.
const HelmSource* helm_source_of(const std::vector<HelmSource>& sources, uint32_t file, uint32_t line);

}  // namespace kmc::parser
