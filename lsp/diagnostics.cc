#include "lsp/diagnostics.h"

#include <charconv>
#include <fstream>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/paths.h"
#include "core/rule_catalogue.h"
#include "driver/run.h"
#include "lsp/json_access.h"
#include "lsp/uri.h"

namespace kmc::lsp {
namespace {
using Writer = JsonWriter;

uint32_t count_points(std::string_view s);

// The texts of the files findings are on, read once per check: the editor's buffer, else the
// file on disk (the run released its bytes).
class FileTexts {
 public:
  FileTexts(const parser::SourceBuffers& buffers) : buffers_(buffers) {}

  // Zero-based line `line` of the file at `path`, without its line break.
  // `source`: the run's file, when the path is one (null for .kmc.yaml's messages).
  std::string_view line(const SourceFile* source, const std::string& path, uint32_t line) {
    // The run's own bytes when it kept them (the language server's runs do): no read, no index.
    if (source && !source->released() && !source->content.empty() && !buffers_.count(path))
      return source->line_text(line + 1);
    auto [it, added] = texts_.try_emplace(path);
    Text& t = it->second;
    if (added) {
      t.text = read(path);
      // Line starts, once: a file with hundreds of findings is not scanned from its start for
      // each (that was a third of a check of the shared corpus).
      t.starts.push_back(0);
      for (size_t i = 0; i < t.text.size(); ++i)
        if (t.text[i] == '\n' || (t.text[i] == '\r' && (i + 1 == t.text.size() || t.text[i + 1] != '\n')))
          t.starts.push_back(static_cast<uint32_t>(i + 1));
    }
    if (line >= t.starts.size()) return {};
    std::string_view rest = std::string_view(t.text).substr(t.starts[line]);
    return rest.substr(0, rest.find_first_of("\r\n"));
  }

 private:
  struct Text {
    std::string text;
    std::vector<uint32_t> starts;
  };

  std::string read(const std::string& path) const {
    if (auto open = buffers_.find(path); open != buffers_.end()) return open->second;
    std::ifstream in(path, std::ios::binary);
    std::string text;
    char chunk[65536];
    // A finding is on a file the run read, within the loader's 64 MiB limit; a file grown past
    // it since is read no further.
    while (in && text.size() < (size_t{64} << 20)) {
      in.read(chunk, sizeof chunk);
      text.append(chunk, static_cast<size_t>(in.gcount()));
    }
    return text;
  }

  const parser::SourceBuffers& buffers_;
  std::unordered_map<std::string, Text> texts_;
};

// Where a finding's token ends on its line: a quoted scalar to its closing quote, anything else
// to the next YAML indicator or comment. A finding at a line's end marks one character.
size_t token_end(std::string_view line, size_t at) {
  if (at >= line.size()) return at;
  char q = line[at];
  if (q == '"' || q == '\'') {
    for (size_t i = at + 1; i < line.size(); ++i) {
      if (q == '"' && line[i] == '\\') ++i;
      else if (line[i] == q) return i + 1;
    }
    return line.size();
  }
  size_t end = at;
  while (end < line.size()) {
    char c = line[end];
    if (c == ',' || c == ']' || c == '}') break;
    if (c == ':' && (end + 1 == line.size() || line[end + 1] == ' ')) break;
    if (c == '#' && end > at && line[end - 1] == ' ') break;
    ++end;
  }
  while (end > at && line[end - 1] == ' ') --end;
  return end == at ? at + 1 : end;
}

// The byte offset of 1-based code-point column `column` in `line`.
size_t byte_of_column(std::string_view line, uint32_t column) {
  size_t at = 0;
  for (uint32_t c = 1; c < column && at < line.size(); ++c) {
    ++at;
    while (at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80) ++at;
  }
  return at;
}

class DiagnosticWriter {
 public:
  DiagnosticWriter(const driver::Run& run, Encoding encoding, const parser::SourceBuffers& buffers)
      : run_(run), encoding_(encoding), texts_(buffers) {}

  void range(Writer& w, uint32_t file, const std::string& path, uint32_t line, uint32_t column) {
    w.Key("range");
    const SourceSet& sources = run_.analysis.input.sources;
    const SourceFile* source = file < sources.size() ? &sources[file] : nullptr;
    write_range(w, finding_range(texts_.line(source, path, line > 0 ? line - 1 : 0), line, column, encoding_));
  }

  void finding(Writer& w, const Finding& f, const std::string& path) {
    w.StartObject();
    range(w, f.pos.file, path, f.pos.line, f.pos.column);
    w.Key("severity");
    w.Int(f.severity == Severity::Error ? 1 : f.severity == Severity::Warning ? 2 : 3);
    w.Key("code");
    w.String(f.rule.data(), static_cast<rapidjson::SizeType>(f.rule.size()));
    w.Key("codeDescription");
    w.StartObject();
    w.Key("href");
    w.String(rule_page_url(f.rule).c_str());
    w.EndObject();
    w.Key("source");
    w.String("kmc");
    std::string message = f.fix.empty() ? f.message : fmt::format("{}\nhelp: {}", f.message, f.fix);
    w.Key("message");
    w.String(message.c_str(), static_cast<rapidjson::SizeType>(message.size()));
    tags(w, f.rule);
    related(w, f);
    w.EndObject();
  }

