// SARIF 2.1.0 (OASIS), the format code-scanning services (GitHub, GitLab, Azure DevOps) ingest:
// one run, a rule descriptor per rule of kmc, a result per finding with its physical location
// and related locations.
#include <filesystem>
#include <map>

#include <rapidjson/prettywriter.h>

#include "render/json_stream.h"

#include "core/rule_catalogue.h"
#include "render/diagnostics.h"
#include "render/rule_docs.h"

namespace kmc::render {
using checks::Analysis;

namespace {

using Writer = rapidjson::PrettyWriter<BufferedJsonStream>;

void str(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void text(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.StartObject();
  str(w, "text", value);
  w.EndObject();
}

std::string_view level(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "note";
  }
  return "none";
}

void location(Writer& w, const SourceSet& sources, Position p) {
  w.Key("physicalLocation");
  w.StartObject();
  w.Key("artifactLocation");
  w.StartObject();
  std::string_view path = p.valid() && p.file < sources.size() ? std::string_view(sources[p.file].path) : "";
  if (path.starts_with("/")) {
    str(w, "uri", "file://" + sarif_uri(path));
  } else {
    // Relative to the working directory (core/paths.h), which originalUriBaseIds names: code
    // scanning resolves %SRCROOT% to the checkout.
    str(w, "uri", sarif_uri(path));
    if (!path.empty() && !path.starts_with("<")) str(w, "uriBaseId", "%SRCROOT%");
  }
  w.EndObject();
  if (p.valid()) {
    w.Key("region");
    w.StartObject();
    w.Key("startLine");
    w.Uint(p.line);
    w.Key("startColumn");
    w.Uint(std::max<uint32_t>(1, p.column));
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

std::string sarif_uri(std::string_view path) {
  // A URI path (RFC 3986): forward slashes kept, anything outside the unreserved characters and
  // a path's sub-delimiters percent-encoded (spaces, '#', '%', '?', non-ASCII bytes). ':' is
  // encoded too: in a relative reference's first segment it reads as a scheme (`a:b.yaml`).
  while (path.starts_with("./")) path.remove_prefix(2);
  if (path.empty() || path.starts_with("<")) return "stdin";
  std::string out;
  for (unsigned char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("-._~/!$&'()*+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

void render_sarif(const Analysis& a, std::ostream& out) {
  BufferedJsonStream stream(out);
  Writer w(stream);
  w.SetIndent(' ', 2);
  const std::span<const RuleRow> rules = rule_catalogue();
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < rules.size(); ++i) index[rules[i].id] = i;

  w.StartObject();
  str(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  str(w, "version", "2.1.0");
  w.Key("runs");
  w.StartArray();
  w.StartObject();
  w.Key("tool");
  w.StartObject();
  w.Key("driver");
  w.StartObject();
  str(w, "name", "kmc");
  str(w, "version", KMC_VERSION);
  str(w, "informationUri", "https://kmc.dev");
  w.Key("rules");
  w.StartArray();
  for (const RuleRow& r : rules) {
    w.StartObject();
    str(w, "id", r.id);
    std::string name(r.id.substr(r.id.find('/') + 1));
    str(w, "name", name);
    text(w, "shortDescription", r.summary);
    std::string full = rule_description(r.id);
    text(w, "fullDescription", full.empty() ? std::string(r.summary) : full);
    str(w, "helpUri", fmt::format("https://kmc.dev/docs/rules/{}", r.id));
    w.Key("help");
    w.StartObject();
    std::string_view page = rule_doc(r.id);
    str(w, "text", page.empty() ? r.summary : page);
    str(w, "markdown", page.empty() ? r.summary : page);
    w.EndObject();
    w.Key("defaultConfiguration");
    w.StartObject();
    str(w, "level", level(r.severity));
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();  // driver
  w.EndObject();  // tool
  // A report is only printed when every input was read (cli/main.cc).
  w.Key("invocations");
  w.StartArray();
  w.StartObject();
  w.Key("executionSuccessful");
  w.Bool(true);
  w.EndObject();
  w.EndArray();
  w.Key("originalUriBaseIds");
  w.StartObject();
  w.Key("%SRCROOT%");
  w.StartObject();
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (!cwd.ends_with('/')) cwd += '/';
  str(w, "uri", "file://" + sarif_uri(cwd));
  w.EndObject();
  w.EndObject();
  w.Key("results");
  w.StartArray();
  for (const Finding& f : a.findings) {
    w.StartObject();
    str(w, "ruleId", f.rule);
    if (auto it = index.find(f.rule); it != index.end()) {
      w.Key("ruleIndex");
      w.Uint64(it->second);
    }
    str(w, "level", level(f.severity));
    text(w, "message", f.fix.empty() ? f.message : f.message + " Fix: " + std::string(f.fix));
    w.Key("locations");
    w.StartArray();
    w.StartObject();
    location(w, a.input.sources, f.pos);
    w.EndObject();
    w.EndArray();
    if (!f.related.empty()) {
      w.Key("relatedLocations");
      w.StartArray();
      for (size_t i = 0; i < f.related.size(); ++i) {
        w.StartObject();
        w.Key("id");
        w.Uint64(i + 1);
        location(w, a.input.sources, f.related[i].pos);
        text(w, "message", f.related[i].message);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();  // run
  w.EndArray();
  w.EndObject();
  stream.Flush();
  out << "\n";
}

}  // namespace kmc::render
