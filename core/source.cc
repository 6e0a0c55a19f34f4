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

namespace {

// The line that starts at byte `start`, without its newline (or carriage return).
std::string_view line_at(std::string_view content, size_t start) {
  if (start > content.size()) return {};
  std::string_view text = content.substr(start, content.find('\n', start) - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string_view SourceFile::line_text(uint32_t line) const {
  size_t start = line_start(line);
  if (start == std::string_view::npos) return {};
  return line_at(content, start);
}

std::string_view LineCursor::line_text(uint32_t file, uint32_t line) {
  if (file >= sources_.size() || line == 0) return {};
  std::string_view content = sources_[file].content;
  if (file != file_ || line < line_) {
    file_ = file;
    line_ = 1;
    at_ = 0;
  }
  while (line_ < line) {
    size_t nl = content.find('\n', at_);
    if (nl == std::string_view::npos) return {};  // past the last line; stay on it
    at_ = nl + 1;
    ++line_;
  }
  return line_at(content, at_);
}

}  // namespace kmc
