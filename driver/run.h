#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "checks/analysis.h"
#include "core/finding.h"
#include "core/parallel.h"
#include "driver/config.h"
#include "schema/crd_catalog.h"

// One run of kmc as a value: what to read (the options), and what came of it (the settings
// used, the analysis, what to tell the user besides the findings, and the exit status). The
// command line fills the options from its arguments and renders the result; a language server
// is its second user. The stages it drives are driver/pipeline.h.
namespace kmc::driver {
using checks::Analysis;
using checks::Summary;

// `--fail-on`: the least severity that makes the run fail; `none` never fails on findings.
enum class FailOn { Info, Warning, Error, None };
bool parse_fail_on(std::string_view text, FailOn* out);

// 0 clean, 1 a finding at or above `fail_on`, 2 an input could not be read.
int exit_status(const Summary& summary, FailOn fail_on, bool input_errors);

struct RunOptions {
  std::vector<std::string> paths;    // files and directories; with only_files, the files to report on
  std::vector<std::string> context;  // objects already in the cluster (--context)
  std::vector<std::string> crds;     // CRDs and catalogue schemas (--crds)
  bool only_files = false;           // the tree is the config's paths (or .), `paths` are files to report on
  std::string ns;                    // empty: the config's, else default
  std::string fail_on;               // empty: the config's, else warning
  std::string kubernetes_version;    // empty: the config's, else the newest embedded release
  std::string upgrade_to;            // a later release: also report what the upgrade to it breaks
  std::string config_path;           // empty: the nearest .kmc.yaml
  // Where the run is, instead of the working directory: the nearest .kmc.yaml is looked for from
  // here, and it is the tree when neither paths nor the config name one (a language server's
  // workspace folder). Empty: the working directory.
  std::string directory;
  // Editor buffers read in place of their files, .kmc.yaml included (parser/load.h); may be null.
  const parser::SourceBuffers* buffers = nullptr;
  bool no_config = false;
  unsigned jobs = 0;                 // 0: every core
  FindingLimits limits;              // --max-findings, --max-findings-per-file
  bool keep_trees = false;           // documents stay whole (`kmc compile` copies them)
  bool list_skipped = false;         // a message per file a walk skipped as not a manifest (-v)
};

// What the user is told besides the findings, in order (on stderr, for the command line).
struct RunMessage {
  // Detail: a line that carries its own position and severity (an error of .kmc.yaml).
  enum Level { Error, Warning, Note, Detail } level;
  std::string text;
};

struct Run {
  Config config;
  FailOn fail_on = FailOn::Warning;
  const api::Schema* release = &api::embedded_schema();  // --kubernetes-version
  const api::Schema* upgrade_to = nullptr;               // --upgrade-to
  Workers workers;                    // the run's threads (renderers may use them too)
  std::vector<std::string> tree;      // the paths the run read
  std::unique_ptr<schema::CrdCatalog> crds;  // --crds, read before the input
  Analysis analysis;
  std::vector<RunMessage> messages;
  bool failed = false;                // the run could not start (a bad config, a bad --fail-on): no analysis

  // An input could not be read (a missing file, an unreadable directory): reports of the
  // machine formats are not written, and the exit status is 2.
  bool input_errors() const { return !analysis.input.errors.empty(); }
  // A document of the input could not be read at all, so it is missing from the model.
  bool unreadable_documents() const;
  int exit_status() const;
};

// Reads the configuration, loads the inputs and the context, builds the model, links it, runs
// the rules and suppressions, keeps the findings --only-files asks for and lists at most
// limits.total of them.
Run run(const RunOptions& options);

// A finding that means a document could not be read at all (a syntax error, a limit): not a
// bad or stale suppression.
bool unreadable_document(const Finding& f);

}  // namespace kmc::driver
