// kmc's command line: parses arguments and wires parser → schema → checks → render.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "checks/analysis.h"
#include "checks/apply_order.h"
#include "core/rule_catalogue.h"
#include "cli/manual.h"
#include "core/parallel.h"
#include "core/paths.h"
#include "core/printable.h"
#include "core/spelling.h"
#include "driver/run.h"
#include "lsp/server.h"
#include "driver/views.h"
#include "parser/load.h"
#include "render/compile.h"
#include "render/diagnostics.h"
#include "render/graph.h"
#include "render/graph_image.h"
#include "render/output_dir.h"
#include "schema/api_schema.h"
#include "render/rule_docs.h"

namespace {

struct CheckFlags {
  std::vector<std::string> paths;
  std::vector<std::string> context;
  std::vector<std::string> crds;
  bool only_files = false;  // the paths are the files to report on; the tree is the config's
  std::string format = "text";
  std::string fail_on;  // empty: the config's, else warning
  std::string ns;       // empty: the config's, else default
  std::string kubernetes_version;  // empty: the config's, else the newest embedded release
  std::string upgrade_to;
  std::string config;   // empty: the nearest .kmc.yaml
  bool no_config = false;
  unsigned jobs = 0;
  std::string color = "auto";
  bool no_color = false;
  bool quiet = false;
  bool verbose = false;
  kmc::FindingLimits limits;  // --max-findings, --max-findings-per-file
};

// What kmc says on stderr: its own words, and any text of the input in them made printable (a
// file name can hold escape sequences too).
void say(std::string_view level, std::string_view text) {
  std::cerr << "kmc: " << level << ": " << kmc::printable(text) << "\n";
}

// The end of every report on standard output: a write that failed (a full disk, /dev/full, a
// closed pipe) is an error, never a report that looks complete.
bool finish_stdout() {
  errno = 0;
  std::cout.flush();
  if (std::cout) return true;
  say("error", fmt::format("cannot write the output: {}", errno ? std::strerror(errno) : "write error"));
  return false;
}

bool use_color(const CheckFlags& flags) {
  if (flags.no_color || flags.color == "never") return false;
  if (flags.color == "always") return true;
  const char* env = std::getenv("NO_COLOR");
  if (env && *env) return false;
  return isatty(STDOUT_FILENO);
}

// The run the flags ask for (driver/run.h).
kmc::driver::RunOptions run_options(const CheckFlags& flags) {
  kmc::driver::RunOptions o;
  o.paths = flags.paths;
  o.context = flags.context;
  o.crds = flags.crds;
  o.only_files = flags.only_files;
  o.ns = flags.ns;
  o.fail_on = flags.fail_on;
  o.kubernetes_version = flags.kubernetes_version;
  o.upgrade_to = flags.upgrade_to;
  o.config_path = flags.config;
  o.no_config = flags.no_config;
  o.jobs = flags.jobs;
  o.limits = flags.limits;
  o.list_skipped = flags.verbose;
  return o;
}

// What the run has to say besides its findings, on stderr.
void tell(const kmc::driver::Run& run) {
  for (const kmc::driver::RunMessage& m : run.messages) {
    switch (m.level) {
      case kmc::driver::RunMessage::Error: say("error", m.text); break;
      case kmc::driver::RunMessage::Warning: say("warning", m.text); break;
      case kmc::driver::RunMessage::Note: say("note", m.text); break;
      case kmc::driver::RunMessage::Detail: std::cerr << kmc::printable(m.text) << "\n"; break;
    }
  }
}

int run_check(const CheckFlags& flags) {
  kmc::driver::Run run = kmc::driver::run(run_options(flags));
  tell(run);
  if (run.failed) return 2;
  kmc::checks::Analysis& analysis = run.analysis;
  // A report of a run that could not read its input would look complete: machine formats print
  // none, and the text format shows what it found with the errors above it.
  if (run.input_errors() && (flags.format != "text" || analysis.findings.empty())) return 2;
  if (flags.format == "json") {
    kmc::render::render_json(analysis, std::cout, run.workers);
  } else if (flags.format == "sarif") {
    kmc::render::render_sarif(analysis, std::cout);
  } else if (flags.format == "github") {
    // In GitHub Actions, annotations are placed by the path in the repository.
    const char* workspace = std::getenv("GITHUB_WORKSPACE");
    kmc::render::render_github(analysis, std::cout, workspace ? workspace : "");
  } else if (flags.format == "junit") {
    kmc::Severity at = run.fail_on == kmc::driver::FailOn::Info    ? kmc::Severity::Info
                       : run.fail_on == kmc::driver::FailOn::Warning ? kmc::Severity::Warning
                                                             : kmc::Severity::Error;
    kmc::render::render_junit(analysis, at, std::cout);
  } else {
    kmc::render::render_text(analysis, {use_color(flags), flags.quiet}, std::cout, run.workers);
  }
  if (!finish_stdout()) return 2;
  const int status = run.exit_status();
  // The process ends here, and the system takes its memory back at once: freeing the analysis
  // piece by piece costs as long as sorting its findings (docs/performance.md). So the process
  // exits without unwinding this frame, as compilers leave their ASTs (clang's -disable-free):
  // the run stays on the stack, reachable, not a leak to valgrind or LeakSanitizer. Its threads
  // end first (a serial Workers in their place).
  run.workers = kmc::Workers();
  std::exit(status);
}

struct CompileFlags {
  CheckFlags input;
  std::string output_dir;
  bool explain = false;
  bool force = false;
};

// `compile -o DIR`: one file per object, each written whole or not at all (render/output_dir.h).
int write_compiled_files(const kmc::checks::Analysis& a, const std::vector<kmc::checks::Placement>& order,
                         const kmc::render::CompileOptions& options, const CompileFlags& flags) {
  kmc::render::OutputDirectory dir;
  std::string error;
  if (!dir.open(flags.output_dir, flags.force, &error)) {
    say("error", error);
    return 2;
  }
  for (size_t i = 0; i < order.size(); ++i) {
    std::ostringstream text;
    kmc::render::render_compiled_stream(a.input.sources, a.model, {order[i]}, options, text);
    if (!dir.write(kmc::render::compiled_file_name(i + 1, *order[i].object), text.str(), &error)) {
      say("error", error);
      std::string ignored;
      dir.finish(&ignored);  // what was written is listed, for --force to remove
      return 2;
    }
  }
  if (!dir.finish(&error)) {
    say("error", error);
    return 2;
  }
  std::cerr << fmt::format("kmc: wrote {} files to {}\n", order.size(), kmc::printable(flags.output_dir));
  return 0;
}

int run_compile(const CompileFlags& flags) {
  kmc::driver::RunOptions run_with = run_options(flags.input);
  run_with.keep_trees = true;  // documents are copied out
  run_with.list_skipped = false;
  kmc::driver::Run run = kmc::driver::run(run_with);
  tell(run);
  if (run.failed || run.input_errors()) return 2;
  const kmc::checks::Analysis& a = run.analysis;
  // A document that could not be read cannot be copied into the stream: refuse, like a compiler.
  if (run.unreadable_documents()) {
    kmc::render::render_text(a, {false, true}, std::cerr);
    say("error", "the input has syntax errors; nothing compiled");
    return 1;
  }
  kmc::render::CompileOptions options;
  options.explain = flags.explain;
  // Each view in its own safe order. With kustomization roots rendered, what they build (a
  // `kustomize build` of each, in turn); without, the files.
  std::vector<kmc::checks::Placement> order;
  for (size_t i : kmc::driver::views_to_show(a, run_with.paths)) {
    const kmc::schema::Model& model = i == 0 ? a.model : a.views[i]->model;
    const kmc::checks::Topology& topology = i == 0 ? a.topology : a.views[i]->topology;
    std::vector<kmc::checks::Placement> more = kmc::checks::safe_apply_order(model, topology);
    order.insert(order.end(), more.begin(), more.end());
  }
  if (!flags.output_dir.empty()) return write_compiled_files(a, order, options, flags);
  // One stream, written as it is made; a failed write is reported at its end, so a deploy step
  // never applies a stream cut short without an error.
  if (flags.explain)
    std::cout << "# kmc compile: a safe apply order. Stages: definitions, cluster storage, configuration, claims,\n"
                 "# services, workloads, the rest; input order within a stage. Every Service precedes every\n"
                 "# workload, so no pod starts before a Service it discovers by environment variables; a\n"
                 "# cycle cannot exist, because Services depend on nothing.\n";
  kmc::render::render_compiled_stream(a.input.sources, a.model, order, options, std::cout);
  return finish_stdout() ? 0 : 2;
}

struct GraphFlags {
  CheckFlags input;
  std::string format;  // empty: from -o's extension, else dot
  std::string output;
  bool expand = false;
};

// The format `graph -o FILE` writes, from the file's extension; empty when none fits.
std::string format_of(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".dot" || ext == ".gv") return "dot";
  if (ext == ".mmd" || ext == ".mermaid") return "mermaid";
  if (ext == ".json") return "json";
  if (ext == ".svg" || ext == ".png" || ext == ".pdf") return ext.substr(1);
  return {};
}

