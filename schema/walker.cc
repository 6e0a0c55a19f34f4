#include "schema/walker.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>

#include <fmt/format.h>

#include "parser/scalar.h"
#include "schema/field_constraints.h"
#include "schema/names.h"
#include "schema/quantity.h"

namespace kmc::schema {
using parser::Node;
using parser::NodeKind;
using parser::is_template_text;
using parser::node_kind_name;
using parser::parse_yaml_int;

namespace {

bool is_integral_float(std::string_view text, double* out) {
  std::string clean;
  for (char c : text)
    if (c != '_') clean += c;
  char* end = nullptr;
  double v = std::strtod(clean.c_str(), &end);
  if (end == clean.c_str() || *end != '\0' || !std::isfinite(v) || v != std::floor(v)) return false;
  *out = v;
  return true;
}

bool parses_as_int(std::string_view s) {
  int64_t v;
  return !s.empty() && parse_yaml_int(s, &v);
}

bool is_base64(std::string_view s) {
  size_t n = 0, pad = 0;
  for (char c : s) {
    if (c == '\n' || c == '\r') continue;  // Go's decoder skips line breaks
    bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=') {
      ++pad;
    } else if (!alpha || pad) {
      return false;
    }
    ++n;
  }
  return n % 4 == 0 && pad <= 2;
}

std::string expected_words(const api::Schema& s, const api::Type& t) {
  switch (t.kind) {
    case api::TypeKind::Struct: return fmt::format("a mapping ({})", short_name(s.definition(t.arg)));
    case api::TypeKind::Map: return "a mapping";
    case api::TypeKind::List: return "a list";
    case api::TypeKind::String: return "a string";
    case api::TypeKind::Bytes: return "a base64-encoded string";
    case api::TypeKind::Int32: return "an integer (32-bit)";
    case api::TypeKind::Int64: return "an integer";
    case api::TypeKind::Number: return "a number";
    case api::TypeKind::Bool: return "a boolean (true or false)";
    case api::TypeKind::IntOrString: return "an integer or a string";
    case api::TypeKind::Quantity: return "a quantity (a number with an optional unit, like 500m or 1Gi)";
    case api::TypeKind::Time: return "a timestamp string (RFC 3339)";
    case api::TypeKind::Any: return "any value";
  }
  return "a value";
}

}  // namespace

std::string_view short_name(const api::Definition& d) {
  std::string_view n = d.name;
  return n.substr(n.rfind('.') + 1);
}

std::string describe_node(const Node& n) {
  switch (n.kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Bool: return fmt::format("the boolean {}", n.text());
    case NodeKind::Int: return fmt::format("the integer {}", n.text());
    case NodeKind::Float: return fmt::format("the number {}", n.text());
    case NodeKind::String: return fmt::format("the string \"{}\"", n.text().substr(0, 60));
    case NodeKind::Map: return "a mapping";
    case NodeKind::Seq: return "a list";
  }
  return "a value";
}

