#include "parser/block_scanner.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "parser/block_lines.h"
#include "parser/scalar.h"
#include "parser/tree_builder.h"

namespace kmc::parser {
namespace {

// Deeper documents go to libyaml, whose depth limit then reports them.
constexpr int kMaxNesting = 64;
// libyaml drops a simple key candidate after 1024 characters; stay well clear of the edge.
constexpr ptrdiff_t kMaxKeySpan = 1000;

struct Scalar {
  const char* mark;  // first character: the opening quote of a quoted scalar
  const char* text;
  size_t len;
  bool quoted;
};

class BlockScanner {
 public:
  BlockScanner(std::string_view content, size_t begin, size_t end, uint32_t line_offset, bool ascii,
               TreeBuilder* builder)
      : base_(content.data()), begin_(content.data() + begin), end_(content.data() + end), builder_(builder),
        line_offset_(line_offset), ascii_(ascii), line_no_(line_offset + 1) {
    enter_line(begin_);
  }

  BlockScanStop run() {
    if (!skip_to_content()) return {false, size_t(begin_ - base_), line_offset_};
    bool first = true;
    while (look_ != Look::End) {
      // The first document may start without `---`; libyaml then restarts where the chunk does.
      const char* doc_start = look_ == Look::Marker ? line_ : begin_;
      uint32_t doc_line_offset = look_ == Look::Marker ? line_no_ - 1 : line_offset_;
      if (look_ != Look::Marker && !first) return {false, size_t(doc_start - base_), doc_line_offset};
      TreeBuilder::Checkpoint checkpoint = builder_->checkpoint();
      if (!document()) {
        builder_->rollback(checkpoint);
        return {false, size_t(doc_start - base_), doc_line_offset};
      }
      first = false;
    }
    return {true, size_t(end_ - base_), line_no_ - 1};
  }

 private:
  // What the next line with content is: the lookahead every node leaves behind.
  enum class Look { Content, Marker, End };

  void enter_line(const char* start) {
    line_ = start;
    const void* nl = start < end_ ? std::memchr(start, '\n', end_ - start) : nullptr;
    eol_ = nl ? static_cast<const char*>(nl) : end_;
  }
  // A line without a final newline still ends: libyaml counts the stream's end as a line break.
  void next_line() {
    enter_line(eol_ < end_ ? eol_ + 1 : end_);
    ++line_no_;
  }

  // A lone carriage return is a line break for libyaml, even inside a comment.
  bool no_carriage_return(const char* p) const { return std::memchr(p, '\r', eol_ - p) == nullptr; }

  // From the start of the current line, skips blank and comment lines and sets the lookahead.
  bool skip_to_content() {
    while (true) {
      if (line_ == end_) {
        look_ = Look::End;
        return true;
      }
      const char* p = line_;
      while (p < eol_ && *p == ' ') ++p;
      if (p == eol_ || *p == '#') {
        if (!no_carriage_return(p)) return false;
        next_line();
        continue;
      }
      if (*p == '\t' || *p == '\r') return false;
      if (p == line_ && eol_ - p >= 3) {
        bool dashes = p[0] == '-' && p[1] == '-' && p[2] == '-';
        if (dashes && (eol_ - p == 3 || p[3] == ' ')) {
          look_ = Look::Marker;
          return true;
        }
        if (dashes || (p[0] == '.' && p[1] == '.' && p[2] == '.')) return false;
      }
      if (p == line_ && *p == '%') return false;  // a directive
      look_ = Look::Content;
      indent_ = static_cast<int>(p - line_);
      content_ = p;
      return true;
    }
  }

