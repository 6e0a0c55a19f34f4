#include "checks/suppress.h"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "core/parallel.h"
#include "core/rule_catalogue.h"

namespace kmc::checks {
using parser::LoadResult;
using schema::LabelMap;
using schema::Model;
using schema::Object;
using schema::Workload;

namespace {

constexpr std::string_view kAnnotation = "kmc.dev/ignore";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool covers(const Suppression& s, const Finding& f) {
  if (s.rule.ends_with("/*") ? f.rule.rfind(s.rule.substr(0, s.rule.size() - 1), 0) != 0 : s.rule != f.rule) return false;
  if (s.object) {
    return f.object && f.object->kind == s.object->kind && f.object->ns == s.object->ns &&
           f.object->name == s.object->name && f.object->api_version == s.object->api_version;
  }
  return f.pos.file == s.pos.file && f.pos.line >= s.first_line && f.pos.line <= s.last_line;
}

Finding problem(RuleId rule, Severity severity, Position pos, std::string message, std::string_view fix) {
  assert(rule_row(rule).allows(severity));
  Finding f;
  f.rule = rule_name(rule);
  f.severity = severity;
  f.pos = pos;
  f.message = std::move(message);
  f.fix = fix;  // a literal
  return f;
}

// Splits "a, b ,c" into ids; reports unknown ones.
void add_ids(std::string_view list, Suppression base, std::vector<Suppression>* out, std::vector<Finding>* problems) {
  size_t start = 0;
  bool any = false;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string_view id = trim(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!id.empty()) {
      any = true;
      if (!names_rules(id)) {
        std::string_view guess = nearest_rule_name(id);
        problems->push_back(problem(RuleId::SyntaxBadSuppression, Severity::Error, base.pos,
                                    fmt::format("this suppression names \"{}\", which is not a rule of kmc{}", id,
                                                guess.empty() ? std::string() : fmt::format(" (did you mean {}?)", guess)),
                                    "use an id that `kmc rules` lists, or a family as `family/*`"));
      } else {
        Suppression s = base;
        s.rule = std::string(id);
        out->push_back(std::move(s));
      }
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!any)
    problems->push_back(problem(RuleId::SyntaxBadSuppression, Severity::Error, base.pos,
                                "this suppression names no rule; kmc does not silence everything at once",
                                "list the rules: `# kmc:ignore[service/no-matching-pods]`"));
}

void scan_line(std::string_view l, uint32_t index, uint32_t line, std::vector<Suppression>* out,
               std::vector<Finding>* problems) {
  size_t hash = l.find('#');
  size_t at = hash == std::string_view::npos ? std::string_view::npos : l.find("kmc:ignore", hash);
  if (at != std::string_view::npos) {
    Suppression base;
    base.pos = {index, line, static_cast<uint32_t>(at + 1)};
    // A comment alone on its line covers the next line; at the end of a line, its own.
    bool alone = trim(l.substr(0, hash)).empty();
    base.first_line = line;
    base.last_line = alone ? line + 1 : line;
    std::string_view rest = l.substr(at + 10);
    if (rest.empty() || rest.front() != '[' || rest.find(']') == std::string_view::npos) {
      problems->push_back(problem(RuleId::SyntaxBadSuppression, Severity::Error, base.pos,
                                  "`kmc:ignore` without rule ids; kmc does not silence everything at once",
                                  "name the rules: `# kmc:ignore[rule/id, other/id]`"));
    } else {
      add_ids(rest.substr(1, rest.find(']') - 1), base, out, problems);
    }
  }
}

// A file whose content analysis released kept the lines of its `kmc:ignore` comments.
void scan_comments(const SourceFile& file, uint32_t index, std::vector<Suppression>* out, std::vector<Finding>* problems) {
  if (file.released()) {
    for (const SourceFile::KeptLine& k : file.kept_lines())
      if (k.text().find("kmc:ignore") != std::string_view::npos) scan_line(k.text(), index, k.line, out, problems);
    return;
  }
  std::string_view text = file.content;
  if (text.find("kmc:ignore") == std::string_view::npos) return;
  uint32_t line = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    scan_line(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos), index, line, out,
              problems);
    if (end == std::string_view::npos) break;
    pos = end + 1;
    ++line;
  }
}

void scan_annotations(const Object& o, const LabelMap& annotations, std::vector<Suppression>* out,
                      std::vector<Finding>* problems) {
  for (LabelMap::Entry e : annotations) {
    if (e.key() != kAnnotation) continue;
    Suppression base;
    base.pos = e.key_node->pos();
    base.object = ObjectRef{o.api_version(), o.kind(), o.ns, o.name()};
    add_ids(e.value(), base, out, problems);
  }
}

// Suppressions and the findings about bad ones.
struct Found {
  std::vector<Suppression> suppressions;
  std::vector<Finding> problems;
};

