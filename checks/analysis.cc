#include "checks/analysis.h"

#include "checks/rule.h"

namespace kmc {

Summary summarize(const LoadResult& input, const std::vector<Finding>& findings) {
  Summary s;
  s.files = input.sources.size();
  s.documents = input.documents.size();
  s.objects = input.objects.size();
  for (const Finding& f : findings) {
    switch (f.severity) {
      case Severity::Error: ++s.errors; break;
      case Severity::Warning: ++s.warnings; break;
      case Severity::Info: ++s.infos; break;
    }
  }
  return s;
}

Analysis analyze(LoadResult input, const AnalysisOptions& options) {
  Analysis a;
  a.input = std::move(input);
  a.model = decode_model(a.input.objects, options.model);
  a.findings = std::move(a.input.findings);
  a.input.findings.clear();
  Sink sink(&a.findings);
  for (const Rule& rule : rule_table()) {
    if (!rule.run) continue;
    sink.set_rule(&rule);
    rule.run(a.model, sink);
  }
  sort_findings(a.findings);
  a.summary = summarize(a.input, a.findings);
  return a;
}

}  // namespace kmc

namespace kmc {

bool parse_fail_on(std::string_view text, FailOn* out) {
  if (text == "info") *out = FailOn::Info;
  else if (text == "warning") *out = FailOn::Warning;
  else if (text == "error") *out = FailOn::Error;
  else if (text == "none") *out = FailOn::None;
  else return false;
  return true;
}

int exit_status(const Summary& s, FailOn fail_on, bool input_errors) {
  if (input_errors) return 2;
  switch (fail_on) {
    case FailOn::None: return 0;
    case FailOn::Error: return s.errors ? 1 : 0;
    case FailOn::Warning: return s.errors + s.warnings ? 1 : 0;
    case FailOn::Info: return s.errors + s.warnings + s.infos ? 1 : 0;
  }
  return 0;
}

}  // namespace kmc
