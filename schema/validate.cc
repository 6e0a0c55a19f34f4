#include "schema/validate.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "parser/scalar.h"
#include "schema/api_constraints.h"
#include "schema/api_schema.h"
#include "schema/api_versions.h"
#include "schema/crd_catalog.h"
#include "schema/names.h"
#include "schema/walker.h"

namespace kmc::schema {
using parser::Node;
using parser::NodeKind;
using parser::RawObject;
using parser::is_template_text;

namespace {

std::vector<CrdDefinition> collect_crds(const std::vector<const Object*>& crds, const CrdCatalog* catalog) {
  std::vector<CrdDefinition> out;
  for (const Object* crd : crds) {
    CrdDefinition c;
    c.object = crd;
    if (read_crd(crd->node(), crd->api_version(), &c)) out.push_back(std::move(c));
  }
  if (catalog) out.insert(out.end(), catalog->crds().begin(), catalog->crds().end());
  return out;
}

bool same_kind(const CrdDefinition& c, std::string_view kind) {
  if (!c.kind_from_file_name) return c.kind == kind;
  return c.kind.size() == kind.size() && std::equal(kind.begin(), kind.end(), c.kind.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == static_cast<unsigned char>(b);
         });
}

std::string join_versions(const std::vector<const api::Kind*>& kinds) {
  std::string out;
  for (const api::Kind* k : kinds) out += (out.empty() ? "" : ", ") + api_version_of(*k);
  return out;
}

class ObjectValidator {
 public:
  ObjectValidator(const api::Schema& schema, const std::vector<CrdDefinition>& crds, const SourceSet& sources)
      : schema_(schema), crds_(crds), sources_(sources) {
    for (const api::Kind& k : schema.kinds) groups_.insert(k.group);
  }

  void validate(Object& o, bool patch, std::vector<SchemaIssue>* out) {
    const Node& root = o.node();
    SchemaWalker w(schema_, o, out);
    w.set_patch(patch);
    w.set_selector_completed(o.raw->completed_by_kustomize);
    const Node* api_version = root.get("apiVersion");
    const Node* kind = root.get("kind");
    Position av_pos = api_version ? api_version->pos() : o.pos();
    Position kind_pos = kind ? kind->pos() : o.pos();
    if (is_template_text(o.api_version()) || is_template_text(o.kind())) return;

    if (const api::Kind* k = schema_.find_kind(o.group(), o.version(), o.kind())) {
      report_deprecated_api(w, schema_, o, *k, av_pos);
      w.structure(root, schema_.definition(k->definition));
      object_name(w, o, patch);
      if (!patch) check_api_constraints(w, o);
      return;
    }
    if (validate_custom(w, o, patch, av_pos, kind_pos)) return;
    if (report_unserved_api(w, schema_, o, av_pos)) return;
    unknown_kind(w, o, av_pos, kind_pos);
  }

 private:
  // An object of a kind that CustomResourceDefinitions of the input define; false when none does.
  bool validate_custom(SchemaWalker& w, Object& o, bool patch, Position av_pos, Position kind_pos) {
    // Several CRDs may define one kind (release channels, copies in different directories, two
    // projects that ship different versions of one API). The CRDs deployed with the object (its
    // directory, --context, --crds) are the ones it is applied against; only when there are none
    // may the version come from a CRD elsewhere in the input (a folder of CRDs).
    std::vector<const CrdDefinition*> crds = find_crds(o);
    if (crds.empty()) return false;
    bool any_together = std::any_of(crds.begin(), crds.end(), [&](const CrdDefinition* c) { return deployed_together(*c, o); });
    if (any_together) std::erase_if(crds, [&](const CrdDefinition* c) { return !deployed_together(*c, o); });
    Choice c = choose_version(crds, o);
    std::vector<Related> crd_note;
    const CrdDefinition& shown = c.crd ? *c.crd : *crds.front();
    if (shown.object) crd_note.push_back({shown.object->pos(), "the CustomResourceDefinition is here"});
    std::string from = shown.object                             ? ""
                       : shown.source == builtin_crd_release() ? fmt::format(" ({}, built into kmc)", shown.source)
                                                               : fmt::format(" (--crds {})", shown.source);
    if (!c.version && any_together) {
      w.issue(RuleId::SchemaApiVersion, av_pos,
              fmt::format("the CustomResourceDefinition for {}{} does not serve {}", o.kind(), from, o.api_version()),
              c.served.empty() ? "add this version to the CRD" : fmt::format("use a served version: {}", c.served), crd_note);
      return true;
    }
    if (!c.version) {
      // A CRD elsewhere in the input (another directory) may be an older or newer copy than
      // the one this object is written for.
      w.issue(RuleId::SchemaUnknownKind, kind_pos,
              fmt::format("the CustomResourceDefinition for {} in this input serves {}, not {}, so kmc does not check "
                          "this object's fields",
                          o.kind(), c.served, o.api_version()),
              "if the CRD in the cluster serves this version, pass that CRD with --context or --crds", crd_note);
      return true;
    }
    if (!version_served(w, o, *c.version, c.served, from, av_pos, crd_note)) return true;
    if (c.version->schema) {
      if (c.crd->object) w.set_crd(c.crd->object->pos());
      w.set_preserve_unknown(c.crd->preserve_unknown);
      w.custom_resource(o.node(), *c.version->schema);
    }
    object_name(w, o, patch);
    return true;
  }

