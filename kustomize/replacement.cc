#include "kustomize/replacement.h"

#include <re2/re2.h>

#include <charconv>
#include <functional>
#include <optional>

#include "core/rule_catalogue.h"
#include "kustomize/label_selector.h"
#include "kustomize/report.h"
#include "parser/scalar.h"

namespace kmc::kustomize {

namespace {

constexpr std::string_view kDefaultFieldPath = "metadata.name";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A non-negative index, as kyaml's IsIdxNumber (strconv.Atoi) reads one.
std::optional<size_t> index_of(std::string_view part) {
  if (!part.empty() && part.front() == '+') part.remove_prefix(1);
  size_t idx = 0;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), idx);
  if (part.empty() || ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
  return idx;
}

bool is_list_index(std::string_view part) { return part.starts_with('[') && part.ends_with(']'); }

// `[key=value]`: key ("" for a scalar item) and value; false without `=`.
bool split_list_index(std::string_view part, std::string_view* key, std::string_view* value) {
  part.remove_prefix(1);
  part.remove_suffix(1);
  size_t eq = part.find('=');
  if (eq == std::string_view::npos) return false;
  *key = part.substr(0, eq);
  *value = part.substr(eq + 1);
  return true;
}

std::string not_a_list_match(std::string_view part) {
  return "`" + std::string(part) + "` matches a list item by a field's value and needs the form [field=value]";
}

std::string wrong_kind(const RNode& n, std::string_view expected) {
  return "expected a " + std::string(expected) + ", found a " + std::string(parser::node_kind_name(n.kind));
}

// A node made along a target's path: a list when the next part indexes one, a mapping when a
// field follows, and at the path's end a node of the value's kind.
RNode made_for(std::string_view next, NodeKind leaf, Position pos) {
  RNode n;
  n.pos = pos;
  if (next.empty()) {
    n.kind = leaf == NodeKind::Map || leaf == NodeKind::Seq ? leaf : NodeKind::Null;
  } else {
    n.kind = is_list_index(next) || index_of(next) ? NodeKind::Seq : NodeKind::Map;
  }
  return n;
}

// The first list item whose `key` (a scalar item itself, for "") is exactly `value`.
const RNode* first_item(const RNode& list, std::string_view key, std::string_view value) {
  for (const RNode& item : list.kids) {
    if (key.empty() ? !item.is_scalar() : !item.is_map()) continue;
    const RNode* v = key.empty() ? &item : item.get(key);
    if (v && v->is_scalar() && v->text == value) return &item;
  }
  return nullptr;
}

// One part of a source's path from `n`: nullptr when it is not there (or, with `error` set,
// when the part cannot apply to the node).
const RNode* look_up_part(const RNode& n, const std::string& part, std::string* error) {
  if (part == "*") {
    *error = "a source's fieldPath cannot use `*`";
    return nullptr;
  }
  std::optional<size_t> idx = index_of(part);
  bool list = idx || part == "-" || is_list_index(part);
  if (list != n.is_seq()) {
    *error = "`" + part + "` " + (list ? "needs a list: " + wrong_kind(n, "list") : "is a field: " + wrong_kind(n, "mapping"));
    return nullptr;
  }
  if (idx || part == "-") {
    size_t i = idx ? *idx : n.kids.size() - 1;
    return i < n.kids.size() ? &n.kids[i] : nullptr;
  }
  if (!list) return n.get(part);
  std::string_view key, value;
  if (!split_list_index(part, &key, &value)) {
    *error = not_a_list_match(part);
    return nullptr;
  }
  return first_item(n, key, value);
}

// kyaml's PathGetter, as a replacement reads its source: nullptr when a part is not there.
const RNode* look_up(const RNode& root, const std::vector<std::string>& path, std::string* error) {
  const RNode* n = &root;
  for (const std::string& part : path) {
    if (n->is_null()) return nullptr;
    n = look_up_part(*n, part, error);
    if (n == nullptr) return nullptr;
  }
  return n;
}

// kyaml's PathMatcher, as a replacement finds its targets' fields: every node the path reaches
// is visited; with `create`, what is missing is made.
class Matcher {
 public:
  using Visit = std::function<bool(RNode&, bool made)>;
  Matcher(const std::vector<std::string_view>& path, std::optional<NodeKind> create, Position pos, Visit visit)
      : path_(path), create_(create), pos_(pos), visit_(std::move(visit)) {}

