// kmc's command line: parses arguments and wires parser → schema → checks → render.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "checks/analysis.h"
#include "checks/rule.h"
#include "parser/load.h"
#include "checks/apply_order.h"
#include "render/compile.h"
#include "render/diagnostics.h"

namespace {

struct CheckFlags {
  std::vector<std::string> paths;
  std::vector<std::string> context;
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

kmc::Analysis load_and_analyze(const CheckFlags& flags, const std::vector<std::string>& paths) {
  kmc::LoadOptions load;
  load.jobs = flags.jobs ? flags.jobs : std::max(1u, std::thread::hardware_concurrency());
  kmc::LoadResult input = kmc::load_inputs(paths, load);
  if (!flags.context.empty()) kmc::load_paths(&input, flags.context, load, true);
  kmc::AnalysisOptions options;
  options.model.default_namespace = flags.ns;
  return kmc::analyze(std::move(input), options);
}

int run_check(const CheckFlags& flags) {
  kmc::FailOn fail_on;
  if (!kmc::parse_fail_on(flags.fail_on, &fail_on)) {
    std::cerr << "kmc: --fail-on must be error, warning, info or none\n";
    return 2;
  }
  std::vector<std::string> paths = flags.paths.empty() ? std::vector<std::string>{"."} : flags.paths;
  kmc::Analysis analysis = load_and_analyze(flags, paths);
  const std::vector<std::string>& errors = analysis.input.errors;

  for (const std::string& e : errors) std::cerr << "kmc: error: " << e << "\n";
  if (flags.format == "json") {
    kmc::render_json(analysis, std::cout);
  } else {
    kmc::render_text(analysis, {use_color(flags.no_color), flags.quiet}, std::cout);
  }
  std::cout.flush();
  return kmc::exit_status(analysis.summary, fail_on, !errors.empty());
}

struct CompileFlags {
  CheckFlags input;
  std::string output_dir;
  bool explain = false;
};

int run_compile(const CompileFlags& flags) {
  std::vector<std::string> paths = flags.input.paths.empty() ? std::vector<std::string>{"."} : flags.input.paths;
  kmc::Analysis a = load_and_analyze(flags.input, paths);
  for (const std::string& e : a.input.errors) std::cerr << "kmc: error: " << e << "\n";
  if (!a.input.errors.empty()) return 2;
  // A document that could not be read cannot be copied into the stream: refuse, like a compiler.
  bool unreadable = false;
  for (const kmc::Finding& f : a.findings) unreadable |= f.rule.rfind("syntax/", 0) == 0;
  if (unreadable) {
    kmc::render_text(a, {false, true}, std::cerr);
    std::cerr << "kmc: the input has syntax errors; nothing compiled\n";
    return 1;
  }
  std::vector<kmc::Placement> order = kmc::safe_apply_order(a.model, a.topology);
  kmc::CompileOptions options;
  options.explain = flags.explain;
  if (flags.output_dir.empty()) {
    if (flags.explain)
      std::cout << "# kmc compile: a safe apply order. Stages: definitions, cluster storage, configuration, claims,\n"
                   "# services, workloads, the rest; input order within a stage. Every Service precedes every\n"
                   "# workload, so no pod starts before a Service it discovers by environment variables; a\n"
                   "# cycle cannot exist, because Services depend on nothing.\n";
    kmc::render_compiled_stream(a.input.sources, a.model, order, options, std::cout);
    return 0;
  }
  std::error_code ec;
  std::filesystem::create_directories(flags.output_dir, ec);
  if (ec) {
    std::cerr << "kmc: error: cannot create '" << flags.output_dir << "': " << ec.message() << "\n";
    return 2;
  }
  for (size_t i = 0; i < order.size(); ++i) {
    const kmc::Object& o = *order[i].object;
    std::string name = flags.output_dir + "/" + kmc::compiled_file_name(i + 1, o);
    std::ofstream file(name, std::ios::binary);
    kmc::render_compiled_stream(a.input.sources, a.model, {order[i]}, options, file);
    if (!file) {
      std::cerr << "kmc: error: cannot write '" << name << "'\n";
      return 2;
    }
  }
  std::cerr << fmt::format("kmc: wrote {} files to {}\n", order.size(), flags.output_dir);
  return 0;
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

  cmd_check->add_option("--context", check.context,
                        "objects already in the cluster (files or directories): linked against, never reported");

  CompileFlags compile;
  CLI::App* cmd_compile =
      app.add_subcommand("compile", "print the manifests as one YAML stream in a safe apply order");
  cmd_compile->add_option("paths", compile.input.paths, "files or directories (recursive); - reads standard input");
  cmd_compile->add_option("-o,--output", compile.output_dir, "write one numbered file per object into this directory");
  cmd_compile->add_flag("--explain", compile.explain, "say before each object why it sits where it does");
  cmd_compile->add_option("-n,--namespace", compile.input.ns, "namespace of objects that name none");
  cmd_compile->add_option("--context", compile.input.context, "objects already in the cluster");

  CLI::App* cmd_rules = app.add_subcommand("rules", "list every rule with its severity");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*cmd_check) return run_check(check);
  if (*cmd_compile) return run_compile(compile);
  if (*cmd_rules) return run_rules();
  return 2;
}
