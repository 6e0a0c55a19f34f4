#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kmc::parser {

class TreeBuilder;

struct BlockScanStop {
  bool finished = false;     // every document of the range was built
  size_t offset = 0;         // else: start of the first document it left alone
  uint32_t line_offset = 0;  // lines of the file before `offset`
};

// The loader's fast path. Kubernetes manifests are nearly all written in a small part of YAML:
// block mappings and sequences, plain and quoted scalars (also over several lines), one-line
// flow collections, literal block scalars, comments, `---`. This scanner reads exactly that
// part, from bytes [begin, end) of `content` (begin a line start, text block_scannable() allows
// that libyaml's reader accepts), and feeds `builder` the events libyaml would, with the same
// positions (columns in characters, as libyaml counts them; `ascii` says no line needs
// counting). At the first construct outside that part (an anchor, a tag, a folded scalar, an
// escape, a tab, a syntax error…) it gives the whole document back, untouched, for libyaml to
// parse: it never decides anything libyaml would decide differently, and it never reports an
// error itself.
BlockScanStop scan_block_documents(std::string_view content, size_t begin, size_t end, uint32_t line_offset,
                                   bool ascii, TreeBuilder* builder);

// Whether the scanner may read a file at all: ASCII, or UTF-8 without the characters libyaml
// reads as line breaks (NEL, LS, PS: its line numbers would not be the file's) or skips at a
// line start (a byte order mark).
bool block_scannable(std::string_view content, bool ascii);

}  // namespace kmc::parser