const SchemaWalker::Known& SchemaWalker::known(const api::Schema& s) {
  static const Known k = [&s] {
    auto def = [&s](const char* name) { return s.find_definition(name); };
    return Known{def("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
                 def("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"),
                 def("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement"),
                 def("io.k8s.api.core.v1.ServiceSpec"),
                 def("io.k8s.api.core.v1.ServicePort"),
                 def("io.k8s.api.core.v1.PodSpec"),
                 def("io.k8s.api.core.v1.Container"),
                 def("io.k8s.api.core.v1.EphemeralContainer"),
                 def("io.k8s.api.core.v1.Volume"),
                 def("io.k8s.api.core.v1.ContainerPort"),
                 def("io.k8s.api.core.v1.PodAffinityTerm")};
  }();
  return k;
}

SchemaWalker::SchemaWalker(const api::Schema& schema, const Object& object, std::vector<SchemaIssue>* out)
    : schema_(schema), object_(object), out_(out), known_(known(schema)),
      field_checks_(field_constraint_table(schema).data()) {}

void SchemaWalker::issue(RuleId rule, Position pos, std::string message, std::string fix,
                         std::vector<Related> related) {
  if (crd_.valid() && related.empty()) related.push_back({crd_, "the CustomResourceDefinition's schema is here"});
  if (budget_ == 0) return;
  if (--budget_ == 0) {
    out_->push_back({rule, pos,
                     fmt::format("{}: more schema findings follow; kmc stops listing them here", object_.display()),
                     "fix the findings above; this object does not look like the kind it names"});
    return;
  }
  out_->push_back({rule, pos, clip_message(fmt::format("{}: {}", object_.display(), message)), std::move(fix),
                   std::move(related)});
}

std::string SchemaWalker::path() const {
  std::string p;
  for (const Segment& s : path_) {
    if (s.index >= 0) {
      p += fmt::format("[{}]", s.index);
    } else {
      if (!p.empty()) p += '.';
      p += s.key;
    }
  }
  return p.empty() ? "the object" : p;
}

std::string SchemaWalker::path_with(std::string_view key) const {
  std::string p = path();
  return p == "the object" ? std::string(key) : p + "." + std::string(key);
}

void SchemaWalker::value(const Node& n, uint16_t type) {
  if (n.is_null()) return;  // JSON null decodes to the Go zero value: "not set"
  const api::Type& t = schema_.type(type);
  switch (t.kind) {
    case api::TypeKind::Any: return;
    case api::TypeKind::Struct:
      if (!n.is_map()) break;
      structure(n, schema_.definition(t.arg));
      return;
    case api::TypeKind::Map:
      if (!n.is_map()) break;
      for (uint32_t i = 0; i < n.size(); ++i) {
        push(n.key(i).text());
        value(n.value(i), t.arg);
        pop();
      }
      return;
    case api::TypeKind::List:
      if (!n.is_seq()) break;
      for (uint32_t i = 0; i < n.size(); ++i) {
        push(int64_t(i));
        value(n.item(i), t.arg);
        pop();
      }
      return;
    default:
      if (!n.is_scalar()) break;
      scalar(n, t);
      return;
  }
  std::string fix;
  if (t.kind == api::TypeKind::List && n.is_map()) fix = "make it a list: start the entry with \"- \"";
  else if ((t.kind == api::TypeKind::Map || t.kind == api::TypeKind::Struct) && n.is_seq())
    fix = "write it as a mapping (key: value), without \"- \"";
  else if (n.is_scalar() && (t.kind == api::TypeKind::Map || t.kind == api::TypeKind::Struct))
    fix = "write the fields of this mapping under it, indented";
  issue(RuleId::SchemaType, n.pos(), fmt::format("{} is {}, but the API expects {}", path(), describe_node(n), expected_words(schema_, t)),
        std::move(fix));
}

void SchemaWalker::type_mismatch(const Node& n, const api::Type& t, std::string fix) {
  issue(RuleId::SchemaType, n.pos(), fmt::format("{} is {}, but the API expects {}", path(), describe_node(n), expected_words(schema_, t)),
        std::move(fix));
}

void SchemaWalker::integer_value(const Node& n, const api::Type& t) {
  if (t.kind == api::TypeKind::IntOrString && n.kind == NodeKind::String) return;
  int64_t v = 0;
  double f;
  bool is_int = n.as_int(&v) || (n.kind == NodeKind::Float && is_integral_float(n.text(), &f) && std::fabs(f) < 9.2e18 &&
                                 ((v = int64_t(f)), true));
  if (!is_int) {
    if (n.kind == NodeKind::String && parses_as_int(n.text()))
      return type_mismatch(n, t, fmt::format("remove the quotes: {}", n.text()));
    if (n.kind == NodeKind::Int) return type_mismatch(n, t, "the value does not fit in a 64-bit integer");
    return type_mismatch(n, t, {});
  }
  if (t.kind != api::TypeKind::Int64 && (v < INT32_MIN || v > INT32_MAX))
    issue(RuleId::SchemaType, n.pos(), fmt::format("{} is {}, which does not fit the API's 32-bit integer", path(), v),
          "use a value between -2147483648 and 2147483647");
}

void SchemaWalker::quantity_value(const Node& n, const api::Type& t) {
  if (n.kind == NodeKind::Bool) return type_mismatch(n, t, "write an amount such as 500m, 1, 256Mi or 10Gi");
  Quantity q;
  std::string why;
  if (!parse_quantity(n.text(), &q, &why))
    issue(RuleId::SchemaQuantity, n.pos(), fmt::format("{} is \"{}\", which is not a Kubernetes quantity: {}", path(), n.text(), why),
          "write a number with an optional unit: binary Ki, Mi, Gi, Ti, Pi, Ei; decimal n, u, m, k, M, G, T, P, E "
          "(10Gi, 500m, 1.5, 1e3); \"GB\", \"K\" and lower-case \"gi\" are not units");
}

void SchemaWalker::scalar(const Node& n, const api::Type& t) {
  if (is_template_text(n.text())) return;
  switch (t.kind) {
    case api::TypeKind::String:
    case api::TypeKind::Time:
      if (n.kind != NodeKind::String) {
        return type_mismatch(n, t, fmt::format(
            "quote it: \"{}\" (kubectl sends an unquoted {} as a JSON {}, which the API server rejects here)", n.text(),
            node_kind_name(n.kind), n.kind == NodeKind::Bool ? "boolean" : "number"));
      }
      if (t.enum_set != api::kNoEnum && checks_values()) enum_value(n, schema_.enum_of(t.enum_set));
      return;
    case api::TypeKind::Bytes:
      if (n.kind != NodeKind::String) return type_mismatch(n, t, "quote it, and base64-encode the value");
      if (!is_base64(n.text()))
        issue(RuleId::SchemaType, n.pos(), fmt::format("{} is not valid base64, which the API expects here", path()),
              "encode the value with `base64 -w0`, or put the plain text under `stringData` instead of `data`");
      return;
    case api::TypeKind::Int32:
    case api::TypeKind::Int64:
    case api::TypeKind::IntOrString: return integer_value(n, t);
    case api::TypeKind::Number:
      if (n.kind == NodeKind::Int || n.kind == NodeKind::Float) return;
      return type_mismatch(n, t, n.kind == NodeKind::String ? "remove the quotes" : std::string());
    case api::TypeKind::Bool:
      if (n.kind == NodeKind::Bool) return;
      if (n.kind == NodeKind::String && (n.text() == "true" || n.text() == "false"))
        return type_mismatch(n, t, fmt::format("remove the quotes: {}", n.text()));
      return type_mismatch(n, t, "write true or false");
    case api::TypeKind::Quantity: return quantity_value(n, t);
    default: return;
  }
}

void SchemaWalker::enum_value(const Node& n, std::span<const char* const> allowed) {
  std::string_view v = n.text();
  // "" is how a manifest leaves a defaulted field at its default.
  if (v.empty()) return;
  std::vector<std::string_view> names;
  for (const char* a : allowed) {
    if (v == a) return;
    names.push_back(a);
  }
  std::string list;
  for (std::string_view a : names) list += (list.empty() ? "" : ", ") + std::string(a);
  std::string_view guess = closest(v, names);
  issue(RuleId::SchemaEnum, n.pos(), fmt::format("{} is \"{}\", which is not one of: {}", path(), v, list),
        guess.empty() ? "use one of the listed values; they are case-sensitive" : fmt::format("did you mean \"{}\"? (values are case-sensitive)", guess));
}

// A field another embedded release has: added after the target release, or removed before it.
void SchemaWalker::field_of_other_release(const Node& key, api::ReleaseMask releases) {
  std::string field = path_with(key.text());
  const api::Schema* added = api::added_after(releases, schema_);
  const api::Schema* dropped = api::dropped_before(releases, schema_);
  if (added && !dropped) {
    issue(RuleId::VersionFieldUnknown, key.pos(),
          fmt::format("{} is not a field of Kubernetes {}: it was added in {}, and the API server of {} rejects it as an "
                      "unknown field (or drops it, with field validation off)",
                      field, schema_.release, added->release, schema_.release),
          fmt::format("remove it, or target Kubernetes {} or later (--kubernetes-version)", added->release));
    return;
  }
  issue(RuleId::VersionFieldUnknown, key.pos(),
        fmt::format("{} is not a field of Kubernetes {}: {} removed it, and the API server rejects it as an unknown field",
                    field, schema_.release, dropped ? dropped->release : schema_.release),
        "remove it");
}

void SchemaWalker::structure(const Node& n, const api::Definition& d) {
  for (uint32_t i = 0; i < n.size(); ++i) {
    const Node& key = n.key(i);
    const api::Field* f = schema_.find_field(d, key.text());
    if (!f) {
      // `$patch: delete`, `$setElementOrder/…`, `$retainKeys`: strategic-merge directives.
      bool directive = patch_ && key.text().starts_with("$");
      if (!directive && !is_template_text(key.text())) unknown_field(key, d);
      continue;
    }
    bool status = path_.empty() && key.text() == "status";
    in_status_ += status;
    push(f->name, &key);
    value(n.value(i), f->type);
    pop();
    in_status_ -= status;
    if (uint8_t check = field_checks_[static_cast<size_t>(f - schema_.fields.data())]; check && checks_values())
      check_field_value(*this, n.value(i), f->name, check);
  }
  if (!checks_values()) return;
  for (const api::Field& f : schema_.fields_of(d)) {
    if (!f.required || !schema_.has(f) || !checks_required()) continue;
    if (selector_completed_ && f.name == "selector") continue;
    // affinity/topology-key explains a missing topologyKey better than a generic finding.
    if (&d == known_.pod_affinity_term && f.name == "topologyKey") continue;
    const Node* v = n.get(f.name);
    if (v && !v->is_null()) continue;
    std::string where = path() == "the object" ? std::string("the object") : fmt::format("{} ({})", path(), short_name(d));
    issue(RuleId::SchemaRequired, missing_pos(n), fmt::format("{} is missing the required field \"{}\"", where, f.name),
          fmt::format("add {}", path_with(f.name)));
  }
  hooks(n, d);
}

void SchemaWalker::unknown_field(const Node& key, const api::Definition& d) {
  if (api::ReleaseMask other = schema_.field_releases(d, key.text())) {
    // A status copied from a newer cluster (`kubectl get -o yaml`) is the cluster's to write:
    // the API server resets it on create, whatever fields that release gave it.
    if (checks_values()) field_of_other_release(key, other);
    return;
  }
  std::vector<std::string_view> names;
  for (const api::Field& f : schema_.fields_of(d))
    if (schema_.has(f)) names.push_back(f.name);
  std::string_view guess = closest(key.text(), names);
  std::string fix;
  std::string_view k = key.text();
  std::string_view also;
  if (k.starts_with("$setElementOrder/") || k.starts_with("$deleteFromPrimitiveList/") || k == "$retainKeys") {
    // A directive of the API server's strategic merge that kustomize's does not implement: a
    // kustomize patch leaves it in the object as a field.
    also = ": a strategic merge patch directive that kustomize does not implement, so it stays in the rendered "
           "object as a field, which the API server rejects";
    fix = "remove it from the patch; to order or replace a list, give the list whole with `$patch: replace`";
  } else if (!guess.empty()) {
    fix = fmt::format("did you mean \"{}\"?", guess);
  } else {
    // A field that belongs a few levels further down (`containers` directly under a
    // Deployment's spec) is a misplaced field, not a typo.
    struct Step {
      const api::Definition* d;
      std::string path;
      int depth;
    };
    std::deque<Step> queue{{&d, "", 0}};
    while (!queue.empty() && fix.empty()) {
      Step s = queue.front();
      queue.pop_front();
      for (const api::Field& f : schema_.fields_of(*s.d)) {
        if (!schema_.has(f)) continue;
        std::string p = s.path.empty() ? std::string(f.name) : s.path + "." + std::string(f.name);
        if (s.depth > 0 && f.name == key.text()) {
          fix = fmt::format("\"{}\" belongs under {}; indent it there", key.text(), path_with(p.substr(0, p.rfind('.'))));
          break;
        }
        const api::Type& t = schema_.type(f.type);
        if (t.kind == api::TypeKind::Struct && s.depth < 3) queue.push_back({&schema_.definition(t.arg), p, s.depth + 1});
      }
    }
    if (fix.empty()) fix = fmt::format("remove it; {} has no such field", short_name(d));
  }
  std::string where = path() == "the object" ? std::string("at the top level") : fmt::format("in {} ({})", path(), short_name(d));
  issue(RuleId::SchemaUnknownField, key.pos(), fmt::format("unknown field \"{}\" {}{}", key.text(), where, also),
        std::move(fix));
}

void SchemaWalker::dns_name(const Node& parent, std::string_view field, std::string_view what,
                            std::string (*check)(std::string_view), std::string_view fix) {
  if (const Node* n = parent.get(field)) name_value(*n, field, what, check, fix);
}

void SchemaWalker::name_value(const Node& n, std::string_view field, std::string_view what,
                              std::string (*check)(std::string_view), std::string_view fix) {
  if (n.kind != NodeKind::String || n.text().empty() || is_template_text(n.text())) return;
  std::string why = check(n.text());
  if (why.empty()) return;
  issue(RuleId::SchemaName, n.pos(), fmt::format("{} \"{}\" is not a valid {}: it {}", path_with(field), n.text(), what, why),
        std::string(fix));
}

void SchemaWalker::label_map(const Node& n, bool values_are_labels) {
  if (!n.is_map()) return;
  std::string_view what = values_are_labels ? "label" : "annotation";
  for (uint32_t i = 0; i < n.size(); ++i) {
    const Node& key = n.key(i);
    if (is_template_text(key.text())) continue;
    std::string why = label_key_error(key.text());
    if (!why.empty())
      issue(RuleId::SchemaLabel, key.pos(), fmt::format("{} key \"{}\" in {} is not valid: it {}", what, key.text(), path(), why),
            "a key is an optional DNS prefix and '/' (example.com/), then at most 63 letters, digits, '-', '_' or '.'");
    const Node& v = n.value(i);
    if (!values_are_labels || v.kind != NodeKind::String || is_template_text(v.text())) continue;
    why = label_value_error(v.text());
    if (!why.empty())
      issue(RuleId::SchemaLabel, v.pos(), fmt::format("label value \"{}\" of \"{}\" in {} is not valid: it {}", v.text(), key.text(), path(), why),
            "a label value is at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
  }
}

void SchemaWalker::label_selector(const Node& n) {
  if (const Node* ml = n.get("matchLabels")) {
    push("matchLabels");
    label_map(*ml, true);
    pop();
  }
  const Node* exprs = n.get("matchExpressions");
  if (!exprs || !exprs->is_seq()) return;
  push("matchExpressions");
  for (uint32_t i = 0; i < exprs->size(); ++i) {
    const Node& e = exprs->item(i);
    if (!e.is_map()) continue;
    push(int64_t(i));
    const Node* key = e.get("key");
    if (key && key->kind == NodeKind::String && !is_template_text(key->text())) {
      std::string why = label_key_error(key->text());
      if (!why.empty())
        issue(RuleId::SchemaLabel, key->pos(), fmt::format("selector key \"{}\" in {} is not a valid label key: it {}", key->text(), path(), why));
    }
    const Node* op = e.get("operator");
    std::string_view o = op ? op->text() : std::string_view();
    static constexpr const char* kOperators[] = {"In", "NotIn", "Exists", "DoesNotExist"};
    if (op && op->kind == NodeKind::String && !o.empty()) {
      push("operator");
      enum_value(*op, kOperators);
      pop();
    }
    const Node* values = e.get("values");
    if (values && values->is_seq() && (o == "In" || o == "NotIn"))
      for (uint32_t j = 0; j < values->size(); ++j) {
        const Node& v = values->item(j);
        if (v.kind != NodeKind::String || is_template_text(v.text())) continue;
        std::string why = label_value_error(v.text());
        if (!why.empty())
          issue(RuleId::SchemaLabel, v.pos(), fmt::format("selector value \"{}\" in {} is not a valid label value: it {}", v.text(), path(), why));
      }
    pop();
  }
  pop();
}

void SchemaWalker::hooks(const Node& n, const api::Definition& d) {
  const Known& k = known_;
  auto with = [&](std::string_view key, auto&& f) {
    if (const Node* v = n.get(key)) {
      push(key);
      f(*v);
      pop();
    }
  };
  if (&d == k.object_meta) {
    with("labels", [&](const Node& v) { label_map(v, true); });
    with("annotations", [&](const Node& v) { label_map(v, false); });
    dns_name(n, "namespace", "namespace name (RFC 1123 label)", dns1123_label_error);
  } else if (&d == k.label_selector) {
    label_selector(n);
  } else if (&d == k.service_spec) {
    with("selector", [&](const Node& v) { label_map(v, true); });
  } else if (&d == k.pod_spec) {
    with("nodeSelector", [&](const Node& v) { label_map(v, true); });
  } else if (&d == k.container || &d == k.ephemeral_container) {
    dns_name(n, "name", "container name (RFC 1123 label)", dns1123_label_error);
  } else if (&d == k.volume) {
    dns_name(n, "name", "volume name (RFC 1123 label)", dns1123_label_error);
  } else if (&d == k.service_port) {
    dns_name(n, "name", "port name (RFC 1123 label)", dns1123_label_error);
  } else if (&d == k.container_port) {
    dns_name(n, "name", "port name (IANA service name)", iana_service_name_error, kPortNameFix);
  }
}

}  // namespace kmc::schema