int run_graph(const GraphFlags& flags) {
  std::string format = flags.format;
  if (!flags.output.empty()) {
    std::string from_name = format_of(flags.output);
    if (from_name.empty()) {
      say("error", fmt::format("cannot tell what to write to '{}' from its extension: use .svg, .png, .pdf, .dot, "
                               ".gv, .mmd or .json",
                               flags.output));
      return 2;
    }
    bool image = from_name == "svg" || from_name == "png" || from_name == "pdf";
    if (!format.empty() && format != from_name && !(image && format == "dot")) {
      say("error", fmt::format("--format {} does not match the extension of '{}'", format, flags.output));
      return 2;
    }
    format = from_name;
  }
  if (format.empty()) format = "dot";
  kmc::driver::RunOptions run_with = run_options(flags.input);
  run_with.list_skipped = false;
  kmc::driver::Run run = kmc::driver::run(run_with);
  tell(run);
  if (run.failed || run.input_errors()) return 2;
  kmc::checks::Analysis& a = run.analysis;
  // A document that could not be read is missing from the picture: say so, draw the rest, fail.
  const bool incomplete = run.unreadable_documents();
  if (incomplete) {
    std::vector<kmc::Finding> all = std::move(a.findings);
    for (kmc::Finding& f : all)
      if (kmc::driver::unreadable_document(f)) a.findings.push_back(f);
    kmc::render::render_text(a, {false, true}, std::cerr);
    a.findings = std::move(all);
    say("error", "the input has syntax errors; the graph lacks the documents that could not be read");
  }
  const int status = incomplete ? 1 : 0;
  kmc::render::Graph g = kmc::render::build_graph(a, {flags.expand});
  if (format == "svg" || format == "png" || format == "pdf") {
    std::ostringstream dot;
    kmc::render::render_dot(g, dot);
    std::string error;
    if (!kmc::render::render_image(dot.str(), flags.output, &error)) {
      say("error", error);
      return 2;
    }
    return status;
  }
  std::ostringstream text;
  if (format == "mermaid") kmc::render::render_mermaid(g, text);
  else if (format == "json") kmc::render::render_graph_json(g, text);
  else kmc::render::render_dot(g, text);
  if (flags.output.empty()) {
    std::cout << text.str();
    return finish_stdout() ? status : 2;
  }
  std::string error;
  if (!kmc::render::write_whole_file(flags.output, text.str(), &error)) {
    say("error", error);
    return 2;
  }
  return status;
}

