// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's
// diff (`::error file=…,line=…,col=…,title=…::message`).
#include <filesystem>

#include "render/diagnostics.h"

namespace kmc::render {
using checks::Analysis;

namespace {

// Workflow-command escaping: data escapes %, CR and LF; properties also ':' and ','.
std::string escape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out += c;
    }
  }
  return out;
}

// `path` relative to `root` when it lies under it, else as it is.
std::string repository_path(const std::string& path, const std::string& root) {
  if (root.empty() || path.empty() || path.front() == '<') return path;
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
  std::filesystem::path relative = absolute.lexically_relative(std::filesystem::path(root).lexically_normal());
  if (ec || relative.empty() || *relative.begin() == "..") return path;
  return relative.string();
}

}  // namespace

void render_github(const Analysis& a, std::ostream& out, const std::string& root) {
  for (const Finding& f : a.findings) {
    std::string_view command = f.severity == Severity::Error ? "error" : f.severity == Severity::Warning ? "warning" : "notice";
    out << "::" << command;
    if (f.pos.valid() && f.pos.file < a.input.sources.size()) {
      out << " file=" << escape(repository_path(a.input.sources[f.pos.file].path, root), true) << ",line=" << f.pos.line
          << ",col=" << f.pos.column << ",";
    } else {
      out << " ";
    }
    out << "title=" << escape(f.rule, true) << "::" << escape(f.message, false);
    if (!f.fix.empty()) out << escape("\nhelp: " + std::string(f.fix), false);
    out << "\n";
  }
  out << "kmc: " << summary_line(a.summary) << "\n";
}

}  // namespace kmc::render