  bool document() {
    if (look_ == Look::Marker) {
      const char* p = line_ + 3;
      while (p < eol_ && *p == ' ') ++p;
      if (p < eol_ && (*p != '#' || !no_carriage_return(p))) return false;  // content after `---`
      if (!builder_->begin_document(line_no_, &abort_)) return false;
      next_line();
      if (!skip_to_content()) return false;
    } else if (!builder_->begin_document(line_no_, &abort_)) {
      return false;
    }
    if (look_ == Look::Content) {
      if (!node(content_, -1, 0, true)) return false;
      if (look_ == Look::Content) return false;
    }
    builder_->end_document(line_no_);
    return true;
  }

  // libyaml's column: characters, not bytes (UTF-8 continuation bytes do not count).
  uint32_t column_of(const char* p) const {
    ptrdiff_t chars = p - line_;
    if (!ascii_)
      for (const char* c = line_; c < p; ++c) chars -= (static_cast<unsigned char>(*c) & 0xC0) == 0x80;
    return static_cast<uint32_t>(std::min<ptrdiff_t>(chars + 1, Node::kMaxColumn));
  }

  bool emit(const Scalar& s) {
    NodeKind kind = s.quoted ? NodeKind::String : resolve_plain_scalar(std::string_view(s.text, s.len));
    return builder_->scalar(Node::scalar(kind, s.quoted, s.text, static_cast<uint32_t>(s.len), line_no_,
                                         column_of(s.mark), builder_->file()),
                            {}, &abort_);
  }

  // `key:` or `-` with nothing after it: libyaml's empty plain scalar, just past the indicator.
  bool emit_empty(uint32_t line, uint32_t column) {
    return builder_->scalar(Node::scalar(resolve_plain_scalar({}), false, "", 0, line, column, builder_->file()), {},
                            &abort_);
  }

  bool is_entry(const char* p) const { return *p == '-' && (p + 1 == eol_ || p[1] == ' '); }

  // After a value that ends on this line: only spaces and a comment may follow.
  bool finish_line(const char* p) {
    while (p < eol_ && *p == ' ') ++p;
    if (p < eol_ && (*p != '#' || p[-1] != ' ' || !no_carriage_return(p))) return false;
    next_line();
    return skip_to_content();
  }

  // A node starting at p on the current line; `parent` is the column (0-based) of the block
  // collection holding it, -1 at the root. On return the lookahead is the line after it.
  bool node(const char* p, int parent, int depth, bool block_collection_allowed) {
    if (depth > kMaxNesting) return false;
    if (is_entry(p)) return block_collection_allowed && block_sequence(p, false, depth);
    if (*p == '|') return parent >= 0 && literal_scalar(p, parent);
    if (*p == '{' || *p == '[') {
      if (parent < 0 || !flow_collection(&p, depth)) return false;
      return finish_line(p);
    }
    Scalar s;
    const char* after;
    if (!inline_scalar(p, &s, &after)) return parent >= 0 && (*p == '\'' || *p == '"') && folded_quoted_scalar(p, parent);
    const char* colon;
    if (is_key(s, after, &colon)) return block_collection_allowed && block_mapping(s, colon, depth);
    // A document that is one plain scalar may go on over the next lines at any indentation.
    if (parent < 0) return false;
    if (!s.quoted) return plain_scalar(s, after, parent);
    return emit(s) && finish_line(after);
  }

