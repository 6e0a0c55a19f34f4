// One run as a value (driver/run.h): the settings it used, its messages in order, its findings
// and its exit status, as the command line and the language server read them.
#include <catch2/catch.hpp>

#include "core/paths.h"
#include "driver/run.h"
#include "support.h"

using namespace kmc;
using namespace kmc::parser;
using namespace kmc::schema;
using namespace kmc::checks;
using namespace kmc::driver;

namespace {

const char* const kService = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n";

bool has_message(const Run& r, RunMessage::Level level, std::string_view part) {
  for (const RunMessage& m : r.messages)
    if (m.level == level && m.text.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("exit status: 0 clean, 1 at or above --fail-on, 2 unreadable input", "[driver]") {
  Summary warn{1, 1, 1, 0, 1, 0};
  CHECK(exit_status(warn, FailOn::Warning, false) == 1);
  CHECK(exit_status(warn, FailOn::Error, false) == 0);
  CHECK(exit_status(warn, FailOn::None, false) == 0);
  CHECK(exit_status(Summary{1, 1, 1, 0, 0, 1}, FailOn::Info, false) == 1);
  CHECK(exit_status(Summary{}, FailOn::Warning, false) == 0);
  CHECK(exit_status(Summary{}, FailOn::Warning, true) == 2);
}

TEST_CASE("a run reads its paths, applies its settings and says its status", "[driver]") {
  test::TempDir dir("kmc-run");
  dir.write("deploy/web.yaml", kService);
  dir.write("deploy/notes.yaml", "title: not a manifest\n");
  RunOptions o;
  o.paths = {(dir.path / "deploy").string()};
  o.no_config = true;
  o.jobs = 2;
  SECTION("the findings and the default --fail-on") {
    Run r = run(o);
    CHECK_FALSE(r.failed);
    CHECK(r.workers.jobs() == 2);
    CHECK(r.tree == o.paths);
    REQUIRE(r.analysis.findings.size() == 1);
    CHECK(r.analysis.findings[0].rule == "service/no-matching-pods");
    CHECK(r.exit_status() == 1);
    CHECK(r.messages.empty());  // the skipped file is counted, not listed
    CHECK(r.analysis.summary.skipped == 1);
  }
  SECTION("--fail-on and -v") {
    o.fail_on = "error";
    o.list_skipped = true;
    Run r = run(o);
    CHECK(r.exit_status() == 0);
    CHECK(has_message(r, RunMessage::Note, "notes.yaml': not a Kubernetes manifest"));
  }
  SECTION("a bad --fail-on: no run") {
    o.fail_on = "fatal";
    Run r = run(o);
    CHECK(r.failed);
    CHECK(r.exit_status() == 2);
    CHECK(has_message(r, RunMessage::Error, "--fail-on must be"));
  }
  SECTION("a missing path: an input error") {
    o.paths.push_back((dir.path / "missing.yaml").string());
    Run r = run(o);
    CHECK(r.input_errors());
    CHECK(r.exit_status() == 2);
    CHECK(has_message(r, RunMessage::Error, "missing.yaml"));
  }
  SECTION("--max-findings lists fewer and counts all") {
    dir.write("deploy/api.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n"
                                 "  ports: [{port: 80}]\n");
    o.limits.total = 1;
    Run r = run(o);
    CHECK(r.analysis.findings.size() == 1);
    CHECK(r.analysis.summary.not_shown == 1);
  }
}

TEST_CASE("a run takes .kmc.yaml: its paths, its fail-on, a broken one is no run", "[driver]") {
  test::TempDir dir("kmc-run-config");
  dir.write("deploy/web.yaml", kService);
  dir.write(".kmc.yaml", "paths: [deploy]\nfail-on: none\n");
  RunOptions o;
  o.config_path = (dir.path / ".kmc.yaml").string();
  SECTION("settings") {
    Run r = run(o);
    CHECK_FALSE(r.failed);
    REQUIRE(r.tree.size() == 1);
    CHECK(r.tree[0].ends_with("deploy"));
    CHECK(r.analysis.findings.size() == 1);
    CHECK(r.exit_status() == 0);  // fail-on: none
  }
  SECTION("--only-files: the tree is the config's; a listed file outside it is a warning") {
    o.only_files = true;
    o.paths = {(dir.path / "deploy/web.yaml").string(), (dir.path / "elsewhere.yaml").string()};
    dir.write("elsewhere.yaml", kService);
    Run r = run(o);
    CHECK(r.analysis.findings.size() == 1);
    CHECK(has_message(r, RunMessage::Warning, "elsewhere.yaml' is not among the files checked"));
  }
  SECTION("errors of the file are details with positions, then one error") {
    dir.write(".kmc.yaml", "paths: [deploy]\nfail-of: none\n");
    Run r = run(o);
    CHECK(r.failed);
    CHECK(r.exit_status() == 2);
    REQUIRE(r.messages.size() >= 2);
    CHECK(r.messages.front().level == RunMessage::Detail);
    CHECK(r.messages.front().text.find(":2:") != std::string::npos);
    CHECK(r.messages.back().level == RunMessage::Error);
  }
}

TEST_CASE("a run of a directory reads open editor buffers in place of their files", "[driver]") {
  test::TempDir dir("kmc-run-buffers");
  dir.write("web.yaml", kService);
  dir.write(".kmc.yaml", "fail-on: error\n");
  RunOptions o;
  o.directory = dir.path.string();
  parser::SourceBuffers buffers;
  o.buffers = &buffers;
  Run before = run(o);
  CHECK(before.analysis.findings.size() == 1);  // the Service selects no pod
  CHECK(before.fail_on == FailOn::Error);       // the directory's .kmc.yaml
  // The buffer's text, not the disk's, and the buffer of .kmc.yaml (not yet saved) with it.
  buffers[absolute_path((dir.path / "web.yaml").string())] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
  buffers[absolute_path((dir.path / ".kmc.yaml").string())] = "fail-on: info\n";
  Run after = run(o);
  CHECK(after.analysis.findings.empty());
  CHECK(after.fail_on == FailOn::Info);
}

TEST_CASE("unreadable documents are syntax errors, not stale suppressions", "[driver]") {
  Finding f;
  f.rule = "syntax/yaml";
  CHECK(unreadable_document(f));
  f.rule = "syntax/unused-suppression";
  CHECK_FALSE(unreadable_document(f));
  f.rule = "syntax/bad-suppression";
  CHECK_FALSE(unreadable_document(f));
}
