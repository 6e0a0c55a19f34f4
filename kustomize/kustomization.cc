#include "kustomize/kustomization.h"

#include <span>
#include <string>

#include "core/rule_catalogue.h"
#include "kustomize/report.h"

namespace kmc::kustomize {
using parser::NodeKind;

namespace {

// The Go types kustomize decodes a kustomization into, as far as JSON decoding checks them.
enum class Shape : uint8_t { String, Strings, StringMap, BoolMap, Bool, Int, Struct, StructList, Any };

struct FieldShape {
  std::string_view name;
  Shape shape;
  std::span<const FieldShape> fields = {};  // Struct, StructList
};

constexpr FieldShape kFieldSpec[] = {
    {"group", Shape::String}, {"version", Shape::String}, {"kind", Shape::String},
    {"path", Shape::String},  {"create", Shape::Bool},
};
constexpr FieldShape kLabel[] = {
    {"pairs", Shape::StringMap},
    {"includeSelectors", Shape::Bool},
    {"includeTemplates", Shape::Bool},
    {"fields", Shape::StructList, kFieldSpec},
};
constexpr FieldShape kImage[] = {
    {"name", Shape::String},   {"newName", Shape::String}, {"tagSuffix", Shape::String},
    {"newTag", Shape::String}, {"digest", Shape::String},
};
constexpr FieldShape kReplica[] = {{"name", Shape::String}, {"count", Shape::Int}};
constexpr FieldShape kSelector[] = {
    {"group", Shape::String},         {"version", Shape::String},
    {"kind", Shape::String},          {"name", Shape::String},
    {"namespace", Shape::String},     {"labelSelector", Shape::String},
    {"annotationSelector", Shape::String},
};
constexpr FieldShape kPatch[] = {
    {"path", Shape::String},
    {"patch", Shape::String},
    {"target", Shape::Struct, kSelector},
    {"options", Shape::BoolMap},
};
constexpr FieldShape kLegacySortOptions[] = {{"orderFirst", Shape::Strings}, {"orderLast", Shape::Strings}};
constexpr FieldShape kSortOptions[] = {{"order", Shape::String},
                                       {"legacySortOptions", Shape::Struct, kLegacySortOptions}};
constexpr FieldShape kGeneratorOptions[] = {
    {"labels", Shape::StringMap},
    {"annotations", Shape::StringMap},
    {"disableNameSuffixHash", Shape::Bool},
    {"immutable", Shape::Bool},
};
constexpr FieldShape kGenerator[] = {
    {"name", Shape::String},     {"namespace", Shape::String},
    {"behavior", Shape::String}, {"files", Shape::Strings},
    {"literals", Shape::Strings}, {"envs", Shape::Strings},
    {"env", Shape::String},      {"options", Shape::Struct, kGeneratorOptions},
    {"type", Shape::String},  // secretGenerator only; kustomize's one struct type takes it on both
};
constexpr FieldShape kKustomization[] = {
    {"apiVersion", Shape::String},
    {"kind", Shape::String},
    {"metadata", Shape::Any},
    {"openapi", Shape::StringMap},
    {"namePrefix", Shape::String},
    {"nameSuffix", Shape::String},
    {"namespace", Shape::String},
    {"commonLabels", Shape::StringMap},
    {"labels", Shape::StructList, kLabel},
    {"commonAnnotations", Shape::StringMap},
    {"patchesStrategicMerge", Shape::Strings},
    {"patchesJson6902", Shape::StructList, kPatch},
    {"patches", Shape::StructList, kPatch},
    {"images", Shape::StructList, kImage},
    {"imageTags", Shape::StructList, kImage},
    {"replacements", Shape::Any},
    {"replicas", Shape::StructList, kReplica},
    {"vars", Shape::Any},
    {"sortOptions", Shape::Struct, kSortOptions},
    {"resources", Shape::Strings},
    {"components", Shape::Strings},
    {"crds", Shape::Strings},
    {"bases", Shape::Strings},
    {"configMapGenerator", Shape::StructList, kGenerator},
    {"secretGenerator", Shape::StructList, kGenerator},
    {"helmGlobals", Shape::Any},
    {"helmCharts", Shape::Any},
    {"helmChartInflationGenerator", Shape::Any},
    {"generatorOptions", Shape::Struct, kGeneratorOptions},
    {"configurations", Shape::Strings},
    {"generators", Shape::Strings},
    {"transformers", Shape::Strings},
    {"validators", Shape::Strings},
    {"buildMetadata", Shape::Strings},
};

// Fields kustomize v5 still reads but deprecates, with what replaces them.
struct Deprecation {
  std::string_view field, instead;
};
constexpr Deprecation kDeprecated[] = {
    {"bases", "resources"},
    {"commonLabels", "labels"},
    {"imageTags", "images"},
    {"patchesJson6902", "patches"},
    {"patchesStrategicMerge", "patches"},
    {"vars", "replacements"},
    {"helmChartInflationGenerator", "helmCharts"},
};

// Fields kmc never renders: Helm needs helm, plugins run programs.
constexpr std::string_view kUnsupported[] = {
    "helmGlobals", "helmCharts", "helmChartInflationGenerator", "generators", "transformers", "validators",
};
// Fields kmc does not render yet.
constexpr std::string_view kNotYet[] = {
    "replacements", "vars", "configurations", "crds", "openapi", "buildMetadata",
};

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Go's encoding/json matches a key to a field exactly, else ignoring case.
const FieldShape* find_field(std::span<const FieldShape> fields, std::string_view key) {
  for (const FieldShape& f : fields)
    if (f.name == key) return &f;
  for (const FieldShape& f : fields)
    if (ascii_iequal(f.name, key)) return &f;
  return nullptr;
}

bool is_string(const Node& n) { return n.kind == NodeKind::String; }

class Reader {
 public:
  explicit Reader(std::vector<Finding>* findings) : findings_(findings) {}
  bool ok() const { return ok_; }

