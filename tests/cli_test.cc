// The kmc binary end to end: exit codes, stdin, formats. Runs the real process.
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <array>
#include <cstdlib>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <filesystem>
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

TEST_CASE("kmc explain prints a rule's page", "[cli]") {
  Run r = run("explain storage/claim-unbound");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("# storage/claim-unbound", 0) == 0);
  CHECK(run("explain storage/nope").status == 2);
}

TEST_CASE("kmc check --only-files reports the named files of a whole-tree check", "[cli]") {
  // The Service's pods live in another file: checking the Service's file alone would be wrong,
  // checking the tree and reporting one file is right.
  Run all = run("check --no-color -q --fail-on info " + data("workload"));
  Run one = run("check --no-color -q --fail-on info " + data("workload") + " --only-files " + data("workload/selector-mismatch.yaml"));
  CHECK(all.out.find("overlapping-selectors") != std::string::npos);
  CHECK(one.out.find("overlapping-selectors") == std::string::npos);
  CHECK(one.out.find("selector-mismatch.yaml") != std::string::npos);
  CHECK(one.status == 1);
}

TEST_CASE("kmc check finds .kmc.yaml upwards and refuses a broken one", "[cli]") {
  std::string dir = std::string("/tmp/kmc-cli-config-") + std::to_string(::getpid());
  std::string setup = "mkdir -p " + dir + "/deploy && cp " + data("affinity/no-anti-affinity.yaml") + " " + dir + "/deploy/";
  REQUIRE(std::system(setup.c_str()) == 0);
  REQUIRE(std::system(("printf 'rules:\\n  disable: [affinity/no-anti-affinity]\\n' > " + dir + "/.kmc.yaml").c_str()) == 0);
  Run quiet = run("check --no-color --fail-on info --config " + dir + "/.kmc.yaml " + dir + "/deploy");
  CHECK(quiet.status == 0);
  REQUIRE(std::system(("cd " + dir + "/deploy && " + std::string(KMC_BINARY) + " check --fail-on info . > /dev/null").c_str()) == 0);
  Run loud = run("check --no-color --fail-on info --no-config " + dir + "/deploy");
  CHECK(loud.status == 1);
  REQUIRE(std::system(("printf 'rulez: []\\n' > " + dir + "/.kmc.yaml").c_str()) == 0);
  Run broken = run("check --config " + dir + "/.kmc.yaml " + dir + "/deploy");
  CHECK(broken.status == 2);
  CHECK(broken.out.find(".kmc.yaml:1:1: unknown key `rulez`") != std::string::npos);
}

TEST_CASE("kmc check --format sarif, github, junit", "[cli]") {
  Run sarif = run("check --format sarif " + data("workload/selector-mismatch.yaml"));
  CHECK(sarif.status == 1);
  CHECK(sarif.out.find("\"version\": \"2.1.0\"") != std::string::npos);
  Run gh = run("check --format github " + data("workload/selector-mismatch.yaml"));
  CHECK(gh.out.find("::error file=") != std::string::npos);
  Run junit = run("check --format junit " + data("workload/selector-mismatch.yaml"));
  CHECK(junit.out.find("<testsuites") != std::string::npos);
}

TEST_CASE("a directory symlink loop and an unreadable file: a diagnostic each, no hang", "[cli][inputs]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("kmc-cli-inputs-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "a");
  fs::copy_file(data("workload/selector-mismatch.yaml"), dir / "a" / "app.yaml");
  fs::create_directory_symlink("..", dir / "a" / "up");  // a/up/a/up/… forever, if followed

  Run loop = run("check --no-color --fail-on none " + dir.string());
  CHECK(loop.status == 0);
  CHECK(loop.out.find("from 1 file") != std::string::npos);  // the loop is not walked

  // A socket cannot be opened as a file, even by root (for whom chmod 000 changes nothing).
  fs::path socket_path = dir / "socket.yaml";
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  REQUIRE(socket_path.string().size() < sizeof addr.sun_path);
  std::strcpy(addr.sun_path, socket_path.c_str());
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  Run unreadable = run("check --no-color " + socket_path.string() + " " + (dir / "a" / "app.yaml").string());
  ::close(s);
  CHECK(unreadable.status == 2);
  CHECK(unreadable.out.find("cannot read '" + socket_path.string() + "'") != std::string::npos);
  CHECK(unreadable.out.find("error[workload/selector-mismatch]") != std::string::npos);  // the other file still checked
  fs::remove_all(dir);
}
