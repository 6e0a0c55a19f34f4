#include "kustomize/generator.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/rule_catalogue.h"
#include "kustomize/report.h"

namespace kmc::kustomize {

namespace {


bool utf8_valid(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t j = 1; j < n; ++j)
      if ((static_cast<unsigned char>(s[i + j]) >> 6) != 0x2) return false;
    uint32_t cp = n == 1 ? c : c & (0x7f >> n);
    for (size_t j = 1; j < n; ++j) cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3f);
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n;
  }
  return true;
}

// kyaml's encodeBase64: standard base64 in lines of 70, each ended by a newline when there is more
// than one.
std::string base64_lines(std::string_view s) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string enc;
  for (size_t i = 0; i < s.size(); i += 3) {
    uint32_t v = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) v |= static_cast<unsigned char>(s[i + 1]) << 8;
    if (i + 2 < s.size()) v |= static_cast<unsigned char>(s[i + 2]);
    enc += kAlphabet[(v >> 18) & 63];
    enc += kAlphabet[(v >> 12) & 63];
    enc += i + 1 < s.size() ? kAlphabet[(v >> 6) & 63] : '=';
    enc += i + 2 < s.size() ? kAlphabet[v & 63] : '=';
  }
  constexpr size_t kLine = 70;
  size_t lines = enc.size() / kLine + 1;
  if (lines == 1) return enc;
  std::string out;
  for (size_t i = 0; i < enc.size(); i += kLine) out += enc.substr(i, kLine) + "\n";
  return out;
}

// Kubernetes' IsConfigMapKey: what a data key may be.
bool config_map_key(std::string_view k) {
  if (k.empty() || k.size() > 253 || k == "." || k == "..") return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

// Kubernetes' IsEnvVarName: what a key of an env file may be.
bool env_var_name(std::string_view k) {
  if (k.empty() || (k[0] >= '0' && k[0] <= '9')) return false;
  return config_map_key(k) || k == "." || k == "..";
}

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\v' || s[0] == '\f')) s.remove_prefix(1);
  return s;
}

// generatorOptions under the generator's own options: its labels and annotations win, either's
// disableNameSuffixHash or immutable counts.
Kustomization::GeneratorOptions merged_options(const Kustomization& k, const Kustomization::Generator& g) {
  Kustomization::GeneratorOptions o = g.options.value_or(Kustomization::GeneratorOptions{});
  if (!k.generator_options) return o;
  const Kustomization::GeneratorOptions& global = *k.generator_options;
  auto merge = [](std::vector<std::pair<Entry, Entry>>* local, const std::vector<std::pair<Entry, Entry>>& more) {
    for (const auto& p : more)
      if (std::none_of(local->begin(), local->end(), [&](const auto& l) { return l.first.text == p.first.text; }))
        local->push_back(p);
  };
  merge(&o.labels, global.labels);
  merge(&o.annotations, global.annotations);
  o.disable_hash = o.disable_hash || global.disable_hash;
  o.immutable = o.immutable || global.immutable;
  return o;
}

RNode string_map(const std::vector<std::pair<Entry, Entry>>& pairs, Position pos) {
  std::map<std::string_view, const std::pair<Entry, Entry>*> sorted;
  for (const auto& p : pairs) sorted[p.first.text] = &p;
  RNode m = RNode::map(pos);
  for (const auto& [key, p] : sorted) m.set(key, RNode::string(p->second.text, p->second.pos), p->first.pos);
  return m;
}

}  // namespace

void Generators::invalid(Position pos, std::string message, std::string_view fix) {
  report(findings_, RuleId::KustomizeInvalid, pos, std::move(message), fix);
}

std::string_view Generators::keep(const std::string& s) {
  return s.empty() ? std::string_view() : std::string_view(text_->copy_text(s.data(), s.size()), s.size());
}

// The key-value pairs of the generator's sources, in kustomize's order: env files, literals, files.
bool Generators::data(const Kustomization& k, const Kustomization::Generator& g, Pairs* pairs) {
  return env_pairs(k, g, pairs) && literal_pairs(g, pairs) && file_pairs(k, g, pairs) && valid_keys(g, *pairs);
}

