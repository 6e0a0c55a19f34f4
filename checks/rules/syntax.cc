// The syntax family is emitted by the loader (parser/), which knows positions of scanner
// errors; the table rows make the rules listable, documentable and configurable like others.
#include "checks/rules/rules.h"

namespace kmc {

void add_syntax_rules(std::vector<Rule>* t) {
  t->push_back({"syntax/yaml", Severity::Error, "a document is not valid YAML or JSON"});
  t->push_back({"syntax/duplicate-key", Severity::Error, "a mapping repeats a key"});
  t->push_back({"syntax/not-an-object", Severity::Error,
                "a document is not a mapping with apiVersion and kind"});
  t->push_back({"syntax/limit", Severity::Error,
                "nesting depth, alias expansion, document count or file size exceeds a safety limit"});
  // Emitted by checks/suppress.cc, which reads the kmc:ignore comments and kmc.dev/ignore annotations.
  t->push_back({"syntax/bad-suppression", Severity::Error,
                "a kmc:ignore comment or kmc.dev/ignore annotation names no rule, or a rule kmc does not have"});
  t->push_back({"syntax/unused-suppression", Severity::Info, "a suppression that silences nothing"});
  // Emitted by checks/analysis.cc once the input is read.
  t->push_back({"syntax/empty-input", Severity::Warning,
                "the input yields no Kubernetes object at all (an empty stdin, a directory without manifests)"});
}

}  // namespace kmc
