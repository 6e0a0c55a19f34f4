#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace kmc {

// One input as read: the path exactly as the user named it (relative stays relative) and its
// bytes. Content is kept for the whole run: scalars of ASCII files point into it, and the
// renderers quote source lines from it.
struct SourceFile {
  std::string path;
  std::string_view content;  // in the load's arena (files), or in `owned` (stdin, tests)
  std::string owned;
  bool context = false;  // a --context file: what the cluster already has
  bool ascii = false;  // no byte >= 0x80: libyaml's character offsets are then byte offsets

  void own(std::string text) {
    owned = std::move(text);
    content = owned;
  }

  // The text of 1-based line `line`, without its newline; empty when out of range. The first
  // call indexes the line starts (rules and renderers quote many lines of one file).
  std::string_view line_text(uint32_t line) const;
  // Byte offset where 1-based `line` starts, or npos past the last line.
  size_t line_start(uint32_t line) const;
  // The 1-based line holding byte `offset` (the last line for an offset past the end).
  uint32_t line_of(size_t offset) const;

 private:
  const std::vector<uint32_t>& line_starts() const;
  mutable std::once_flag lines_once_;
  mutable std::vector<uint32_t> line_starts_;  // byte offset of each line; content < 4 GiB
};

struct SourceSet {
  std::vector<std::unique_ptr<SourceFile>> files;

  const SourceFile& operator[](uint32_t i) const { return *files[i]; }
  uint32_t size() const { return static_cast<uint32_t>(files.size()); }
};

// Lines of the sources read forwards, file after file, without indexing them: a renderer of
// findings sorted by position asks for exactly that, and the line index of every file with a
// finding (SourceFile::line_text) was 10 MB of the bench tree's peak with text output. Asking
// for an earlier line starts its file over. One per thread.
class LineCursor {
 public:
  explicit LineCursor(const SourceSet& sources) : sources_(sources) {}
  // As SourceFile::line_text: without the newline; empty when out of range.
  std::string_view line_text(uint32_t file, uint32_t line);

 private:
  const SourceSet& sources_;
  uint32_t file_ = UINT32_MAX;
  uint32_t line_ = 0;  // 1-based line that starts at byte at_ of file_
  size_t at_ = 0;
};

}  // namespace kmc