 private:
  static void tags(Writer& w, std::string_view rule) {
    // Unnecessary greys the line out; Deprecated strikes the apiVersion through.
    int tag = rule == rule_name(RuleId::SyntaxUnusedSuppression)                                 ? 1
              : rule == rule_name(RuleId::VersionDeprecated) || rule == rule_name(RuleId::EndpointsDeprecatedApi) ? 2
                                                                                                 : 0;
    if (!tag) return;
    w.Key("tags");
    w.StartArray();
    w.Int(tag);
    w.EndArray();
  }

  void related(Writer& w, const Finding& f) {
    if (f.related.empty()) return;
    w.Key("relatedInformation");
    w.StartArray();
    for (const Related& r : f.related) {
      if (!r.pos.valid() || r.pos.file >= run_.analysis.input.sources.size()) continue;
      std::string path = absolute_path(run_.analysis.input.sources[r.pos.file].path);
      w.StartObject();
      w.Key("location");
      w.StartObject();
      w.Key("uri");
      w.String(uri_of_path(path).c_str());
      range(w, r.pos.file, path, r.pos.line, r.pos.column);
      w.EndObject();
      w.Key("message");
      w.String(r.message.c_str(), static_cast<rapidjson::SizeType>(r.message.size()));
      w.EndObject();
    }
    w.EndArray();
  }

  const driver::Run& run_;
  Encoding encoding_;
  FileTexts texts_;
};

// `path:line:col: message`, as .kmc.yaml's errors are said (driver::RunMessage::Detail).
struct PlacedMessage {
  std::string path;
  uint32_t line = 0, column = 0;
  std::string text;
};

std::optional<PlacedMessage> placed(const std::string& message) {
  // The path may hold ':'; the position is the last two numbers before ": ".
  for (size_t sep = message.find(": "); sep != std::string::npos; sep = message.find(": ", sep + 1)) {
    size_t c2 = message.rfind(':', sep - 1), c1 = c2 == std::string::npos || c2 == 0 ? c2 : message.rfind(':', c2 - 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    PlacedMessage p{message.substr(0, c1), 0, 0, message.substr(sep + 2)};
    auto l = std::from_chars(message.data() + c1 + 1, message.data() + c2, p.line);
    auto c = std::from_chars(message.data() + c2 + 1, message.data() + sep, p.column);
    if (l.ec == std::errc() && l.ptr == message.data() + c2 && c.ec == std::errc() && c.ptr == message.data() + sep &&
        !p.path.empty())
      return p;
  }
  return std::nullopt;
}

uint32_t count_points(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

LspRange finding_range(std::string_view text, uint32_t line, uint32_t column, Encoding encoding) {
  size_t start = byte_of_column(text, column);
  size_t end = std::min(token_end(text, start), text.size());
  uint32_t first = character_of(text, column, encoding);
  uint32_t last = end > start ? character_of(text, column + count_points(text.substr(start, end - start)), encoding)
                              : first + 1;
  uint32_t l = line > 0 ? line - 1 : 0;
  return {{l, first}, {l, last}};
}

std::string rule_page_url(std::string_view rule) { return fmt::format("https://kmc.dev/docs/rules/{}", rule); }

DiagnosticsByUri diagnostics_of(const driver::Run& run, Encoding encoding, const parser::SourceBuffers& buffers) {
  const SourceSet& sources = run.analysis.input.sources;
  DiagnosticWriter writer(run, encoding, buffers);
  DiagnosticsByUri out;
  // Findings are sorted by position, so a file's findings are consecutive (a file listed twice,
  // were it ever, would gather its findings in one array all the same).
  const auto& findings = run.analysis.findings;
  for (size_t i = 0; i < findings.size();) {
    uint32_t file = findings[i].pos.file;
    size_t end = i;
    while (end < findings.size() && findings[end].pos.file == file) ++end;
    if (findings[i].pos.valid() && file < sources.size() && !sources[file].context && !sources[file].path.starts_with('<')) {
      std::string path = absolute_path(sources[file].path);
      rapidjson::StringBuffer array;
      Writer w(array);
      w.StartArray();
      for (size_t k = i; k < end; ++k) writer.finding(w, findings[k], path);
      w.EndArray();
      std::string& json = out[uri_of_path(path)];
      json = json.empty() ? std::string(array.GetString()) : json.substr(0, json.size() - 1) + "," + (array.GetString() + 1);
    }
    i = end;
  }
  // The configuration's own errors (the run stopped before reading anything).
  std::map<std::string, std::vector<std::string>> config_diagnostics;
  for (const driver::RunMessage& m : run.messages) {
    if (m.level != driver::RunMessage::Detail) continue;
    std::optional<PlacedMessage> p = placed(m.text);
    if (!p) continue;
    std::string path = absolute_path(p->path);
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    writer.range(w, Position::kNoFile, path, p->line, p->column);
    w.Key("severity");
    w.Int(1);
    w.Key("source");
    w.String("kmc");
    w.Key("message");
    w.String(p->text.c_str(), static_cast<rapidjson::SizeType>(p->text.size()));
    w.EndObject();
    config_diagnostics[path].emplace_back(buffer.GetString());
  }
  for (auto& [path, items] : config_diagnostics) out[uri_of_path(path)] = fmt::format("[{}]", fmt::join(items, ","));
  return out;
}

}  // namespace kmc::lsp