  struct Choice {
    const CrdDefinition* crd = nullptr;
    const CrdVersion* version = nullptr;  // the object's version; one with a schema if any has
    std::string served;                   // "group/v1, group/v1beta1": the versions served
  };

  static Choice choose_version(const std::vector<const CrdDefinition*>& crds, const Object& o) {
    Choice c;
    for (const CrdDefinition* crd : crds) {
      for (const CrdVersion& v : crd->versions) {
        std::string gv = std::string(o.group()) + "/" + std::string(v.name);
        if (v.served && c.served.find(gv) == std::string::npos) c.served += (c.served.empty() ? "" : ", ") + gv;
        if (v.name != o.version()) continue;
        if (!c.version || (!c.version->served && v.served) || (!c.version->schema && v.schema && v.served == c.version->served)) {
          c.version = &v;
          c.crd = crd;
        }
      }
    }
    return c;
  }

  // A version the CRD lists but no longer serves is version/removed; a deprecated one,
  // version/deprecated with the CRD's own warning. False when the object is not served.
  static bool version_served(SchemaWalker& w, const Object& o, const CrdVersion& v, const std::string& served,
                             const std::string& from, Position av_pos, const std::vector<Related>& crd_note) {
    if (!v.served) {
      w.issue(RuleId::VersionRemoved, av_pos,
              fmt::format("the CustomResourceDefinition for {}{} lists {} with `served: false`: the API server no "
                          "longer serves it, and applying this object fails",
                          o.kind(), from, o.api_version()),
              served.empty() ? "serve a version in the CRD" : fmt::format("use a served version: {}", served), crd_note);
      return false;
    }
    if (v.deprecated)
      w.issue(RuleId::VersionDeprecated, av_pos,
              v.warning.empty() ? fmt::format("the CustomResourceDefinition for {}{} marks {} deprecated: the API "
                                              "server warns on every request, and a later release of it may stop "
                                              "serving it",
                                              o.kind(), from, o.api_version())
                                : fmt::format("the CustomResourceDefinition for {}{} marks {} deprecated: \"{}\"", o.kind(),
                                              from, o.api_version(), v.warning),
              served.empty() ? "move to a version the CRD does not deprecate"
                             : fmt::format("move to a version the CRD does not deprecate ({})", served),
              crd_note);
    return true;
  }

  // An object of a kind the target release does not serve and no release ever served (those
  // are version/removed's): a built-in kind under another version or a misspelt group or kind,
  // else a custom resource without its CRD.
  void unknown_kind(SchemaWalker& w, Object& o, Position av_pos, Position kind_pos) {
    std::vector<const api::Kind*> versions = schema_.versions_of(o.kind());
    bool builtin_group = groups_.count(o.group()) > 0;
    if (!versions.empty() && builtin_group) {
      w.issue(RuleId::SchemaApiVersion, av_pos,
              fmt::format("Kubernetes {} does not serve {} under {}; it is served by {}", schema_.release, o.kind(),
                          o.api_version(), join_versions(versions)),
              fmt::format("change apiVersion to {} (the fields may differ between versions; kmc checks them once it "
                          "can read the kind)",
                          api_version_of(*preferred_version(versions))));
      return;
    }
    if (!versions.empty()) {
      // `app/v1` for `apps/v1`: a misspelt group of a built-in kind, not a custom resource.
      std::vector<std::string_view> groups;
      for (const api::Kind* k : versions) groups.push_back(k->group);
      std::string_view guess = o.group().size() > 2 ? closest(o.group(), groups) : std::string_view();
      if (!guess.empty()) {
        w.issue(RuleId::SchemaApiVersion, av_pos,
                fmt::format("no API group \"{}\" serves {}; it is served by {}", o.group(), o.kind(), join_versions(versions)),
                fmt::format("did you mean {}?", api_version_of(*preferred_version(versions, guess))));
        return;
      }
    }
    if (builtin_group) {
      // A kind close to one of the group's own is a typo (`apps/v1` `Deploymnet`). Anything
      // else may be served by an extension of the group (OpenShift's legacy `v1` Route).
      std::vector<std::string_view> kinds;
      for (const api::Kind& k : schema_.kinds)
        if (k.group == o.group() && schema_.serves(k) && !k.kind.ends_with("List")) kinds.push_back(k.kind);
      std::string_view guess = closest(o.kind(), kinds);
      if (!guess.empty()) {
        w.issue(RuleId::SchemaApiVersion, kind_pos,
                fmt::format("{} has no kind \"{}\"", o.api_version(), o.kind()), fmt::format("did you mean {}?", guess));
        return;
      }
    }
    w.issue(RuleId::SchemaUnknownKind, kind_pos,
            fmt::format("kmc has no schema for {} {}, so its fields are not checked", o.api_version(), o.kind()),
            "if it is a custom resource, add its CustomResourceDefinition to the input or pass it with --context");
  }