  // A plain scalar in a block collection at column `parent` goes on over the following lines
  // indented deeper than `parent` (YAML's line folding: one line break reads as a space, each
  // empty line as a newline). `after` is where its text on the first line ended. Continuation
  // lines that hold a comment or a `:` indicator go to libyaml with the document.
  bool plain_scalar(const Scalar& first, const char* after, int parent) {
    const char* p = after;
    while (p < eol_ && *p == ' ') ++p;
    if (p < eol_) return emit(first) && finish_line(after);  // a comment ends it on this line
    const char* last_line = nullptr;  // the last continuation line read
    size_t lines = 0, last_lines = 0;  // lines past the first one: all seen, up to last_line
    size_t empty = 0;
    for (const char* line = eol_ < end_ ? eol_ + 1 : end_; line < end_;) {
      const char* e = static_cast<const char*>(std::memchr(line, '\n', end_ - line));
      if (!e) e = end_;
      ++lines;
      LineText text;
      PlainLine next = plain_continuation(line, e, parent, &text);
      if (next == PlainLine::Unsure) return false;
      if (next == PlainLine::End) break;
      if (next == PlainLine::Text) {
        if (!last_line) text_.assign(first.text, first.len);
        fold(&empty);
        text_.append(text.begin, text.end);
        last_line = line;
        last_lines = lines;
      } else {
        ++empty;
      }
      line = e < end_ ? e + 1 : end_;
    }
    if (!last_line) return emit(first) && finish_line(after);

    if (!emit_assembled(resolve_plain_scalar(text_), false, line_no_, column_of(first.mark))) return false;
    enter_line(last_line);
    line_no_ += static_cast<uint32_t>(last_lines);
    next_line();
    return skip_to_content();
  }

  // A line break inside a folded scalar: a space, or one newline per empty line before it.
  void fold(size_t* empty) {
    if (*empty == 0) text_ += ' ';
    else text_.append(*empty, '\n');
    *empty = 0;
  }

  // A scalar whose text was assembled in text_ (it differs from the source), copied to the arena.
  bool emit_assembled(NodeKind kind, bool quoted, uint32_t line, uint32_t column) {
    const char* copy = builder_->arena()->copy_text(text_.data(), text_.size());
    Node n = Node::scalar(kind, quoted, copy, static_cast<uint32_t>(text_.size()), line, column, builder_->file());
    return builder_->scalar(n, {}, &abort_);
  }

  // Whether the scalar that ended at `after` is a simple key: `: ` or `:` at the line's end.
  bool is_key(const Scalar& s, const char* after, const char** colon) const {
    while (after < eol_ && *after == ' ') ++after;
    if (after == eol_ || *after != ':' || (after + 1 < eol_ && after[1] != ' ')) return false;
    if (after - s.mark > kMaxKeySpan) return false;
    *colon = after;
    return true;
  }

  // What follows a mapping's `:` or a sequence's `-` (`indicator`) in a block collection at
  // column `col`: a node on the same line, a node indented below, an indentless sequence (a
  // mapping value only), or nothing — libyaml's empty scalar just past the indicator.
  bool entry_value(const char* indicator, int col, int depth, bool mapping_value) {
    const char* p = indicator + 1;
    while (p < eol_ && *p == ' ') ++p;
    // On the same line a mapping value cannot open a block collection (`a: b: c`, `a: - b`).
    if (p < eol_ && *p != '#') return node(p, col, depth + 1, !mapping_value);
    if (!no_carriage_return(p)) return false;
    uint32_t line = line_no_, after_indicator = column_of(indicator) + 1;
    next_line();
    if (!skip_to_content()) return false;
    if (look_ == Look::Content && indent_ > col) return node(content_, col, depth + 1, true);
    if (mapping_value && look_ == Look::Content && indent_ == col && is_entry(content_))
      return block_sequence(content_, true, depth + 1);
    return emit_empty(line, after_indicator);
  }

  bool block_mapping(const Scalar& first_key, const char* first_colon, int depth) {
    int col = static_cast<int>(first_key.mark - line_);
    if (!builder_->begin_container(NodeKind::Map, line_no_, column_of(first_key.mark), {}, &abort_)) return false;
    Scalar key = first_key;
    const char* colon = first_colon;
    while (true) {
      if (!emit(key) || !entry_value(colon, col, depth, true)) return false;
      if (look_ != Look::Content || indent_ < col) break;
      if (indent_ > col) return false;
      const char* after;
      if (!inline_scalar(content_, &key, &after) || !is_key(key, after, &colon)) return false;
    }
    return builder_->end_container(&abort_);
  }

