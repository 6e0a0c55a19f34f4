#pragma once
#include <cstdint>
#include <string>
#include <string_view>

// An open editor buffer, and the protocol's positions in it. LSP counts a character in UTF-16
// code units unless the client and server agree on UTF-8 (bytes) or UTF-32 (code points); kmc's
// columns count code points (parser/node.h). Lines end at "\n", "\r\n" or "\r".
namespace kmc::lsp {

enum class Encoding { Utf8, Utf16, Utf32 };

/// A zero-based line and character, as the protocol has them.
struct LspPosition {
  uint32_t line = 0;
  uint32_t character = 0;
};

struct LspRange {
  LspPosition start, end;
};

/// The byte offset of `pos` in `text`: a character past the end of its line is the line's end,
/// a line past the last is the text's end, and an offset inside a UTF-8 sequence or a UTF-16
/// surrogate pair moves to the character's start (as the protocol asks of servers).
size_t offset_of(std::string_view text, LspPosition pos, Encoding encoding);

/// The protocol's character for 1-based code-point column `column` of `line` (without its
/// line break); past the line's end, counted on as if the line went on in ASCII.
uint32_t character_of(std::string_view line, uint32_t column, Encoding encoding);

/// The text of zero-based line `line` without its line break; empty past the last line.
std::string_view nth_line(std::string_view text, uint32_t line);

struct TextDocument {
  std::string uri;
  std::string path;  // absolute, lexically normal (core/paths.h, absolute_path)
  std::string text;
  int64_t version = 0;

  /// Replaces `range` by `replacement` (a `didChange` content change with a range).
  void edit(LspRange range, std::string_view replacement, Encoding encoding);
};

}  // namespace kmc::lsp
