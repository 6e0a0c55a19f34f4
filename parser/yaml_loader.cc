#include "parser/yaml_loader.h"

#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "parser/scalar.h"

namespace kmc {
namespace {

// Why a document was abandoned before its end.
struct Abort {
  const char* rule;
  std::string message;
  uint32_t line, column;  // 1-based, absolute in the file
};

class Builder {
 public:
  Builder(const SourceFile& src, uint32_t file, const LoaderLimits& limits, Arena* arena, ParsedFile* out)
      : src_(src), file_(file), limits_(limits), arena_(arena), out_(out) {}

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
      Abort abort;
      bool ok = end <= offset || parse_chunk(offset, end, line_offset, &abort);
      uint32_t from;
      if (ok) {
        if (bad == std::string_view::npos) return;
        abort.rule = "syntax/yaml";
        abort.message = fmt::format("cannot decode the input: {} (byte {}); kmc reads UTF-8, or UTF-16 with a byte order mark",
                                    problem, bad);
        locate_byte(bad, &abort.line, &abort.column);
        from = abort.line + 1;  // the document holding the byte is lost; the next one is not
      } else {
        explain_common_mistakes(&abort);
        // Resume at the first `---` line at or after the error (libyaml reports an unclosed
        // flow collection at the next marker), but after the start of the broken document.
        from = std::max(abort.line, std::max(current_doc_line_, line_offset + 1) + 1);
      }
      add_finding(abort.rule, std::move(abort.message), abort.line, abort.column);
      if (std::strcmp(abort.rule, "syntax/limit") == 0 && too_many_documents_) return;
      if (!next_document_marker(from, &offset, &line_offset)) return;
    }
  }

