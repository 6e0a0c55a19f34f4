#include "checks/rules/rules.h"

namespace kmc::checks {

// Emitted by kustomize/, which renders kustomization roots before the model is built: what
// kustomize would refuse, what kmc does not render, and the fields kustomize deprecates.
void add_kustomize_rules(std::vector<Rule>* t) {
  t->push_back(Rule(RuleId::KustomizeMissingResource));
  t->push_back(Rule(RuleId::KustomizeLoadRestriction));
  t->push_back(Rule(RuleId::KustomizePatchNoTarget));
  t->push_back(Rule(RuleId::KustomizeIdConflict));
  t->push_back(Rule(RuleId::KustomizeInvalid));
  t->push_back(Rule(RuleId::KustomizeUnsupported));
  t->push_back(Rule(RuleId::KustomizeDeprecated));
}

}  // namespace kmc::checks
