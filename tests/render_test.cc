#include <sstream>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "render/diagnostics.h"
#include "support.h"

using namespace kmc;

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
        "deploy/web.yaml:12:9: note: the pod template's labels are here\n"
        "  help: make spec.selector select the labels in spec.template.metadata.labels (or add the label to the "
        "template)\n"
        "1 error in 1 object from 1 file\n");
}

TEST_CASE("text output: quiet drops snippets and summary; colour only when asked", "[render]") {
  Analysis a = test::analyze_text(kBroken, "web.yaml");
  std::ostringstream quiet, color;
  render_text(a, TextStyle{false, true}, quiet);
  CHECK(quiet.str().find(" | ") == std::string::npos);
  CHECK(quiet.str().find("1 error in") == std::string::npos);
  CHECK(quiet.str().find("\033[") == std::string::npos);
  render_text(a, TextStyle{true, false}, color);
  CHECK(color.str().find("\033[1;31merror") != std::string::npos);
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

TEST_CASE("exit status: 0 clean, 1 at or above --fail-on, 2 unreadable input", "[checks]") {
  Summary warn{1, 1, 1, 0, 1, 0};
  CHECK(exit_status(warn, FailOn::Warning, false) == 1);
  CHECK(exit_status(warn, FailOn::Error, false) == 0);
  CHECK(exit_status(warn, FailOn::None, false) == 0);
  CHECK(exit_status(Summary{1, 1, 1, 0, 0, 1}, FailOn::Info, false) == 1);
  CHECK(exit_status(Summary{}, FailOn::Warning, false) == 0);
  CHECK(exit_status(Summary{}, FailOn::Warning, true) == 2);
}
