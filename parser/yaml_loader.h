#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/arena.h"
#include "core/finding.h"
#include "core/source.h"
#include "parser/node.h"

namespace kmc::parser {

// Safety limits; each one exceeded is a `syntax/limit` finding (max_files: an input error, as
// the files past it have no place to point at), never a crash or a stall.
struct LoaderLimits {
  uint32_t max_depth = 256;               // nesting of mappings and sequences
  uint64_t max_alias_nodes = 1'000'000;   // nodes that a file's aliases add when expanded (billion laughs)
  // Bytes of text that a file's aliases add when expanded: at most `alias_bytes_ratio` times the
  // file's size (but 1 MiB is always allowed), and never more than `max_alias_bytes`; the model
  // copies each alias. Go's and Rust's YAML libraries bound aliases by such a ratio too.
  uint64_t max_alias_bytes = 64ull << 20;
  uint32_t alias_bytes_ratio = 10;
  uint32_t max_documents = 200'000;       // documents in one file
  uint64_t max_file_bytes = 64ull << 20;  // a larger file is refused before it is read
  uint32_t max_files = Node::kMaxFiles;   // input files in one run; a node has room for no more
  // syntax/duplicate-key findings of one file, the last counting those past it: the parser's
  // share of FindingLimits::per_rule_per_file, kept from being made at all (4 million duplicate
  // keys were 2.3 GB of findings). 0: no limit.
  size_t max_findings_per_rule = 100;

  uint64_t alias_bytes_limit(uint64_t file_bytes) const {
    uint64_t by_ratio = std::max<uint64_t>(1u << 20, file_bytes * alias_bytes_ratio);
    return std::min(by_ratio, max_alias_bytes);
  }
};

struct ParsedFile {
  std::vector<const Document*> documents;  // non-empty documents, in file order (in the arena)
  std::vector<Finding> findings;                      // syntax/yaml, syntax/duplicate-key, syntax/limit
};

// Which scanner reads the documents. Auto: the block scanner (parser/block_scanner.h) takes the
// documents of ASCII files written in the common block subset, libyaml every other one; the
// trees are the same either way (tests/block_scanner_test.cc). Libyaml: libyaml alone, the
// reference the block scanner is tested against.
enum class YamlScanner { Auto, Libyaml };

// Parses every YAML (or JSON) document of `src`. A syntax error ends only the document it is in:
// parsing resumes at the next `---` line after it. Documents and copied text are allocated in
// `arena`, the nodes in `node_arena` (in `arena` when null).
ParsedFile parse_yaml(const SourceFile& src, uint32_t file_index, const LoaderLimits& limits, Arena* arena,
                      YamlScanner scanner = YamlScanner::Auto, Arena* node_arena = nullptr);

}  // namespace kmc::parser
