// kmc's command line: parses arguments and wires parser → schema → checks → render.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "checks/analysis.h"
#include "checks/rule.h"
#include "parser/load.h"
#include "render/diagnostics.h"

namespace {

struct CheckFlags {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string fail_on = "warning";
  std::string ns = "default";
  unsigned jobs = 0;
  bool no_color = false;
  bool quiet = false;
};

bool use_color(bool no_color) {
  if (no_color) return false;
  const char* env = std::getenv("NO_COLOR");
  if (env && *env) return false;
  return isatty(STDOUT_FILENO);
}

int run_check(const CheckFlags& flags) {
  kmc::FailOn fail_on;
  if (!kmc::parse_fail_on(flags.fail_on, &fail_on)) {
    std::cerr << "kmc: --fail-on must be error, warning, info or none\n";
    return 2;
  }
  kmc::LoadOptions load;
  load.jobs = flags.jobs ? flags.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::string> paths = flags.paths.empty() ? std::vector<std::string>{"."} : flags.paths;
  kmc::LoadResult input = kmc::load_inputs(paths, load);
  std::vector<std::string> errors = input.errors;

  kmc::AnalysisOptions options;
  options.model.default_namespace = flags.ns;
  kmc::Analysis analysis = kmc::analyze(std::move(input), options);

  for (const std::string& e : errors) std::cerr << "kmc: error: " << e << "\n";
  if (flags.format == "json") {
    kmc::render_json(analysis, std::cout);
  } else {
    kmc::render_text(analysis, {use_color(flags.no_color), flags.quiet}, std::cout);
  }
  std::cout.flush();
  return kmc::exit_status(analysis.summary, fail_on, !errors.empty());
}

int run_rules() {
  for (const kmc::Rule& r : kmc::rule_table())
    std::cout << fmt::format("{:<40} {:<8} {}\n", r.id, kmc::severity_name(r.severity), r.summary);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kmc: a compiler and static analyzer for Kubernetes manifests"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kmc 0.1.0");

  CheckFlags check;
  CLI::App* cmd_check = app.add_subcommand("check", "check manifests (files, directories, - for stdin)");
  cmd_check->add_option("paths", check.paths, "files or directories (recursive); - reads standard input");
  cmd_check->add_option("--format", check.format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd_check->add_option("--fail-on", check.fail_on, "least severity that fails the run: error|warning|info|none")
      ->check(CLI::IsMember({"error", "warning", "info", "none"}));
  cmd_check->add_option("-n,--namespace", check.ns, "namespace of objects that name none");
  cmd_check->add_option("-j,--jobs", check.jobs, "files parsed in parallel (default: all cores)");
  cmd_check->add_flag("--no-color", check.no_color, "no colour (also: NO_COLOR set, or output not a terminal)");
  cmd_check->add_flag("-q,--quiet", check.quiet, "findings only: no source lines, notes or summary");

  CLI::App* cmd_rules = app.add_subcommand("rules", "list every rule with its severity");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*cmd_check) return run_check(check);
  if (*cmd_rules) return run_rules();
  return 2;
}
