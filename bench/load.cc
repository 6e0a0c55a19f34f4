// Times each stage of `kmc check` separately, so a regression shows where it is:
//   kmc-bench-load [-j N] [--warm] [--all-rules] [--rule-range OBJECTS] PATH...
// prints the loader (read + parse), each stage of analyze() (decode, schema validation,
// linking, rules, suppressions and sorting), JSON rendering to a null stream, with documents/s
// and MB/s, and peak memory after loading and at the end; the steps of linking; the five slowest
// rules, or every rule with --all-rules. --rule-range: the objects the rules about single
// objects check at a time (AnalysisOptions::objects_per_rule_range), to tune it.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "checks/analysis.h"
#include "driver/pipeline.h"
#include "driver/model_builder.h"
#include "parser/load.h"
#include "render/diagnostics.h"

namespace {

// Peak RSS in MiB, as getrusage (and /usr/bin/time) count it; input sizes are decimal MB.
double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

// Counts what it is given and keeps nothing, like > /dev/null without the system calls.
class NullBuffer : public std::streambuf {
 public:
  size_t bytes = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<size_t>(n);
    return n;
  }
  int_type overflow(int_type c) override {
    ++bytes;
    return c;
  }
};

struct Flags {
  bool warm = false;
  bool all_rules = false;
  uint32_t rule_range = ~0u;  // the default of AnalysisOptions
};

void run(const std::vector<std::string>& paths, const kmc::parser::LoadOptions& options, const Flags& flags, bool print);

}  // namespace

int main(int argc, char** argv) {
  unsigned jobs = 1;
  Flags flags;
  std::vector<std::string> paths;
  bool bad = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    // -j N and -jN, as kmc takes them. Any other option is a mistake, not a path: `-j2` read as
    // a path once ran a whole round of measurements with one job.
    if (arg == "-j" && i + 1 < argc) jobs = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (arg.starts_with("-j") && arg.size() > 2) jobs = static_cast<unsigned>(std::atoi(argv[i] + 2));
    else if (arg == "--warm") flags.warm = true;
    else if (arg == "--all-rules") flags.all_rules = true;
    else if (arg == "--rule-range" && i + 1 < argc) flags.rule_range = static_cast<uint32_t>(std::atoi(argv[++i]));
    else if (arg.starts_with("-") && arg != "-") bad = true;
    else paths.push_back(argv[i]);
  }
  if (paths.empty() || bad || jobs == 0 || flags.rule_range == 0) {
    std::fprintf(stderr, "usage: kmc-bench-load [-j N] [--warm] [--all-rules] [--rule-range OBJECTS] PATH...\n");
    return 2;
  }
  const kmc::Workers workers(jobs);
  kmc::parser::LoadOptions options;
  options.workers = &workers;
  // --warm: measure a second run in the same process, on heap memory the first one touched and
  // freed. On VMs where the first touch of a page is what costs, this separates the stages' own
  // work (what the linearity table is about) from the machine's page provisioning.
  if (flags.warm) run(paths, options, flags, false);
  run(paths, options, flags, true);
  return 0;
}

