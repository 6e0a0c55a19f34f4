#include <algorithm>
#include <sstream>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include "checks/rule.h"
#include "render/diagnostics.h"
#include "render/json_stream.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;
using namespace kmc::render;

namespace {
const char* kBroken = R"Y(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: webapp
    spec:
      containers: [{name: web, image: nginx}]
)Y";
}

TEST_CASE("text output: location, severity, rule, message, source line, caret, notes, help, summary", "[render]") {
  Analysis a = test::analyze_text(kBroken, "deploy/web.yaml");
  std::ostringstream out;
  render_text(a, TextStyle{}, out);
  CHECK(out.str() ==
        "deploy/web.yaml:8:7: error[workload/selector-mismatch] Deployment \"web\" selects `app=web`, but its pod "
        "template has `app=webapp`; the API server rejects a Deployment whose selector does not match its own "
        "template's labels\n"
        " 8 |       app: web\n"
        "   |       ^\n"
        "deploy/web.yaml:12:14: note: the pod template's label `app` is set here\n"
        "  help: make spec.selector select the labels in spec.template.metadata.labels (or add the label to the "
        "template)\n"
        "1 error in 1 object from 1 file\n");
}

TEST_CASE("text output: quiet drops snippets and summary, colour only when asked", "[render]") {
  Analysis a = test::analyze_text(kBroken, "web.yaml");
  std::ostringstream quiet, color;
  render_text(a, TextStyle{false, true}, quiet);
  CHECK(quiet.str().find(" | ") == std::string::npos);
  CHECK(quiet.str().find("1 error in") == std::string::npos);
  CHECK(quiet.str().find("\033[") == std::string::npos);
  render_text(a, TextStyle{true, false}, color);
  CHECK(color.str().find("\033[1;31merror") != std::string::npos);
}

TEST_CASE("JSON output is the same bytes on any number of threads, at every piece boundary", "[render]") {
  // render_json renders findings in pieces of 256 on several threads, a window of one piece a
  // thread at a time, and joins them; the joins must be invisible: commas, indentation, the
  // empty list and the summary after it.
  Analysis a = test::analyze_text(std::string(kBroken) + "---\nkey: [unclosed\n", "dir/web.yaml");
  REQUIRE(a.findings.size() == 2);
  const std::vector<Finding> seeds = a.findings;  // one with an object and a note, one without
  for (size_t count : {0u, 1u, 255u, 256u, 257u, 512u, 513u, 768u, 1025u, 9001u}) {
    a.findings.clear();
    for (size_t i = 0; i < count; ++i) {
      Finding f = seeds[i % 2];
      f.pos.line = static_cast<uint32_t>(i + 1);
      f.message += i % 3 ? " \"quoted\"\n\ttabbed ✓" : "";  // escapes and UTF-8 in the pieces
      if (i % 5 == 0) f.related.clear();
      a.findings.push_back(std::move(f));
    }
    a.summary.errors = count;
    std::ostringstream one;
    render_json(a, one);
    for (unsigned jobs : {2u, 3u, 4u}) {
      std::ostringstream many;
      render_json(a, many, Workers(jobs));
      INFO(count << " findings, " << jobs << " jobs");
      CHECK(many.str() == one.str());
    }
    rapidjson::Document d;
    d.Parse(one.str().c_str());
    REQUIRE_FALSE(d.HasParseError());
    CHECK(d["findings"].Size() == count);
    CHECK(d["summary"]["errors"].GetUint64() == count);
  }
}

TEST_CASE("text output is the same bytes on any number of threads, in colour and quiet too", "[render]") {
  Analysis a = test::analyze_text(std::string(kBroken) + "---\nkey: [unclosed\n", "dir/web.yaml");
  const std::vector<Finding> seeds = a.findings;
  for (size_t count : {0u, 1u, 512u, 513u, 1024u, 1025u, 6000u}) {  // pieces of 512
    a.findings.clear();
    for (size_t i = 0; i < count; ++i) {
      Finding f = seeds[i % 2];
      f.message += " #" + std::to_string(i);
      if (i % 4 == 0) f.fix = {};
      a.findings.push_back(std::move(f));
    }
    for (TextStyle style : {TextStyle{}, TextStyle{true, false}, TextStyle{false, true}}) {
      std::ostringstream one;
      render_text(a, style, one);
      const std::string text = one.str();
      CHECK(std::count(text.begin(), text.end(), '#') == static_cast<long>(count));
      for (unsigned jobs : {2u, 3u}) {
        std::ostringstream many;
        render_text(a, style, many, Workers(jobs));
        INFO(count << " findings, " << jobs << " jobs, color " << style.color << ", quiet " << style.quiet);
        CHECK(many.str() == text);
      }
    }
  }
}

