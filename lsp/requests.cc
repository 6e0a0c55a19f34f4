#include "lsp/requests.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/paths.h"
#include "core/rule_catalogue.h"
#include "driver/run.h"
#include "lsp/diagnostics.h"
#include "lsp/workspace_check.h"
#include "render/rule_docs.h"

namespace kmc::lsp {
namespace {

// Calls `visit(object)` for each object of the check that a file of `path` holds as written
// (rendered objects have no text of their own), once even when several views share it.
template <class Visit> void objects_in(const RequestContext& c, Visit visit) {
  if (!c.check) return;
  for (const auto& run : c.check->runs) {
    const checks::Analysis& a = run->analysis;
    std::set<uint32_t> files;
    for (uint32_t i = 0; i < a.input.sources.size(); ++i)
      if (absolute_path(a.input.sources[i].path) == c.document.path) files.insert(i);
    if (files.empty()) continue;
    std::set<std::pair<uint32_t, uint32_t>> seen;
    auto models = [&](const schema::Model& m) {
      for (const schema::Object& o : m.objects)
        if (o.raw && !o.raw->rendered && !o.raw->patch && files.count(o.raw->file) &&
            seen.emplace(o.pos().line, o.pos().column).second)
          visit(o);
    };
    models(a.model);
    for (const auto& view : a.views)
      if (view) models(view->model);
  }
}

// The findings of the check on the document's file.
template <class Visit> void findings_in(const RequestContext& c, Visit visit) {
  if (!c.check) return;
  for (const auto& run : c.check->runs) {
    const checks::Analysis& a = run->analysis;
    for (const Finding& f : a.findings)
      if (f.pos.valid() && f.pos.file < a.input.sources.size() &&
          absolute_path(a.input.sources[f.pos.file].path) == c.document.path)
        visit(f);
  }
}

uint32_t line_count(std::string_view text) {
  return static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n') + (text.empty() || text.back() != '\n'));
}

}  // namespace

void document_symbols(const RequestContext& c, JsonWriter& w) {
  struct Symbol {
    uint32_t line, column;
    std::string name, detail;
  };
  std::vector<Symbol> symbols;
  objects_in(c, [&](const schema::Object& o) {
    std::string name = o.name().empty() ? o.display() : fmt::format("{} {}", o.kind(), o.name());
    std::string detail = o.ns.empty() ? std::string(o.api_version()) : fmt::format("{}, namespace {}", o.api_version(), o.ns);
    symbols.push_back({o.pos().line, o.pos().column, std::move(name), std::move(detail)});
  });
  std::sort(symbols.begin(), symbols.end(), [](const Symbol& a, const Symbol& b) { return a.line < b.line; });
  // An object's range runs to the line before the next one's (its document's `---`, comments).
  uint32_t lines = line_count(c.document.text);
  w.StartArray();
  for (size_t i = 0; i < symbols.size(); ++i) {
    const Symbol& s = symbols[i];
    uint32_t first = std::min(s.line > 0 ? s.line - 1 : 0, lines > 0 ? lines - 1 : 0);
    uint32_t last = i + 1 < symbols.size() ? std::max(first, symbols[i + 1].line >= 2 ? symbols[i + 1].line - 2 : 0)
                                           : std::max(first, lines > 0 ? lines - 1 : 0);
    last = std::min(last, lines > 0 ? lines - 1 : 0);
    LspRange selection = finding_range(nth_line(c.document.text, first), first + 1, s.column, c.encoding);
    LspRange whole{{first, 0}, {last, static_cast<uint32_t>(nth_line(c.document.text, last).size())}};
    whole.end.character = character_of(nth_line(c.document.text, last), whole.end.character + 1, c.encoding);
    selection.end = std::min(selection.end, whole.end, [](LspPosition a, LspPosition b) {
      return a.line < b.line || (a.line == b.line && a.character < b.character);
    });
    w.StartObject();
    w.Key("name");
    write_string(w, s.name);
    w.Key("detail");
    write_string(w, s.detail);
    w.Key("kind");
    w.Int(19);  // SymbolKind.Object
    w.Key("range");
    write_range(w, whole);
    w.Key("selectionRange");
    write_range(w, selection);
    w.EndObject();
  }
  w.EndArray();
}

void hover(const RequestContext& c, LspPosition at, JsonWriter& w) {
  std::string text;
  LspRange shown{};
  findings_in(c, [&](const Finding& f) {
    if (f.pos.line != at.line + 1) return;
    LspRange r = finding_range(nth_line(c.document.text, at.line), f.pos.line, f.pos.column, c.encoding);
    if (at.character < r.start.character || at.character > r.end.character) return;
    if (!text.empty()) text += "\n\n---\n\n";
    shown = r;
    text += fmt::format("**{}** ({}): {}", f.rule, severity_name(f.severity), f.message);
    if (!f.fix.empty()) text += fmt::format("\n\n*help:* {}", f.fix);
    std::string about = render::rule_description(f.rule);
    if (!about.empty()) text += fmt::format("\n\n{}", about);
    text += fmt::format("\n\n[{}]({})", f.rule, rule_page_url(f.rule));
  });
  if (text.empty() && !field_hover(c, at, &text, &shown)) {
    w.Null();
    return;
  }
  w.StartObject();
  w.Key("contents");
  w.StartObject();
  w.Key("kind");
  w.String("markdown");
  w.Key("value");
  write_string(w, text);
  w.EndObject();
  w.Key("range");
  write_range(w, shown);
  w.EndObject();
}

namespace {

// The spelling a `did you mean "x"?` help names. Every rule that says it (schema/unknown-field,
// schema/enum, the reference/* rules' nearest ConfigMap, Secret, key, claim or port name,
// autoscaling and gateway names) reports the finding on the very token to replace.
std::optional<std::string> suggested_spelling(std::string_view message) {
  constexpr std::string_view kLead = "did you mean \"";
  size_t at = message.find(kLead);
  if (at == std::string_view::npos) return std::nullopt;
  at += kLead.size();
  size_t end = message.find("\"?", at);
  if (end == std::string_view::npos || end == at || message.substr(at, end - at).find('\n') != std::string_view::npos)
    return std::nullopt;
  return std::string(message.substr(at, end - at));
}

// `name` as a YAML scalar that reads back as the same string: quoted when plain it would be
// another type (`true`, `080`, `null`) or not a scalar at all.
std::string yaml_string(const std::string& name) {
  static constexpr std::string_view kWords[] = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"};
  std::string lower;
  for (char ch : name) lower.push_back(static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch));
  bool special = name.empty() || std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords) ||
                 name.find_first_not_of("0123456789.+-eE_xXoObB") == std::string::npos ||
                 name.find_first_of(":#{}[],&*!|>'\"%@`") != std::string::npos || name.front() == ' ' || name.back() == ' ';
  if (!special) return name;
  std::string quoted = "\"";
  for (char ch : name) {
    if (ch == '"' || ch == '\\') quoted.push_back('\\');
    quoted.push_back(ch);
  }
  return quoted + "\"";
}

