#include "parser/line_cursor.h"

#include "parser/file_reader.h"

namespace kmc::parser {

void LineCursor::open(uint32_t file) {
  const SourceFile& src = sources_[file];
  if (file != file_) {
    file_ = file;
    fallback_ = false;
    content_ = src.content;
    if (src.released()) {
      reread_.clear();
      fallback_ = !read_again(src, &reread_);
      content_ = reread_;
    }
  }
  line_ = 1;
  at_ = 0;
}

std::string_view LineCursor::line_text(uint32_t file, uint32_t line) {
  if (file >= sources_.size() || line == 0) return {};
  if (file != file_ || line < line_) open(file);
  if (fallback_) return sources_[file].line_text(line);
  while (line_ < line) {
    size_t nl = content_.find('\n', at_);
    if (nl == std::string_view::npos) return {};  // past the last line; stay on it
    at_ = nl + 1;
    ++line_;
  }
  return line_at(content_, at_);
}

}  // namespace kmc::parser
