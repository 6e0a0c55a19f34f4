#include "kustomize/strategic_merge.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

// A port of kyaml's walk (yaml/walk), its Merger visitor (yaml/merge2) and the list and field
// primitives they use (ElementSetter, ElementMatcher, FieldMatcher), decision for decision:
// kustomize's output depends on their quirks (a list item without its merge key, an empty map
// in a list), and the differential test holds kmc to it. kyaml works on shared nodes; here a
// walk returns a pointer to the node the merged value is: the target's (merged in place), the
// patch's, or one the merge made.
namespace kmc::kustomize {

namespace {

enum class Directive { Unknown, Replace, Delete, Merge };

bool missing_or_null(const RNode* n) { return n == nullptr || n->kind == NodeKind::Null; }
bool empty_map(const RNode* n) { return missing_or_null(n) || (n->is_map() && n->kids.empty()); }
bool nil_or_empty(const RNode* n) {
  return missing_or_null(n) || ((n->is_map() || n->is_seq()) && n->kids.empty());
}
// yaml.v3's Node.Value: a scalar's text, "" for a mapping or a sequence.
std::string_view value_of(const RNode* n) { return n == nullptr || !n->is_scalar() ? std::string_view() : n->text; }

enum class Shape { None, Map, Seq, Scalar };
Shape shape_of(const RNode* n) {
  if (missing_or_null(n)) return Shape::None;
  return n->is_map() ? Shape::Map : n->is_seq() ? Shape::Seq : Shape::Scalar;
}
std::string_view shape_name(Shape s) {
  return s == Shape::Map ? "MappingNode" : s == Shape::Seq ? "SequenceNode" : "ScalarNode";
}

// The field `name` of a mapping (the last, as yaml.v3's lookup finds duplicates), or nullptr.
RNode* field_of(RNode* map, std::string_view name) {
  if (map == nullptr || !map->is_map()) return nullptr;
  RNode* found = nullptr;
  for (size_t i = 0; i + 1 < map->kids.size(); i += 2)
    if (map->kids[i].text == name) found = &map->kids[i + 1];
  return found;
}

struct Walked {
  RNode* node = nullptr;  // nullptr: the field or item is cleared
  bool keep_null = false;  // a null the target set explicitly, kept
};

class Merger {
 public:
  explicit Merger(Arena* text) : text_(text) {}
  Walked walk(RNode* dest, RNode* origin, const MergeSchema& schema);
  bool failed() const { return !error_.empty(); }
  std::string error() const { return error_; }

 private:
  Walked walk_map(RNode* dest, RNode* origin, const MergeSchema& schema);
  Walked walk_associative(RNode* dest, RNode* origin, const MergeSchema& schema);
  bool present_merge(RNode* origin, RNode** merged);
  Walked set_elements(std::vector<std::vector<std::string>> values_list, const std::vector<std::string>& keys,
                      RNode* dest, RNode* origin, const MergeSchema& schema);
  void set_field(RNode* map, std::string_view key, Position key_pos, Walked value);
  Directive directive(RNode* patch, bool report);
  RNode* field_matcher(RNode* elem, std::string_view name, std::string_view value, bool match_value);
  void element_setter(RNode* list, const RNode* element, std::vector<std::string> keys,
                      const std::vector<std::string>& values);
  RNode* element_list(RNode* list, const std::vector<std::string>& keys, const std::vector<std::string>& values);
  void append_list_node(RNode* dst, const RNode& src, const std::vector<std::string>& keys);
  RNode* make(RNode n) { return &made_.emplace_back(std::move(n)); }
  std::string_view keep(const std::string& text) {
    return text.empty() ? std::string_view() : std::string_view(text_->copy_text(text.data(), text.size()), text.size());
  }
  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

