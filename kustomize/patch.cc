#include "kustomize/patch.h"

#include <re2/re2.h>

#include <memory>
#include <string>

#include "core/rule_catalogue.h"
#include "kustomize/json_patch.h"
#include "kustomize/label_selector.h"
#include "kustomize/report.h"
#include "kustomize/strategic_merge.h"

namespace kmc::kustomize {

namespace {

// A target's pattern, matched whole as kustomize anchors it; an empty one matches anything.
class Pattern {
 public:
  explicit Pattern(std::string_view p) : text_(p) {
    if (!p.empty()) re_ = std::make_unique<RE2>("^(?:" + std::string(p) + ")$", RE2::Quiet);
  }
  bool ok() const { return !re_ || re_->ok(); }
  bool matches(std::string_view s) const { return !re_ || RE2::FullMatch(s, *re_); }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::unique_ptr<RE2> re_;
};

std::string describe(const Kustomization::Selector& t) {
  std::string out;
  for (auto [name, e] : {std::pair{"group", &t.group}, std::pair{"version", &t.version}, std::pair{"kind", &t.kind},
                         std::pair{"name", &t.name}, std::pair{"namespace", &t.ns},
                         std::pair{"labelSelector", &t.label_selector},
                         std::pair{"annotationSelector", &t.annotation_selector}})
    if (!e->text.empty()) out += (out.empty() ? "" : ", ") + std::string(name) + " " + std::string(e->text);
  return out.empty() ? "every resource" : out;
}

}  // namespace

void Patcher::fail(RuleId rule, Position pos, std::string message, std::string_view fix) {
  report(findings_, rule, pos, std::move(message), fix);
}

std::optional<std::vector<Resource*>> Patcher::select(const Kustomization::Selector& target,
                                                      std::vector<Resource>* ra) {
  Pattern group(target.group.text), version(target.version.text), kind(target.kind.text);
  Pattern name(target.name.text), ns(target.ns.text);
  for (auto [p, e] : {std::pair{&group, &target.group}, std::pair{&version, &target.version},
                      std::pair{&kind, &target.kind}, std::pair{&name, &target.name}, std::pair{&ns, &target.ns}})
    if (!p->ok()) {
      fail(RuleId::KustomizeInvalid, e->pos,
           "`" + std::string(e->text) + "` is not a regular expression (RE2 syntax), and kustomize refuses the target",
           "write the pattern in Go's regexp syntax, or the plain name");
      return std::nullopt;
    }
  std::optional<std::vector<Requirement>> labels, annotations;
  for (auto [out, e] : {std::pair{&labels, &target.label_selector}, std::pair{&annotations, &target.annotation_selector}}) {
    std::string error;
    *out = parse_label_selector(e->text, &error);
    if (!*out) {
      fail(RuleId::KustomizeInvalid, e->pos,
           "`" + std::string(e->text) + "` is not a selector (" + error + "), and kustomize refuses the target",
           "write it as kubectl -l takes it: `app=web,tier in (front,back)`");
      return std::nullopt;
    }
  }
  std::vector<Resource*> out;
  for (Resource& r : *ra) {
    ResId now = r.id(), original = r.original();
    if (!ns.matches(original.effective_ns()) && !ns.matches(now.effective_ns())) continue;
    if (!name.matches(original.name) && !name.matches(now.name)) continue;
    GroupVersion gv = split_api_version(now.api_version);
    if ((!target.group.text.empty() && !group.matches(gv.group)) ||
        (!target.version.text.empty() && !version.matches(gv.version)) ||
        (!target.kind.text.empty() && !kind.matches(now.kind)))
      continue;
    auto label = [&](std::string_view key) { return metadata_value(r.tree, "labels", key); };
    auto annotation = [&](std::string_view key) { return metadata_value(r.tree, "annotations", key); };
    if (!selector_matches(*labels, label) || !selector_matches(*annotations, annotation)) continue;
    out.push_back(&r);
  }
  return out;
}

// kustomize applies a patch whose target selects nothing to nothing, silently: the patch is dead,
// most often a misspelt name or a kind the resources do not have.
void Patcher::no_match(const Kustomization::Selector& target) {
  fail(RuleId::KustomizePatchNoTarget, target.pos,
       "this patch's target (" + describe(target) +
           ") selects no resource of the kustomization, so kustomize applies the patch to nothing, without a word",
       "correct the target (its name, kind and namespace are those of the resources as the kustomization reads "
       "them, names as regular expressions), or remove the patch");
}

bool Patcher::merge_into(Resource* r, const RNode& object, const Kustomization::Patch& entry) {
  if (entry.allow_name_change || entry.allow_kind_change) r->store_previous_id();
  RNode patch = object;
  // The patch takes the target's apiVersion, as kustomize sets the copy's group and version.
  if (const RNode* api = r->tree.get("apiVersion")) patch.set("apiVersion", *api, api->pos);
  std::optional<RNode> kind, name;
  if (entry.allow_kind_change)
    if (const RNode* k = object.get("kind")) kind = *k;
  if (entry.allow_name_change)
    if (const RNode* meta = object.get("metadata"))
      if (const RNode* n = meta->get("name")) name = *n;
  MergeResult m = strategic_merge(&r->tree, std::move(patch), text_);
  if (!m.ok) {
    fail(RuleId::KustomizeInvalid, object.pos,
         "kustomize cannot merge this patch into " + r->id().describe() + ": " + m.error,
         "give each patched field the shape it has in the resource (a mapping for a mapping, a list for a list)");
    return false;
  }
  if (m.deleted) {
    r->tree = RNode();
    return true;
  }
  if (kind) r->tree.set("kind", *kind, kind->pos);
  if (name) r->tree.map_at("metadata", r->tree.pos).set("name", *name, name->pos);
  return true;
}

bool Patcher::by_id(const LoadedPatch& patch, const RNode& object, std::vector<Resource>* ra) {
  ResId want = ResId::of(object);
  Resource* found = nullptr;
  int matches = 0;
  for (Resource& r : *ra) {
    if (r.tree.is_null()) continue;
    bool any = r.id().same(want);
    for (const ResId& previous : r.previous) any = any || previous.same(want);
    if (any && ++matches == 1) found = &r;
  }
  if (matches != 1) {
    fail(RuleId::KustomizePatchNoTarget, object.pos,
         matches == 0 ? "no resource of this kustomization is " + want.describe() +
                            ", the resource this patch names, so kustomize fails the build (\"no matches for Id\")"
                      : "several resources are " + want.describe() + ", and kustomize fails the build (\"multiple "
                                                                       "matches for Id\")",
         "name the resource as its base writes it (kind, metadata.name and namespace), or give the patch a target");
    return false;
  }
  return merge_into(found, object, *patch.entry);
}

bool Patcher::apply(const LoadedPatch& patch, PatchField field, std::vector<Resource>* ra) {
  const Kustomization::Patch& entry = *patch.entry;
  bool ok = true;
  if (patch.operations) {
    if (!entry.target || (field == PatchField::Json6902 && entry.target->name.text.empty())) {
      fail(RuleId::KustomizeInvalid, entry.pos,
           field == PatchField::Json6902 ? "a patchesJson6902 entry needs a target with a name, which kustomize requires"
                                         : "a JSON 6902 patch needs a target: kustomize cannot tell what it patches",
           "add `target:` with the kind and name of the resource to patch");
      return false;
    }
    std::optional<std::vector<Resource*>> selected = select(*entry.target, ra);
    if (!selected) return false;
    if (selected->empty()) no_match(*entry.target);
    for (Resource* r : *selected) {
      if (field == PatchField::Patches) r->store_previous_id();
      JsonPatchError e = json_patch(&r->tree, *patch.operations, text_);
      if (!e.message.empty()) {
        fail(RuleId::KustomizeInvalid, e.pos,
             "this JSON 6902 operation does not apply to " + r->id().describe() + " (\"" + e.message +
                 "\"), and kustomize fails the build",
             "make the path name a field the resource has (a JSON pointer: /spec/template/spec/containers/0/image); "
             "`add` needs the parent to exist");
        return false;
      }
    }
    return true;
  }
  if (entry.target) {
    if (patch.objects.size() > 1) {
      fail(RuleId::KustomizeInvalid, entry.pos,
           "a patch with a target must be one strategic merge patch; kustomize refuses several in one entry",
           "split the documents into entries of their own, or drop the target and let each name its resource");
      return false;
    }
    std::optional<std::vector<Resource*>> selected = select(*entry.target, ra);
    if (!selected) return false;
    if (selected->empty()) no_match(*entry.target);
    for (Resource* r : *selected) ok = ok && merge_into(r, patch.objects.front(), entry);
  } else {
    for (const RNode& object : patch.objects) ok = ok && by_id(patch, object, ra);
  }
  std::erase_if(*ra, [](const Resource& r) { return r.tree.is_null() || (r.tree.is_map() && r.tree.kids.empty()); });
  return ok;
}

}  // namespace kmc::kustomize
