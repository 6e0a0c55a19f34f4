// JUnit XML for CI systems that show test reports (Jenkins, GitLab): a test suite per input file,
// a test case per finding (failed when at or above the --fail-on threshold, with one <failure>,
// as Jenkins shows a case's first failure only), and one passed case for a file without findings.
#include <map>

#include "core/printable.h"
#include "render/diagnostics.h"

namespace kmc::render {
using checks::Analysis;

namespace {

// Text as XML 1.0 character data: markup characters escaped, the controls XML does not allow
// replaced by a space, and bytes that are not UTF-8 (which make the document unreadable) by U+FFFD.
std::string xml(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t') out += ' ';  // not allowed in XML 1.0
        else out += static_cast<char>(c);
    }
    ++i;
  }
  return out;
}

}  // namespace

void render_junit(const Analysis& a, Severity failure_at, std::ostream& out) {
  const SourceSet& sources = a.input.sources;
  // The findings of each file, in their order; files without findings too, so that a clean file
  // shows as a passed test. Findings about no file go under "(input)".
  std::map<std::string, std::vector<const Finding*>> by_file;
  for (const auto& f : sources.files)
    if (!f->context && !f->skipped) by_file[f->path];
  for (const Finding& f : a.findings)
    by_file[f.pos.valid() && f.pos.file < sources.size() ? sources[f.pos.file].path : std::string("(input)")].push_back(&f);
  size_t tests = 0, failures = 0;
  for (const auto& [file, findings] : by_file) {
    tests += findings.empty() ? 1 : findings.size();
    for (const Finding* f : findings) failures += f->severity >= failure_at;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"kmc check\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", tests, failures);
  for (const auto& [file, findings] : by_file) {
    size_t suite_failures = 0;
    for (const Finding* f : findings) suite_failures += f->severity >= failure_at;
    std::string path = xml(file);
    out << fmt::format("  <testsuite name=\"{}\" file=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
                       path, path, findings.empty() ? 1 : findings.size(), suite_failures);
    if (findings.empty())
      out << fmt::format("    <testcase classname=\"{}\" name=\"no findings\" file=\"{}\"/>\n", path, path);
    for (const Finding* f : findings) {
      std::string name = fmt::format("{} at line {}, column {}", f->rule, f->pos.line, f->pos.column);
      if (f->object)
        name = fmt::format("{} {}{}{}: {}", f->object->kind, f->object->ns, f->object->ns.empty() ? "" : "/",
                           f->object->name, name);
      std::string body = fmt::format("{}:{}:{}: {}[{}] {}{}", file, f->pos.line, f->pos.column, severity_name(f->severity),
                                     f->rule, f->message, f->fix.empty() ? "" : "\nhelp: " + std::string(f->fix));
      out << fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n", path, xml(name), path,
                         f->pos.line);
      if (f->severity >= failure_at)
        out << fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", xml(f->rule), xml(f->message),
                           xml(body));
      else
        out << "      <system-out>" << xml(body) << "</system-out>\n";
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace kmc::render