  // `indentless`: the sequence is a mapping's value at the mapping's own column.
  bool block_sequence(const char* dash, bool indentless, int depth) {
    int col = static_cast<int>(dash - line_);
    if (!builder_->begin_container(NodeKind::Seq, line_no_, column_of(dash), {}, &abort_)) return false;
    while (true) {
      if (!entry_value(dash, col, depth, false)) return false;
      if (look_ != Look::Content || indent_ < col) break;
      if (indent_ > col) return false;
      if (is_entry(content_)) {
        dash = content_;
        continue;
      }
      if (indentless) break;
      return false;
    }
    return builder_->end_container(&abort_);
  }

  // A plain or quoted scalar that ends on this line (block context).
  bool inline_scalar(const char* p, Scalar* s, const char** after) const {
    if (*p == '"' || *p == '\'') return quoted_scalar(p, s, after);
    if (!plain_start(p)) return false;
    const char* q = p;
    const char* last = p;
    while (q < eol_) {
      char c = *q;
      if (c == ':' && (q + 1 == eol_ || q[1] == ' ')) break;
      if (c == ' ') {
        if (q + 1 < eol_ && q[1] == '#') break;
        ++q;
        continue;
      }
      if (c == '\t' || c == '\r') return false;
      last = ++q;
    }
    *s = {p, p, size_t(last - p), false};
    *after = last;
    return true;
  }

  // Only starts libyaml reads as a plain scalar in every context; indicators go to libyaml.
  bool plain_start(const char* p) const {
    switch (*p) {
      case '-':
        return p + 1 < eol_ && p[1] != ' ' && p[1] != '\t' && p[1] != '\r';
      case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#': case '&': case '*':
      case '!': case '|': case '>': case '\'': case '"': case '%': case '@': case '`': case ' ': case '\t':
      case '\r': case '\n':
        return false;
      default:
        return true;
    }
  }

  // A one-line quoted scalar without escapes (`\` in double quotes, `''` in single ones).
  bool quoted_scalar(const char* p, Scalar* s, const char** after) const {
    char quote = *p;
    const char* q = p + 1;
    while (q < eol_ && *q != quote) {
      if (*q == '\r' || (*q == '\\' && quote == '"')) return false;
      ++q;
    }
    if (q == eol_) return false;
    if (quote == '\'' && q + 1 < eol_ && q[1] == '\'') return false;
    *s = {p, p + 1, size_t(q - p - 1), true};
    *after = q + 1;
    return true;
  }

  // A quoted value that goes on over the next lines, or holds `''` or escapes: libyaml folds its
  // line breaks as in a plain scalar (one reads as a space, each empty line as a newline) and
  // drops the spaces around them; \n, \t, \r, \", \\, \/ and "\ " are unescaped. Other escapes,
  // tabs, CRs, lines not indented past `parent` and anything but a comment after the closing
  // quote go to libyaml with the document.
  bool folded_quoted_scalar(const char* open, int parent) {
    char quote = *open;
    uint32_t mark_line = line_no_;
    uint32_t mark_column = column_of(open);
    text_.clear();
    const char* p = open + 1;
    while (true) {
      const char* close = nullptr;
      if (!quoted_line_text(p, quote, &close)) return false;
      if (close) {
        p = close + 1;
        break;
      }
      if (eol_ == end_) return false;  // unclosed: libyaml's error
      next_line();
      if (!quoted_continuation(parent, &p)) return false;
    }
    const char* rest = p;
    while (rest < eol_ && *rest == ' ') ++rest;
    if (rest < eol_ && *rest == ':') return false;  // a multi-line key: libyaml's error
    return emit_assembled(NodeKind::String, true, mark_line, mark_column) && finish_line(p);
  }

