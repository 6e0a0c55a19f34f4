#include "kustomize/transform.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <string>

#include "core/rule_catalogue.h"
#include "kustomize/field_spec.h"
#include "kustomize/report.h"

namespace kmc::kustomize {

namespace {

RNode text_node(std::string_view text, Position pos) { return RNode::string(text, pos); }

// Sets `key` in the mapping `map` to a string, the key written at `key_pos` if it is new.
void set_string(RNode& map, std::string_view key, Position key_pos, std::string_view value, Position value_pos) {
  if (!map.is_map()) return;
  map.set(key, text_node(value, value_pos), key_pos);
}

// kustomize's image split: name, then `:tag`, then `@digest`, looking past the first `/` (a
// registry's port is not a tag).
void split_image(std::string_view image, std::string_view* name, std::string_view* tag, std::string_view* digest) {
  size_t slash = image.find('/');
  size_t from = slash != std::string_view::npos && slash > 0 ? slash : 0;
  size_t at = image.find('@', from), colon = image.find(':', from);
  *tag = *digest = {};
  if (at == std::string_view::npos && colon == std::string_view::npos) {
    *name = image;
  } else if (at != std::string_view::npos && (colon == std::string_view::npos || at < colon)) {
    *name = image.substr(0, at);
    *digest = image.substr(at + 1);
  } else if (at != std::string_view::npos) {
    *name = image.substr(0, colon);
    *tag = image.substr(colon + 1, at - colon - 1);
    *digest = image.substr(at + 1);
  } else {
    *name = image.substr(0, colon);
    *tag = image.substr(colon + 1);
  }
}

bool tag_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '{' || c == '}' || c == '-';
}

// What may follow a matched image name: `(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?`.
bool tag_and_digest(std::string_view rest) {
  if (rest.starts_with(':')) {
    rest.remove_prefix(1);
    while (!rest.empty() && tag_char(rest.front())) rest.remove_prefix(1);
  }
  if (rest.starts_with("@sha256:")) {
    rest.remove_prefix(8);
    while (!rest.empty() && tag_char(rest.front())) rest.remove_prefix(1);
  }
  return rest.empty();
}

// kustomize matches an image by `^NAME(:tag)?(@sha256:digest)?$`, NAME a Go regular expression.
// Names are registries and paths, whose only metacharacter is `.` (any character but a
// newline): those are matched here; a name with other metacharacters goes to RE2, whose syntax
// Go's regexp shares.
class ImageMatcher {
 public:
  explicit ImageMatcher(std::string_view name) : name_(name) {
    if (name.find_first_of("\\^$*+?()[]{}|") == std::string_view::npos) return;
    regex_ = std::make_unique<RE2>("^" + std::string(name) + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$",
                                   RE2::Quiet);
  }
  bool matches(std::string_view image) const {
    if (regex_) return regex_->ok() && RE2::FullMatch(image, *regex_);
    if (image.size() < name_.size()) return false;
    for (size_t i = 0; i < name_.size(); ++i)
      if (name_[i] == '.' ? image[i] == '\n' : image[i] != name_[i]) return false;
    return tag_and_digest(image.substr(name_.size()));
  }

 private:
  std::string_view name_;
  std::unique_ptr<RE2> regex_;
};

}  // namespace

std::string_view Transformer::keep(const std::string& s) {
  return s.empty() ? std::string_view() : std::string_view(text_->copy_text(s.data(), s.size()), s.size());
}

bool Transformer::run_first(const Kustomization& k, std::vector<Resource>* ra) {
  if (!set_namespace(k, ra)) return false;
  add_prefix_suffix(k, ra);
  add_labels(k, ra);
  add_annotations(k, ra);
  return true;
}

bool Transformer::run_last(const Kustomization& k, std::vector<Resource>* ra) {
  if (!set_replicas(k, ra)) return false;
  set_images(k, ra);
  return true;
}

