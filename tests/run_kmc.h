#pragma once
// Runs the kmc binary (or any shell command line) as a user would, for the end-to-end tests.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

namespace kmc::test {

struct Run {
  int status;
  std::string out;  // stdout and stderr, joined
};

// Runs a shell command line, its stderr joined to its stdout.
inline Run run_shell(const std::string& command) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// `kmc ARGS`.
inline Run run(const std::string& args) { return run_shell(std::string(KMC_BINARY) + " " + args); }

// A shell command line run in `dir`.
inline Run run_in(const std::string& dir, const std::string& command) {
  return run_shell("cd '" + dir + "' && " + command);
}

}  // namespace kmc::test