  std::string error_;
  std::deque<RNode> made_;  // lists the merge builds: stable addresses
  Arena* text_;  // text of the values it makes: the render's, as the trees outlive the merge
};

Walked Merger::walk(RNode* dest, RNode* origin, const MergeSchema& schema) {
  Shape shape = shape_of(dest) != Shape::None ? shape_of(dest) : shape_of(origin);
  for (const RNode* n : {dest, origin}) {
    Shape s = shape_of(n);
    if (s != Shape::None && shape != Shape::None && s != shape) {
      fail("wrong node kind: expected " + std::string(shape_name(shape)) + " but got " +
           std::string(shape_name(s)) + ": a patch value has another shape than the value it patches");
      return {};
    }
  }
  switch (shape) {
    case Shape::Seq:
      if (schema.associative()) return walk_associative(dest, origin, schema);
      return {origin != nullptr ? origin : dest};  // a list without a merge strategy is replaced
    case Shape::Scalar:
      return {origin != nullptr ? origin : dest};
    default:
      return walk_map(dest, origin, schema);
  }
}

// kyaml's VisitMap and VisitList where the target has the value: a null in the patch clears it,
// `$patch: delete` too, `$patch: replace` takes the patch's; false when it is cleared.
bool Merger::present_merge(RNode* origin, RNode** merged) {
  if (origin != nullptr && origin->is_null()) return false;
  Directive d = directive(origin, true);
  if (failed() || d == Directive::Delete) return false;
  if (d == Directive::Replace) *merged = origin;
  return true;
}

Walked Merger::walk_map(RNode* dest, RNode* origin, const MergeSchema& schema) {
  RNode* merged = dest;
  if (missing_or_null(dest)) {
    if (directive(origin, false) == Directive::Delete) return {};
    // A null the target wrote ("null", "~", not an empty value) stays when the patch says nothing.
    if (origin == nullptr && dest != nullptr && !dest->text.empty()) return {dest, true};
    merged = origin;
    if (merged == nullptr) return {};
  } else if (!present_merge(origin, &merged)) {
    return {};
  }
  std::set<std::string_view> names;
  for (const RNode* source : {static_cast<const RNode*>(merged), static_cast<const RNode*>(origin)})
    if (source != nullptr && source->is_map())
      for (size_t i = 0; i + 1 < source->kids.size(); i += 2) names.insert(source->kids[i].text);
  for (std::string_view name : names) {
    RNode* patch_value = field_of(origin, name);
    Position key_pos = merged->pos;
    if (origin != nullptr && origin->is_map())
      for (size_t i = 0; i + 1 < origin->kids.size(); i += 2)
        if (origin->kids[i].text == name) key_pos = origin->kids[i].pos;
    Walked value = walk(field_of(merged, name), patch_value, schema.field(name));
    if (failed()) return {};
    set_field(merged, name, key_pos, value);
  }
  return {merged};
}

// kyaml's FieldSetter: a cleared value or a null removes the field (an explicit null of the
// target's is kept); a present field gets the value in place, a new one goes last.
void Merger::set_field(RNode* map, std::string_view key, Position key_pos, Walked value) {
  if (!map->is_map()) return;
  if (value.node == nullptr || (value.node->kind == NodeKind::Null && !value.keep_null)) {
    map->erase(key);
    return;
  }
  RNode* current = map->get(key);
  if (current == value.node) return;
  RNode copy = *value.node;
  if (current != nullptr) {
    *current = std::move(copy);
    return;
  }
  map->kids.push_back(RNode::string(key, key_pos));
  map->kids.push_back(std::move(copy));
}

Walked Merger::walk_associative(RNode* dest, RNode* origin, const MergeSchema& schema) {
  RNode* merged = dest;
  if (missing_or_null(dest)) {
    merged = origin;
  } else if (!present_merge(origin, &merged)) {
    return {};
  }
  std::vector<std::string> keys;
  for (std::string_view k : schema.keys()) keys.emplace_back(k);
  // The items' key values, the patch's items first, each once.
  std::vector<std::vector<std::string>> values;
  std::set<std::vector<std::string>> seen;
  for (RNode* source : {origin, merged}) {
    if (source == nullptr || !source->is_seq()) continue;
    for (RNode& item : source->kids) {
      std::vector<std::string> v;
      for (const std::string& key : keys) {
        RNode* f = field_of(&item, key);
        v.emplace_back(nil_or_empty(f) ? std::string_view() : value_of(f));
      }
      if (!v.empty() && seen.insert(v).second) values.push_back(std::move(v));
    }
  }
  if (!values.empty() || !keys.empty()) return set_elements(std::move(values), keys, merged, origin, schema);
  // A list of scalars (finalizers): merged as a set of values.
  std::set<std::string_view> seen_values;
  for (RNode* source : {origin, merged}) {
    if (source == nullptr) continue;
    for (RNode& item : source->kids)
      if (seen_values.insert(value_of(&item)).second) values.push_back({std::string(value_of(&item))});
  }
  return set_elements(std::move(values), {""}, merged, origin, schema);
}

// Two items' key values match when they share one and differ only where one is empty (a
// containerPort without its protocol); the match fills the empty ones.
std::optional<std::vector<std::string>> match(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return std::nullopt;
  bool common = false;
  std::vector<std::string> out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) {
      common = true;
      out.push_back(a[i]);
    } else if (!a[i].empty() && !b[i].empty()) {
      return std::nullopt;
    } else {
      out.push_back(a[i].empty() ? b[i] : a[i]);
    }
  }
  if (!common) return std::nullopt;
  return out;
}