TEST_CASE("the JSON piece stream appends to its string, past any room it had", "[render]") {
  std::string text = "before|";
  const size_t json = 1 + 20000 * 13 - 1 + 1;  // [, each string and its comma but the last, ]
  {
    StringJsonStream stream(&text);
    rapidjson::Writer<StringJsonStream> w(stream);
    w.StartArray();
    for (int i = 0; i < 20000; ++i) w.String("0123456789");  // 260 KB: the room grows several times
    w.EndArray();  // the writer flushes at the end of its document
    CHECK(text.size() == 7 + json);
    stream.Put('!');  // and goes on after a flush
  }
  CHECK(text.substr(0, 10) == "before|[\"0");
  CHECK(text.substr(text.size() - 4) == "9\"]!");
  CHECK(text.size() == 7 + json + 1);
}

TEST_CASE("JSON output follows docs/output.md", "[render]") {
  Analysis a = test::analyze_text(std::string(kBroken) + "---\nkey: [unclosed\n", "dir/web.yaml");
  std::ostringstream out;
  render_json(a, out);
  rapidjson::Document d;
  d.Parse(out.str().c_str());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(d["version"].GetInt() == 1);
  const auto& findings = d["findings"];
  REQUIRE(findings.Size() == 2);
  const auto& f = findings[0];
  CHECK(std::string(f["rule"].GetString()) == "workload/selector-mismatch");
  CHECK(std::string(f["severity"].GetString()) == "error");
  CHECK(std::string(f["file"].GetString()) == "dir/web.yaml");
  CHECK(f["line"].GetInt() == 8);
  CHECK(f["column"].GetInt() == 7);
  CHECK(std::string(f["object"]["kind"].GetString()) == "Deployment");
  CHECK(std::string(f["object"]["namespace"].GetString()) == "default");
  CHECK(std::string(f["object"]["name"].GetString()) == "web");
  REQUIRE(f["related"].Size() == 1);
  CHECK(f["related"][0]["line"].GetInt() == 12);
  CHECK(findings[1]["object"].IsNull());
  CHECK(std::string(findings[1]["rule"].GetString()) == "syntax/yaml");
  const auto& s = d["summary"];
  CHECK(s["files"].GetInt() == 1);
  CHECK(s["documents"].GetInt() == 1);
  CHECK(s["objects"].GetInt() == 1);
  CHECK(s["errors"].GetInt() == 2);
  CHECK(s["warnings"].GetInt() == 0);
  CHECK(s["infos"].GetInt() == 0);
}

TEST_CASE("summary line pluralises like a person writes", "[render]") {
  Summary s;
  CHECK(summary_line(s) == "no findings in 0 objects from 0 files");
  s = {4, 12, 12, 3, 1, 0};
  CHECK(summary_line(s) == "3 errors, 1 warning in 12 objects from 4 files");
  s = {1, 1, 1, 0, 0, 2};
  CHECK(summary_line(s) == "2 infos in 1 object from 1 file");
}

template <class Run> std::string loc0_base(const Run& run) {
  return run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"].GetString();
}

// SARIF 2.1.0's required structure, checked property by property (the schema's required
// members, enums and formats that code-scanning uploads reject when wrong).
TEST_CASE("SARIF output follows the 2.1.0 structure", "[render]") {
  Analysis a = test::analyze_text(std::string(kBroken) + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n"
                                  "spec:\n  selector: {app: web}\n  ports: [{port: 80}]\n",
                                  "deploy dir/web#1.yaml");
  std::ostringstream out;
  render_sarif(a, out);
  rapidjson::Document d;
  d.Parse(out.str().c_str());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(std::string(d["version"].GetString()) == "2.1.0");
  CHECK(std::string(d["$schema"].GetString()).find("sarif-2.1.0") != std::string::npos);
  REQUIRE(d["runs"].Size() == 1);
  const auto& run = d["runs"][0];
  const auto& driver = run["tool"]["driver"];
  CHECK(std::string(driver["name"].GetString()) == "kmc");
  const auto& rules = driver["rules"];
  REQUIRE(rules.Size() == rule_table().size());
  auto valid_level = [](std::string_view l) { return l == "none" || l == "note" || l == "warning" || l == "error"; };
  for (const auto& r : rules.GetArray()) {
    INFO(r["id"].GetString());
    CHECK(std::string_view(r["shortDescription"]["text"].GetString()).size() > 0);
    CHECK(std::string_view(r["fullDescription"]["text"].GetString()).size() > 20);
    CHECK(std::string_view(r["helpUri"].GetString()).starts_with("https://"));
    CHECK(std::string_view(r["help"]["markdown"].GetString()).starts_with("# "));
    CHECK(valid_level(r["defaultConfiguration"]["level"].GetString()));
  }
  const auto& results = run["results"];
  REQUIRE(results.Size() == a.findings.size());
  REQUIRE(results.Size() >= 2);
  for (const auto& r : results.GetArray()) {
    size_t index = r["ruleIndex"].GetUint();
    REQUIRE(index < rules.Size());
    CHECK(std::string(rules[index]["id"].GetString()) == r["ruleId"].GetString());
    CHECK(valid_level(r["level"].GetString()));
    CHECK(std::string_view(r["message"]["text"].GetString()).size() > 0);
    const auto& loc = r["locations"][0]["physicalLocation"];
    CHECK(std::string(loc["artifactLocation"]["uri"].GetString()) == "deploy%20dir/web%231.yaml");
    CHECK(loc["region"]["startLine"].GetUint() >= 1);
    CHECK(loc["region"]["startColumn"].GetUint() >= 1);
    if (r.HasMember("relatedLocations"))
      for (const auto& rel : r["relatedLocations"].GetArray()) {
        CHECK(rel["id"].GetUint() >= 1);
        CHECK(rel["physicalLocation"]["region"]["startLine"].GetUint() >= 1);
      }
  }
  CHECK(sarif_uri("./a b/ü.yaml") == "a%20b/%C3%BC.yaml");
  CHECK(sarif_uri("a:b.yaml") == "a%3Ab.yaml");  // not a URI of scheme "a"
  CHECK(sarif_uri("") == "stdin");
  CHECK(sarif_uri("<stdin>") == "stdin");
  CHECK(loc0_base(run) == "%SRCROOT%");
  CHECK(std::string_view(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].GetString()).starts_with("file:///"));
  CHECK(run["invocations"][0]["executionSuccessful"].GetBool());
}

