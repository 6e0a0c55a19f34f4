#include "parser/helm_sources.h"

#include <algorithm>

namespace kmc::parser {

void find_helm_sources(std::string_view content, uint32_t file, std::vector<HelmSource>* out) {
  constexpr std::string_view kMarker = "# Source: ";
  uint32_t line = 1;
  for (size_t at = 0; at < content.size();) {
    size_t nl = content.find('\n', at);
    std::string_view text = content.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    if (text.starts_with(kMarker)) {
      std::string_view path = text.substr(kMarker.size());
      while (!path.empty() && (path.back() == '\r' || path.back() == ' ')) path.remove_suffix(1);
      if (!path.empty()) out->push_back({file, line, std::string(path)});
    }
    if (nl == std::string_view::npos) break;
    at = nl + 1;
    ++line;
  }
}

const HelmSource* helm_source_of(const std::vector<HelmSource>& sources, uint32_t file, uint32_t line) {
  auto after = std::upper_bound(sources.begin(), sources.end(), std::pair{file, line},
                                [](const std::pair<uint32_t, uint32_t>& at, const HelmSource& s) {
                                  return at.first < s.file || (at.first == s.file && at.second < s.line);
                                });
  if (after == sources.begin()) return nullptr;
  const HelmSource& s = *std::prev(after);
  return s.file == file ? &s : nullptr;
}

}  // namespace kmc::parser
