#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/source.h"

namespace kmc::parser {

// Lines of the sources read forwards, file after file, without indexing them: a renderer of
// findings sorted by position asks for exactly that, and the line index of every file with a
// finding (SourceFile::line_text) showed in the bench tree's peak with text output. Asking
// for an earlier line starts its file over. A file whose content was released is read again by
// the loader (read_again), one at a time; if it is gone or its size changed since, only its kept
// lines are quoted. One per thread.
class LineCursor {
 public:
  explicit LineCursor(const SourceSet& sources) : sources_(sources) {}
  // As SourceFile::line_text: without the newline; empty when out of range.
  std::string_view line_text(uint32_t file, uint32_t line);

 private:
  void open(uint32_t file);
  const SourceSet& sources_;
  uint32_t file_ = UINT32_MAX;
  std::string_view content_;  // of file_: its content, or what was read again into reread_
  bool fallback_ = false;     // file_ could not be read again: its kept lines
  std::string reread_;
  uint32_t line_ = 0;  // 1-based line that starts at byte at_ of file_
  size_t at_ = 0;
};

}  // namespace kmc::parser