  void invalid(const Node& at, std::string message, std::string_view fix) {
    ok_ = false;
    report(findings_, RuleId::KustomizeInvalid, at.pos(), std::move(message), fix);
  }

  // Checks `n` against `shape` as kustomize's decoding would; `what` names it in messages.
  void check(const Node& n, const FieldShape& shape, const std::string& what) {
    if (n.is_null()) return;  // JSON null leaves a Go field at its zero value
    switch (shape.shape) {
      case Shape::String:
        if (!is_string(n)) wrong_type(n, what, "a string");
        return;
      case Shape::Bool:
        if (n.kind != NodeKind::Bool) wrong_type(n, what, "true or false");
        return;
      case Shape::Int:
        if (n.kind != NodeKind::Int) wrong_type(n, what, "an integer");
        return;
      case Shape::Strings:
        if (!n.is_seq()) return wrong_type(n, what, "a list of strings");
        for (uint32_t i = 0; i < n.size(); ++i)
          if (!is_string(n.item(i))) wrong_type(n.item(i), what + " entry", "a string");
        return;
      case Shape::StringMap:
      case Shape::BoolMap:
        check_scalar_map(n, shape.shape == Shape::BoolMap, what);
        return;
      case Shape::Struct:
        check_struct(n, shape.fields, what);
        return;
      case Shape::StructList:
        if (!n.is_seq()) return wrong_type(n, what, "a list");
        for (uint32_t i = 0; i < n.size(); ++i) check_struct(n.item(i), shape.fields, what + " entry");
        return;
      case Shape::Any:
        return;
    }
  }

  void check_struct(const Node& n, std::span<const FieldShape> fields, const std::string& what) {
    if (n.is_null()) return;
    if (!n.is_map()) return wrong_type(n, what, "a mapping");
    for (uint32_t i = 0; i < n.size(); ++i) {
      const Node& key = n.key(i);
      const FieldShape* f = key.is_scalar() ? find_field(fields, key.text()) : nullptr;
      if (!f) {
        invalid(key, "kustomize does not know the field `" + std::string(key.text()) + "` of " + what +
                         ", and refuses the kustomization (it decodes it strictly)",
                "remove the field, or correct its name (kustomize's fields are listed at "
                "https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/)");
        continue;
      }
      check(n.value(i), *f, "`" + std::string(f->name) + "`");
    }
  }