  // Whether `crd` is certainly the definition `o` is applied against: from the cluster
  // (--context), or in the same file or directory.
  bool deployed_together(const CrdDefinition& c, const Object& o) const {
    if (!c.object) return true;  // --crds: the cluster's, as --context
    const Object& crd = *c.object;
    if (crd.context || crd.raw->file == o.raw->file) return true;
    auto dir = [&](const Object& x) {
      std::string_view path = sources_[x.raw->file].path;
      size_t slash = path.rfind('/');
      return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
    };
    return dir(crd) == dir(o);
  }

  // The CRDs of the run for o's kind. The built-in ones (the Gateway API) stand in when no CRD
  // of their group is deployed with `o` (a cluster on another release brings its own, in the
  // object's directory, --context or --crds) and none elsewhere serves o's version (an older
  // copy in another directory of the repository).
  std::vector<const CrdDefinition*> find_crds(const Object& o) const {
    std::vector<const CrdDefinition*> out;
    bool group_together = false;
    bool version_elsewhere = false;
    for (const CrdDefinition& c : crds_) {
      if (c.group != o.group()) continue;
      group_together = group_together || deployed_together(c, o);
      if (!same_kind(c, o.kind())) continue;
      out.push_back(&c);
      for (const CrdVersion& v : c.versions) version_elsewhere = version_elsewhere || (v.served && v.name == o.version());
    }
    if (group_together || version_elsewhere || !is_builtin_crd_group(o.group())) return out;
    out.clear();
    for (const CrdDefinition& c : builtin_crds().crds())
      if (c.group == o.group() && same_kind(c, o.kind())) out.push_back(&c);
    return out;
  }

  // metadata.name: the syntax the API demands of this kind's names.
  void object_name(SchemaWalker& w, const Object& o, bool patch) {
    const Node* meta = o.node().get("metadata");
    const Node* name = meta ? meta->get("name") : nullptr;
    if (!name || name->is_null() || (name->kind == NodeKind::String && name->text().empty())) {
      const Node* generate = meta ? meta->get("generateName") : nullptr;
      if (patch || (generate && !generate->is_null())) return;
      const Node* meta_key = o.node().key_node("metadata");
      Position where = meta_key ? meta_key->pos() : o.pos();
      w.issue(RuleId::SchemaRequired, where, "metadata.name is missing; the API server requires a name for every object",
              "add metadata.name (or metadata.generateName, for `kubectl create`)");
      return;
    }
    if (name->kind != NodeKind::String || is_template_text(name->text())) return;
    std::string_view n = name->text();
    std::string why;
    std::string_view what = "DNS subdomain name (RFC 1123)";
    std::string fix = "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
    if (o.group().empty() && o.kind() == "Service") {
      why = dns1035_label_error(n);
      what = "Service name (an RFC 1035 label: it becomes a DNS label and env-var prefix)";
      fix = "use at most 63 lower-case letters, digits and '-', starting with a letter";
    } else if (o.group().empty() && o.kind() == "Namespace") {
      why = dns1123_label_error(n);
      what = "Namespace name (an RFC 1123 label)";
      fix = "use at most 63 lower-case letters, digits and '-'";
    } else if (o.group() == "rbac.authorization.k8s.io") {
      why = path_segment_name_error(n);
      what = "RBAC name";
      fix = "remove '/' and '%' from the name";
    } else if (std::string label; o.group() == "apps" && o.kind() == "StatefulSet" &&
               dns1123_subdomain_error(n).empty() && (!(label = dns1123_label_error(n)).empty() || n.size() > 52)) {
      // The API server stores the StatefulSet, but refuses every pod of it: a pod's host name is
      // its name (`web-0`), a label; and the controller labels each pod with the revision,
      // `<name>-<10-character hash>`, a label value of at most 63 characters (k/k #64023).
      what = "StatefulSet name";
      why = label.empty()
                ? fmt::format("is {} characters long; the controller labels its pods `controller-revision-hash: "
                              "{}-<10-character hash>`, which must fit in 63: the API server accepts the StatefulSet "
                              "but refuses every pod of it",
                              n.size(), n)
                : fmt::format("{}; its pods' names (\"{}-0\") are their host names, which must be RFC 1123 labels: the "
                              "API server accepts the StatefulSet but refuses every pod of it",
                              label, n);
      fix = "use at most 52 lower-case letters, digits and '-' (no '.')";
    } else {
      why = dns1123_subdomain_error(n);
      if (why.empty() && o.group() == "batch" && o.kind() == "CronJob" && n.size() > 52)
        why = fmt::format("is {} characters long; a CronJob name may have at most 52, because its Jobs append 11 "
                          "characters and must stay within 63",
                          n.size());
    }
    if (why.empty()) return;
    w.issue(RuleId::SchemaName, name->pos(), fmt::format("metadata.name \"{}\" is not a valid {}: it {}", n, what, why), fix);
  }