int run_explain(const std::string& id) {
  std::string_view page = kmc::render::rule_doc(id);
  if (page.empty()) {
    std::vector<std::string_view> ids;  // rules only: a family has no page
    for (const kmc::RuleRow& r : kmc::rule_catalogue()) ids.push_back(r.id);
    std::string_view guess = kmc::closest(id, ids);
    say("error", fmt::format("no rule named '{}'{}; `kmc rules` lists them", id,
                             guess.empty() ? std::string() : fmt::format(" (did you mean {}?)", guess)));
    return 2;
  }
  std::cout << page;
  return finish_stdout() ? 0 : 2;
}

int run_rules() {
  for (const kmc::RuleRow& r : kmc::rule_catalogue())
    std::cout << fmt::format("{:<40} {:<8} {}{}\n", r.id, kmc::severity_name(r.severity), r.summary,
                             r.off_by_default ? " (enable: rules: {enable: [" + std::string(r.family()) + "]})" : "");
  return finish_stdout() ? 0 : 2;
}

// An option that names a path takes exactly one: `--context a.yaml deploy/` must not take
// `deploy/` as a second context path (repeat the option, or write `--context=a.yaml`).
CLI::Option* one_path_each(CLI::Option* option) { return option->allow_extra_args(false); }

// The input options every command shares.
void add_input_options(CLI::App* cmd, CheckFlags* flags) {
  cmd->add_option("paths", flags->paths, "files or directories (recursive); - reads standard input")->type_name("PATH");
  cmd->add_option("-n,--namespace", flags->ns, "namespace of objects that name none")->type_name("NAMESPACE");
  one_path_each(cmd->add_option("--context", flags->context,
                                "objects already in the cluster (a file or directory; repeat for more): linked "
                                "against, never reported")
                    ->type_name("PATH"));
  one_path_each(cmd->add_option("--crds", flags->crds,
                                "CustomResourceDefinitions (YAML) or a kubeconform catalogue of JSON Schemas "
                                "({group}/{kind}_{version}.json) to validate custom resources against; schemas only, "
                                "never checked or linked (repeat for more)")
                    ->type_name("PATH"));
  cmd->add_option("--kubernetes-version", flags->kubernetes_version,
                  fmt::format("the Kubernetes release to check against: {} (default {})", kmc::api::release_range(),
                              kmc::api::embedded_schema().release))
      ->type_name("X.Y");
  cmd->add_option("--upgrade-to", flags->upgrade_to,
                  "also report what an upgrade to this later release breaks: APIs it removed, fields it dropped")
      ->type_name("X.Y");
  cmd->add_option("--config", flags->config, "settings file (default: the nearest .kmc.yaml upwards)")->type_name("FILE");
  cmd->add_flag("--no-config", flags->no_config, "ignore .kmc.yaml");
  cmd->add_option("-j,--jobs", flags->jobs,
                  fmt::format("threads for parsing, validation, linking and rules (default: all cores; at most {} per "
                              "core, or 8)",
                              kmc::kJobsPerCore))
      ->type_name("N");
}

}  // namespace

