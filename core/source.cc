#include "core/source.h"

namespace kmc {

std::string_view SourceFile::line_text(uint32_t line) const {
  std::call_once(lines_once_, [this] {
    line_starts_.push_back(0);
    for (size_t at = content.find('\n'); at != std::string_view::npos; at = content.find('\n', at + 1))
      line_starts_.push_back(static_cast<uint32_t>(at + 1));
  });
  if (line == 0 || line > line_starts_.size()) return {};
  size_t start = line_starts_[line - 1];
  if (start > content.size()) return {};
  std::string_view rest = content.substr(start);
  size_t nl = rest.find('\n');
  std::string_view text = rest.substr(0, nl);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace kmc