  const api::Schema& schema_;
  const std::vector<CrdDefinition>& crds_;
  const SourceSet& sources_;
  std::set<std::string_view> groups_;
};

}  // namespace

bool is_crd(const RawObject& r) {
  return !r.patch && r.kind == "CustomResourceDefinition" && r.api_version.starts_with("apiextensions.k8s.io/");
}

bool validates_without_crds(const Object& o, const api::Schema& release) {
  return o.context || is_template_text(o.api_version()) || is_template_text(o.kind()) ||
         release.find_kind(o.group(), o.version(), o.kind()) != nullptr;
}

// Objects validate independently (each fills only its own issues): one validator per thread,
// and one more per thread for the release an upgrade goes to.
struct ModelValidator::State {
  std::vector<CrdDefinition> crds;
  std::vector<ObjectValidator> validators, upgrade_validators;
  std::string upgrade_note;
};

ModelValidator::ModelValidator(const ModelOptions& options, const std::vector<const Object*>& crds,
                               const CrdCatalog* catalog, const SourceSet& sources, unsigned workers)
    : state_(std::make_unique<State>()) {
  state_->crds = collect_crds(crds, catalog);
  for (unsigned w = std::max(workers, 1u); w > 0; --w) {
    state_->validators.emplace_back(*options.release, state_->crds, sources);
    if (options.upgrade_to) state_->upgrade_validators.emplace_back(*options.upgrade_to, state_->crds, sources);
  }
  if (options.upgrade_to)
    state_->upgrade_note = fmt::format("upgrading from {} to {}: ", options.release->release, options.upgrade_to->release);
}

ModelValidator::~ModelValidator() = default;

void ModelValidator::validate(Object& o, bool patch, unsigned worker) {
  if (o.context) return;
  state_->validators[worker].validate(o, patch, &o.issues);
  if (state_->upgrade_validators.empty()) return;
  // What the later release refuses that the target accepts: its removed APIs and unknown fields.
  std::vector<SchemaIssue> later;
  state_->upgrade_validators[worker].validate(o, patch, &later);
  // A deprecation warning of the target gives way to the removal it announced.
  for (SchemaIssue& i : later) {
    if (i.rule != RuleId::VersionRemoved && i.rule != RuleId::VersionFieldUnknown) continue;
    auto now = std::find_if(o.issues.begin(), o.issues.end(), [&](const SchemaIssue& n) { return n.pos == i.pos; });
    if (now != o.issues.end() && now->rule != RuleId::VersionDeprecated) continue;
    // "Deployment \"web\": upgrading from 1.29 to 1.33: …", after the walker's object prefix.
    std::string prefix = o.display() + ": ";
    i.message.insert(i.message.starts_with(prefix) ? prefix.size() : 0, state_->upgrade_note);
    if (now != o.issues.end()) *now = std::move(i);
    else o.issues.push_back(std::move(i));
  }
}

void list_objects_with_issues(Model* model) {
  model->with_issues.clear();
  for (const auto* objects : {&model->objects, &model->patches})
    for (const Object& o : *objects)
      if (!o.issues.empty()) model->with_issues.push_back(&o);
}

}  // namespace kmc::schema