// The keys some item has a value for, and `values` for those (all of them when none has).
std::pair<std::vector<std::string>, std::vector<std::string>> valid_keys(
    const std::vector<std::vector<std::string>>& values_list, const std::vector<std::string>& values,
    const std::vector<std::string>& keys) {
  std::set<std::string> valid;
  for (const std::vector<std::string>& vs : values_list)
    for (size_t i = 0; i < vs.size() && i < keys.size(); ++i)
      if (!vs[i].empty()) valid.insert(keys[i]);
  if (valid.empty()) return {keys, values};
  std::pair<std::vector<std::string>, std::vector<std::string>> out;
  for (const std::string& k : keys)
    if (valid.count(k)) out.first.push_back(k);
  for (size_t i = 0; i < values.size() && i < keys.size(); ++i)
    if (!values[i].empty() || valid.count(keys[i])) out.second.push_back(values[i]);
  return out;
}

Walked Merger::set_elements(std::vector<std::vector<std::string>> values_list, const std::vector<std::string>& keys,
                            RNode* dest, RNode* origin, const MergeSchema& schema) {
  RNode* items = make(RNode::seq(dest->pos));
  MergeSchema item_schema = schema.elements();
  if (keys.size() > 1)
    for (size_t i = 0; i < values_list.size(); ++i) {
      std::vector<std::string> first = values_list[i];  // as Go's range reads it, once
      for (auto& second : values_list)
        if (auto merged = match(first, second)) values_list[i] = second = *merged;
    }
  std::pair<std::vector<std::string>, std::vector<std::string>> valid;
  for (const std::vector<std::string>& values : values_list) {
    if (values.empty()) continue;
    valid = valid_keys(values_list, values, keys);
    auto [k, v] = valid_keys({valid.second}, valid.second, valid.first);
    Walked item = walk(element_list(dest, k, v), element_list(origin, k, v), item_schema);
    if (failed()) return {};
    if (missing_or_null(item.node) || empty_map(item.node)) {
      element_setter(dest, nullptr, valid.first, valid.second);  // `$patch: delete` on an item
      if (failed()) return {};
      continue;
    }
    // The item carries the key values it was matched by (a protocol another item filled in).
    for (size_t i = 0; i < valid.first.size() && i < valid.second.size(); ++i) {
      if (!item.node->is_map() || valid.second[i].empty() || field_of(item.node, valid.first[i]) != nullptr) continue;
      item.node->kids.push_back(RNode::string(keep(valid.first[i]), item.node->pos));
      item.node->kids.push_back(RNode::string(keep(valid.second[i]), item.node->pos));
    }
    element_setter(items, item.node, valid.first, valid.second);
    if (failed()) return {};
  }
  if (values_list.empty()) return {missing_or_null(dest) ? nullptr : dest};
  append_list_node(items, *dest, valid.first);
  if (failed()) return {};
  return {items};
}

