#pragma once
#include <map>
#include <string>

#include "lsp/text_document.h"
#include "parser/load.h"

namespace kmc::driver {
struct Run;
}

// A check's findings as the protocol's diagnostics, one JSON array per document, so that a
// server publishes just the documents whose diagnostics changed (a fix in one file clears a
// finding in another).
namespace kmc::lsp {

/// `file://` URI → the JSON array of its diagnostics, for each file with findings (--context
/// files excepted) and each file the errors of .kmc.yaml name (`path:line:col: message`). A file
/// absent has none: a server clears what it published for it.
using DiagnosticsByUri = std::map<std::string, std::string>;

/// `buffers`: the open documents' texts, which positions are counted in (a file's text is read
/// from disk otherwise, and only when one of its findings is not on an ASCII line).
DiagnosticsByUri diagnostics_of(const driver::Run& run, Encoding encoding, const parser::SourceBuffers& buffers);

/// Where a finding at 1-based `line` and code-point `column` is shown on its line's text: its
/// token (a key, a scalar, a quoted string), at least one character.
LspRange finding_range(std::string_view line_text, uint32_t line, uint32_t column, Encoding encoding);

/// The page of a rule (a diagnostic's codeDescription).
std::string rule_page_url(std::string_view rule);

}  // namespace kmc::lsp
