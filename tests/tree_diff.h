#pragma once
// Compares what two scanners made of one file: every document, node by node (kind, text,
// flags, file, line, column), and every finding. Used by tests/block_scanner_test.cc and by
// the fuzz target, to hold the block scanner to libyaml's result.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "parser/yaml_loader.h"

namespace kmc::test {
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;

inline std::string node_difference(const Node& a, const Node& b, const std::string& path) {
  auto where = [&](std::string_view what) {
    return fmt::format("{} at {}: {}:{} {} \"{}\" vs {}:{} {} \"{}\"", what, path, a.line, a.column(),
                       node_kind_name(a.kind), a.text(), b.line, b.column(), node_kind_name(b.kind),
                       b.text());
  };
  if (a.kind != b.kind) return where("kind");
  if (a.line != b.line || a.column() != b.column() || a.file() != b.file()) return where("position");
  if (a.flags != b.flags) return where("flags");
  if (a.is_scalar()) return a.text() == b.text() ? std::string() : where("text");
  if (a.len != b.len) return where("size");
  for (uint32_t i = 0; i < a.size(); ++i) {
    std::string d;
    if (a.is_map()) {
      d = node_difference(a.key(i), b.key(i), fmt::format("{}.key[{}]", path, i));
      if (d.empty()) d = node_difference(a.value(i), b.value(i), fmt::format("{}.{}", path, a.key(i).text()));
    } else {
      d = node_difference(a.item(i), b.item(i), fmt::format("{}[{}]", path, i));
    }
    if (!d.empty()) return d;
  }
  return {};
}

// Empty when the two parses are the same; else the first difference, for a test's message.
inline std::string parse_difference(const ParsedFile& a, const ParsedFile& b) {
  if (a.documents.size() != b.documents.size())
    return fmt::format("{} documents vs {}", a.documents.size(), b.documents.size());
  for (size_t i = 0; i < a.documents.size(); ++i) {
    const Document& x = *a.documents[i];
    const Document& y = *b.documents[i];
    if (x.file != y.file || x.index_in_file != y.index_in_file || x.start_line != y.start_line ||
        x.end_line != y.end_line || x.node_count != y.node_count)
      return fmt::format("document {}: index {} lines {}-{} nodes {} vs index {} lines {}-{} nodes {}", i,
                         x.index_in_file, x.start_line, x.end_line, x.node_count, y.index_in_file, y.start_line,
                         y.end_line, y.node_count);
    std::string d = node_difference(x.root, y.root, fmt::format("document {}", i));
    if (!d.empty()) return d;
  }
  if (a.findings.size() != b.findings.size())
    return fmt::format("{} findings vs {}", a.findings.size(), b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    const Finding& f = a.findings[i];
    const Finding& g = b.findings[i];
    if (f.rule != g.rule || f.message != g.message || f.pos != g.pos || f.related.size() != g.related.size())
      return fmt::format("finding {}: {} {}:{} {} vs {} {}:{} {}", i, f.rule, f.pos.line, f.pos.column, f.message,
                         g.rule, g.pos.line, g.pos.column, g.message);
    for (size_t k = 0; k < f.related.size(); ++k)
      if (f.related[k].pos != g.related[k].pos) return fmt::format("finding {}: related note {}", i, k);
  }
  return {};
}

}  // namespace kmc::test