  // The first byte at or after `from` that libyaml's reader refuses (its checks, in its words),
  // or npos: malformed UTF-8, surrogates, and characters YAML does not allow in a stream.
  static size_t first_undecodable(std::string_view c, size_t from, bool ascii, const char** problem) {
    const auto* s = reinterpret_cast<const unsigned char*>(c.data());
    size_t n = c.size();
    auto printable = [](uint32_t v) {
      return v == 0x0A || v == 0x0D || v == 0x09 || (v >= 0x20 && v <= 0x7E) || v == 0x85 || (v >= 0xA0 && v <= 0xD7FF) ||
             (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF);
    };
    for (size_t i = from; i < n;) {
      unsigned char b = s[i];
      if (b < 0x80) {
        if ((b < 0x20 || b == 0x7F) && b != '\n' && b != '\r' && b != '\t') {
          *problem = "control characters are not allowed";
          return i;
        }
        ++i;
        continue;
      }
      if (ascii) break;  // not reached: an ASCII file has no byte >= 0x80
      size_t width = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
      if (!width) {
        *problem = "invalid leading UTF-8 octet";
        return i;
      }
      if (i + width > n) {
        *problem = "incomplete UTF-8 octet sequence";
        return i;
      }
      uint32_t v = width == 2 ? (b & 0x1F) : width == 3 ? (b & 0x0F) : (b & 0x07);
      for (size_t k = 1; k < width; ++k) {
        if ((s[i + k] & 0xC0) != 0x80) {
          *problem = "invalid trailing UTF-8 octet";
          return i;
        }
        v = (v << 6) | (s[i + k] & 0x3F);
      }
      if ((width == 2 && v < 0x80) || (width == 3 && v < 0x800) || (width == 4 && v < 0x10000)) {
        *problem = "invalid length of a UTF-8 sequence";
        return i;
      }
      if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) {
        *problem = "invalid Unicode character";
        return i;
      }
      if (!printable(v)) {
        *problem = "control characters are not allowed";
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

  // The 1-based line and column (in bytes: the text around it may not decode) of byte `offset`.
  void locate_byte(size_t offset, uint32_t* line, uint32_t* column) const {
    *line = src_.line_of(offset);
    *column = static_cast<uint32_t>(std::min<size_t>(offset - src_.line_start(*line) + 1, 0xFFFFFF));
  }

 private:
  struct Frame {
    NodeKind kind;
    uint32_t line, column;
    uint32_t scratch_begin;
    std::string anchor;
  };
  struct Weighted {
    Node node;
    uint64_t weight;  // nodes in the subtree with aliases expanded
  };

  // Parses bytes [offset, end) (offset a line start) to the end or the first error.
  bool parse_chunk(size_t offset, size_t end, uint32_t line_offset, Abort* abort) {
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    const auto* data = reinterpret_cast<const unsigned char*>(src_.content.data() + offset);
    yaml_parser_set_input_string(&parser, data, end - offset);
    chunk_offset_ = offset;
    line_offset_ = line_offset;
    bool ok = true;
    bool done = false;
    while (!done) {
      yaml_event_t ev;
      if (!yaml_parser_parse(&parser, &ev)) {
        *abort = {"syntax/yaml", describe_parser_error(parser), abs_line(parser.problem_mark),
                  static_cast<uint32_t>(parser.problem_mark.column + 1)};
        if (parser.error != YAML_SCANNER_ERROR && parser.error != YAML_PARSER_ERROR) {
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
      yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (!ok) reset_document();
    return ok;
  }

  // libyaml's words describe the scanner; say what the author did instead, where we can tell.
  void explain_common_mistakes(Abort* abort) const {
    if (std::strcmp(abort->rule, "syntax/yaml") != 0) return;
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

  uint32_t abs_line(const yaml_mark_t& m) const { return static_cast<uint32_t>(m.line) + 1 + line_offset_; }
  static uint32_t column_of(const yaml_mark_t& m) { return static_cast<uint32_t>(std::min<size_t>(m.column + 1, 0xFFFFFF)); }

  bool handle(const yaml_event_t& ev, Abort* abort) {
    switch (ev.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (out_->documents.size() + empty_documents_ >= limits_.max_documents) {
          too_many_documents_ = true;
          *abort = {"syntax/limit",
                    fmt::format("more than {} documents in one file; split the file", limits_.max_documents),
                    abs_line(ev.start_mark), 1};
          return false;
        }
        doc_ = Document();
        doc_->file = file_;
        doc_->start_line = abs_line(ev.start_mark);
        current_doc_line_ = doc_->start_line;
        doc_->index_in_file = document_index_++;
        alias_weight_ = 0;
        return true;
      case YAML_DOCUMENT_END_EVENT:
        finish_document(abs_line(ev.end_mark));
        return true;
      case YAML_SCALAR_EVENT:
        return add_scalar(ev, abort);
      case YAML_ALIAS_EVENT:
        return add_alias(ev, abort);
      case YAML_MAPPING_START_EVENT:
      case YAML_SEQUENCE_START_EVENT: {
        if (frames_.size() >= limits_.max_depth) {
          *abort = {"syntax/limit",
                    fmt::format("nesting deeper than {} levels; no Kubernetes object needs this", limits_.max_depth),
                    abs_line(ev.start_mark), static_cast<uint32_t>(ev.start_mark.column + 1)};
          return false;
        }
        const yaml_char_t* anchor = ev.type == YAML_MAPPING_START_EVENT ? ev.data.mapping_start.anchor
                                                                         : ev.data.sequence_start.anchor;
        frames_.push_back({ev.type == YAML_MAPPING_START_EVENT ? NodeKind::Map : NodeKind::Seq,
                           abs_line(ev.start_mark), column_of(ev.start_mark),
                           static_cast<uint32_t>(scratch_.size()),
                           anchor ? std::string(reinterpret_cast<const char*>(anchor)) : std::string()});
        return true;
      }
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        return close_container(abort);
      default:
        return true;
    }
  }

  bool add_scalar(const yaml_event_t& ev, Abort* abort) {
    const auto& s = ev.data.scalar;
    Node n;
    n.file = file_;
    n.line = abs_line(ev.start_mark);
    n.column = column_of(ev.start_mark);
    n.len = static_cast<uint32_t>(s.length);
    const char* value = reinterpret_cast<const char*>(s.value);
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    n.str = locate_text(value, s.length, ev.start_mark.index, !plain);
    bool explicit_string_tag = s.tag && std::strcmp(reinterpret_cast<const char*>(s.tag), YAML_STR_TAG) == 0;
    if (plain && !explicit_string_tag) {
      n.kind = resolve_plain_scalar(std::string_view(value, s.length));
    } else {
      n.kind = NodeKind::String;
      n.flags |= Node::kQuoted;
    }
    return push(n, 1, s.anchor, abort);
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

  bool add_alias(const yaml_event_t& ev, Abort* abort) {
    std::string name(reinterpret_cast<const char*>(ev.data.alias.anchor));
    auto it = anchors_.find(name);
    uint32_t line = abs_line(ev.start_mark), column = static_cast<uint32_t>(ev.start_mark.column + 1);
    if (it == anchors_.end()) {
      *abort = {"syntax/yaml", fmt::format("unknown anchor '{}' referenced by an alias", name), line, column};
      return false;
    }
    alias_weight_ += it->second.weight;
    if (alias_weight_ > limits_.max_alias_nodes) {
      *abort = {"syntax/limit",
                fmt::format("aliases expand this document by more than {} nodes (a \"billion laughs\" "
                            "document?); kmc refuses to expand it",
                            limits_.max_alias_nodes),
                line, column};
      return false;
    }
    Node n = it->second.node;
    n.flags |= Node::kAlias;
    return push(n, it->second.weight, nullptr, abort);
  }

  bool push(const Node& n, uint64_t weight, const yaml_char_t* anchor, Abort*) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = {n, weight};
    if (frames_.empty()) {
      doc_->root = n;
      doc_->node_count += 1;
      return true;
    }
    scratch_.push_back({n, weight});
    return true;
  }

  bool close_container(Abort* abort) {
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    uint32_t begin = f.scratch_begin;
    uint32_t count = static_cast<uint32_t>(scratch_.size()) - begin;
    if (f.kind == NodeKind::Map) {
      if (!apply_merge_keys(begin, abort)) return false;
      drop_duplicate_keys(begin);
      count = static_cast<uint32_t>(scratch_.size()) - begin;
    }
    Node n;
    n.file = file_;
    n.kind = f.kind;
    n.line = f.line;
    n.column = f.column;
    n.kids_offset = nodes_.size();
    n.len = f.kind == NodeKind::Map ? count / 2 : count;
    uint64_t weight = 1;
    for (uint32_t i = begin; i < begin + count; ++i) {
      nodes_.push_back(scratch_[i].node);
      weight += scratch_[i].weight;
    }
    doc_->node_count += count;
    scratch_.resize(begin);
    const yaml_char_t* anchor = f.anchor.empty() ? nullptr : reinterpret_cast<const yaml_char_t*>(f.anchor.c_str());
    return push(n, weight, anchor, abort);
  }

  static bool is_merge_key(const Node& k) { return k.kind == NodeKind::String && !k.quoted() && k.text() == "<<"; }

  // `<<: *base` (or a list of aliases) merges the keys of other mappings that the mapping
  // does not set itself; go-yaml, and so kubectl, honour it.
  bool apply_merge_keys(uint32_t begin, Abort* abort) {
    bool any = false;
    for (size_t i = begin; i + 1 < scratch_.size(); i += 2) any = any || is_merge_key(scratch_[i].node);
    if (!any) return true;
    std::vector<Weighted> own, merged;
    std::vector<const Node*> sources;
    for (size_t i = begin; i + 1 < scratch_.size(); i += 2) {
      const Weighted& k = scratch_[i];
      const Weighted& v = scratch_[i + 1];
      if (!is_merge_key(k.node)) {
        own.push_back(k);
        own.push_back(v);
        continue;
      }
      std::vector<Node> maps;
      if (v.node.kind == NodeKind::Map) maps.push_back(v.node);
      else if (v.node.kind == NodeKind::Seq) {
        for (uint32_t j = 0; j < v.node.len; ++j) maps.push_back(nodes_[v.node.kids_offset + j]);
      }
      for (const Node& m : maps) {
        if (m.kind != NodeKind::Map) {
          *abort = {"syntax/yaml", "the value of a merge key `<<` must be a mapping or a list of mappings",
                    v.node.line, v.node.column};
          return false;
        }
        for (uint32_t j = 0; j < m.len; ++j) {
          merged.push_back({nodes_[m.kids_offset + 2 * j], 1});
          merged.push_back({nodes_[m.kids_offset + 2 * j + 1], 1});
        }
      }
    }
    // Own keys win over merged ones; among merged sources the first wins.
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < own.size(); i += 2) seen.insert(own[i].node.text());
    for (size_t i = 0; i + 1 < merged.size(); i += 2) {
      if (!seen.insert(merged[i].node.text()).second) continue;
      own.push_back(merged[i]);
      own.push_back(merged[i + 1]);
    }
    scratch_.resize(begin);
    scratch_.insert(scratch_.end(), own.begin(), own.end());
    return true;
  }

  // A repeated key is an error for the API server's strict decoding; kubectl keeps the last
  // one, and so does the model, so that later stages see what kubectl would send.
  void drop_duplicate_keys(uint32_t begin) {
    size_t pairs = (scratch_.size() - begin) / 2;
    if (pairs < 2) return;
    std::vector<bool> dropped(pairs, false);
    bool any = false;
    auto key_at = [&](size_t p) -> const Node& { return scratch_[begin + 2 * p].node; };
    auto report = [&](size_t first, size_t second) {
      const Node& a = key_at(first);
      const Node& b = key_at(second);
      Finding f;
      f.rule = "syntax/duplicate-key";
      f.severity = Severity::Error;
      f.message = fmt::format("key \"{}\" appears twice in this mapping; the API server rejects the object "
                              "and kubectl silently keeps only the last value",
                              b.text());
      if (frames_.empty() && (b.text() == "apiVersion" || b.text() == "kind")) {
        f.message += "; two objects without a `---` line between them?";
        f.fix = "separate the two objects with a line `---`";
      } else {
        f.fix = "remove one of the two keys";
      }
      f.pos = b.pos();
      f.related.push_back({a.pos(), "first defined here"});
      out_->findings.push_back(std::move(f));
      dropped[first] = true;
      any = true;
    };
    if (pairs <= 16) {
      for (size_t i = 0; i < pairs; ++i) {
        if (!key_at(i).is_scalar()) continue;
        for (size_t j = i + 1; j < pairs; ++j) {
          if (key_at(j).is_scalar() && key_at(i).text() == key_at(j).text()) {
            report(i, j);
            break;
          }
        }
      }
    } else {
      std::unordered_map<std::string_view, size_t> last;
      for (size_t i = 0; i < pairs; ++i) {
        if (!key_at(i).is_scalar()) continue;
        auto [it, inserted] = last.emplace(key_at(i).text(), i);
        if (!inserted) {
          report(it->second, i);
          it->second = i;
        }
      }
    }
    if (!any) return;
    size_t w = begin;
    for (size_t p = 0; p < pairs; ++p) {
      if (dropped[p]) continue;
      scratch_[w++] = scratch_[begin + 2 * p];
      scratch_[w++] = scratch_[begin + 2 * p + 1];
    }
    scratch_.resize(w);
  }

  void finish_document(uint32_t end_line) {
    if (!doc_) return;
    doc_->end_line = end_line;
    // Nodes were built in a buffer reused across documents (no reallocation chain per
    // document); the document gets an exact copy, whose offsets now become pointers.
    Node* base = arena_->copy_array(nodes_.data(), nodes_.size());
    for (size_t i = 0; i < nodes_.size(); ++i)
      if (!base[i].is_scalar()) base[i].kids = base + base[i].kids_offset;
    if (!doc_->root.is_scalar()) doc_->root.kids = base + doc_->root.kids_offset;
    bool empty = doc_->root.is_null() && doc_->root.len == 0;
    if (empty) ++empty_documents_;
    else out_->documents.push_back(arena_->make<Document>(*doc_));
    reset_document();
  }

  void reset_document() {
    doc_.reset();
    nodes_.clear();
    frames_.clear();
    scratch_.clear();
    anchors_.clear();
  }

  void add_finding(const char* rule, std::string message, uint32_t line, uint32_t column) {
    Finding f;
    f.rule = rule;
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
  const LoaderLimits& limits_;
  Arena* arena_;
  ParsedFile* out_;

  size_t chunk_offset_ = 0;
  uint32_t line_offset_ = 0;
  uint32_t document_index_ = 0;
  uint32_t current_doc_line_ = 0;  // start line of the document being parsed
  uint32_t empty_documents_ = 0;
  bool too_many_documents_ = false;
  uint64_t alias_weight_ = 0;

  std::optional<Document> doc_;
  std::vector<Node> nodes_;  // children blocks of the document being built
  std::vector<Frame> frames_;
  std::vector<Weighted> scratch_;
  std::unordered_map<std::string, Weighted> anchors_;
};

}  // namespace

ParsedFile parse_yaml(const SourceFile& src, uint32_t file_index, const LoaderLimits& limits, Arena* arena) {
  ParsedFile out;
  Builder(src, file_index, limits, arena, &out).run();
  return out;
}

}  // namespace kmc