void text_edit_action(JsonWriter& w, const RequestContext& c, const Json& diagnostic, std::string_view title,
                      LspRange range, std::string_view new_text, bool preferred) {
  w.StartObject();
  w.Key("title");
  write_string(w, title);
  w.Key("kind");
  w.String("quickfix");
  w.Key("diagnostics");
  w.StartArray();
  diagnostic.Accept(w);
  w.EndArray();
  if (preferred) {
    w.Key("isPreferred");
    w.Bool(true);
  }
  w.Key("edit");
  w.StartObject();
  w.Key("changes");
  w.StartObject();
  w.Key(c.document.uri.c_str(), static_cast<rapidjson::SizeType>(c.document.uri.size()));
  w.StartArray();
  w.StartObject();
  w.Key("range");
  write_range(w, range);
  w.Key("newText");
  write_string(w, new_text);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.EndObject();
}

}  // namespace

void code_actions(const RequestContext& c, const Json* params, JsonWriter& w) {
  w.StartArray();
  const Json* diagnostics = member(member(params, "context"), "diagnostics");
  if (diagnostics && diagnostics->IsArray()) {
    for (const Json& d : diagnostics->GetArray()) {
      auto source = string_at(&d, "source");
      auto code = string_at(&d, "code");
      auto message = string_at(&d, "message");
      auto range = range_at(&d, "range");
      if (source != "kmc" || !code || !range || !find_rule_row(*code)) continue;
      if (auto spelling = suggested_spelling(message.value_or("")); spelling && range->start.line == range->end.line)
        text_edit_action(w, c, d, fmt::format("Change to \"{}\"", *spelling), *range, yaml_string(*spelling), true);
      // syntax/ findings are about the file itself: a comment cannot silence them.
      if (code->starts_with("syntax/")) continue;
      std::string_view line = nth_line(c.document.text, range->start.line);
      // The comment goes on a line of its own above, indented as the line is (a list item's
      // comment lines up with its dash).
      std::string_view indent = line.substr(0, std::min(line.size(), line.find_first_not_of(" \t")));
      LspPosition start{range->start.line, 0};
      text_edit_action(w, c, d, fmt::format("Ignore {} on this line (# kmc:ignore)", *code), {start, start},
                       fmt::format("{}# kmc:ignore[{}]\n", indent, *code), false);
    }
  }
  w.EndArray();
}

}  // namespace kmc::lsp
