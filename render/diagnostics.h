#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "checks/analysis.h"

namespace kmc {

struct TextStyle {
  bool color = false;
  bool quiet = false;  // findings only: no source snippet, no summary line
};

// `file:line:col: severity[rule] message`, the source line with a caret under the column,
// related places as notes, the fix as a help line; then a summary line.
void render_text(const Analysis& a, const TextStyle& style, std::ostream& out);

// The stable JSON format documented in docs/output.md.
void render_json(const Analysis& a, std::ostream& out);

// "3 errors, 1 warning in 12 objects from 4 files"
std::string summary_line(const Summary& s);

}  // namespace kmc
