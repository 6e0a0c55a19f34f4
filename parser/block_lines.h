#pragma once

// Facts about single lines that the block scanner asks while folding multi-line scalars; pure
// functions of the characters, kept apart from the scanner's state.

#include <cstddef>

namespace kmc::parser {

// What a line after the first of a plain scalar is to it.
enum class PlainLine { Text, Empty, End, Unsure };
struct LineText {
  const char* begin = nullptr;
  const char* end = nullptr;
};

// The line [line, e) after a plain scalar in a block collection at column `parent`: more of
// its text (set in `text`, trailing spaces dropped), an empty line, its end (a dedent, the
// next entry or a comment line), or something libyaml must read (a tab, CR, `: ` or ` #`).
inline PlainLine plain_continuation(const char* line, const char* e, int parent, LineText* text) {
  const char* q = line;
  while (q < e && *q == ' ') ++q;
  if (q == e) return PlainLine::Empty;
  if (q - line <= parent || *q == '#') return PlainLine::End;
  const char* end_of_text = q;
  for (const char* c = q; c < e; ++c) {
    if (*c == '\t' || *c == '\r') return PlainLine::Unsure;
    if (*c == ':' && (c + 1 == e || c[1] == ' ')) return PlainLine::Unsure;
    if (*c == '#' && c[-1] == ' ') return PlainLine::Unsure;
    if (*c != ' ') end_of_text = c + 1;
  }
  *text = {q, end_of_text};
  return PlainLine::Text;
}

// The character a one-letter escape of a double-quoted scalar stands for, or 0 for the rest
// of YAML's escapes (\0, \x, \u, \N, \L…), which go to libyaml.
inline char simple_escape(char c) {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case '"': case '\\': case '/': case ' ': return c;
    default: return 0;
  }
}

}  // namespace kmc::parser