// An env file's KEY=value lines (a line without `=` is the key with an empty value).
bool Generators::env_pairs(const Kustomization& k, const Kustomization::Generator& g, Pairs* pairs) {
  for (const Entry& e : g.envs) {
    std::optional<std::string> text = read_(k, e, std::string(e.text));
    if (!text) return false;
    std::string_view rest = *text;
    if (rest.starts_with("\xef\xbb\xbf")) rest.remove_prefix(3);
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      line = trim_left(line);
      if (line.empty() || line[0] == '#') continue;
      size_t eq = line.find('=');
      std::string key(line.substr(0, eq));
      if (!env_var_name(key)) {
        invalid(e.pos, "`" + key + "` in env file `" + std::string(e.text) +
                           "` is not a valid environment variable name, and kustomize refuses it",
                "keys are letters, digits, `-`, `_` and `.`, not starting with a digit; write KEY=value lines");
        return false;
      }
      pairs->push_back({key, {eq == std::string_view::npos ? std::string() : std::string(line.substr(eq + 1)), e.pos}});
    }
  }
  return true;
}

// KEY=value, the value's enclosing quotes taken off.
bool Generators::literal_pairs(const Kustomization::Generator& g, Pairs* pairs) {
  for (const Entry& e : g.literals) {
    size_t eq = e.text.find('=');
    if (eq == 0 || eq == std::string_view::npos) {
      invalid(e.pos, "the literal `" + std::string(e.text) + "` is not key=value, and kustomize refuses it",
              "write it as KEY=value");
      return false;
    }
    std::string value(e.text.substr(eq + 1));
    if (value.size() >= 2 && value.front() == value.back() && (value[0] == '"' || value[0] == '\''))
      value = value.substr(1, value.size() - 2);
    pairs->push_back({std::string(e.text.substr(0, eq)), {value, e.pos}});
  }
  return true;
}

// A file whole, under its base name or the key written before `=`.
bool Generators::file_pairs(const Kustomization& k, const Kustomization::Generator& g, Pairs* pairs) {
  for (const Entry& e : g.files) {
    std::string_view source = e.text;
    size_t separators = std::count(source.begin(), source.end(), '=');
    std::string key, path;
    if (separators == 0) {
      path = std::string(source);
      size_t slash = path.find_last_of('/');
      key = slash == std::string::npos ? path : path.substr(slash + 1);
    } else if (separators == 1 && !source.starts_with("=") && !source.ends_with("=")) {
      key = std::string(source.substr(0, source.find('=')));
      path = std::string(source.substr(source.find('=') + 1));
    } else {
      invalid(e.pos, "`" + std::string(source) + "` is neither a path nor key=path, and kustomize refuses it",
              "write the file's path, or KEY=path to name its key");
      return false;
    }
    std::optional<std::string> text = read_(k, Entry{keep(path), e.pos}, path);
    if (!text) return false;
    pairs->push_back({key, {std::move(*text), e.pos}});
  }
  return true;
}

bool Generators::valid_keys(const Kustomization::Generator& g, const Pairs& pairs) {
  std::set<std::string> seen;
  for (const auto& [key, value] : pairs) {
    if (!config_map_key(key)) {
      invalid(value.second, "`" + key + "` is not a valid data key, and kustomize refuses it",
              "keys are letters, digits, `-`, `_` and `.`");
      return false;
    }
    if (!seen.insert(key).second) {
      invalid(value.second, "the generator `" + std::string(g.name.text) + "` repeats the key `" + key +
                                "`, and kustomize refuses it (\"illegally repeats the key\")",
              "keep one source for each key");
      return false;
    }
  }
  return true;
}

std::optional<Resource> Generators::make(const Kustomization& k, const Kustomization::Generator& g) {
  if (g.name.text.empty()) {
    invalid(g.pos, std::string(g.secret ? "a secretGenerator" : "a configMapGenerator") +
                       " entry needs a name, and kustomize refuses one without",
            "add `name:`");
    return std::nullopt;
  }
  Pairs pairs;
  if (!data(k, g, &pairs)) return std::nullopt;
  Kustomization::GeneratorOptions options = merged_options(k, g);
  RNode obj = RNode::map(g.pos);
  obj.set("apiVersion", RNode::string("v1", g.pos), g.pos);
  obj.set("kind", RNode::string(g.secret ? "Secret" : "ConfigMap", g.pos), g.pos);
  RNode& meta = obj.map_at("metadata", g.pos);
  meta.set("name", RNode::string(g.name.text, g.name.pos), g.name.pos);
  if (!g.ns.text.empty()) meta.set("namespace", RNode::string(g.ns.text, g.ns.pos), g.ns.pos);
  if (!options.labels.empty()) meta.set("labels", string_map(options.labels, g.pos), g.pos);
  if (!options.annotations.empty()) meta.set("annotations", string_map(options.annotations, g.pos), g.pos);
  // `meta` is not used past here: adding the object's other fields may move it.
  if (g.secret) {
    Entry type = g.type.text.empty() ? Entry{"Opaque", g.pos} : g.type;
    obj.set("type", RNode::string(type.text, type.pos), type.pos);
  }
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [key, value] : pairs) {
    bool text = !g.secret && utf8_valid(value.first);
    std::string stored = text ? value.first : base64_lines(value.first);
    RNode& into = obj.map_at(text || g.secret ? "data" : "binaryData", g.pos);
    RNode v = RNode::string(keep(stored), value.second);
    v.quoted = true;  // a string, whatever it reads as
    into.set(keep(key), std::move(v), value.second);
  }
  if (options.immutable) {
    RNode t = RNode::string("true", g.pos);
    t.kind = NodeKind::Bool;
    obj.set("immutable", t, g.pos);
  }
  Resource r{std::move(obj), k.file, {}, {}, {}};
  r.needs_hash = !options.disable_hash;
  return r;
}