bool Transformer::set_namespace(const Kustomization& k, std::vector<Resource>* ra) {
  if (k.ns.text.empty()) return true;
  std::string_view ns = k.ns.text;
  Position pos = k.ns.pos;
  for (Resource& r : *ra) {
    if (!r.tree.is_map() || r.tree.kids.empty()) continue;
    r.store_previous_id();
    Gvk gvk = Gvk::of(r.tree);
    std::string api_version(r.tree.get_text("apiVersion"));
    if (!kustomize_cluster_scoped(api_version, gvk.kind))
      set_string(r.tree.map_at("metadata", pos), "namespace", pos, ns, pos);
    if (gvk.kind == "RoleBinding" || gvk.kind == "ClusterRoleBinding")
      if (RNode* subjects = r.tree.get("subjects"); subjects && subjects->is_seq())
        for (RNode& s : subjects->kids)
          if (s.is_map() && s.get_text("name") == "default") set_string(s, "namespace", pos, ns, pos);
    for (const FieldSpec& spec : namespace_specs()) {
      if (spec.path == "metadata/name" && api_version != "v1") continue;
      visit_field(r.tree, gvk, spec, NodeKind::String, pos, [&](RNode& n) {
        if (n.is_scalar()) n = text_node(ns, pos);
      });
    }
  }
  for (size_t i = 0; i < ra->size(); ++i) {
    ResId id = (*ra)[i].id();
    for (size_t j = 0; j < i; ++j)
      if ((*ra)[j].id().same(id)) {
        report(findings_, RuleId::KustomizeIdConflict, (*ra)[i].tree.pos,
               "setting the namespace makes two resources " + id.describe() +
                   ", and kustomize refuses the build (\"namespace transformation produces ID conflict\")",
               "rename one of them, or keep them in kustomizations of their own");
        return false;
      }
  }
  return true;
}

void Transformer::add_prefix_suffix(const Kustomization& k, std::vector<Resource>* ra) {
  for (bool prefix : {true, false}) {
    const Entry& e = prefix ? k.name_prefix : k.name_suffix;
    if (e.text.empty()) continue;
    for (Resource& r : *ra) {
      ResId org = r.original();
      // kustomize never renames these: a CRD's name is its plural and group, an APIService's its
      // version and group, and a Namespace is named by `namespace:`.
      if (org.kind == "CustomResourceDefinition" || org.kind == "Namespace" ||
          (org.kind == "APIService" && org.group() == "apiregistration.k8s.io"))
        continue;
      (prefix ? r.prefixes : r.suffixes).push_back(e.text);
      r.store_previous_id();
      RNode* meta = r.tree.get("metadata");
      RNode* name = meta ? meta->get("name") : nullptr;
      if (!name || !name->is_scalar()) continue;
      std::string renamed = prefix ? std::string(e.text) + std::string(name->text)
                                   : std::string(name->text) + std::string(e.text);
      *name = text_node(keep(renamed), e.pos);
    }
  }
}

void Transformer::add_labels(const Kustomization& k, std::vector<Resource>* ra) {
  for (const Kustomization::Labels& set : k.labels) {
    // The entry's own fields first, then the defaults it asks for (each place once).
    std::vector<FieldSpec> specs;
    for (const Kustomization::Labels::Field& f : set.fields)
      specs.push_back({{f.group.text, f.version.text, f.kind.text}, f.path.text, f.create});
    auto add = [&](const FieldSpec& d) {
      if (std::none_of(specs.begin(), specs.end(), [&](const FieldSpec& s) {
            return s.path == d.path && s.gvk.group == d.gvk.group && s.gvk.version == d.gvk.version &&
                   s.gvk.kind == d.gvk.kind;
          }))
        specs.push_back(d);
    };
    if (set.selectors) {
      for (const FieldSpec& d : common_label_specs()) add(d);
    } else {
      if (set.templates)
        for (const FieldSpec& d : template_label_specs()) add(d);
      add({{}, "metadata/labels", true});
    }
    for (Resource& r : *ra) {
      Gvk gvk = Gvk::of(r.tree);
      for (const FieldSpec& spec : specs)
        visit_field(r.tree, gvk, spec, NodeKind::Map, set.pairs.empty() ? Position{} : set.pairs.front().first.pos,
                    [&](RNode& labels) {
                      for (const auto& [key, value] : set.pairs) set_string(labels, key.text, key.pos, value.text, value.pos);
                    });
    }
  }
}

void Transformer::add_annotations(const Kustomization& k, std::vector<Resource>* ra) {
  if (k.annotations.empty()) return;
  for (Resource& r : *ra) {
    Gvk gvk = Gvk::of(r.tree);
    for (const FieldSpec& spec : common_annotation_specs())
      visit_field(r.tree, gvk, spec, NodeKind::Map, k.annotations.front().first.pos, [&](RNode& annotations) {
        for (const auto& [key, value] : k.annotations) set_string(annotations, key.text, key.pos, value.text, value.pos);
      });
  }
}

