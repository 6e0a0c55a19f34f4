// The syntax family is emitted by the loader (parser/), which knows positions of scanner
// errors; the table rows make the rules listable, documentable and configurable like others.
#include "checks/rules/rules.h"

namespace kmc::checks {

void add_syntax_rules(std::vector<Rule>* t) {
  t->push_back(Rule(RuleId::SyntaxYaml));
  t->push_back(Rule(RuleId::SyntaxDuplicateKey));
  t->push_back(Rule(RuleId::SyntaxNotAnObject));
  t->push_back(Rule(RuleId::SyntaxLimit));
  // Emitted by checks/suppress.cc, which reads the kmc:ignore comments and kmc.dev/ignore annotations.
  t->push_back(Rule(RuleId::SyntaxBadSuppression));
  t->push_back(Rule(RuleId::SyntaxUnusedSuppression));
  // Emitted by driver/pipeline.cc once the input is read.
  t->push_back(Rule(RuleId::SyntaxEmptyInput));
}

}  // namespace kmc::checks