 private:
  void wrong_type(const Node& n, const std::string& what, std::string_view expected) {
    std::string_view got = parser::node_kind_name(n.kind);
    std::string article = got.front() == 'i' ? "an " : "a ";
    invalid(n, what + " must be " + std::string(expected) + ", not " + article + std::string(got) +
                   ": kustomize refuses the kustomization",
            n.is_scalar() ? "quote the value if it is meant as text (\"1.0\", \"true\")" : std::string_view());
  }

  void check_scalar_map(const Node& n, bool bools, const std::string& what) {
    if (!n.is_map()) return wrong_type(n, what, bools ? "a mapping of booleans" : "a mapping of strings");
    for (uint32_t i = 0; i < n.size(); ++i) {
      const Node& v = n.value(i);
      if (v.is_null()) continue;
      if (bools ? v.kind != NodeKind::Bool : !is_string(v))
        wrong_type(v, what + " value of `" + std::string(n.key(i).text()) + "`", bools ? "true or false" : "a string");
    }
  }

  std::vector<Finding>* findings_;
  bool ok_ = true;
};

Entry entry(const Node* n) { return n && is_string(*n) ? Entry{n->text(), n->pos()} : Entry{}; }

std::vector<Entry> entries(const Node* list) {
  std::vector<Entry> out;
  if (!list || !list->is_seq()) return out;
  for (uint32_t i = 0; i < list->size(); ++i)
    if (is_string(list->item(i))) out.push_back(entry(&list->item(i)));
  return out;
}

std::vector<std::pair<Entry, Entry>> pairs(const Node* map) {
  std::vector<std::pair<Entry, Entry>> out;
  if (!map || !map->is_map()) return out;
  for (uint32_t i = 0; i < map->size(); ++i) {
    const Node& v = map->value(i);
    // A null value is the empty string, as Go decodes it into a map[string]string.
    Entry value = v.is_null() ? Entry{std::string_view(), v.pos()} : entry(&v);
    out.emplace_back(Entry{map->key(i).text(), map->key(i).pos()}, value);
  }
  return out;
}

// The value under a field, matched as Go's decoding matches it.
const Node* field(const Node& map, std::string_view name) {
  if (const Node* v = map.get(name)) return v;
  for (uint32_t i = 0; i < map.size(); ++i)
    if (map.key(i).is_scalar() && ascii_iequal(map.key(i).text(), name)) return &map.value(i);
  return nullptr;
}

// `labels` entries first, then commonLabels: the order kustomize configures its label transformers.
void read_labels(const Node& root, Kustomization* k) {
  if (const Node* list = field(root, "labels"); list && list->is_seq())
    for (uint32_t i = 0; i < list->size(); ++i) {
      const Node& l = list->item(i);
      if (!l.is_map()) continue;
      Kustomization::Labels labels{pairs(field(l, "pairs")), false, false, {}};
      bool b = false;
      if (const Node* s = field(l, "includeSelectors"); s && s->as_bool(&b)) labels.selectors = b;
      if (const Node* t = field(l, "includeTemplates"); t && t->as_bool(&b)) labels.templates = b;
      if (const Node* fields = field(l, "fields"); fields && fields->is_seq())
        for (uint32_t j = 0; j < fields->size(); ++j) {
          const Node& f = fields->item(j);
          if (!f.is_map()) continue;
          Kustomization::Labels::Field spec{entry(field(f, "group")), entry(field(f, "version")),
                                            entry(field(f, "kind")), entry(field(f, "path")), false};
          if (const Node* c = field(f, "create"); c && c->as_bool(&b)) spec.create = b;
          labels.fields.push_back(spec);
        }
      k->labels.push_back(std::move(labels));
    }
  if (const Node* common = field(root, "commonLabels"); common && common->is_map() && common->size() > 0)
    k->labels.push_back({pairs(common), true, true});
}

void read_images(const Node& root, Kustomization* k) {
  for (std::string_view name : {"images", "imageTags"}) {
    const Node* list = field(root, name);
    if (!list || !list->is_seq()) continue;
    for (uint32_t i = 0; i < list->size(); ++i) {
      const Node& im = list->item(i);
      if (!im.is_map()) continue;
      k->images.push_back({entry(field(im, "name")), entry(field(im, "newName")), entry(field(im, "newTag")),
                           entry(field(im, "digest")), entry(field(im, "tagSuffix"))});
    }
  }
}

void read_replicas(const Node& root, Kustomization* k) {
  const Node* list = field(root, "replicas");
  if (!list || !list->is_seq()) return;
  for (uint32_t i = 0; i < list->size(); ++i) {
    const Node& r = list->item(i);
    if (!r.is_map()) continue;
    Kustomization::Replicas rep{entry(field(r, "name")), {}, 0};
    if (const Node* count = field(r, "count")) {
      rep.count = {count->text(), count->pos()};
      count->as_int(&rep.value);
    }
    k->replicas.push_back(rep);
  }
}

std::optional<Kustomization::Selector> selector(const Node* n) {
  if (!n || !n->is_map()) return std::nullopt;
  return Kustomization::Selector{entry(field(*n, "group")),     entry(field(*n, "version")),
                                 entry(field(*n, "kind")),      entry(field(*n, "name")),
                                 entry(field(*n, "namespace")), entry(field(*n, "labelSelector")),
                                 entry(field(*n, "annotationSelector")), n->pos()};
}

void read_patches(const Node& root, Kustomization* k) {
  if (const Node* list = field(root, "patchesStrategicMerge"); list && list->is_seq())
    for (uint32_t i = 0; i < list->size(); ++i) {
      const Node& p = list->item(i);
      if (!is_string(p)) continue;
      Kustomization::Patch patch;
      patch.pos = p.pos();
      // kustomize takes the entry as the patch itself when it reads as YAML objects, else as a path.
      if (p.text().find('\n') != std::string_view::npos || p.text().find(": ") != std::string_view::npos) {
        patch.text = &p;
      } else {
        patch.path = entry(&p);
      }
      k->patches_strategic_merge.push_back(patch);
    }
  for (auto [name, out] : {std::pair{"patches", &k->patches}, std::pair{"patchesJson6902", &k->patches_json6902}}) {
    const Node* list = field(root, name);
    if (!list || !list->is_seq()) continue;
    for (uint32_t i = 0; i < list->size(); ++i) {
      const Node& p = list->item(i);
      if (!p.is_map()) continue;
      Kustomization::Patch patch;
      patch.pos = p.pos();
      patch.path = entry(field(p, "path"));
      if (const Node* text = field(p, "patch"); text && is_string(*text)) patch.text = text;
      patch.target = selector(field(p, "target"));
      if (const Node* options = field(p, "options"); options && options->is_map()) {
        bool b = false;
        if (const Node* o = field(*options, "allowNameChange"); o && o->as_bool(&b)) patch.allow_name_change = b;
        if (const Node* o = field(*options, "allowKindChange"); o && o->as_bool(&b)) patch.allow_kind_change = b;
      }
      out->push_back(patch);
    }
  }
}

std::optional<Kustomization::GeneratorOptions> generator_options(const Node* n) {
  if (!n || !n->is_map()) return std::nullopt;
  Kustomization::GeneratorOptions o;
  o.labels = pairs(field(*n, "labels"));
  o.annotations = pairs(field(*n, "annotations"));
  bool b = false;
  if (const Node* d = field(*n, "disableNameSuffixHash"); d && d->as_bool(&b)) o.disable_hash = b;
  if (const Node* i = field(*n, "immutable"); i && i->as_bool(&b)) o.immutable = b;
  return o;
}

void read_generators(const Node& root, Kustomization* k) {
  for (auto [name, secret] : {std::pair{"configMapGenerator", false}, std::pair{"secretGenerator", true}}) {
    const Node* list = field(root, name);
    if (!list || !list->is_seq()) continue;
    for (uint32_t i = 0; i < list->size(); ++i) {
      const Node& g = list->item(i);
      if (!g.is_map()) continue;
      Kustomization::Generator gen;
      gen.secret = secret;
      gen.pos = g.pos();
      gen.name = entry(field(g, "name"));
      gen.ns = entry(field(g, "namespace"));
      gen.behavior = entry(field(g, "behavior"));
      gen.type = entry(field(g, "type"));
      gen.literals = entries(field(g, "literals"));
      gen.files = entries(field(g, "files"));
      gen.envs = entries(field(g, "envs"));
      if (Entry env = entry(field(g, "env")); !env.text.empty()) gen.envs.push_back(env);
      gen.options = generator_options(field(g, "options"));
      k->generators.push_back(std::move(gen));
    }
  }
  k->generator_options = generator_options(field(root, "generatorOptions"));
}

void read_sort_options(const Node& root, Kustomization* k) {
  const Node* n = field(root, "sortOptions");
  if (!n || !n->is_map()) return;
  Kustomization::SortOptions o;
  o.pos = n->pos();
  o.order = entry(field(*n, "order"));
  if (const Node* legacy = field(*n, "legacySortOptions"); legacy && legacy->is_map()) {
    o.legacy_options = true;
    o.first = entries(field(*legacy, "orderFirst"));
    o.last = entries(field(*legacy, "orderLast"));
  }
  k->sort_options = std::move(o);
}

void report_deprecated(const Node& root, std::vector<Finding>* findings) {
  for (const Deprecation& d : kDeprecated) {
    const Node* key = root.key_node(d.field);
    if (!key) continue;
    report(findings, RuleId::KustomizeDeprecated, key->pos(),
           "`" + std::string(d.field) + "` is deprecated in kustomize v5; `" + std::string(d.instead) +
               "` does the same and is what later versions keep",
           "run `kustomize edit fix` in this directory, which rewrites the deprecated fields");
  }
}

// kind and apiVersion, as kustomize's EnforceFields checks them.
void check_kind(const Node& root, Reader* reader, Kustomization* k) {
  const Node* kind = field(root, "kind");
  std::string_view kind_text = kind && is_string(*kind) ? kind->text() : std::string_view();
  if (!kind_text.empty() && kind_text != "Kustomization" && kind_text != "Component")
    reader->invalid(*kind, "the kind of a kustomization file is Kustomization or Component, not `" +
                               std::string(kind_text) + "`",
                    "write `kind: Kustomization` (or `kind: Component` for a component)");
  k->component = kind_text == "Component";
  std::string_view required = k->component ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1";
  const Node* version = field(root, "apiVersion");
  if (version && is_string(*version) && !version->text().empty() && version->text() != required)
    reader->invalid(*version, "the apiVersion of a " + std::string(k->component ? "Component" : "Kustomization") +
                                  " is " + std::string(required) + ", not `" + std::string(version->text()) + "`",
                    k->component ? "write `apiVersion: kustomize.config.k8s.io/v1alpha1`"
                                 : "write `apiVersion: kustomize.config.k8s.io/v1beta1`");
}

}  // namespace

Kustomization read_kustomization(const Node& root, uint32_t file, std::string dir, std::vector<Finding>* findings,
                                 bool* ok) {
  Kustomization k;
  k.file = file;
  k.dir = std::move(dir);
  Reader reader(findings);
  if (root.is_null() || (root.is_map() && root.size() == 0)) {
    reader.invalid(root, "the kustomization is empty, and kustomize refuses an empty kustomization",
                   "list the resources it builds (`resources:`), or remove the file");
    *ok = false;
    return k;
  }
  reader.check_struct(root, kKustomization, "a kustomization");
  if (!root.is_map()) {
    *ok = false;
    return k;
  }
  check_kind(root, &reader, &k);
  report_deprecated(root, findings);
  k.resources = entries(field(root, "resources"));
  for (const Entry& e : entries(field(root, "bases"))) k.resources.push_back(e);
  k.components = entries(field(root, "components"));
  k.ns = entry(field(root, "namespace"));
  k.name_prefix = entry(field(root, "namePrefix"));
  k.name_suffix = entry(field(root, "nameSuffix"));
  read_labels(root, &k);
  k.annotations = pairs(field(root, "commonAnnotations"));
  read_images(root, &k);
  read_replicas(root, &k);
  read_patches(root, &k);
  read_generators(root, &k);
  read_sort_options(root, &k);
  for (std::string_view name : kUnsupported)
    if (const Node* key = root.key_node(name)) k.unsupported.push_back({name, key->pos()});
  for (std::string_view name : kNotYet)
    if (const Node* key = root.key_node(name)) k.not_yet.push_back({name, key->pos()});
  *ok = reader.ok();
  return k;
}

}  // namespace kmc::kustomize
