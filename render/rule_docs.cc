#include "render/rule_docs.h"

#include <string>

namespace kmc::render {

std::string_view rule_doc(std::string_view id) {
  for (const RuleDoc& d : rule_docs())
    if (d.id == id) return d.markdown;
  return {};
}

std::string rule_description(std::string_view id) {
  std::string_view page = rule_doc(id);
  size_t sev = page.find("**Severity:**");
  if (sev == std::string_view::npos) return {};
  size_t start = page.find("\n\n", sev);
  if (start == std::string_view::npos) return {};
  start += 2;
  size_t end = page.find("\n\n", start);
  std::string text(page.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

}  // namespace kmc::render