namespace {

// What a merged or replacing object takes from the one it replaces: its labels and annotations
// under its own, its name and namespace, and for a merge its data under its own.
void take_over(const Resource& old, bool merge, Resource* made_resource) {
  Resource& made = *made_resource;
  RNode& meta = made.tree.map_at("metadata", made.tree.pos);
  const RNode* old_meta = old.tree.get("metadata");
  // Labels and annotations: the old ones under the new; name and namespace: the old.
  for (std::string_view field : {"labels", "annotations"}) {
    const RNode* from = old_meta ? old_meta->get(field) : nullptr;
    if (from == nullptr || !from->is_map()) continue;
    RNode& to = meta.map_at(field, from->pos);
    for (size_t i = 0; i < from->pairs(); ++i)
      if (to.get(from->key(i).text) == nullptr) to.set(from->key(i).text, from->value(i), from->key(i).pos);
  }
  for (std::string_view field : {"name", "namespace"}) {
    const RNode* v = old_meta ? old_meta->get(field) : nullptr;
    if (v != nullptr) meta.set(field, *v, v->pos);
    else meta.erase(field);
  }
  if (merge)
    for (std::string_view field : {"data", "binaryData"}) {
      const RNode* from = old.tree.get(field);
      if (from == nullptr || !from->is_map()) continue;
      RNode& to = made.tree.map_at(field, from->pos);
      for (size_t i = 0; i < from->pairs(); ++i)
        if (to.get(from->key(i).text) == nullptr) to.set(from->key(i).text, from->value(i), from->key(i).pos);
    }
}

}  // namespace

// kustomize's appendReplaceOrMerge: a new object is appended; one with the id of an object the
// resources have merges into it or replaces it, as the behaviour says.
bool Generators::absorb(const Kustomization::Generator& g, Resource made, std::vector<Resource>* ra) {
  ResId id = made.id();
  std::vector<Resource*> matches;
  for (Resource& r : *ra) {
    bool any = r.id().same(id);
    for (const ResId& p : r.previous) any = any || p.same(id);
    if (any) matches.push_back(&r);
  }
  std::string_view behavior = g.behavior.text.empty() ? "create" : g.behavior.text;
  Position at = g.behavior.text.empty() ? g.pos : g.behavior.pos;
  if (behavior != "create" && behavior != "merge" && behavior != "replace") {
    invalid(at, "`" + std::string(behavior) + "` is not a generator behavior, and kustomize refuses it",
            "write create (the default), merge or replace");
    return false;
  }
  if (matches.size() > 1) {
    invalid(at, "several resources are " + id.describe() + ", and kustomize cannot tell which to merge into",
            "give the generated object a name of its own");
    return false;
  }
  if (matches.empty()) {
    if (behavior == "create") {
      ra->push_back(std::move(made));
      return true;
    }
    invalid(at, "behavior " + std::string(behavior) + " needs an object " + id.describe() +
                    " from the resources, and there is none, so kustomize fails the build",
            "generate it in a base this kustomization lists, or use behavior create");
    return false;
  }
  Resource& old = *matches.front();
  if (behavior == "create") {
    invalid(at, id.describe() + " exists already, and kustomize refuses to create it twice (\"behavior must be merge "
                                "or replace\")",
            "set `behavior: merge` (or replace) to change the base's object, or give this one another name");
    return false;
  }
  take_over(old, behavior == "merge", &made);
  made.previous = old.previous;
  made.prefixes = old.prefixes;
  made.suffixes = old.suffixes;
  old = std::move(made);
  return true;
}

bool Generators::run(const Kustomization& k, std::vector<Resource>* ra) {
  for (const Kustomization::Generator& g : k.generators) {
    std::optional<Resource> made = make(k, g);
    if (!made || !absorb(g, std::move(*made), ra)) return false;
  }
  return true;
}

}  // namespace kmc::kustomize