  // Appends to text_ a quoted scalar's text on this line from p, unescaped: up to its closing
  // quote (`*close`), or to the line's end less its trailing spaces (`*close` null).
  bool quoted_line_text(const char* p, char quote, const char** close) {
    const char* end_of_text = p;  // trailing spaces before a line break are dropped
    for (const char* c = p; c < eol_; ++c) {
      if (*c == '\t' || *c == '\r') return false;
      if (*c == '\\' && quote == '"') {
        char unescaped = c + 1 < eol_ ? simple_escape(c[1]) : 0;
        if (!unescaped) return false;  // an escaped line break, \x, \u…: libyaml's to read
        text_.append(p, c);
        text_ += unescaped;
        ++c;  // past the escaped character; the loop steps past it
        p = end_of_text = c + 1;  // what an escape yields is text, never trimmed
        continue;
      }
      if (*c == quote) {
        if (quote == '\'' && c + 1 < eol_ && c[1] == '\'') {  // '' is one quote
          text_.append(p, c + 1);
          ++c;  // past the second; the loop steps past it
          p = end_of_text = c + 1;
          continue;
        }
        text_.append(p, c);
        *close = c;
        return true;
      }
      if (*c != ' ') end_of_text = c + 1;
    }
    text_.append(p, end_of_text);
    *close = nullptr;
    return true;
  }

  // From the line after a quoted scalar's line break: skips empty lines (a newline each, unless
  // the stream ends there) to the next line with text, which must be indented past `parent`;
  // `*p` is set to where that text starts.
  bool quoted_continuation(int parent, const char** p) {
    size_t empty = 0;
    while (true) {
      const char* q = line_;
      while (q < eol_ && *q == ' ') ++q;
      if (q != eol_) {
        if (q - line_ <= parent) return false;
        fold(&empty);
        *p = q;
        return true;
      }
      if (eol_ == end_) return false;
      ++empty;
      next_line();
    }
  }

  // A flow mapping or sequence that closes on this line; `*pp` moves past it.
  bool flow_collection(const char** pp, int depth) {
    if (depth > kMaxNesting) return false;
    const char* p = *pp;
    bool map = *p == '{';
    char close = map ? '}' : ']';
    if (!builder_->begin_container(map ? NodeKind::Map : NodeKind::Seq, line_no_, column_of(p), {}, &abort_))
      return false;
    ++p;
    skip_spaces(&p);
    bool closed = p < eol_ && *p == close;
    if (closed) ++p;
    while (!closed) {
      if (!flow_entry(&p, map, depth) || !flow_separator(&p, close, &closed)) return false;
    }
    if (!builder_->end_container(&abort_)) return false;
    *pp = p;
    return true;
  }

  // One entry of a flow collection: `key: value` in a mapping, a value in a sequence.
  bool flow_entry(const char** p, bool map, int depth) {
    if (map) {
      Scalar key;
      if (!flow_scalar(p, &key) || *p - key.mark > kMaxKeySpan) return false;
      skip_spaces(p);
      if (*p + 1 >= eol_ || (*p)[0] != ':' || (*p)[1] != ' ') return false;
      if (!emit(key)) return false;
      *p += 2;
      skip_spaces(p);
    }
    if (*p >= eol_) return false;
    if (**p == '{' || **p == '[') return flow_collection(p, depth + 1);
    Scalar value;
    return flow_scalar(p, &value) && emit(value);
  }

  // After a flow entry: the closing bracket (`*closed`), or a comma and the next entry's start.
  bool flow_separator(const char** p, char close, bool* closed) const {
    skip_spaces(p);
    if (*p >= eol_) return false;
    if (**p == close) {
      ++*p;
      *closed = true;
      return true;
    }
    if (**p != ',') return false;
    ++*p;
    skip_spaces(p);
    return *p < eol_ && **p != close;  // not a trailing comma
  }

  void skip_spaces(const char** p) const {
    while (*p < eol_ && **p == ' ') ++*p;
  }

