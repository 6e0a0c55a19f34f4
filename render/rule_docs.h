#pragma once
#include <string_view>
#include <vector>

// The rule pages of docs/rules, embedded at build time (cmake/embed_docs.cmake).
namespace kmc::render {

struct RuleDoc {
  std::string_view id;        // family/slug
  std::string_view markdown;  // the whole page
};

const std::vector<RuleDoc>& rule_docs();
// The page of a rule, or empty.
std::string_view rule_doc(std::string_view id);
// The first paragraph after the severity line: what the rule catches, in a few sentences.
std::string rule_description(std::string_view id);

}  // namespace kmc::render
