// kmc's command line: parses arguments and wires parser → schema → checks → render.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "checks/analysis.h"
#include "checks/model_builder.h"
#include "checks/config.h"
#include "checks/rule.h"
#include "parser/load.h"
#include "checks/apply_order.h"
#include "render/compile.h"
#include "render/diagnostics.h"
#include "render/graph.h"
#include "render/graph_image.h"
#include "render/rule_docs.h"

namespace {

struct CheckFlags {
  std::vector<std::string> paths;
  std::vector<std::string> context;
  std::vector<std::string> only_files;
  std::string format = "text";
  std::string fail_on;  // empty: the config's, else warning
  std::string ns;       // empty: the config's, else default
  std::string config;   // empty: the nearest .kmc.yaml
  bool no_config = false;
  unsigned jobs = 0;
  bool no_color = false;
  bool quiet = false;
};

// -j: the threads of the whole run (loading, analysis and rendering); all cores by default.
unsigned check_jobs(const CheckFlags& flags) {
  return flags.jobs ? flags.jobs : std::max(1u, std::thread::hardware_concurrency());
}

// The project's .kmc.yaml (or --config), merged under the command line's flags. False after
// printing its errors.
bool read_config(const CheckFlags& flags, kmc::Config* config) {
  if (flags.no_config) return true;
  std::string path = flags.config.empty() ? kmc::find_config(".") : flags.config;
  if (path.empty()) return true;
  std::vector<std::string> errors;
  if (kmc::load_config(path, config, &errors)) return true;
  for (const std::string& e : errors) std::cerr << e << "\n";
  std::cerr << "kmc: error: the configuration " << path << " has errors\n";
  return false;
}

std::string normal_path(std::string_view p) {
  std::string s = std::filesystem::path(std::string(p)).lexically_normal().string();
  while (s.starts_with("./")) s.erase(0, 2);
  return s;
}

// --only-files: the whole tree is checked (cross-object rules need every object), and only
// findings in these files are reported (pre-commit passes the staged files).
void keep_only_files(kmc::Analysis* a, const std::vector<std::string>& files) {
  std::set<std::string> keep;
  for (const std::string& f : files) keep.insert(normal_path(f));
  std::erase_if(a->findings, [&](const kmc::Finding& f) {
    return !f.pos.valid() || f.pos.file >= a->input.sources.size() || !keep.count(normal_path(a->input.sources[f.pos.file].path));
  });
  a->summary = kmc::summarize(a->input, a->findings);
}

bool use_color(bool no_color) {
  if (no_color) return false;
  const char* env = std::getenv("NO_COLOR");
  if (env && *env) return false;
  return isatty(STDOUT_FILENO);
}

kmc::Analysis load_and_analyze(const CheckFlags& flags, const kmc::Config& config, bool keep_trees = false) {
  std::vector<std::string> paths = !flags.paths.empty() ? flags.paths : !config.paths.empty() ? config.paths : std::vector<std::string>{"."};
  kmc::AnalysisOptions options;
  options.model.default_namespace = !flags.ns.empty() ? flags.ns : config.ns.value_or("default");
  options.config = config;
  options.jobs = check_jobs(flags);
  options.keep_trees = keep_trees;
  kmc::LoadOptions load;
  load.jobs = options.jobs;
  load.exclude = config.exclude;
  // The model is built as the files are read, batch by batch (checks/model_builder.h).
  kmc::ModelBuilder builder(options);
  load.on_batch = [&](kmc::LoadResult& input, const kmc::LoadBatch& batch) { builder.add(input, batch); };
  kmc::LoadResult input = kmc::load_inputs(paths, load);
  std::vector<std::string> context = flags.context;
  context.insert(context.end(), config.context.begin(), config.context.end());
  if (!context.empty()) kmc::load_paths(&input, context, load, true);
  if (!config.cluster_manifests.empty())
    kmc::load_text(&input, config.path + " (cluster)", config.cluster_manifests, load, true);
  return kmc::analyze(std::move(input), options, &builder);
}

// What run_check leaves for the system to free at exit. Held here, it is still reachable: not a
// leak to valgrind or LeakSanitizer (volatile: a store the compiler may not drop).
kmc::Analysis* volatile left_for_exit = nullptr;

int run_check(const CheckFlags& flags) {
  kmc::Config config;
  if (!read_config(flags, &config)) return 2;
  kmc::FailOn fail_on;
  std::string fail_on_text = !flags.fail_on.empty() ? flags.fail_on : config.fail_on.value_or("warning");
  if (!kmc::parse_fail_on(fail_on_text, &fail_on)) {
    std::cerr << "kmc: --fail-on must be error, warning, info or none\n";
    return 2;
  }
  kmc::Analysis analysis = load_and_analyze(flags, config);
  if (!flags.only_files.empty()) keep_only_files(&analysis, flags.only_files);
  const std::vector<std::string>& errors = analysis.input.errors;

  for (const std::string& e : errors) std::cerr << "kmc: error: " << e << "\n";
  if (flags.format == "json") {
    kmc::render_json(analysis, std::cout, check_jobs(flags));
  } else if (flags.format == "sarif") {
    kmc::render_sarif(analysis, std::cout);
  } else if (flags.format == "github") {
    kmc::render_github(analysis, std::cout);
  } else if (flags.format == "junit") {
    kmc::Severity at = fail_on == kmc::FailOn::Info    ? kmc::Severity::Info
                       : fail_on == kmc::FailOn::Warning ? kmc::Severity::Warning
                                                         : kmc::Severity::Error;
    kmc::render_junit(analysis, at, std::cout);
  } else {
    kmc::render_text(analysis, {use_color(flags.no_color), flags.quiet}, std::cout, check_jobs(flags));
  }
  std::cout.flush();
  int status = kmc::exit_status(analysis.summary, fail_on, !errors.empty());
  // The process ends here, and the system takes its memory back at once: freeing the analysis
  // piece by piece (arenas, lists, strings) took 0.02 s of a 100 000-object run (bench/), as long
  // as sorting the findings. So it is left, as compilers leave their ASTs (clang's -disable-free).
  left_for_exit = new kmc::Analysis(std::move(analysis));
  return status;
}

struct CompileFlags {
  CheckFlags input;
  std::string output_dir;
  bool explain = false;
};

int run_compile(const CompileFlags& flags) {
  kmc::Config config;
  if (!read_config(flags.input, &config)) return 2;
  kmc::Analysis a = load_and_analyze(flags.input, config, /*keep_trees=*/true);  // documents are copied out
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

struct GraphFlags {
  CheckFlags input;
  std::string format = "dot";
  std::string output;
  bool expand = false;
};

int run_graph(const GraphFlags& flags) {
  kmc::Config config;
  if (!read_config(flags.input, &config)) return 2;
  kmc::Analysis a = load_and_analyze(flags.input, config);
  for (const std::string& e : a.input.errors) std::cerr << "kmc: error: " << e << "\n";
  if (!a.input.errors.empty()) return 2;
  kmc::Graph g = kmc::build_graph(a, {flags.expand});
  std::ostringstream text;
  if (flags.format == "mermaid") kmc::render_mermaid(g, text);
  else if (flags.format == "json") kmc::render_graph_json(g, text);
  else kmc::render_dot(g, text);
  if (flags.output.empty()) {
    std::cout << text.str();
    return 0;
  }
  bool image = flags.output.ends_with(".svg") || flags.output.ends_with(".png");
  if (image) {
    std::ostringstream dot;
    kmc::render_dot(g, dot);
    std::string error;
    if (!kmc::render_image(dot.str(), flags.output, &error)) {
      std::cerr << "kmc: " << error << "\n";
      return 2;
    }
    return 0;
  }
  std::ofstream file(flags.output, std::ios::binary);
  file << text.str();
  if (!file) {
    std::cerr << "kmc: error: cannot write '" << flags.output << "'\n";
    return 2;
  }
  return 0;
}

int run_explain(const std::string& id) {
  std::string_view page = kmc::rule_doc(id);
  if (page.empty()) {
    std::cerr << "kmc: no rule named '" << id << "'; `kmc rules` lists them\n";
    return 2;
  }
  std::cout << page;
  return 0;
}

int run_rules() {
  for (const kmc::Rule& r : kmc::rule_table())
    std::cout << fmt::format("{:<40} {:<8} {}\n", r.id, kmc::severity_name(r.severity), r.summary);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // kmc writes through std::cout only: no need for C stdio synchronisation (which makes every
  // character a putc call).
  std::ios::sync_with_stdio(false);
  CLI::App app{"kmc: a compiler and static analyzer for Kubernetes manifests"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kmc 0.1.0");

  CheckFlags check;
  CLI::App* cmd_check = app.add_subcommand("check", "check manifests (files, directories, - for stdin)");
  cmd_check->add_option("paths", check.paths, "files or directories (recursive); - reads standard input");
  cmd_check->add_option("--format", check.format, "output format: text, json, sarif, github, junit")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "junit"}));
  cmd_check->add_option("--fail-on", check.fail_on, "least severity that fails the run: error|warning|info|none (default warning)")
      ->check(CLI::IsMember({"error", "warning", "info", "none"}));
  cmd_check->add_option("-n,--namespace", check.ns, "namespace of objects that name none");
  cmd_check->add_option("-j,--jobs", check.jobs, "threads for parsing, validation, linking and rules (default: all cores)");
  cmd_check->add_flag("--no-color", check.no_color, "no colour (also: NO_COLOR set, or output not a terminal)");
  cmd_check->add_flag("-q,--quiet", check.quiet, "findings only: no source lines, notes or summary");

