// practice/: hygiene that kube-score and kube-linter users expect, off by default
// (rules: {enable: [practice]}): nothing here stops a rollout, and teams disagree about it.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checks/object_range.h"
#include "checks/rules/rules.h"
#include "parser/scalar.h"

namespace kmc::checks {

namespace {

// The tag of an image reference, "" when it has none: after the last ':' of its last path
// component (a registry's port is in an earlier one). A digest (`@sha256:…`) pins it whatever
// the tag, and reports as "@".
std::string_view tag_of(std::string_view image) {
  if (image.find('@') != std::string_view::npos) return "@";
  size_t slash = image.rfind('/');
  std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
  size_t colon = last.rfind(':');
  return colon == std::string_view::npos ? std::string_view() : last.substr(colon + 1);
}

void image_tag(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources())
    for (const schema::Container& c : p.pod().spec.containers) {
      std::string_view image = c.image.value();
      if (image.empty() || parser::is_template_text(image)) continue;
      std::string_view tag = tag_of(image);
      if (tag == "@" || (!tag.empty() && tag != "latest")) continue;
      sink.report(*p.object, c.image.pos(),
                  fmt::format("{}: container \"{}\" runs image \"{}\", {}: the image it runs changes whenever the tag "
                              "is pushed again, without a change in git, and nodes that pulled at different times run "
                              "different code",
                              p.object->display(), c.name.value(), image, tag.empty() ? "which has no tag (:latest)" : "tagged :latest"),
                  "pin a version tag, or better a digest (image@sha256:…)");
    }
}

void resources(const RuleContext& ctx, Sink& sink) {
  for (const PodSource& p : ctx.range.pod_sources())
    for (const schema::Container& c : p.pod().spec.containers) {
      std::vector<std::string_view> missing;
      if (!c.cpu_request.set()) missing.push_back("a CPU request");
      if (!c.memory_request.set()) missing.push_back("a memory request");
      if (!c.memory_limit.set()) missing.push_back("a memory limit");
      if (missing.empty()) continue;
      std::string what;
      for (size_t i = 0; i < missing.size(); ++i)
        what += fmt::format("{}{}", i == 0 ? "" : i + 1 == missing.size() ? " or " : ", ", missing[i]);
      sink.report(*p.object, c.name.set() ? c.name.pos() : p.object->pos(),
                  fmt::format("{}: container \"{}\" has no {}: without requests the scheduler places it as if it "
                              "used nothing (and evicts it first under pressure); without a memory limit, one leak "
                              "takes the node's memory from its neighbours",
                              p.object->display(), c.name.value(), what),
                  "set resources.requests.cpu, resources.requests.memory and resources.limits.memory");
    }
}

}  // namespace

void add_practice_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::PracticeImageTag, RuleScope::Object, image_tag});
  t->push_back({RuleId::PracticeResources, RuleScope::Object, resources});
}

}  // namespace kmc::checks