int main(int argc, char** argv) {
  // kmc writes through std::cout only: no need for C stdio synchronisation (which makes every
  // character a putc call).
  std::ios::sync_with_stdio(false);
  CLI::App app{"kmc: a compiler and static analyzer for Kubernetes manifests"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("kmc ") + KMC_VERSION + " (commit " + KMC_COMMIT + ")");

  CheckFlags check;
  CLI::App* cmd_check = app.add_subcommand("check", "check manifests (files, directories, - for stdin)");
  add_input_options(cmd_check, &check);
  cmd_check->add_option("--format", check.format, "output format: text, json, sarif, github, junit")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "junit"}));
  cmd_check->add_option("--fail-on", check.fail_on, "least severity that fails the run: error|warning|info|none (default warning)")
      ->type_name("SEVERITY")
      ->check(CLI::IsMember({"error", "warning", "info", "none"}));
  cmd_check->add_option("--color", check.color, "colour: auto (a terminal without NO_COLOR), always or never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd_check->add_flag("--no-color", check.no_color, "no colour (--color=never)");
  cmd_check->add_flag("-q,--quiet", check.quiet, "findings only: no source lines, notes or summary");
  cmd_check->add_flag("-v,--verbose", check.verbose, "also list the files a walk skipped as not Kubernetes manifests");
  cmd_check->add_option("--max-findings", check.limits.total,
                        "list at most N findings; the summary and exit status count them all (default 250000, 0: no "
                        "limit)")
      ->type_name("N");
  cmd_check->add_option("--max-findings-per-file", check.limits.per_rule_per_file,
                        "at most N findings of a rule in one file, then one that counts the rest (default 100, 0: no "
                        "limit)")
      ->type_name("N");
  cmd_check->add_flag("--only-files", check.only_files,
                      "the paths are files to report on (what pre-commit passes): check the configured tree (paths "
                      "of .kmc.yaml, or .) and report the findings that involve them");

  CompileFlags compile;
  CLI::App* cmd_compile =
      app.add_subcommand("compile", "print the manifests as one YAML stream in a safe apply order");
  add_input_options(cmd_compile, &compile.input);
  cmd_compile->add_option("-o,--output", compile.output_dir, "write one numbered file per object into this (empty) directory")
      ->type_name("DIR");
  cmd_compile->add_flag("--force", compile.force,
                        "with -o: write into a directory that is not empty, removing the files an earlier kmc compile "
                        "wrote there (and only those)");
  cmd_compile->add_flag("--explain", compile.explain, "say before each object why it sits where it does");

  GraphFlags graph;
  CLI::App* cmd_graph = app.add_subcommand("graph", "draw the resolved topology (Graphviz dot, Mermaid, JSON)");
  add_input_options(cmd_graph, &graph.input);
  cmd_graph->add_option("--format", graph.format, "dot (default), mermaid or json; -o takes it from the extension")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"dot", "mermaid", "json"}));
  cmd_graph->add_option("-o,--output", graph.output,
                        "write to FILE, in the format its extension names: .svg, .png, .pdf (Graphviz), .dot, .gv, "
                        ".mmd, .json")
      ->type_name("FILE");
  cmd_graph->add_flag("--expand", graph.expand, "draw each StatefulSet pod and claim with its DNS name");

  CLI::App* cmd_rules = app.add_subcommand("rules", "list every rule with its severity");
  std::string explain_id;
  CLI::App* cmd_explain = app.add_subcommand("explain", "print a rule's page: what it catches, why, how to fix it");
  cmd_explain->add_option("rule", explain_id, "a rule id, e.g. service/no-matching-pods")->required()->type_name("RULE");

  std::string shell;
  CLI::App* cmd_completion = app.add_subcommand("completion", "print a shell completion script: bash, zsh or fish");
  cmd_completion->add_option("shell", shell, "the shell: source <(kmc completion bash)")
      ->required()
      ->type_name("SHELL")
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  kmc::lsp::ServerOptions lsp;
  CLI::App* cmd_lsp = app.add_subcommand("lsp", "serve the Language Server Protocol on stdin and stdout (for editors)");
  bool lsp_stdio = true;
  cmd_lsp->add_flag("--stdio", lsp_stdio, "speak over stdin and stdout (the default; editors' clients pass it)");
  cmd_lsp->add_option("--debounce", lsp.debounce_ms, "milliseconds after the last change before a check (default 30)")
      ->type_name("MS");
  cmd_lsp->add_option("-j,--jobs", lsp.jobs, "threads of each check (default: all cores)")->type_name("N");

  // Hidden (no group): `make dist` writes the man page with it.
  CLI::App* cmd_manpage = app.add_subcommand("manpage", "print the man page, kmc.1")->group("");

  // A word that names no command gets the nearest one, not "a subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string_view> names;  // the commands --help lists (not hidden ones)
    bool known = false;
    std::string_view word = argv[1];
    for (const CLI::App* sub : app.get_subcommands({})) {
      known |= sub->get_name() == word;
      if (!sub->get_group().empty()) names.push_back(sub->get_name());
    }
    if (!known) {
      std::string_view guess = kmc::closest(word, names);
      say("error", fmt::format("no command '{}'{}; the commands are {}", word,
                               guess.empty() ? std::string() : fmt::format(" (did you mean {}?)", guess),
                               fmt::join(names, ", ")));
      return 2;
    }
  }
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
  if (*cmd_lsp) {
    // A client that goes away closes the pipe: writes then fail and the server ends, rather than
    // the process dying of SIGPIPE with the client's diagnostics half written.
    std::signal(SIGPIPE, SIG_IGN);
    return kmc::lsp::serve(lsp);
  }
  if (*cmd_completion || *cmd_manpage) {
    std::cout << (*cmd_manpage ? kmc::cli::man_page(app, KMC_VERSION) : kmc::cli::completion_script(app, shell));
    return finish_stdout() ? 0 : 2;
  }
  return 2;
}
