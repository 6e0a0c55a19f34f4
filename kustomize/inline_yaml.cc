#include "kustomize/inline_yaml.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "parser/yaml_loader.h"

namespace kmc::kustomize {
using parser::Document;
using parser::Node;

namespace {

// The file's text with every line blanked but the block's content, when that content, its
// indentation taken off, is the string's value: then parsing it gives the file's positions.
std::string in_place_text(const Node& value, const SourceFile& source) {
  Position pos = value.pos();
  std::string_view indicator = source.line_text(pos.line);
  if (pos.column == 0 || pos.column > indicator.size() || indicator[pos.column - 1] != '|') return {};
  std::string_view want = value.text();
  std::string text(pos.line, '\n');
  std::string content;  // the block's lines with their indentation taken off
  size_t indent = std::string::npos;
  for (uint32_t line = pos.line + 1; content.size() < want.size(); ++line) {
    std::string_view l = source.line_text(line);
    size_t lead = l.find_first_not_of(' ');
    if (lead == std::string_view::npos) {
      if (line > pos.line + 1 + want.size()) break;  // past the file's end
      content += '\n';
    } else {
      if (indent == std::string::npos) indent = lead;
      if (lead < indent) break;
      content += std::string(l.substr(indent)) + '\n';
    }
    text += std::string(l) + '\n';
  }
  return content.compare(0, want.size(), want) == 0 ? text : std::string();
}

void move_to(RNode* n, Position pos) {
  n->pos = pos;
  for (RNode& kid : n->kids) move_to(&kid, pos);
}

}  // namespace

std::vector<RNode> parse_inline_yaml(const Node& value, const SourceFile& source, uint32_t file, Arena* arena,
                                     std::vector<Finding>* findings) {
  std::string text = in_place_text(value, source);
  bool in_place = !text.empty();
  if (!in_place) text = std::string(value.text());
  SourceFile src;
  src.path = source.path;
  src.content = std::string_view(arena->copy_text(text.data(), text.size()), text.size());
  src.ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  parser::ParsedFile parsed = parser::parse_yaml(src, file, parser::LoaderLimits{}, arena);
  for (Finding& f : parsed.findings) {
    if (!in_place) f.pos = value.pos();
    findings->push_back(std::move(f));
  }
  std::vector<RNode> out;
  for (const Document* d : parsed.documents) {
    out.push_back(from_node(d->root));
    if (!in_place) move_to(&out.back(), value.pos());
  }
  return out;
}

}  // namespace kmc::kustomize
