#include "checks/analysis.h"

#include "checks/rule.h"
#include "checks/suppress.h"
#include "schema/validate.h"

namespace kmc {

Summary summarize(const LoadResult& input, const std::vector<Finding>& findings) {
  Summary s;
  for (const auto& f : input.sources.files) s.files += !f->context;
  for (const Document* d : input.documents) s.documents += !input.sources[d->file].context;
  for (const RawObject& o : input.objects) s.objects += !o.context;
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
  validate_model(&a.model, a.input.sources);
  a.topology = link(a.model, a.input.sources);
  a.findings = std::move(a.input.findings);
  a.input.findings.clear();
  Sink sink(&a.findings, &a.input.sources);
  for (const Rule& rule : rule_table()) {
    if (!rule.run) continue;
    sink.set_rule(&rule);
    rule.run(a.model, a.topology, sink);
  }
  apply_suppressions(a.input, a.model, &a.findings);
  apply_rule_config(options.config, &a.findings);
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
