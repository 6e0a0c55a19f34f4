#include "parser/yaml_loader.h"

#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/rule_catalogue.h"
#include "parser/block_scanner.h"
#include "parser/byte_scan.h"
#include "parser/scalar.h"
#include "parser/tree_builder.h"

namespace kmc::parser {
namespace {

// Drives the parse of one file: finds the bytes libyaml cannot decode, hands the documents of
// the common block-YAML subset to the block scanner and the others to libyaml, and resumes
// after a broken document. Both scanners feed one TreeBuilder.
// The characters YAML allows in a stream (libyaml's reader's check).
bool yaml_printable(uint32_t v) {
  return v == 0x0A || v == 0x0D || v == 0x09 || (v >= 0x20 && v <= 0x7E) || v == 0x85 || (v >= 0xA0 && v <= 0xD7FF) ||
         (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF);
}

// What libyaml's reader says of the multi-byte UTF-8 sequence at s[i] (of n bytes), in its
// words, or nullptr when it is a character YAML allows; `width` is set to its length.
const char* utf8_problem(const unsigned char* s, size_t i, size_t n, size_t* width) {
  unsigned char b = s[i];
  *width = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
  const size_t w = *width;
  if (!w) return "invalid leading UTF-8 octet";
  if (i + w > n) return "incomplete UTF-8 octet sequence";
  uint32_t v = w == 2 ? (b & 0x1F) : w == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t k = 1; k < w; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) return "invalid trailing UTF-8 octet";
    v = (v << 6) | (s[i + k] & 0x3F);
  }
  if ((w == 2 && v < 0x80) || (w == 3 && v < 0x800) || (w == 4 && v < 0x10000)) return "invalid length of a UTF-8 sequence";
  if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) return "invalid Unicode character";
  if (!yaml_printable(v)) return "control characters are not allowed";
  return nullptr;
}

class StreamParser {
 public:
  StreamParser(const SourceFile& src, uint32_t file, const LoaderLimits& limits, YamlScanner scanner, Arena* arena,
               Arena* node_arena, ParsedFile* out)
      : src_(src), file_(file), arena_(arena), builder_(file, limits, arena, out, node_arena), out_(out),
        block_scanner_(scanner == YamlScanner::Auto && block_scannable(src.content, src.ascii)) {
    builder_.set_source_bytes(src.content.size());
  }

  // After run(): what the file's limits left to say.
  void finish() { builder_.finish_file(); }

  void run() {
    size_t offset = 0;
    uint32_t line_offset = 0;
    std::string_view c = src_.content;
    // libyaml decodes its input a buffer ahead of the parse, so a byte it cannot decode stops
    // the documents before it too. kmc finds that byte first, parses up to the document that
    // holds it, reports it, and goes on after that document. (UTF-16 is left to libyaml.)
    bool utf16 = c.size() >= 2 && ((c[0] == '\xff' && c[1] == '\xfe') || (c[0] == '\xfe' && c[1] == '\xff'));
    // Each byte is scanned once: the first bad byte found holds for every offset up to it (a
    // YAML error may resume parsing before it); past it, the scan goes on from the new offset.
    const char* problem = nullptr;
    size_t bad = utf16 ? std::string_view::npos : first_undecodable(c, 0, src_.ascii, &problem);
    while (true) {
      if (bad != std::string_view::npos && offset > bad) bad = first_undecodable(c, offset, src_.ascii, &problem);
      size_t end = bad == std::string_view::npos ? c.size() : start_of_document(bad, offset);
      // A byte order mark that starts a later document: kubectl decodes each document on its
      // own, and accepts one there. Its document is parsed as a stream of its own, which takes
      // the mark as a stream's first character.
      size_t bom = utf16 ? std::string_view::npos : next_document_bom(offset + 1, end);
      if (bom != std::string_view::npos) end = bom;
      Abort abort;
      bool ok = end <= offset || parse_chunk(offset, end, line_offset, &abort);
      uint32_t from;
      if (ok && bom != std::string_view::npos) {
        offset = bom;
        line_offset = src_.line_of(bom) - 1;
        continue;
      }
      if (ok) {
        if (bad == std::string_view::npos) return;
        abort.rule = RuleId::SyntaxYaml;
        abort.message = fmt::format("cannot decode the input: {} (byte {}); kmc reads UTF-8, or UTF-16 with a byte order mark",
                                    problem, bad);
        locate_byte(bad, &abort.line, &abort.column);
        from = abort.line + 1;  // the document holding the byte is lost; the next one is not
      } else {
        explain_common_mistakes(&abort);
        // Resume at the first `---` line at or after the error (libyaml reports an unclosed
        // flow collection at the next marker), but after the start of the broken document.
        from = std::max(abort.line, std::max(builder_.current_document_line(), line_offset + 1) + 1);
      }
      add_finding(abort.rule, std::move(abort.message), abort.line, abort.column);
      if (abort.rule == RuleId::SyntaxLimit && builder_.too_many_documents()) return;
      if (!next_document_marker(from, &offset, &line_offset)) return;
    }
  }

