// JUnit XML for CI systems that show test reports (Jenkins, GitLab): one test case per object
// (and per file, for findings about no object), a <failure> per finding at or above the
// --fail-on threshold; lesser findings go to the case's <system-out>.
#include <map>
#include <tuple>

#include "render/diagnostics.h"

namespace kmc {
namespace {

std::string xml(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
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
  }
  return out;
}

struct Case {
  std::string classname, name;
  std::vector<const Finding*> findings;
};

}  // namespace

void render_junit(const Analysis& a, Severity failure_at, std::ostream& out) {
  const SourceSet& sources = a.input.sources;
  auto path_of = [&](uint32_t file) { return file < sources.size() ? sources[file].path : std::string(); };
  // Every input object is a case, so a clean object shows as a passed test.
  std::map<std::tuple<std::string, std::string>, Case> cases;
  for (const Object& o : a.model.objects) {
    if (o.context) continue;
    std::string name = fmt::format("{} {}{}", o.kind(), o.ns.empty() ? "" : o.ns + "/", o.name());
    cases[{path_of(o.raw->file), name}] = {path_of(o.raw->file), name, {}};
  }
  for (const Finding& f : a.findings) {
    std::string file = f.pos.valid() ? path_of(f.pos.file) : std::string("(input)");
    std::string name = f.object ? fmt::format("{} {}{}{}", f.object->kind, f.object->ns, f.object->ns.empty() ? "" : "/", f.object->name)
                                : std::string("(file)");
    Case& c = cases[{file, name}];
    c.classname = file;
    c.name = name;
    c.findings.push_back(&f);
  }
  size_t failures = 0;
  for (const auto& [key, c] : cases)
    for (const Finding* f : c.findings) failures += f->severity >= failure_at;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"kmc\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", cases.size(), failures);
  out << fmt::format("  <testsuite name=\"kmc check\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n", cases.size(), failures);
  for (const auto& [key, c] : cases) {
    out << fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml(c.classname), xml(c.name));
    if (c.findings.empty()) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    std::string below;
    for (const Finding* f : c.findings) {
      std::string where = fmt::format("{}:{}:{}", c.classname, f->pos.line, f->pos.column);
      std::string body = fmt::format("{}: {}[{}] {}{}", where, severity_name(f->severity), f->rule, f->message,
                                     f->fix.empty() ? "" : "\nhelp: " + std::string(f->fix));
      if (f->severity >= failure_at)
        out << fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n", xml(f->rule), xml(f->message), xml(body));
      else
        below += body + "\n";
    }
    if (!below.empty()) out << "      <system-out>" << xml(below) << "</system-out>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace kmc
