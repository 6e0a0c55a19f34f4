#include <fmt/format.h>

#include "core/rule_catalogue.h"
#include "parser/load.h"

namespace kmc::parser {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Finding not_an_object(const Node& n, std::string message) {
  Finding f;
  f.rule = rule_name(RuleId::SyntaxNotAnObject);
  f.severity = Severity::Error;
  f.message = std::move(message);
  f.pos = n.pos();
  f.fix = "every manifest is a mapping with `apiVersion` and `kind`; remove the document or complete it";
  return f;
}

// Adds `n` as an object when it has both identifying keys; otherwise reports what is missing.
void add_object(const Node& n, const Document& doc, const char* what, std::vector<RawObject>* objects,
                std::vector<Finding>* findings) {
  if (!n.is_map()) {
    findings->push_back(not_an_object(
        n, fmt::format("{} is a {}, not a mapping; kubectl cannot apply it", what, node_kind_name(n.kind))));
    return;
  }
  std::string_view api_version = n.get_text("apiVersion");
  std::string_view kind = n.get_text("kind");
  if (api_version.empty() || kind.empty()) {
    const char* missing = api_version.empty() && kind.empty() ? "`apiVersion` and `kind`"
                          : api_version.empty()               ? "`apiVersion`"
                                                              : "`kind`";
    findings->push_back(not_an_object(
        n, fmt::format("{} has no {}; kubectl cannot tell what object it is", what, missing)));
    return;
  }
  objects->push_back({&n, &doc, doc.file, 0, false, api_version, kind});
}

}  // namespace

void extract_objects(const Document& doc, std::vector<RawObject>* objects, std::vector<Finding>* findings) {
  const Node& root = doc.root;
  if (root.is_map()) {
    std::string_view kind = root.get_text("kind");
    const Node* items = root.get("items");
    // `kind: List` and the typed lists (`ServiceList`, …) are unwrapped by kubectl.
    if (ends_with(kind, "List") && items && (items->is_seq() || items->is_null())) {
      for (uint32_t i = 0; i < items->size(); ++i) add_object(items->item(i), doc, "this List item", objects, findings);
      return;
    }
  }
  add_object(root, doc, "this document", objects, findings);
}

}  // namespace kmc::parser
