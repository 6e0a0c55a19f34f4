// The schema family. Validation itself is the schema stage's (schema/validate.h): it leaves
// its findings on each Object, and the rules here report them under their ids, so they are
// listed, documented, filtered and suppressed like every other rule. duplicate-object compares
// objects with each other and so lives here.

#include <unordered_map>

#include <fmt/format.h>

#include "checks/rules/rules.h"
#include "core/flat_map.h"
#include "parser/scalar.h"

namespace kmc::checks {
using parser::is_template_text;
using schema::Object;
using schema::SchemaIssue;

namespace {

void report_schema_issues(const RuleContext& ctx, Sink& sink) {
  const RuleId rule = sink.rule().rule();
  for (const Object* o : ctx.model.with_issues)
    for (const SchemaIssue& i : o->issues)
      if (i.rule == rule)
        if (Finding* f = sink.report(*o, i.pos, i.message, i.fix))
          f->related.insert(f->related.end(), i.related.begin(), i.related.end());
}

// Two definitions of one object in one file: applied together, the later silently replaces the
// earlier (kubectl apply) or fails (kubectl create). Only one file is certainly one set: files
// side by side are as often alternatives (renders of one install for different setups,
// examples, before/after pairs) as parts of one set, so they are not compared.
void duplicate_object(const RuleContext& ctx, Sink& sink) {
  // The object index keeps the first object of each identity and lists the objects that repeat
  // one. Groups (in order of the first repetition) are made only for those, and hold only input
  // objects: a context object is not the user's to repeat.
  FlatMap<const Object*, uint32_t, PointerHash> group_of_first;
  std::vector<std::vector<const Object*>> groups;
  for (uint32_t number : ctx.topology.object_index.repeats()) {
    const Object& o = ctx.model.objects[number];
    if (o.context || o.name().empty() || is_template_text(o.name())) continue;
    const Object* first = ctx.topology.object_index.first(o);
    auto [entry, inserted] = group_of_first.try_emplace(first, static_cast<uint32_t>(groups.size()));
    if (inserted) groups.push_back(first->context ? std::vector<const Object*>{} : std::vector<const Object*>{first});
    groups[entry->value].push_back(&o);
  }
  // Only a repetition in one file is reported (alternatives in several files are examples or
  // overlays): each object against the first of its group in its file, found by file number: a
  // scan of the earlier ones is quadratic in same-named projects (docs/performance.md).
  std::unordered_map<uint32_t, const Object*> first_in_file;
  for (const std::vector<const Object*>& objects : groups) {
    first_in_file.clear();
    for (const Object* o : objects) {
      const Object& later = *o;
      auto [at, fresh] = first_in_file.try_emplace(later.raw->file, o);
      if (fresh) continue;
      const Object* earlier = at->second;
      std::string scope = later.ns.empty() ? std::string() : fmt::format(" in namespace \"{}\"", later.ns);
      Finding* f = sink.report(
          later, later.meta.name.pos(),
          fmt::format("{}{} is defined twice in this file; applied together, this definition replaces the one at {}",
                      later.display(), scope, sink.where(earlier->meta.name.pos())),
          "remove one of the two, or give them different names or namespaces");
      if (f) f->related.push_back({earlier->meta.name.pos(), "first defined here"});
    }
  }
}

}  // namespace

void add_schema_rules(std::vector<Rule>* t) {
  t->push_back({RuleId::SchemaUnknownField, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaType, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaEnum, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaRequired, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaName, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaLabel, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaQuantity, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaInvalidValue, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaApiVersion, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaUnknownKind, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::SchemaDuplicateObject, RuleScope::Set, duplicate_object});
  // The target release's verdicts, found by the same walk (schema/validate.cc).
  t->push_back({RuleId::VersionRemoved, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::VersionDeprecated, RuleScope::Set, report_schema_issues});
  t->push_back({RuleId::VersionFieldUnknown, RuleScope::Set, report_schema_issues});
}

}  // namespace kmc::checks
