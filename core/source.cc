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

std::string_view line_at(std::string_view content, size_t start) {
  if (start > content.size()) return {};
  std::string_view text = content.substr(start, content.find('\n', start) - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

namespace {

// The offset just past the `n`th newline at or after `at`, or content.size() + 1 if there are
// fewer. Whole 64-byte blocks with fewer newlines than are left to pass are passed on a count (a
// branch-free loop the compiler makes vector code): a released file keeps lines near its end,
// and looking for each newline on the way was most of the release's time (docs/performance.md, "Measurements behind the code").
size_t skip_lines(std::string_view content, size_t at, uint32_t n) {
  const char* p = content.data();
  size_t size = content.size();
  while (n > 0) {
    while (at + 64 <= size) {
      unsigned newlines = 0;
      for (size_t k = 0; k < 64; ++k) newlines += p[at + k] == '\n';
      if (newlines >= n) break;
      n -= newlines;
      at += 64;
    }
    size_t nl = content.find('\n', at);
    if (nl == std::string_view::npos) return size + 1;
    at = nl + 1;
    --n;
  }
  return at;
}

}  // namespace

void SourceFile::release_content(std::vector<uint32_t> keep, Arena* arena) {
  if (released_) return;
  std::sort(keep.begin(), keep.end());
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  // Walked forwards once; the file's line index is not built for this.
  uint32_t line = 1;
  size_t at = 0;
  kept_.reserve(keep.size());
  for (uint32_t want : keep) {
    if (line < want) {
      at = skip_lines(content, at, want - line);
      line = want;
    }
    if (line != want || at > content.size()) break;
    std::string_view text = line_at(content, at);
    kept_.push_back({want, static_cast<uint32_t>(text.size()), arena->copy_text(text.data(), text.size())});
  }
  released_size_ = content.size();
  released_ = true;
  content = {};
  std::vector<uint32_t>().swap(line_starts_);
}

std::string_view SourceFile::line_text(uint32_t line) const {
  if (released_) {
    auto it = std::lower_bound(kept_.begin(), kept_.end(), line, [](const KeptLine& k, uint32_t l) { return k.line < l; });
    return it != kept_.end() && it->line == line ? it->text() : std::string_view();
  }
  size_t start = line_start(line);
  if (start == std::string_view::npos) return {};
  return line_at(content, start);
}

}  // namespace kmc
