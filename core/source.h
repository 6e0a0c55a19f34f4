#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.h"

namespace kmc {

// One input as read: the path exactly as the user named it (relative stays relative) and its
// bytes. A file's content lives until the model is built from it; then analysis lets it go
// (release_content) but for the few lines rules may still quote, and the loader reads the file
// again for the text renderer's snippets (parser/line_cursor.h). Standard input and in-memory
// text (`owned`) are kept.
struct SourceFile {
  std::string path;
  std::string_view content;  // in the load's arena (files), or in `owned` (stdin, tests)
  std::string owned;
  bool context = false;  // a --context file: what the cluster already has
  bool ascii = false;  // no byte >= 0x80: libyaml's character offsets are then byte offsets
  // Found by a directory walk and not a manifest (a docker-compose.yml, a values.yaml): read,
  // then left out of the run, and counted in the summary (parser/load.h).
  bool skipped = false;

  void own(std::string text) {
    owned = std::move(text);
    content = owned;
  }

  // Lets the content go, but for 1-based lines `keep` (any order, repeats allowed), which are
  // copied into `arena`. content is empty from then on.
  void release_content(std::vector<uint32_t> keep, Arena* arena);
  bool released() const { return released_; }
  // 16 bytes: a large tree keeps a line for every line of its block scalars (139 000 on the
  // bench tree), and a string_view beside the number made it 24.
  struct KeptLine {
    uint32_t line;
    uint32_t len;
    const char* data;
    std::string_view text() const { return {data, len}; }
  };
  const std::vector<KeptLine>& kept_lines() const { return kept_; }  // by line
  size_t released_size() const { return released_size_; }  // bytes the content had

  // The text of 1-based line `line`, without its newline; empty when out of range, or when the
  // content is released and the line was not kept. The first call indexes the line starts
  // (rules and renderers quote many lines of one file).
  std::string_view line_text(uint32_t line) const;
  // Byte offset where 1-based `line` starts, or npos past the last line.
  size_t line_start(uint32_t line) const;
  // The 1-based line holding byte `offset` (the last line for an offset past the end).
  uint32_t line_of(size_t offset) const;

 private:
  const std::vector<uint32_t>& line_starts() const;
  mutable std::once_flag lines_once_;
  mutable std::vector<uint32_t> line_starts_;  // byte offset of each line; content < 4 GiB
  std::vector<KeptLine> kept_;  // by line, once released
  bool released_ = false;
  size_t released_size_ = 0;
};

struct SourceSet {
  std::vector<std::unique_ptr<SourceFile>> files;

  const SourceFile& operator[](uint32_t i) const { return *files[i]; }
  uint32_t size() const { return static_cast<uint32_t>(files.size()); }
};

// The line that starts at byte `start` of `content`, without its newline (or carriage return);
// empty past the end.
std::string_view line_at(std::string_view content, size_t start);

}  // namespace kmc