// kyaml's determineSmpDirective: the `$patch` of a map, or of a list's item that holds nothing
// else; removed from the patch once read. `report`: an unknown directive fails the merge.
Directive Merger::directive(RNode* patch, bool report) {
  if (patch == nullptr) return Directive::Merge;
  std::string_view v;
  if (patch->is_seq()) {
    RNode* holder = nullptr;
    for (RNode& item : patch->kids)
      if (item.is_map() && field_of(&item, "$patch") != nullptr) {
        holder = &item;
        break;
      }
    if (holder == nullptr || holder->pairs() > 1) return Directive::Merge;
    v = value_of(field_of(holder, "$patch"));
  } else if (patch->is_map()) {
    RNode* field = field_of(patch, "$patch");
    if (field == nullptr) return Directive::Merge;
    v = value_of(field);
  } else {
    if (report) fail("no strategic merge patch directive applies to a scalar value");
    return Directive::Unknown;
  }
  Directive d = v == "delete" ? Directive::Delete : v == "replace" ? Directive::Replace
                : v == "merge" ? Directive::Merge : Directive::Unknown;
  if (d == Directive::Unknown) {
    if (report) fail("unknown patch strategy '" + std::string(v) + "': `$patch` is delete, replace or merge");
    return d;
  }
  std::string value(v);
  if (patch->is_seq()) {
    element_setter(patch, nullptr, {"$patch"}, {value});
  } else {
    patch->erase("$patch");
  }
  return d;
}

// kyaml's FieldMatcher: the field `name` of map `elem` (its value equal to `value` when
// `match_value`), or `elem` itself, when `name` is empty, if its text is `value`.
RNode* Merger::field_matcher(RNode* elem, std::string_view name, std::string_view value, bool match_value) {
  if (missing_or_null(elem)) return nullptr;
  if (name.empty()) {
    if (!elem->is_scalar()) {
      fail("wrong node kind: expected ScalarNode: a list merged as a set of values holds a mapping");
      return nullptr;
    }
    return elem->text == value ? elem : nullptr;
  }
  if (!elem->is_map()) {
    fail("wrong node kind: expected MappingNode: a list merged by key holds an item that is not a mapping");
    return nullptr;
  }
  RNode* found = nullptr;
  for (size_t i = 0; i + 1 < elem->kids.size(); i += 2)
    if (elem->kids[i].text == name && (!match_value || value_of(&elem->kids[i + 1]) == value))
      found = &elem->kids[i + 1];
  return found;
}

// kyaml's ElementSetter: in `list`, each item whose `keys` have `values` is replaced by
// `element` (removed when there is none), which is appended when no item matched. Empty items
// go on the way; so do items that do not match when `values` is empty.
void Merger::element_setter(RNode* list, const RNode* element, std::vector<std::string> keys,
                            const std::vector<std::string>& values) {
  if (keys.empty()) keys.emplace_back();
  if (list == nullptr || !list->is_seq()) {
    fail("wrong node kind: expected SequenceNode");
    return;
  }
  std::optional<RNode> set;
  if (element != nullptr) set = *element;
  bool mapping_setter = !keys[0].empty() && !values.empty() && !values[0].empty();
  std::vector<RNode> kept;
  bool matched = false;
  for (RNode& item : list->kids) {
    if (empty_map(&item)) continue;
    if (!item.is_map() && mapping_setter) {
      kept.push_back(std::move(item));
      continue;
    }
    bool found = true;
    RNode* value = nullptr;
    for (size_t j = 0; j < keys.size(); ++j) {
      if (j < values.size()) value = field_matcher(&item, keys[j], values[j], !values[j].empty());
      if (failed()) return;
      if (value == nullptr) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (!values.empty()) kept.push_back(std::move(item));
      continue;
    }
    matched = true;
    if (set) kept.push_back(*set);
  }
  list->kids = std::move(kept);
  if (!set || missing_or_null(&*set)) return;
  if (!matched) list->kids.push_back(std::move(*set));
}