// The comments of `files` (null: every file).
Found comments_of(const CommentSuppressions& comments, const std::vector<uint32_t>* files) {
  Found out;
  auto take = [&](size_t file) {
    if (file >= comments.suppressions.size()) return;
    const auto& s = comments.suppressions[file];
    const auto& p = comments.problems[file];
    out.suppressions.insert(out.suppressions.end(), s.begin(), s.end());
    out.problems.insert(out.problems.end(), p.begin(), p.end());
  };
  if (files) {
    for (uint32_t file : *files) take(file);
  } else {
    for (size_t file = 0; file < comments.suppressions.size(); ++file) take(file);
  }
  return out;
}

// The objects' annotations, in chunks on the run's threads, in the objects' order.
std::vector<Found> annotations_of(const Model& model, const Workers& workers) {
  constexpr size_t kObjects = 4096;
  std::vector<Found> out((model.objects.size() + kObjects - 1) / kObjects);
  workers.parallel_for(out.size(), 1, [&](size_t chunk, unsigned) {
    Found& found = out[chunk];
    for (size_t i = chunk * kObjects; i < std::min(model.objects.size(), (chunk + 1) * kObjects); ++i) {
      const Object& o = model.objects[i];
      if (o.context) continue;
      scan_annotations(o, o.meta.annotations, &found.suppressions, &found.problems);
      if (const Workload* w = o.as<Workload>(); w && o.kind() != "Pod")
        scan_annotations(o, w->pod_template.meta.annotations, &found.suppressions, &found.problems);
    }
  });
  return out;
}

}  // namespace

CommentSuppressions read_comment_suppressions(const LoadResult& input, const Workers& workers) {
  // File by file on the run's threads: the scan looks through every kept line of every released
  // file (139 000 on the bench tree, most of them kept for block scalars).
  CommentSuppressions out;
  out.suppressions.resize(input.sources.size());
  out.problems.resize(input.sources.size());
  workers.parallel_for(input.sources.size(), 64, [&](size_t i, unsigned) {
    const SourceFile& f = input.sources[i];
    if (!f.context) scan_comments(f, static_cast<uint32_t>(i), &out.suppressions[i], &out.problems[i]);
  });
  return out;
}

void apply_suppressions(const LoadResult& input, const Model& model, std::vector<Finding>* findings, const Workers& workers) {
  apply_suppressions(read_comment_suppressions(input, workers), nullptr, model, findings, workers);
}

void apply_suppressions(const CommentSuppressions& comments, const std::vector<uint32_t>* files, const Model& model,
                        std::vector<Finding>* findings, const Workers& workers) {
  Found found = comments_of(comments, files);
  for (Found& part : annotations_of(model, workers)) {
    std::move(part.suppressions.begin(), part.suppressions.end(), std::back_inserter(found.suppressions));
    std::move(part.problems.begin(), part.problems.end(), std::back_inserter(found.problems));
  }
  std::vector<Suppression>& suppressions = found.suppressions;
  std::vector<Finding>& problems = found.problems;
  if (suppressions.empty() && problems.empty()) return;
  // A finding is held only against the suppressions that can cover it: its file's comments and
  // the annotations on objects of its name, found in these lists of suppression numbers sorted by
  // file and by name. Held against every suppression of the run, it was findings × suppressions.
  std::vector<uint32_t> by_file, by_name;
  for (uint32_t k = 0; k < suppressions.size(); ++k) (suppressions[k].object ? by_name : by_file).push_back(k);
  auto file_of = [&](uint32_t k) { return suppressions[k].pos.file; };
  auto name_of = [&](uint32_t k) { return suppressions[k].object->name; };
  std::stable_sort(by_file.begin(), by_file.end(), [&](uint32_t a, uint32_t b) { return file_of(a) < file_of(b); });
  std::stable_sort(by_name.begin(), by_name.end(), [&](uint32_t a, uint32_t b) { return name_of(a) < name_of(b); });
  std::erase_if(*findings, [&](const Finding& f) {
    bool hit = false;
    auto hold_against = [&](const std::vector<uint32_t>& sorted, const auto& key, const auto& want) {
      auto it = std::partition_point(sorted.begin(), sorted.end(), [&](uint32_t k) { return key(k) < want; });
      for (; it != sorted.end() && !(want < key(*it)); ++it)
        if (covers(suppressions[*it], f)) hit = suppressions[*it].used = true;
    };
    hold_against(by_file, file_of, f.pos.file);
    if (f.object) hold_against(by_name, name_of, f.object->name);
    return hit;
  });
  for (const Suppression& s : suppressions)
    if (!s.used)
      problems.push_back(problem(RuleId::SyntaxUnusedSuppression, Severity::Info, s.pos,
                                 fmt::format("this suppression of {} silences nothing{}", s.rule,
                                             s.object ? " on this object" : " on this line or the next"),
                                 "remove it (the problem it silenced is gone), or move it to the reported line"));
  for (Finding& p : problems) findings->push_back(std::move(p));
}

}  // namespace kmc::checks