namespace {

void run(const std::vector<std::string>& paths, const kmc::parser::LoadOptions& options, const Flags& flags, bool print) {
  using clock = std::chrono::steady_clock;
  kmc::checks::StageTimes times;
  kmc::driver::AnalysisOptions analysis_options;
  analysis_options.workers = options.workers;
  analysis_options.times = &times;
  if (flags.rule_range != ~0u) analysis_options.objects_per_rule_range = flags.rule_range;
  // As `kmc check` does: the model is built batch by batch as the files are read, so the loader's
  // time is the load's less the decoding and validation done meanwhile (reported as theirs).
  kmc::driver::ModelBuilder builder(analysis_options);
  kmc::parser::LoadOptions streaming = options;
  streaming.on_batch = [&](kmc::parser::LoadResult& input, const kmc::parser::LoadBatch& batch) { builder.add(input, batch); };
  auto t0 = clock::now();
  kmc::parser::LoadResult input = kmc::parser::load_inputs(paths, streaming);
  double load_s = std::chrono::duration<double>(clock::now() - t0).count() - builder.decode_seconds() -
                  builder.schema_seconds();
  double rss_loaded = peak_rss_mb();
  uint64_t nodes = 0;
  for (const kmc::parser::Document* d : input.documents) nodes += d->node_count;
  size_t docs = input.documents.size();
  double mb = static_cast<double>(input.bytes) / 1e6;

  auto analysis = std::make_unique<kmc::checks::Analysis>(kmc::driver::analyze(std::move(input), analysis_options, &builder));
  kmc::checks::Analysis& a = *analysis;
  double rss_analyzed = peak_rss_mb();
  // What the model's copies of tree nodes take, and what was handed back of the trees.
  size_t kept = 0, released = 0, text_released = 0;
  for (const auto& arena : a.model.arenas) kept += arena->bytes_used();
  for (const auto& arena : a.input.memory.nodes) released += arena->bytes_released();
  for (const auto& arena : a.input.memory.source) text_released += arena->bytes_released();
  size_t reused = a.input.memory.chunks_reused * kmc::Arena::kHugePage;

  auto t1 = clock::now();
  NullBuffer null;
  std::ostream out(&null);
  kmc::render::render_json(a, out, *options.workers);
  double render_s = std::chrono::duration<double>(clock::now() - t1).count();
  const double json_mb = null.bytes / 1e6;
  auto t_text = clock::now();
  kmc::render::render_text(a, {}, out, *options.workers);  // the default format, timed apart from the total
  double text_s = std::chrono::duration<double>(clock::now() - t_text).count();
  size_t findings = a.findings.size();
  kmc::checks::Summary summary = a.summary;
  auto t2 = clock::now();
  analysis.reset();  // what freeing everything would cost: `kmc check` leaves it to the system
  double teardown_s = std::chrono::duration<double>(clock::now() - t2).count();
  if (!print) return;

  std::printf("jobs=%u files=%zu documents=%zu objects=%zu bytes=%.1fMB findings=%zu\n", options.workers->jobs(),
              summary.files, docs, summary.objects, mb, findings);
  auto row = [&](const char* stage, double s, double rss = 0) {
    // A stage too short for the clock (or an empty input) has no rate to print.
    if (s > 0 && docs > 0) std::printf("  %-15s %7.3f s  %9.0f docs/s  %7.1f MB/s", stage, s, docs / s, mb / s);
    else std::printf("  %-15s %7.3f s  %9s docs/s  %7s MB/s", stage, s, "-", "-");
    if (rss > 0) std::printf("  peak RSS %6.1f MiB", rss);
    std::printf("\n");
  };
  double total = load_s + render_s;
  row("loader", load_s, rss_loaded);
  for (const kmc::checks::StageTimes::Stage& stage : times.stages) {
    row(stage.name.c_str(), stage.seconds, stage.peak_rss_mb);
    total += stage.seconds;
  }
  std::printf("  linking, step by step (with more than one job, on two threads side by side):\n");
  for (int step = 0; step < kmc::checks::LinkTimes::StepCount; ++step) {
    std::string_view name = kmc::checks::LinkTimes::name(static_cast<kmc::checks::LinkTimes::Step>(step));
    std::printf("    %-17.*s %7.4f s\n", static_cast<int>(name.size()), name.data(), times.link.seconds[step]);
  }
  row("render json", render_s);
  row("teardown", teardown_s);  // not in the total (cli/main.cc)
  std::vector<std::pair<std::string_view, double>> slowest = times.rules;
  std::sort(slowest.begin(), slowest.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  std::printf(flags.all_rules ? "  rules:" : "  slowest rules:");
  for (size_t i = 0; i < (flags.all_rules ? slowest.size() : std::min<size_t>(5, slowest.size())); ++i)
    std::printf(" %.*s %.4f s;", static_cast<int>(slowest[i].first.size()), slowest[i].first.data(), slowest[i].second);
  std::printf("\n");
  row("total", total);
  std::printf("  (render text %.3f s: the default format, instead of JSON; not in the total; nor is the teardown, which "
              "kmc check leaves to the system)\n",
              text_s);
  constexpr double kMiB = 1024.0 * 1024.0;
  std::printf("  peak RSS: %.1f MiB", peak_rss_mb());
  if (mb > 0) std::printf(" (%.2fx input)", peak_rss_mb() * kMiB / (mb * 1e6));
  std::printf("; after loading and building the model %.1f MiB (%llu nodes read); after analysis %.1f MiB; JSON %.1f MB\n",
              rss_loaded, static_cast<unsigned long long>(nodes), rss_analyzed, json_mb);
  std::printf("  released once decoded and validated: parse trees %.1f MiB, files' bytes %.1f MiB (%.1f MiB of it mapped "
              "again by later batches); the model's copies of nodes and their text: %.1f MiB\n",
              released / kMiB, text_released / kMiB,
              static_cast<double>(reused) / kMiB, kept / kMiB);
}

}  // namespace