TEST_CASE("GitHub annotations escape what workflow commands treat specially", "[render]") {
  Analysis a = test::analyze_text(kBroken, "a,b:c.yaml");
  std::ostringstream out;
  render_github(a, out);
  std::string s = out.str();
  CHECK(s.rfind("::error file=a%2Cb%3Ac.yaml,line=8,col=7,title=workload/selector-mismatch::Deployment \"web\" selects", 0) == 0);
  CHECK(s.find("%0Ahelp: make spec.selector") != std::string::npos);
  CHECK(s.find("\nkmc: 1 error") != std::string::npos);
}

TEST_CASE("JUnit: a suite per file, a case per finding, one failure a case, counts that add up", "[render]") {
  Analysis a = test::analyze_text(std::string(kBroken) + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n");
  std::ostringstream out;
  render_junit(a, Severity::Warning, out);
  std::string s = out.str();
  auto count = [&](std::string_view what) {
    size_t n = 0;
    for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
  };
  // What Jenkins' and GitLab's readers rely on: the totals are the cases', a case fails once.
  size_t cases = count("<testcase "), failures = count("<failure ");
  CHECK(s.find(fmt::format("<testsuites name=\"kmc check\" tests=\"{}\" failures=\"{}\" errors=\"0\">", cases,
                           failures)) != std::string::npos);
  CHECK(s.find("<testsuite name=\"test.yaml\" file=\"test.yaml\" tests=\"" + std::to_string(cases) + "\"") !=
        std::string::npos);
  CHECK(failures >= 1);
  CHECK(failures <= cases);
  for (size_t at = s.find("<testcase "); at != std::string::npos; at = s.find("<testcase ", at + 1)) {
    size_t end = s.find("</testcase>", at);
    size_t next = s.find("<testcase ", at + 1);
    if (end == std::string::npos || (next != std::string::npos && next < end)) continue;  // self-closed
    std::string one = s.substr(at, end - at);
    CHECK(one.find("<failure ") == one.rfind("<failure "));
    CHECK(one.find(" file=\"test.yaml\" line=\"") != std::string::npos);
  }
  CHECK(s.find("<failure type=\"workload/selector-mismatch\" message=\"Deployment &quot;web&quot; selects") != std::string::npos);

  // A file without findings is one passed case.
  Analysis clean = test::analyze_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n", "ok.yaml");
  std::ostringstream clean_out;
  render_junit(clean, Severity::Warning, clean_out);
  CHECK(clean_out.str().find("<testcase classname=\"ok.yaml\" name=\"no findings\" file=\"ok.yaml\"/>") != std::string::npos);
  CHECK(clean_out.str().find("tests=\"1\" failures=\"0\"") != std::string::npos);

  // Bytes that are not UTF-8 would make the document unreadable: U+FFFD stands for them.
  Analysis bad = test::analyze_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n", "bad\xff.yaml");
  std::ostringstream bad_out;
  render_junit(bad, Severity::Warning, bad_out);
  CHECK(bad_out.str().find("bad\xEF\xBF\xBD.yaml") != std::string::npos);
  CHECK(bad_out.str().find('\xff') == std::string::npos);
}
