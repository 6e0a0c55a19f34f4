#include "render/compile.h"

#include <cctype>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include "core/printable.h"
#include "render/yaml_emit.h"

namespace kmc::render {
using parser::Document;
using parser::Node;
using parser::NodeKind;
using schema::Model;
using schema::Object;
using checks::Placement;
using checks::stage_name;

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Appends source lines [first, last) of `src`, dropping a leading `---` line.
void append_lines(const SourceFile& src, uint32_t first, uint32_t last, uint32_t dedent, std::string* out) {
  for (uint32_t line = first; line < last; ++line) {
    std::string_view text = src.line_text(line);
    if (line == first && dedent == 0 && starts_with(text, "---")) continue;
    if (dedent) text = text.substr(std::min<size_t>(dedent, text.size()));
    out->append(text).push_back('\n');
  }
}

// A node as JSON (valid YAML), with scalars resolved as the API server would read them.
void write_json(const Node& n, rapidjson::Writer<rapidjson::StringBuffer>& w) {
  std::string_view t = n.text();
  switch (n.kind) {
    case NodeKind::Null: w.Null(); return;
    case NodeKind::Bool: {
      bool b = false;
      n.as_bool(&b);
      w.Bool(b);
      return;
    }
    case NodeKind::Int: {
      int64_t v;
      if (n.as_int(&v)) w.Int64(v);
      else w.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
      return;
    }
    case NodeKind::Float:
      if (t.find_first_not_of("0123456789.eE+-") == std::string_view::npos && !t.empty())
        w.RawValue(t.data(), t.size(), rapidjson::kNumberType);
      else w.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
      return;
    case NodeKind::String: w.String(t.data(), static_cast<rapidjson::SizeType>(t.size())); return;
    case NodeKind::Map:
      w.StartObject();
      for (uint32_t i = 0; i < n.size(); ++i) {
        std::string_view k = n.key(i).text();
        w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
        write_json(n.value(i), w);
      }
      w.EndObject();
      return;
    case NodeKind::Seq:
      w.StartArray();
      for (uint32_t i = 0; i < n.size(); ++i) write_json(n.item(i), w);
      w.EndArray();
      return;
  }
}

}  // namespace

namespace {

// A part of a file name from the input: letters, digits, '-', '_' and '.', the rest '_', at most
// `most` bytes. The kind is input too (a custom resource's kind can be "/../../x"): a name made
// of such parts is one path component, never "." or "..", which cannot leave the directory.
std::string file_name_part(std::string_view text, size_t most, bool lower) {
  std::string out;
  for (char c : text.substr(0, most)) {
    unsigned char u = static_cast<unsigned char>(c);
    bool keep = std::isalnum(u) || c == '-' || c == '.' || c == '_';
    out += !keep || u >= 0x80 ? '_' : lower ? static_cast<char>(std::tolower(u)) : c;
  }
  return out;
}

}  // namespace

std::string compiled_file_name(size_t index, const Object& o) {
  // 4 digits, a kind (Kubernetes kinds are short; 63 is a DNS label's length), a name (253 is
  // the longest object name, but a file name has 255 bytes in all).
  std::string kind = file_name_part(o.kind(), 63, true);
  std::string name = file_name_part(o.name().empty() ? "unnamed" : o.name(), 160, false);
  return fmt::format("{:04}-{}-{}.yaml", index, kind.empty() ? "object" : kind, name);
}

const Object* next_in_document(const Model& model, const Object& o) {
  // A rendered object is a document of its own; one of another view's model is not in `model`.
  if (o.raw->rendered || model.objects.empty() || &o < model.objects.data() ||
      &o >= model.objects.data() + model.objects.size())
    return nullptr;
  size_t i = static_cast<size_t>(&o - model.objects.data());
  if (i + 1 < model.objects.size() && model.objects[i + 1].raw->doc == o.raw->doc) return &model.objects[i + 1];
  return nullptr;
}

bool object_source_text(const SourceSet& sources, const Object& o, const Object* next, std::string* out) {
  if (o.raw->rendered) {  // kustomize's output: no file holds it as it is
    emit_yaml(o.node(), out);
    return true;
  }
  const SourceFile& src = sources[o.raw->file];
  const Document& doc = *o.raw->doc;
  const Node& root = o.node();
  if (&root == &doc.root) {  // a whole document
    // Comments above the first document of a file belong to it.
    append_lines(src, doc.index_in_file == 0 ? 1 : doc.start_line, doc.end_line, 0, out);
    while (!out->empty() && (out->back() == '\n' || out->back() == ' ')) out->pop_back();
    out->push_back('\n');
    return true;
  }
  // A List item in block style: `  - apiVersion: v1` and the lines below it, indented alike.
  uint32_t dedent = root.column() - 1;
  std::string_view first = src.line_text(root.line);
  if (first.size() < dedent || first.substr(0, dedent).find_first_not_of(" -") != std::string_view::npos ||
      first.substr(0, dedent).find('-') == std::string_view::npos)
    return false;
  uint32_t last = next ? next->node().line : doc.end_line;
  for (uint32_t line = root.line + 1; line < last; ++line) {
    std::string_view text = src.line_text(line);
    size_t indent = text.find_first_not_of(' ');
    if (indent != std::string_view::npos && indent < dedent && text[indent] != '#') {
      last = line;  // the list ended (a key of the List itself follows)
      break;
    }
  }
  append_lines(src, root.line, last, dedent, out);
  while (!out->empty() && (out->back() == '\n' || out->back() == ' ')) out->pop_back();
  out->push_back('\n');
  return true;
}

void render_compiled_stream(const SourceSet& sources, const Model& model, const std::vector<Placement>& order,
                            const CompileOptions& options, std::ostream& out) {
  bool first = true;
  for (const Placement& p : order) {
    const Object& o = *p.object;
    std::string text;
    if (!object_source_text(sources, o, next_in_document(model, o), &text)) {
      // A flow-style (or JSON) List item cannot be cut out byte for byte: it is written as JSON.
      rapidjson::StringBuffer buffer;
      rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
      write_json(o.node(), w);
      text = std::string(buffer.GetString(), buffer.GetSize()) + "\n";
    }
    if (!first) out << "---\n";
    first = false;
    // printable: a file name with a newline in it must not add lines to the YAML stream.
    out << "# source: " << printable(sources[o.raw->file].path) << ":" << o.pos().line << "\n";
    if (options.explain)
      out << "# order: " << stage_name(p.stage) << " - " << printable(o.display()) << ": " << printable(p.reason) << "\n";
    out << text;
  }
}

}  // namespace kmc::render