bool Transformer::set_replicas(const Kustomization& k, std::vector<Resource>* ra) {
  for (const Kustomization::Replicas& rep : k.replicas) {
    bool found = false;
    for (const FieldSpec& spec : replicas_specs())
      for (Resource& r : *ra) {
        bool named = r.id().name == rep.name.text;
        for (const ResId& id : r.previous) named = named || id.name == rep.name.text;
        Gvk gvk = Gvk::of(r.tree);
        if (!named || !gvk.matches(spec.gvk)) continue;
        found = true;
        visit_field(r.tree, gvk, spec, NodeKind::Int, rep.count.pos, [&](RNode& n) {
          if (!n.is_scalar()) return;
          n = text_node(rep.count.text.empty() ? "0" : rep.count.text, rep.count.pos);
          n.kind = NodeKind::Int;
        });
      }
    if (!found) {
      report(findings_, RuleId::KustomizePatchNoTarget, rep.name.pos,
             "no Deployment, ReplicaSet, ReplicationController or StatefulSet is named `" + std::string(rep.name.text) +
                 "`, so kustomize fails the build on this replicas entry",
             "correct the name (the resource's name before any prefix or suffix), or remove the entry");
      return false;
    }
  }
  return true;
}

namespace {

// The image an `images` entry makes of `image` (which its name matched): a new name, and the
// tag and digest it sets (a new tag drops the digest, a digest the tag, unless both are set), or
// a suffix to the tag (which drops the digest).
std::string new_image(const Kustomization::Image& im, std::string_view image) {
  std::string_view name, tag, digest;
  split_image(image, &name, &tag, &digest);
  bool new_tag = !im.new_tag.text.empty(), new_digest = !im.digest.text.empty();
  std::string suffixed;
  if (new_tag || new_digest) {
    tag = im.new_tag.text;
    digest = im.digest.text;
  } else if (!im.tag_suffix.text.empty()) {  // appended to the tag there is (none: the suffix is the tag)
    suffixed = std::string(tag) + std::string(im.tag_suffix.text);
    tag = suffixed;
    digest = {};
  }
  std::string out(im.new_name.text.empty() ? name : im.new_name.text);
  if (!tag.empty()) out += ":" + std::string(tag);
  if (!digest.empty()) out += "@" + std::string(digest);
  return out;
}

// kustomize's legacy image filter: `image` in every `containers` or `initContainers` list,
// wherever it is in the object.
void visit_container_images(RNode& node, const std::function<void(RNode&)>& update) {
  if (node.is_seq()) {
    for (RNode& item : node.kids) visit_container_images(item, update);
    return;
  }
  if (!node.is_map()) return;
  for (size_t i = 0; i < node.pairs(); ++i) {
    RNode& value = node.value(i);
    visit_container_images(value, update);
    std::string_view key = node.key(i).text;
    if ((key == "containers" || key == "initContainers") && value.is_seq())
      for (RNode& c : value.kids)
        if (RNode* image = c.get("image")) update(*image);
  }
}

}  // namespace

void Transformer::set_images(const Kustomization& k, std::vector<Resource>* ra) {
  for (const Kustomization::Image& im : k.images) {
    ImageMatcher matcher(im.name.text);
    Position pos = !im.new_tag.text.empty()      ? im.new_tag.pos
                   : !im.digest.text.empty()     ? im.digest.pos
                   : !im.tag_suffix.text.empty() ? im.tag_suffix.pos
                                                 : im.new_name.pos;
    auto update = [&](RNode& n) {
      if (n.is_scalar() && n.kind != NodeKind::Null && matcher.matches(n.text)) n = text_node(keep(new_image(im, n.text)), pos);
    };
    for (Resource& r : *ra) {
      Gvk gvk = Gvk::of(r.tree);
      if (gvk.kind == "CustomResourceDefinition") continue;
      visit_container_images(r.tree, update);  // then the field specs (image volumes)
      for (const FieldSpec& spec : image_specs()) visit_field(r.tree, gvk, spec, NodeKind::Null, pos, update);
    }
  }
}

void drop_empty_annotations(std::vector<Resource>* ra) {
  for (Resource& r : *ra) {
    RNode* meta = r.tree.get("metadata");
    RNode* annotations = meta ? meta->get("annotations") : nullptr;
    if (annotations && (annotations->is_null() || (annotations->is_map() && annotations->kids.empty())))
      meta->erase("annotations");
  }
}

void drop_local_config(std::vector<Resource>* ra) {
  std::erase_if(*ra, [](const Resource& r) { return local_config(r.tree); });
}

}  // namespace kmc::kustomize
