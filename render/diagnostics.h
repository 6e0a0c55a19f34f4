#pragma once
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <vector>

#include "checks/analysis.h"
#include "core/parallel.h"

namespace kmc::render {
using checks::Analysis;
using checks::Summary;

struct TextStyle {
  bool color = false;
  bool quiet = false;  // findings only: no source snippet, no summary line
};

// `file:line:col: severity[rule] message`, the source line with a caret under the column,
// related places as notes, the fix as a help line; then a summary line.
// Findings are rendered on the run's threads; the bytes are the same for any number.
void render_text(const Analysis& a, const TextStyle& style, std::ostream& out,
                 const Workers& workers = Workers::serial());

// The stable JSON format documented in docs/output.md; findings rendered on the run's threads,
// the bytes the same for any number.
void render_json(const Analysis& a, std::ostream& out, const Workers& workers = Workers::serial());

// SARIF 2.1.0: rule descriptors with their embedded pages, results with locations.
void render_sarif(const Analysis& a, std::ostream& out);
// A path as a SARIF artifact URI (relative reference, percent-encoded).
std::string sarif_uri(std::string_view path);

// GitHub Actions workflow commands (::error file=…::message), one per finding. GitHub places an
// annotation by its path in the repository: with `repository_root` (GITHUB_WORKSPACE) set, each
// path under it is given relative to it, whatever directory kmc ran in.
void render_github(const Analysis& a, std::ostream& out, const std::string& repository_root = {});

// JUnit XML, as Jenkins and GitLab read it: a <testsuite> per input file (with a `file`
// attribute); in it a <testcase> per finding, failed with one <failure> when the finding is at or
// above `failure_at` (Jenkins shows only a case's first failure), or one passed case for a file
// without findings. The counts are the cases'.
void render_junit(const Analysis& a, Severity failure_at, std::ostream& out);

// "3 errors, 1 warning in 12 objects from 4 files"
std::string summary_line(const Summary& s);
// The objects no schema checked, by kind ("12 objects unchecked for want of a schema (…)"), or "".
std::string unchecked_line(const Summary& s);

}  // namespace kmc::render