  cmd_check->add_option("--context", check.context,
                        "objects already in the cluster (files or directories): linked against, never reported");
  cmd_check->add_option("--config", check.config, "settings file (default: the nearest .kmc.yaml upwards)");
  cmd_check->add_flag("--no-config", check.no_config, "ignore .kmc.yaml");
  cmd_check->add_option("--only-files", check.only_files,
                        "check everything, report only findings in these files (pre-commit passes staged files)");

  CompileFlags compile;
  CLI::App* cmd_compile =
      app.add_subcommand("compile", "print the manifests as one YAML stream in a safe apply order");
  cmd_compile->add_option("paths", compile.input.paths, "files or directories (recursive); - reads standard input");
  cmd_compile->add_option("-o,--output", compile.output_dir, "write one numbered file per object into this directory");
  cmd_compile->add_flag("--explain", compile.explain, "say before each object why it sits where it does");
  cmd_compile->add_option("-n,--namespace", compile.input.ns, "namespace of objects that name none");
  cmd_compile->add_option("--context", compile.input.context, "objects already in the cluster");

  GraphFlags graph;
  CLI::App* cmd_graph = app.add_subcommand("graph", "draw the resolved topology (Graphviz dot, Mermaid, JSON)");
  cmd_graph->add_option("paths", graph.input.paths, "files or directories (recursive); - reads standard input");
  cmd_graph->add_option("--format", graph.format, "dot (default), mermaid or json")->check(CLI::IsMember({"dot", "mermaid", "json"}));
  cmd_graph->add_option("-o,--output", graph.output, "write to FILE; .svg or .png renders the picture (Graphviz)");
  cmd_graph->add_flag("--expand", graph.expand, "draw each StatefulSet pod and claim with its DNS name");
  cmd_graph->add_option("-n,--namespace", graph.input.ns, "namespace of objects that name none");
  cmd_graph->add_option("--context", graph.input.context, "objects already in the cluster");
  cmd_graph->add_option("--config", graph.input.config, "settings file (default: the nearest .kmc.yaml)");

  CLI::App* cmd_rules = app.add_subcommand("rules", "list every rule with its severity");
  std::string explain_id;
  CLI::App* cmd_explain = app.add_subcommand("explain", "print a rule's page: what it catches, why, how to fix it");
  cmd_explain->add_option("rule", explain_id, "a rule id, e.g. service/no-matching-pods")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*cmd_check) return run_check(check);
  if (*cmd_compile) return run_compile(compile);
  if (*cmd_rules) return run_rules();
  if (*cmd_graph) return run_graph(graph);
  if (*cmd_explain) return run_explain(explain_id);
  return 2;
}