  // The first byte at or after `from` that libyaml's reader refuses (its checks, in its words),
  // or npos: malformed UTF-8, surrogates, and characters YAML does not allow in a stream.
  static size_t first_undecodable(std::string_view c, size_t from, bool ascii, const char** problem) {
    if (ascii) {
      size_t at = first_control_byte(c, from);
      if (at != std::string_view::npos) *problem = "control characters are not allowed";
      return at;
    }
    const auto* s = reinterpret_cast<const unsigned char*>(c.data());
    for (size_t i = from; i < c.size();) {
      size_t width = 1;
      const char* found = nullptr;
      if (s[i] < 0x80) {
        unsigned char b = s[i];
        if ((b < 0x20 || b == 0x7F) && b != '\n' && b != '\r' && b != '\t') found = "control characters are not allowed";
      } else {
        found = utf8_problem(s, i, c.size(), &width);
      }
      if (found) {
        *problem = found;
        return i;
      }
      i += width;
    }
    return std::string_view::npos;
  }

  // The start of the document that holds byte `at`: its `---` line, or `from` when the
  // chunk has no marker before it. Walks back one document at most.
  size_t start_of_document(size_t at, size_t from) const {
    std::string_view c = src_.content;
    size_t line = at;
    while (line > from && c[line - 1] != '\n') --line;
    while (true) {
      if (is_marker_line(line)) return line;
      if (line <= from) return from;
      size_t previous = line - 1;  // c[previous] is the newline ending the line before
      while (previous > from && c[previous - 1] != '\n') --previous;
      line = previous;
    }
  }

  bool is_marker_line(size_t pos) const {
    std::string_view c = src_.content;
    return c.compare(pos, 3, "---") == 0 &&
           (pos + 3 == c.size() || c[pos + 3] == '\n' || c[pos + 3] == '\r' || c[pos + 3] == ' ' || c[pos + 3] == '\t');
  }

  // The first byte order mark in [from, end) that starts a document: at the start of a line
  // that is a `---` line itself, or that follows one. npos when there is none.
  size_t next_document_bom(size_t from, size_t end) const {
    std::string_view c = src_.content;
    for (size_t at = c.find("\xEF\xBB\xBF", from); at != std::string_view::npos && at < end;
         at = c.find("\xEF\xBB\xBF", at + 1)) {
      if (at == 0 || c[at - 1] != '\n') continue;
      if (is_marker_line(at + 3)) return at;
      size_t before = at - 1;  // the previous line's line break
      size_t start = before == 0 ? std::string_view::npos : c.rfind('\n', before - 1);
      start = start == std::string_view::npos ? 0 : start + 1;
      if (start < before && is_marker_line(start)) return at;
    }
    return std::string_view::npos;
  }

  // The 1-based line and column (in bytes: the text around it may not decode) of byte `offset`.
  void locate_byte(size_t offset, uint32_t* line, uint32_t* column) const {
    *line = src_.line_of(offset);
    *column = static_cast<uint32_t>(std::min<size_t>(offset - src_.line_start(*line) + 1, Node::kMaxColumn));
  }

 private:
  // Parses bytes [offset, end) (offset a line start) to the end or the first error. The block
  // scanner takes the documents it can; each one it cannot, libyaml parses from its start.
  bool parse_chunk(size_t offset, size_t end, uint32_t line_offset, Abort* abort) {
    while (true) {
      if (block_scanner_) {
        BlockScanStop stop = scan_block_documents(src_.content, offset, end, line_offset, src_.ascii, &builder_);
        if (stop.finished) return true;
        offset = stop.offset;
        line_offset = stop.line_offset;
      }
      size_t next = 0;
      if (!parse_with_libyaml(offset, end, line_offset, abort, &next, &line_offset)) return false;
      if (next == end) return true;
      offset = next;
    }
  }

