// The kmc binary end to end: exit codes, stdin, formats. Runs the real process.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include "support.h"

namespace {

struct Run {
  int status;
  std::string out;
};

Run run(const std::string& args) {
  std::string cmd = std::string(KMC_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string data(const std::string& rel) { return kmc::test::source_dir() + "/testdata/" + rel; }

}  // namespace

TEST_CASE("kmc check exits 0 on clean input, 1 on findings, 2 on a missing path", "[cli]") {
  Run clean = run("check --no-color " + data("discovery/never-injected-near-miss.yaml"));
  CHECK(clean.status == 0);
  CHECK(clean.out.find("no findings in 3 objects from 1 file") != std::string::npos);

  Run bad = run("check --no-color " + data("workload/selector-mismatch.yaml"));
  CHECK(bad.status == 1);
  CHECK(bad.out.find("error[workload/selector-mismatch]") != std::string::npos);
  CHECK(run("check --fail-on none " + data("workload/selector-mismatch.yaml")).status == 0);

  Run missing = run("check /no/such/dir.yaml");
  CHECK(missing.status == 2);
  CHECK(missing.out.find("/no/such/dir.yaml") != std::string::npos);
}

TEST_CASE("kmc check reads standard input as <stdin>", "[cli]") {
  Run r = run("check --no-color - < " + data("workload/selector-mismatch.yaml"));
  CHECK(r.status == 1);
  CHECK(r.out.find("<stdin>:9:7: error[workload/selector-mismatch]") != std::string::npos);
}

TEST_CASE("kmc check --format json and usage errors", "[cli]") {
  Run r = run("check --format json " + data("syntax/not-an-object.yaml"));
  CHECK(r.status == 1);
  CHECK(r.out.find("\"rule\": \"syntax/not-an-object\"") != std::string::npos);
  CHECK(run("check --format yaml x").status == 2);
  CHECK(run("frobnicate").status == 2);
  Run rules = run("rules");
  CHECK(rules.status == 0);
  CHECK(rules.out.find("workload/selector-mismatch") != std::string::npos);
}