  bool walk(RNode& n, size_t i, bool made) {
    if (i == path_.size()) {
      ++matched_;
      return visit_(n, made);
    }
    std::string_view part = path_[i];
    if (std::optional<size_t> idx = index_of(part)) return index(n, i, *idx);
    if (is_list_index(part)) return items(n, i, false);
    if (part == "*") {
      if (!as_list(n, part)) return false;
      for (RNode& item : n.kids)
        if (!walk(item, i + 1, false)) return false;
      return true;
    }
    return field(n, i);
  }

  size_t matched() const { return matched_; }
  const std::string& error() const { return error_; }

 private:
  std::string_view next(size_t i) const { return i + 1 < path_.size() ? path_[i + 1] : std::string_view(); }
  NodeKind leaf() const { return create_.value_or(NodeKind::Null); }

  // A null node stands for a missing list; anything else but a list is an error.
  bool as_list(RNode& n, std::string_view part) {
    if (n.is_null()) n.kind = NodeKind::Seq;
    if (n.is_seq()) return true;
    error_ = "`" + std::string(part) + "` needs a list: " + wrong_kind(n, "list");
    return false;
  }

  bool index(RNode& n, size_t i, size_t idx) {
    if (!as_list(n, path_[i])) return false;
    bool made = false;
    if (create_ && idx == n.kids.size()) {
      n.kids.push_back(made_for(next(i), leaf(), pos_));
      made = true;
    }
    if (idx >= n.kids.size()) {
      error_ = "index " + std::to_string(idx) + " is past the list's " + std::to_string(n.kids.size()) + " items";
      return false;
    }
    return walk(n.kids[idx], i + 1, made);
  }

  bool items(RNode& n, size_t i, bool again) {
    std::string_view key, value;
    if (!split_list_index(path_[i], &key, &value)) {
      error_ = not_a_list_match(path_[i]);
      return false;
    }
    RE2 re(value, RE2::Quiet);
    if (!re.ok()) {
      error_ = "`" + std::string(value) + "` is not a regular expression (" + re.error() + ")";
      return false;
    }
    if (!as_list(n, path_[i])) return false;
    bool any = false;
    for (size_t j = 0; j < n.kids.size(); ++j) {
      RNode& item = n.kids[j];
      const RNode* v = key.empty() ? &item : item.get(key);
      if (!v || !v->is_scalar() || (!key.empty() && !item.is_map()) || !RE2::PartialMatch(v->text, re)) continue;
      any = true;
      // A scalar item is itself the match, whatever the path says after it.
      if (key.empty()) ++matched_;
      if (!(key.empty() ? visit_(item, false) : walk(item, i + 1, false))) return false;
    }
    if (any || !create_ || again) return true;
    RNode made = RNode::string(value, pos_);
    made.kind = parser::resolve_plain_scalar(value);
    if (key.empty()) {
      n.kids.push_back(made);
    } else {
      RNode item = RNode::map(pos_);
      item.set(key, made, pos_);
      n.kids.push_back(std::move(item));
    }
    return items(n, i, true);
  }

  bool field(RNode& n, size_t i) {
    std::string_view part = path_[i];
    if (n.is_null() && create_) n.kind = NodeKind::Map;
    if (n.is_null()) return true;
    if (!n.is_map()) {
      error_ = "`" + std::string(part) + "` is a field: " + wrong_kind(n, "mapping");
      return false;
    }
    if (RNode* child = n.get(part)) return walk(*child, i + 1, false);
    if (!create_) return true;
    return walk(n.set(part, made_for(next(i), leaf(), pos_), pos_), i + 1, true);
  }

