#include "core/source.h"

#include <algorithm>

namespace kmc {

const std::vector<uint32_t>& SourceFile::line_starts() const {
  std::call_once(lines_once_, [this] {
    // Counted first: grown by doubling, the index of a large tree's files took twice its size.
    line_starts_.reserve(static_cast<size_t>(std::count(content.begin(), content.end(), '\n')) + 1);
    line_starts_.push_back(0);
    for (size_t at = content.find('\n'); at != std::string_view::npos; at = content.find('\n', at + 1))
      line_starts_.push_back(static_cast<uint32_t>(at + 1));
  });
  return line_starts_;
}

size_t SourceFile::line_start(uint32_t line) const {
  const std::vector<uint32_t>& starts = line_starts();
  return line == 0 || line > starts.size() ? std::string_view::npos : starts[line - 1];
}

uint32_t SourceFile::line_of(size_t offset) const {
  const std::vector<uint32_t>& starts = line_starts();
  return static_cast<uint32_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
}

std::string_view SourceFile::line_text(uint32_t line) const {
  size_t start = line_start(line);
  if (start == std::string_view::npos) return {};
  if (start > content.size()) return {};
  std::string_view rest = content.substr(start);
  size_t nl = rest.find('\n');
  std::string_view text = rest.substr(0, nl);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace kmc