  // A scalar inside a flow collection: quoted, or plain of unremarkable characters.
  bool flow_scalar(const char** pp, Scalar* s) const {
    const char* p = *pp;
    if (p >= eol_) return false;
    if (*p == '"' || *p == '\'') return quoted_scalar(p, s, pp);
    if (*p == '-' ? !(p + 1 < eol_ && (std::isalnum(static_cast<unsigned char>(p[1])) || p[1] == '-'))
                  : !plain_start(p))
      return false;
    const char* q = p;
    const char* last = p;
    while (q < eol_) {
      char c = *q;
      if (c == ',' || c == ']' || c == '}') break;
      if (c == ':') {
        if (q + 1 < eol_ && q[1] == ' ') break;
        return false;
      }
      if (c == '[' || c == '{' || c == '#' || c == '\t' || c == '\r') return false;
      ++q;
      if (c != ' ') last = q;
    }
    if (q == eol_) return false;
    *s = {p, p, size_t(last - p), false};
    *pp = last;
    return true;
  }

  // `|`, `|-`, `|+` with the indentation found from the first line. Its text differs from the
  // source (indentation removed), so it is copied into the arena.
  bool literal_scalar(const char* p, int parent) {
    uint32_t mark_line = line_no_;
    uint32_t mark_column = column_of(p);
    const char* q = p + 1;
    int chomp = 0;  // -1 strip, 0 clip, +1 keep
    if (q < eol_ && (*q == '-' || *q == '+')) chomp = *q++ == '-' ? -1 : 1;
    if (q < eol_ && *q != ' ') return false;  // an indentation indicator, or no space before a comment
    while (q < eol_ && *q == ' ') ++q;
    if (q < eol_ && (*q != '#' || !no_carriage_return(q))) return false;
    next_line();

    text_.clear();
    int indent = -1;
    bool pending_break = false;  // the line break after the last content line
    size_t empty_lines = 0;      // empty lines since
    while (line_ < end_) {
      const char* s = line_;
      while (s < eol_ && *s == ' ') ++s;
      int spaces = static_cast<int>(s - line_);
      bool blank = s == eol_;
      if (indent < 0) {
        // Leading empty lines change how libyaml finds the indentation: leave them to it.
        if (blank || *s == '\t' || spaces <= parent) return false;
        indent = spaces;
      }
      if (!blank && spaces < indent) break;
      if (blank && spaces <= indent) {
        if (eol_ == end_) {  // spaces at the very end: no line break, nothing to add
          next_line();
          break;
        }
        ++empty_lines;
        next_line();
        continue;
      }
      const char* from = line_ + indent;
      if (!no_carriage_return(from)) return false;
      if (pending_break) text_ += '\n';
      text_.append(empty_lines, '\n');
      empty_lines = 0;
      text_.append(from, eol_);
      pending_break = eol_ < end_;
      next_line();
    }
    if (indent < 0) return false;  // the stream ended first
    if (chomp != -1 && pending_break) text_ += '\n';
    if (chomp == 1) text_.append(empty_lines, '\n');

    return emit_assembled(NodeKind::String, true, mark_line, mark_column) && skip_to_content();
  }

  const char* base_;
  const char* begin_;
  const char* end_;
  TreeBuilder* builder_;
  uint32_t line_offset_;
  bool ascii_;

  const char* line_ = nullptr;  // start of the current line
  const char* eol_ = nullptr;   // its '\n', or end_
  uint32_t line_no_;            // 1-based, absolute

  Look look_ = Look::End;
  int indent_ = 0;
  const char* content_ = nullptr;

  std::string text_;  // a literal block or multi-line plain scalar being assembled
  Abort abort_;       // a builder limit reached: libyaml will report it
};

}  // namespace

BlockScanStop scan_block_documents(std::string_view content, size_t begin, size_t end, uint32_t line_offset,
                                   bool ascii, TreeBuilder* builder) {
  return BlockScanner(content, begin, end, line_offset, ascii, builder).run();
}

bool block_scannable(std::string_view content, bool ascii) {
  if (ascii) return true;
  for (std::string_view special : {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xEF\xBB\xBF"})
    if (content.find(special) != std::string_view::npos) return false;
  return true;
}

}  // namespace kmc::parser