  const std::vector<std::string_view>& path_;  // in the render's text: made fields keep their names
  std::optional<NodeKind> create_;
  Position pos_;
  Visit visit_;
  size_t matched_ = 0;
  std::string error_;
};

std::vector<std::string_view> split(std::string_view s, std::string_view delimiter) {
  std::vector<std::string_view> out;
  for (size_t at = 0;;) {
    size_t next = s.find(delimiter, at);
    if (next == std::string_view::npos) {
      out.push_back(s.substr(at));
      return out;
    }
    out.push_back(s.substr(at, next - at));
    at = next + delimiter.size();
  }
}

bool same_ns(std::string_view a, std::string_view b) {
  auto effective = [](std::string_view ns) { return ns.empty() ? std::string_view("default") : ns; };
  return effective(a) == effective(b);
}

// kustomize's ResId.IsSelectedBy: every field the selector sets equals the id's.
bool selected_by(const ResId& id, const Kustomization::Selector& s) {
  GroupVersion gv = split_api_version(id.api_version);
  return (s.name.text.empty() || s.name.text == id.name) && (s.ns.text.empty() || same_ns(s.ns.text, id.ns)) &&
         (s.group.text.empty() || s.group.text == gv.group) && (s.version.text.empty() || s.version.text == gv.version) &&
         (s.kind.text.empty() || s.kind.text == id.kind);
}

// Any of the resource's ids, its current and each before a renaming.
bool any_id_selected_by(const Resource& r, const Kustomization::Selector& s) {
  if (selected_by(r.id(), s)) return true;
  for (const ResId& id : r.previous)
    if (selected_by(id, s)) return true;
  return false;
}

bool id_empty(const Kustomization::Selector& s) {
  return s.group.text.empty() && s.version.text.empty() && s.kind.text.empty() && s.name.text.empty() &&
         s.ns.text.empty();
}

std::string describe(const Kustomization::Selector& s) {
  std::string out;
  for (auto [name, e] : {std::pair{"group", &s.group}, std::pair{"version", &s.version}, std::pair{"kind", &s.kind},
                         std::pair{"name", &s.name}, std::pair{"namespace", &s.ns}})
    if (!e->text.empty()) out += (out.empty() ? "" : ", ") + std::string(name) + " " + std::string(e->text);
  return out.empty() ? "any resource" : out;
}

}  // namespace

std::vector<std::string> split_field_path(std::string_view path) {
  std::vector<std::string> parts;
  std::vector<std::string_view> raw = split(path, ".");
  if (raw.size() > 1 && raw.front().empty()) raw.erase(raw.begin());  // ".a.b" is a.b
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!parts.empty() && parts.back().ends_with('\\')) {
      parts.back().back() = '.';
      parts.back() += raw[i];
    } else {
      parts.emplace_back(raw[i]);
    }
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].starts_with('[') || parts[i].ends_with(']')) {
      out.push_back(parts[i]);
      continue;
    }
    std::string joined = parts[i];
    while (i + 1 < parts.size()) {
      joined += "." + parts[++i];
      if (parts[i].ends_with(']')) break;
    }
    if (joined.find('=') == std::string::npos) {
      size_t b = joined.find_first_not_of("[]"), e = joined.find_last_not_of("[]");
      joined = b == std::string::npos ? std::string() : joined.substr(b, e - b + 1);
    }
    out.push_back(std::move(joined));
  }
  std::vector<std::string> clean;
  for (std::string& p : out)
    if (std::string_view t = trim(p); !t.empty()) clean.emplace_back(t);
  return clean;
}

struct Replacer::Value {
  RNode node;
};

void Replacer::fail(Position pos, std::string message, std::string_view fix) {
  report(findings_, RuleId::KustomizeInvalid, pos, std::move(message), fix);
}

