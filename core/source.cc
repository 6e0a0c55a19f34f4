#include "core/source.h"

namespace kmc {

std::string_view SourceFile::line_text(uint32_t line) const {
  if (line == 0) return {};
  std::string_view rest = content;
  for (uint32_t l = 1; l < line; ++l) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return {};
    rest.remove_prefix(nl + 1);
  }
  size_t nl = rest.find('\n');
  std::string_view text = rest.substr(0, nl);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace kmc
