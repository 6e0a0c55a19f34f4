#include "lsp/text_document.h"

#include <algorithm>

namespace kmc::lsp {
namespace {

// The length of the UTF-8 sequence a lead byte starts (1 for a stray continuation byte or an
// invalid lead, so that malformed text still advances).
size_t sequence_length(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF8) return 4;
  return 1;
}

// How many of `encoding`'s units the character starting at `at` takes, and its bytes.
uint32_t units_of(std::string_view line, size_t at, Encoding encoding, size_t* bytes) {
  size_t n = std::min(sequence_length(static_cast<unsigned char>(line[at])), line.size() - at);
  *bytes = n;
  switch (encoding) {
    case Encoding::Utf8: return static_cast<uint32_t>(n);
    case Encoding::Utf16: return n == 4 ? 2 : 1;
    case Encoding::Utf32: return 1;
  }
  return 1;
}

// The byte offset where zero-based line `line` starts, or npos past the last line.
size_t line_start(std::string_view text, uint32_t line) {
  size_t at = 0;
  for (uint32_t l = 0; l < line; ++l) {
    size_t br = text.find_first_of("\r\n", at);
    if (br == std::string_view::npos) return std::string_view::npos;
    at = br + (text[br] == '\r' && br + 1 < text.size() && text[br + 1] == '\n' ? 2 : 1);
  }
  return at;
}

}  // namespace

std::string_view nth_line(std::string_view text, uint32_t line) {
  size_t start = line_start(text, line);
  if (start == std::string_view::npos) return {};
  size_t end = text.find_first_of("\r\n", start);
  return text.substr(start, (end == std::string_view::npos ? text.size() : end) - start);
}

size_t offset_of(std::string_view text, LspPosition pos, Encoding encoding) {
  size_t start = line_start(text, pos.line);
  if (start == std::string_view::npos) return text.size();
  std::string_view line = nth_line(text, pos.line);
  size_t at = 0;
  uint32_t units = 0;
  while (at < line.size()) {
    size_t bytes = 0;
    uint32_t u = units_of(line, at, encoding, &bytes);
    if (units + u > pos.character) break;  // inside this character, or just before it
    units += u;
    at += bytes;
  }
  return start + at;
}

uint32_t character_of(std::string_view line, uint32_t column, Encoding encoding) {
  uint32_t units = 0, seen = 1;
  size_t at = 0;
  for (; seen < column && at < line.size(); ++seen) {
    size_t bytes = 0;
    units += units_of(line, at, encoding, &bytes);
    at += bytes;
  }
  return units + (column > seen ? column - seen : 0);
}

void TextDocument::edit(LspRange range, std::string_view replacement, Encoding encoding) {
  size_t begin = offset_of(text, range.start, encoding);
  size_t end = offset_of(text, range.end, encoding);
  if (end < begin) std::swap(begin, end);
  text.replace(begin, end - begin, replacement);
}

}  // namespace kmc::lsp