bool Replacer::source_value(const Kustomization::Replacement& r, const std::vector<Resource>& ra, Value* out) {
  if (r.source_value) {
    out->node = RNode::string(r.source_value->text, r.source_value->pos);
    out->node.kind = parser::resolve_plain_scalar(r.source_value->text);
    return true;
  }
  const Kustomization::Selector& s = *r.source;
  const Resource* source = nullptr;
  for (const Resource& res : ra) {
    if (!any_id_selected_by(res, s)) continue;
    if (source != nullptr) {
      fail(s.pos,
           "the replacement's source (" + describe(s) + ") selects both " + source->id().describe() + " and " +
               res.id().describe() + ", and kustomize needs exactly one (\"multiple matches for selector\")",
           "add the source's kind, name or namespace until it names one resource");
      return false;
    }
    source = &res;
  }
  if (source == nullptr) {
    fail(s.pos,
         "the replacement's source (" + describe(s) +
             ") selects no resource of the kustomization, and kustomize fails the build (\"nothing selected by\")",
         "correct the kind, name or namespace: they are matched exactly, against the resource's names before and "
         "after this kustomization's prefix and suffix");
    return false;
  }
  std::string_view path = r.field_path.text.empty() ? kDefaultFieldPath : r.field_path.text;
  Position at = r.field_path.text.empty() ? s.pos : r.field_path.pos;
  std::string error;
  const RNode* n = look_up(source->tree, split_field_path(path), &error);
  if (!error.empty() || n == nullptr || n->is_null() || ((n->is_map() || n->is_seq()) && n->kids.empty())) {
    fail(at,
         "`" + std::string(path) + "` " + (error.empty() ? "is not in" : "cannot be read from") + " the replacement's source " +
             source->id().describe() + (error.empty() ? " (or is empty)" : " (" + error + ")") +
             ", and kustomize fails the build (\"fieldPath ... is missing for replacement source\")",
         "correct the fieldPath: fields separated by dots, [name=value] for a list item (\"spec.template.spec."
         "containers.[name=web].image\")");
    return false;
  }
  out->node = *n;
  const Kustomization::FieldOptions& o = r.source_options;
  if (o.delimiter.text.empty()) return true;
  if (!n->is_scalar()) {
    fail(o.delimiter.pos, "options.delimiter splits a scalar, and `" + std::string(path) + "` of " +
                              source->id().describe() + " is a " + std::string(parser::node_kind_name(n->kind)),
         "remove the delimiter, or point the fieldPath at a scalar");
    return false;
  }
  std::vector<std::string_view> pieces = split(n->text, o.delimiter.text);
  if (o.index < 0 || static_cast<size_t>(o.index) >= pieces.size()) {
    fail(o.delimiter.pos,
         "options.index " + std::to_string(o.index) + " is out of bounds for `" + std::string(n->text) + "` split on `" +
             std::string(o.delimiter.text) + "` (" + std::to_string(pieces.size()) + " pieces), and kustomize fails the build",
         "use an index from 0 to " + std::to_string(pieces.size() - 1));
    return false;
  }
  out->node.text = pieces[o.index];
  out->node.kind = n->kind == NodeKind::String ? NodeKind::String : parser::resolve_plain_scalar(out->node.text);
  return true;
}

// kustomize's setFieldValue: a delimiter splices the value into the field's pieces; a scalar
// takes the text only (a string stays a string: "32" for 32; a field the path made takes the
// type its text reads as); a mapping or list is replaced by the value.
bool Replacer::set_field(RNode* field, bool made, const Value& value, const Kustomization::FieldOptions& o,
                         std::string* error) {
  std::string_view text = value.node.is_scalar() ? value.node.text : std::string_view();
  if (!o.delimiter.text.empty()) {
    if (!field->is_scalar()) {
      *error = "options.delimiter splits a scalar, and the field is a " + std::string(parser::node_kind_name(field->kind));
      return false;
    }
    std::vector<std::string_view> pieces = split(field->text, o.delimiter.text);
    if (o.index < 0) {
      pieces.insert(pieces.begin(), value.node.text);
    } else if (static_cast<size_t>(o.index) >= pieces.size()) {
      pieces.push_back(value.node.text);
    } else {
      pieces[o.index] = value.node.text;
    }
    std::string joined;
    for (size_t i = 0; i < pieces.size(); ++i) joined += (i ? std::string(o.delimiter.text) : "") + std::string(pieces[i]);
    text = std::string_view(text_->copy_text(joined.data(), joined.size()), joined.size());
  }
  if (!field->is_scalar()) {
    *field = value.node;
    return true;
  }
  bool string = !made && field->kind == NodeKind::String;
  field->kind = string ? NodeKind::String : parser::resolve_plain_scalar(text);
  field->quoted = string && field->quoted;
  field->text = text;
  field->pos = value.node.pos;
  return true;
}

