#include "kustomize/kustomization.h"

#include <span>
#include <string>

#include "core/rule_catalogue.h"
#include "kustomize/decode.h"
#include "kustomize/report.h"

namespace kmc::kustomize {
using parser::NodeKind;

namespace {

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
constexpr FieldShape kFieldOptions[] = {
    {"delimiter", Shape::String}, {"index", Shape::Int}, {"encoding", Shape::String}, {"create", Shape::Bool}};
constexpr FieldShape kSourceSelector[] = {
    {"group", Shape::String},     {"version", Shape::String},   {"kind", Shape::String},
    {"name", Shape::String},      {"namespace", Shape::String}, {"fieldPath", Shape::String},
    {"options", Shape::Struct, kFieldOptions},
};
constexpr FieldShape kTargetSelector[] = {
    {"select", Shape::Struct, kSelector},
    {"reject", Shape::StructList, kSelector},
    {"fieldPaths", Shape::Strings},
    {"options", Shape::Struct, kFieldOptions},
};
constexpr FieldShape kReplacementField[] = {
    {"source", Shape::Struct, kSourceSelector},
    {"targets", Shape::StructList, kTargetSelector},
    {"sourceValue", Shape::String},
    {"path", Shape::String},
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
    {"replacements", Shape::StructList, kReplacementField},
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
    "vars", "configurations", "crds", "openapi", "buildMetadata",
};

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

Kustomization::FieldOptions field_options(const Node* n) {
  Kustomization::FieldOptions o;
  if (!n || !n->is_map()) return o;
  o.delimiter = entry(field(*n, "delimiter"));
  if (const Node* i = field(*n, "index")) i->as_int(&o.index);
  o.create = flag(*n, "create");
  return o;
}

Kustomization::Replacement replacement(const Node& n) {
  Kustomization::Replacement r;
  r.pos = n.pos();
  r.path = entry(field(n, "path"));
  if (const Node* s = field(n, "source"); s && s->is_map()) {
    r.source = selector(s);
    r.field_path = entry(field(*s, "fieldPath"));
    r.source_options = field_options(field(*s, "options"));
  }
  if (const Node* v = field(n, "sourceValue"); v && is_string(*v)) r.source_value = entry(v);
  const Node* targets = field(n, "targets");
  if (!targets || targets->is_null()) return r;
  r.targets.emplace();
  for (uint32_t i = 0; targets->is_seq() && i < targets->size(); ++i) {
    const Node& t = targets->item(i);
    if (!t.is_map()) continue;
    Kustomization::Replacement::Target target;
    target.pos = t.pos();
    target.select = selector(field(t, "select"));
    if (const Node* reject = field(t, "reject"); reject && reject->is_seq())
      for (uint32_t j = 0; j < reject->size(); ++j)
        if (std::optional<Kustomization::Selector> s = selector(&reject->item(j))) target.reject.push_back(*s);
    target.field_paths = entries(field(t, "fieldPaths"));
    target.options = field_options(field(t, "options"));
    r.targets->push_back(std::move(target));
  }
  return r;
}

void read_replacements(const Node& root, Kustomization* k) {
  const Node* list = field(root, "replacements");
  for (uint32_t i = 0; list && list->is_seq() && i < list->size(); ++i)
    if (list->item(i).is_map()) k->replacements.push_back(replacement(list->item(i)));
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
void check_kind(const Node& root, Decoder* reader, Kustomization* k) {
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
  Decoder reader(findings, true);
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
  k.configurations = entries(field(root, "configurations"));
  for (const Entry& e : entries(field(root, "crds"))) k.configurations.push_back(e);
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
  read_replacements(root, &k);
  for (std::string_view name : kUnsupported)
    if (const Node* key = root.key_node(name)) k.unsupported.push_back({name, key->pos()});
  for (std::string_view name : kNotYet)
    if (const Node* key = root.key_node(name)) k.not_yet.push_back({name, key->pos()});
  *ok = reader.ok();
  return k;
}

std::optional<std::vector<Kustomization::Replacement>> read_replacement_file(const Node& root,
                                                                             std::vector<Finding>* findings) {
  Decoder decoder(findings, false);
  std::vector<Kustomization::Replacement> out;
  if (root.is_seq()) {
    decoder.check(root, {"replacements", Shape::StructList, kReplacementField}, "a replacement");
    for (uint32_t i = 0; i < root.size(); ++i)
      if (root.item(i).is_map()) out.push_back(replacement(root.item(i)));
  } else if (root.is_map()) {
    decoder.check_struct(root, kReplacementField, "a replacement");
    out.push_back(replacement(root));
  } else {
    decoder.invalid(root, "a replacements file holds one replacement (a mapping) or a list of them, and kustomize "
                          "refuses anything else (\"unsupported replacement type\")",
                    "write the replacement's `source` and `targets`, or a list of such replacements");
  }
  if (!decoder.ok()) return std::nullopt;
  return out;
}

}  // namespace kmc::kustomize
