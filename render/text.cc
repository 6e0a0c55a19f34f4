#include <fmt/format.h>

#include <iterator>

#include "core/printable.h"
#include "parser/line_cursor.h"
#include "render/diagnostics.h"
#include "render/pieces.h"

namespace kmc::render {
using parser::LineCursor;
using checks::Analysis;
using checks::Summary;

namespace {

struct Palette {
  const char* bold = "";
  const char* reset = "";
  const char* error = "";
  const char* warning = "";
  const char* info = "";
  const char* note = "";
  const char* caret = "";
  explicit Palette(bool color) {
    if (!color) return;
    bold = "\033[1m";
    reset = "\033[0m";
    error = "\033[1;31m";
    warning = "\033[1;35m";
    info = "\033[1;36m";
    note = "\033[1m";  // bold in the terminal's own colour: bold black vanished on dark terminals
    caret = "\033[1;32m";
  }
  const char* severity(Severity s) const {
    return s == Severity::Error ? error : s == Severity::Warning ? warning : info;
  }
};

// Every text below that comes from the input (a file name, a source line, a message quoting a
// value) goes out through printable(): the input may be a stranger's, and its escape sequences
// must not reach the terminal (core/printable.h).
std::string location(const SourceSet& sources, Position p) {
  if (!p.valid() || p.file >= sources.size()) return "kmc";  // about the input as a whole (syntax/empty-input)
  return fmt::format("{}:{}:{}", printable(sources[p.file].path), p.line, p.column);
}

// The caret line: the line's own whitespace up to the column (so tabs line up), then `^`. The
// line is printed escaped (printable()), so an escape before the column takes as many columns as
// its characters.
std::string caret_padding(std::string_view line, uint32_t column) {
  // The bytes of the line before the column (counted in characters), as printed.
  size_t end = 0;
  for (uint32_t col = 1; end < line.size() && col < column; ++col) {
    size_t n = utf8_sequence_length(line, end);
    end += n ? n : 1;
  }
  std::string before = printable(line.substr(0, std::min(end, line.size())));
  std::string pad;
  for (unsigned char c : before)
    if ((c & 0xc0) != 0x80) pad += c == '\t' ? '\t' : ' ';
  return pad;
}

void snippet(LineCursor& lines, Position p, const Palette& pal, std::string* out) {
  if (!p.valid() || p.line == 0) return;
  std::string_view line = lines.line_text(p.file, p.line);
  if (line.empty()) return;
  constexpr size_t kMaxShown = 200;  // a minified one-line file must not flood the terminal
  size_t cut = std::min(line.size(), kMaxShown);
  while (cut < line.size() && cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xc0) == 0x80) --cut;
  std::string shown = printable(line.substr(0, cut));
  if (line.size() > cut) shown += " …";
  std::string number = std::to_string(p.line);
  std::string gutter(number.size(), ' ');
  fmt::format_to(std::back_inserter(*out), " {} | {}\n", number, shown);
  if (p.column <= kMaxShown)
    fmt::format_to(std::back_inserter(*out), " {} | {}{}^{}\n", gutter, caret_padding(line.substr(0, cut), p.column),
                   pal.caret, pal.reset);
}

void append_finding(const SourceSet& sources, LineCursor& lines, const Finding& f, const TextStyle& style,
                    const Palette& pal, std::string* out) {
  auto to = std::back_inserter(*out);
  fmt::format_to(to, "{}{}:{} {}{}[{}]{} {}{}{}\n", pal.bold, location(sources, f.pos), pal.reset,
                 pal.severity(f.severity), severity_name(f.severity), f.rule, pal.reset, pal.bold, printable(f.message),
                 pal.reset);
  if (style.quiet) return;
  snippet(lines, f.pos, pal, out);
  for (const Related& r : f.related)
    fmt::format_to(to, "{}{}:{} {}note:{} {}\n", pal.bold, location(sources, r.pos), pal.reset, pal.note, pal.reset,
                   printable(r.message));
  if (!f.fix.empty()) fmt::format_to(to, "  {}help:{} {}\n", pal.note, pal.reset, printable(f.fix));
}

}  // namespace

std::string summary_line(const Summary& s) {
  auto plural = [](size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
  std::vector<std::string> parts;
  if (s.errors) parts.push_back(plural(s.errors, "error"));
  if (s.warnings) parts.push_back(plural(s.warnings, "warning"));
  if (s.infos) parts.push_back(s.infos == 1 ? std::string("1 info") : fmt::format("{} infos", s.infos));
  std::string head = parts.empty() ? std::string("no findings") : fmt::format("{}", fmt::join(parts, ", "));
  std::string line = fmt::format("{} in {} from {}", head, plural(s.objects, "object"), plural(s.files, "file"));
  if (s.not_shown) line += fmt::format(" ({} not shown: --max-findings)", s.not_shown);
  // What a walk left out, so that a manifest taken for something else does not go unnoticed.
  if (s.skipped) line += fmt::format("; {} skipped: not Kubernetes manifests (-v lists them)", plural(s.skipped, "file"));
  if (s.charts) line += fmt::format("; {} skipped (helm template CHART | kmc check -)", plural(s.charts, "Helm chart"));
  return line;
}

std::string unchecked_line(const Summary& s) {
  if (s.unchecked.empty()) return {};
  size_t total = 0;
  std::vector<std::string> kinds;
  for (const auto& [kind, n] : s.unchecked) {
    total += n;
    if (kinds.size() < 8) kinds.push_back(fmt::format("{} {}", kind, n));
  }
  if (kinds.size() < s.unchecked.size()) kinds.push_back(fmt::format("{} more kinds", s.unchecked.size() - kinds.size()));
  return fmt::format("{} unchecked for want of a schema ({}): pass their CRDs with --crds", total == 1 ? std::string("1 object") : fmt::format("{} objects", total),
                     fmt::join(kinds, ", "));
}

void render_text(const Analysis& a, const TextStyle& style, std::ostream& out, const Workers& workers) {
  Palette pal(style.color);
  const SourceSet& sources = a.input.sources;
  // Pieces of findings rendered on the threads and written in order (render/pieces.h); with
  // one job, one piece after another.
  constexpr size_t kPiece = 512;
  write_in_pieces(a.findings.size(), workers, kPiece, out, [&](size_t begin, size_t end, std::string* text) {
    LineCursor lines(sources);  // the findings are sorted: their lines come forwards
    for (size_t i = begin; i < end; ++i) append_finding(sources, lines, a.findings[i], style, pal, text);
  });
  if (style.quiet) return;
  out << summary_line(a.summary) << "\n";
  if (std::string line = unchecked_line(a.summary); !line.empty()) out << line << "\n";
}

}  // namespace kmc::render