bool Replacer::copy_to(Resource* target, const Value& value, const Kustomization::Replacement::Target& t) {
  std::vector<Entry> paths = t.field_paths;
  if (paths.empty()) paths.push_back({kDefaultFieldPath, t.pos});
  const Kustomization::FieldOptions& o = t.options;
  std::optional<NodeKind> create;
  if (o.create) create = value.node.kind;
  for (const Entry& fp : paths) {
    std::string set_error;
    auto set = [&](RNode& field, bool made) { return set_field(&field, made, value, o, &set_error); };
    std::vector<std::string_view> path;
    for (const std::string& part : split_field_path(fp.text))
      path.emplace_back(text_->copy_text(part.data(), part.size()), part.size());
    Matcher m(path, create, fp.pos, set);
    bool ok = m.walk(target->tree, 0, false);
    if (ok && m.matched() > 0) continue;
    std::string why = !set_error.empty() ? set_error : m.error();
    fail(fp.pos,
         "kustomize cannot " + std::string(o.create ? "find or make" : "find") + " `" + std::string(fp.text) + "` in " +
             target->id().describe() + ", which the replacement's target selects" + (why.empty() ? "" : " (" + why + ")") +
             ", and fails the build (\"unable to find field ... in replacement target\")",
         o.create ? "correct the field path"
                  : "correct the field path, narrow the target with `reject`, or set `options.create: true` to add the field");
    return false;
  }
  return true;
}

// The resources a target selects (by id and labels) and does not reject; nullopt, with a
// finding, when a label or annotation selector does not parse.
std::optional<std::vector<Resource*>> Replacer::selected(const Kustomization::Replacement::Target& t,
                                                         std::vector<Resource>* ra) {
  std::vector<const Kustomization::Selector*> selectors{&*t.select};
  for (const Kustomization::Selector& reject : t.reject) selectors.push_back(&reject);
  std::vector<std::vector<Requirement>> labels, annotations;
  for (const Kustomization::Selector* s : selectors)
    for (auto [out, e] : {std::pair{&labels, &s->label_selector}, std::pair{&annotations, &s->annotation_selector}}) {
      std::string error;
      std::optional<std::vector<Requirement>> parsed = parse_label_selector(e->text, &error);
      if (!parsed) {
        fail(e->pos, "`" + std::string(e->text) + "` is not a selector (" + error + "), and kustomize refuses the target",
             "write it as kubectl -l takes it: `app=web,tier in (front,back)`");
        return std::nullopt;
      }
      out->push_back(std::move(*parsed));
    }
  std::vector<Resource*> out;
  for (Resource& res : *ra) {
    auto label = [&](std::string_view key) { return metadata_value(res.tree, "labels", key); };
    auto annotation = [&](std::string_view key) { return metadata_value(res.tree, "annotations", key); };
    auto meta_matches = [&](size_t i) { return selector_matches(labels[i], label) && selector_matches(annotations[i], annotation); };
    bool in = meta_matches(0) && any_id_selected_by(res, *t.select);
    for (size_t i = 1; in && i < selectors.size(); ++i) {
      const Kustomization::Selector& reject = *selectors[i];
      bool by_meta = !reject.label_selector.text.empty() || !reject.annotation_selector.text.empty();
      if ((by_meta && meta_matches(i)) || (!id_empty(reject) && any_id_selected_by(res, reject))) in = false;
    }
    if (in) out.push_back(&res);
  }
  return out;
}

bool Replacer::apply(const Kustomization::Replacement& r, std::vector<Resource>* ra) {
  if ((!r.source && !r.source_value) || !r.targets) {
    fail(r.pos,
         "a replacement needs a `source` (or a `sourceValue`) and `targets`, and kustomize refuses one without "
         "(\"replacements must specify a source and at least one target\")",
         "add the missing field");
    return false;
  }
  if (r.source && r.source_value) {
    fail(r.pos,
         "a replacement has both `source` and `sourceValue`, and kustomize refuses to choose (\"value and resource "
         "selectors are mutually exclusive\")",
         "keep one of them");
    return false;
  }
  Value value;
  if (!source_value(r, *ra, &value)) return false;
  for (const Kustomization::Replacement::Target& t : *r.targets) {
    if (!t.select) {
      fail(t.pos, "a replacement target needs `select`, and kustomize refuses one without (\"target must specify resources to select\")",
           "add `select:` with the kind (and name) of the resources to change");
      return false;
    }
    std::optional<std::vector<Resource*>> targets = selected(t, ra);
    if (!targets) return false;
    for (Resource* res : *targets)
      if (!copy_to(res, value, t)) return false;
  }
  return true;
}

}  // namespace kmc::kustomize