// kyaml's ElementMatcher: the first item of `list` whose `keys` have `values` (a scalar item
// whose text is values[0] when the key is empty), or nullptr.
RNode* Merger::element_list(RNode* list, const std::vector<std::string>& keys,
                            const std::vector<std::string>& values) {
  if (list == nullptr || !list->is_seq()) return nullptr;
  std::string_view first_key = keys.empty() ? std::string_view() : std::string_view(keys[0]);
  std::string_view first_value = values.empty() ? std::string_view() : std::string_view(values[0]);
  if (first_key.empty()) {
    for (RNode& item : list->kids)
      if (value_of(&item) == first_value) return &item;
    return nullptr;
  }
  if (keys.size() != values.size()) return nullptr;
  for (RNode& item : list->kids) {
    if (!item.is_map()) continue;
    bool all = true;
    for (size_t i = 0; i < keys.size() && all; ++i) {
      RNode* f = field_of(&item, keys[i]);
      all = f != nullptr && value_of(f) == values[i];
    }
    if (all) return &item;
  }
  return nullptr;
}

// kyaml's appendListNode: each item of `src` set into `dst` by its key values (replacing the
// item with the same ones, else appended).
void Merger::append_list_node(RNode* dst, const RNode& src, const std::vector<std::string>& keys) {
  for (const RNode& item : src.kids) {
    if (keys.empty() || keys[0].empty()) {
      element_setter(dst, &item, {""}, {std::string(value_of(&item))});
      if (failed()) return;
      continue;
    }
    std::vector<std::string> v;
    for (const std::string& key : keys) {
      if (missing_or_null(&item)) {
        dst->kids.push_back(item);
        continue;
      }
      if (!item.is_map()) {
        fail("wrong node kind: expected MappingNode: a list merged by key holds an item that is not a mapping");
        return;
      }
      const RNode* value = field_of(const_cast<RNode*>(&item), key);
      if (value == nullptr) {
        dst->kids.push_back(item);  // no key: appended as it is
        continue;
      }
      v.emplace_back(value_of(value));
    }
    if (keys.size() > 1) element_setter(dst, nullptr, keys, v);
    element_setter(dst, &item, keys, v);
    if (failed()) return;
  }
}

}  // namespace

MergeResult strategic_merge(RNode* target, RNode patch, Arena* text) {
  MergeResult out;
  // kustomize restores these after the merge (unless a patch option allows a change).
  const RNode* meta = target->get("metadata");
  std::optional<RNode> kind, name, ns;
  if (const RNode* k = target->get("kind")) kind = *k;
  if (const RNode* n = meta ? meta->get("name") : nullptr) name = *n;
  if (const RNode* n = meta ? meta->get("namespace") : nullptr) ns = *n;
  MergeSchema schema = MergeSchema::of_kind(target->get_text("apiVersion"), target->get_text("kind"));
  Merger merger(text);
  Walked w = merger.walk(target, &patch, schema);
  if (merger.failed()) {
    out.ok = false;
    out.error = merger.error();
    return out;
  }
  if (w.node == nullptr || empty_map(w.node)) {
    out.deleted = true;
    return out;
  }
  if (w.node != target) *target = *w.node;
  if (kind) target->set("kind", *kind, kind->pos);
  RNode& metadata = target->map_at("metadata", target->pos);
  if (name) metadata.set("name", *name, name->pos);
  if (ns && !ns->text.empty()) {
    metadata.set("namespace", *ns, ns->pos);
  } else {
    metadata.erase("namespace");
  }
  return out;
}

}  // namespace kmc::kustomize