  // libyaml parses from `offset`: to the end of the chunk, or, when the block scanner can take
  // over again, to the end of the first document (*next: where the next one starts, at a `---`
  // line; `end` when libyaml went on to the end).
  bool parse_with_libyaml(size_t offset, size_t end, uint32_t line_offset, Abort* abort, size_t* next,
                          uint32_t* next_line_offset) {
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    const auto* data = reinterpret_cast<const unsigned char*>(src_.content.data() + offset);
    yaml_parser_set_input_string(&parser, data, end - offset);
    chunk_offset_ = offset;
    line_offset_ = line_offset;
    *next = end;
    bool ok = true;
    bool done = false;
    while (!done) {
      yaml_event_t ev;
      if (!yaml_parser_parse(&parser, &ev)) {
        *abort = {RuleId::SyntaxYaml, describe_parser_error(parser), abs_line(parser.problem_mark),
                  static_cast<uint32_t>(parser.problem_mark.column + 1)};
        if (parser.error == YAML_READER_ERROR && parser.encoding != YAML_UTF8_ENCODING) {
          // The reader runs ahead of the scanner: its offset, not the scanner's mark, is where
          // the bad unit is (an unpaired surrogate in a UTF-16 file was reported at 1:1).
          locate_utf16(offset + parser.problem_offset, parser.encoding == YAML_UTF16BE_ENCODING, &abort->line,
                       &abort->column);
        } else if (parser.error != YAML_SCANNER_ERROR && parser.error != YAML_PARSER_ERROR) {
          abort->line = abs_line(parser.mark);
          abort->column = static_cast<uint32_t>(parser.mark.column + 1);
        }
        ok = false;
        break;
      }
      if (!handle(ev, abort)) {
        ok = false;
        yaml_event_delete(&ev);
        break;
      }
      done = ev.type == YAML_STREAM_END_EVENT;
      if (ev.type == YAML_DOCUMENT_END_EVENT && block_scanner_ && ev.data.document_end.implicit) {
        // An implicit end's mark is the next token: hand back when that is a `---` line. A
        // carriage return is a line break to libyaml, so after one its line numbers are not
        // the file's: then libyaml goes on to the end, numbering lines as it always has.
        // (libyaml's index counts characters: it is a byte offset in ASCII files only.)
        uint32_t line = abs_line(ev.end_mark);
        size_t at = src_.ascii ? offset + ev.end_mark.index : src_.line_start(line);
        if (ev.end_mark.column == 0 && at < end && at == src_.line_start(line) && is_marker_line(at) &&
            std::memchr(src_.content.data() + offset, '\r', at - offset) == nullptr) {
          *next = at;
          *next_line_offset = line - 1;
          done = true;
        }
      }
      yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (!ok) builder_.abandon_document();
    return ok;
  }

  // libyaml's words describe the scanner; say what the author did instead, where we can tell.
  void explain_common_mistakes(Abort* abort) const {
    if (abort->rule != RuleId::SyntaxYaml) return;
    std::string_view line = src_.line_text(abort->line);
    size_t at = abort->column - 1;
    if (at < line.size() && line[at] == '\t') {
      abort->message = "a tab character where YAML expects indentation or a token; YAML indents with spaces only "
                       "(libyaml: " + abort->message + ")";
    }
  }

  static std::string describe_parser_error(const yaml_parser_t& p) {
    std::string msg = p.problem ? p.problem : "invalid YAML";
    if (p.context) msg = fmt::format("{} {}", msg, p.context);
    if (p.error == YAML_READER_ERROR)
      msg = fmt::format("cannot decode the input: {} (byte {}); kmc reads UTF-8, or UTF-16 with a byte order mark",
                        p.problem ? p.problem : "invalid encoding", p.problem_offset);
    return msg;
  }

  // The line and column (in characters) of byte `at` of a UTF-16 file, counted from its start:
  // line breaks are the units LF, CR LF and a lone CR, as YAML reads them; a surrogate pair is one
  // character.
  void locate_utf16(size_t at, bool big_endian, uint32_t* line, uint32_t* column) const {
    std::string_view c = src_.content;
    auto unit = [&](size_t i) {
      auto b = [&](size_t k) { return static_cast<uint16_t>(static_cast<unsigned char>(c[k])); };
      return big_endian ? static_cast<uint16_t>(b(i) << 8 | b(i + 1)) : static_cast<uint16_t>(b(i + 1) << 8 | b(i));
    };
    uint32_t l = 1, col = 1;
    at = std::min(at, c.size());
    for (size_t i = 2; i + 1 < at; i += 2) {  // after the byte order mark
      uint16_t u = unit(i);
      if (u == '\n' || (u == '\r' && !(i + 3 < c.size() && unit(i + 2) == '\n'))) {
        ++l;
        col = 1;
      } else if (u != '\r' && !(u >= 0xdc00 && u <= 0xdfff)) {  // a low surrogate ends a character begun before
        ++col;
      }
    }
    *line = l;
    *column = std::min(col, Node::kMaxColumn);
  }

  uint32_t abs_line(const yaml_mark_t& m) const { return static_cast<uint32_t>(m.line) + 1 + line_offset_; }
  static uint32_t column_of(const yaml_mark_t& m) { return static_cast<uint32_t>(std::min<size_t>(m.column + 1, Node::kMaxColumn)); }

  bool handle(const yaml_event_t& ev, Abort* abort) {
    switch (ev.type) {
      case YAML_DOCUMENT_START_EVENT:
        return builder_.begin_document(abs_line(ev.start_mark), abort);
      case YAML_DOCUMENT_END_EVENT:
        builder_.end_document(abs_line(ev.end_mark));
        return true;
      case YAML_SCALAR_EVENT:
        return add_scalar(ev, abort);
      case YAML_ALIAS_EVENT:
        return builder_.alias(reinterpret_cast<const char*>(ev.data.alias.anchor), abs_line(ev.start_mark),
                              static_cast<uint32_t>(ev.start_mark.column + 1), abort);
      case YAML_MAPPING_START_EVENT:
      case YAML_SEQUENCE_START_EVENT: {
        bool map = ev.type == YAML_MAPPING_START_EVENT;
        const yaml_char_t* anchor = map ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
        return builder_.begin_container(map ? NodeKind::Map : NodeKind::Seq, abs_line(ev.start_mark),
                                        column_of(ev.start_mark), anchor_of(anchor), abort);
      }
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        return builder_.end_container(abort);
      default:
        return true;
    }
  }

  static std::string_view anchor_of(const yaml_char_t* a) {
    return a ? std::string_view(reinterpret_cast<const char*>(a)) : std::string_view();
  }

  bool add_scalar(const yaml_event_t& ev, Abort* abort) {
    const auto& s = ev.data.scalar;
    const char* value = reinterpret_cast<const char*>(s.value);
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    bool explicit_string_tag = s.tag && std::strcmp(reinterpret_cast<const char*>(s.tag), YAML_STR_TAG) == 0;
    bool as_string = !plain || explicit_string_tag;
    NodeKind kind = as_string ? NodeKind::String : resolve_plain_scalar(std::string_view(value, s.length));
    Node n = Node::scalar(kind, as_string, locate_text(value, s.length, ev.start_mark.index, !plain),
                          static_cast<uint32_t>(s.length), abs_line(ev.start_mark), column_of(ev.start_mark),
                          builder_.file());
    return builder_.scalar(n, anchor_of(s.anchor), abort);
  }

  // Scalars of ASCII files usually stand verbatim in the source: point there instead of copying.
  const char* locate_text(const char* value, size_t len, size_t char_index, bool quoted) {
    if (src_.ascii) {
      size_t at = chunk_offset_ + char_index + (quoted ? 1 : 0);
      if (at + len <= src_.content.size() && std::memcmp(src_.content.data() + at, value, len) == 0)
        return src_.content.data() + at;
    }
    return arena_->copy_text(value, len);
  }

  void add_finding(RuleId rule, std::string message, uint32_t line, uint32_t column) {
    Finding f;
    f.rule = rule_name(rule);
    f.severity = Severity::Error;
    f.message = std::move(message);
    f.pos = {file_, line, column};
    out_->findings.push_back(std::move(f));
  }

  // Finds the first line numbered `from_line` (1-based, absolute) or later that starts with `---`.
  bool next_document_marker(uint32_t from_line, size_t* offset, uint32_t* line_offset) const {
    std::string_view c = src_.content;
    size_t pos = src_.line_start(from_line);
    if (pos == std::string_view::npos) return false;
    for (uint32_t line = from_line; pos < c.size(); ++line) {
      if (is_marker_line(pos)) {
        *offset = pos;
        *line_offset = line - 1;
        return true;
      }
      size_t nl = c.find('\n', pos);
      if (nl == std::string_view::npos) return false;
      pos = nl + 1;
    }
    return false;
  }

  const SourceFile& src_;
  uint32_t file_;
  Arena* arena_;
  TreeBuilder builder_;
  ParsedFile* out_;
  bool block_scanner_;

  size_t chunk_offset_ = 0;
  uint32_t line_offset_ = 0;
};

}  // namespace

ParsedFile parse_yaml(const SourceFile& src, uint32_t file_index, const LoaderLimits& limits, Arena* arena,
                      YamlScanner scanner, Arena* node_arena) {
  ParsedFile out;
  StreamParser parser(src, file_index, limits, scanner, arena, node_arena, &out);
  parser.run();
  parser.finish();
  return out;
}

}  // namespace kmc::parser
