#include "parser/tree_builder.h"

#include <unordered_set>

#include <fmt/format.h>

namespace kmc::parser {
bool TreeBuilder::begin_document(uint32_t line, Abort* abort) {
  if (out_->documents.size() + empty_documents_ >= limits_.max_documents) {
    too_many_documents_ = true;
    *abort = {RuleId::SyntaxLimit, fmt::format("more than {} documents in one file; split the file", limits_.max_documents),
              line, 1};
    return false;
  }
  doc_ = Document();
  doc_->file = file_;
  doc_->start_line = line;
  current_doc_line_ = line;
  doc_->index_in_file = document_index_++;
  aliases_before_document_ = aliases_;
  return true;
}

void TreeBuilder::end_document(uint32_t end_line) {
  if (!doc_) return;
  doc_->end_line = end_line;
  // Nodes were built in a buffer reused across documents (no reallocation chain per
  // document); the document gets an exact copy, whose offsets now become pointers.
  Node* base = node_arena_->copy_array(nodes_.data(), nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (!base[i].is_scalar()) base[i].set_kids(base + base[i].kids_offset());
  if (!doc_->root.is_scalar()) doc_->root.set_kids(base + doc_->root.kids_offset());
  bool empty = doc_->root.is_null() && doc_->root.len == 0;
  if (empty) ++empty_documents_;
  else out_->documents.push_back(arena_->make<Document>(*doc_));
  abandon_document();
}

void TreeBuilder::abandon_document() {
  doc_.reset();
  nodes_.clear();
  frames_.clear();
  scratch_.clear();
  anchors_.clear();
}

void TreeBuilder::rollback(const Checkpoint& c) {
  abandon_document();
  out_->findings.resize(c.findings);
  out_->documents.resize(c.documents);
  document_index_ = c.document_index;
  empty_documents_ = c.empty_documents;
  too_many_documents_ = false;
  aliases_ = {c.alias_nodes, c.alias_bytes};
  duplicate_keys_ = c.duplicate_keys;
}

bool TreeBuilder::scalar(const Node& n, std::string_view anchor, Abort*) { return push(n, {1, n.len}, anchor); }

// Aliases are counted for the whole file, in nodes and in bytes: a 1 MB scalar named 10 000
// times is one node per alias but 10 GB once the model copies each, and a limit per document
// let 6 400 documents of a million nodes each through.
bool TreeBuilder::alias(std::string_view name, uint32_t line, uint32_t column, Abort* abort) {
  auto it = anchors_.find(std::string(name));
  if (it == anchors_.end()) {
    *abort = {RuleId::SyntaxYaml, fmt::format("unknown anchor '{}' referenced by an alias", name), line, column};
    return false;
  }
  const Size& size = it->second.size;
  aliases_.nodes += size.nodes;
  aliases_.bytes += size.bytes;
  // A document refused here adds nothing to the model: its aliases count no more.
  bool over = aliases_.nodes > limits_.max_alias_nodes || aliases_.bytes > limits_.alias_bytes_limit(source_bytes_);
  Size total = aliases_;
  if (over) aliases_ = aliases_before_document_;
  if (total.nodes > limits_.max_alias_nodes) {
    *abort = {RuleId::SyntaxLimit,
              fmt::format("aliases expand this file by more than {} nodes (a \"billion laughs\" "
                          "document?); kmc refuses to expand it",
                          limits_.max_alias_nodes),
              line, column};
    return false;
  }
  if (uint64_t most = limits_.alias_bytes_limit(source_bytes_); total.bytes > most) {
    *abort = {RuleId::SyntaxLimit,
              fmt::format("aliases expand this file by more than {} KiB of text ({}x its size, at most {} MiB); kmc "
                          "refuses to expand it",
                          most >> 10, limits_.alias_bytes_ratio, limits_.max_alias_bytes >> 20),
              line, column};
    return false;
  }
  Node n = it->second.node;
  n.flags |= Node::AliasFlag;
  return push(n, size, {});
}

bool TreeBuilder::begin_container(NodeKind kind, uint32_t line, uint32_t column, std::string_view anchor,
                                  Abort* abort) {
  if (frames_.size() >= limits_.max_depth) {
    *abort = {RuleId::SyntaxLimit,
              fmt::format("nesting deeper than {} levels; no Kubernetes object needs this", limits_.max_depth), line,
              column};
    return false;
  }
  frames_.push_back({kind, line, column, static_cast<uint32_t>(scratch_.size()), std::string(anchor)});
  return true;
}

bool TreeBuilder::push(const Node& n, Size size, std::string_view anchor) {
  if (!anchor.empty()) anchors_[std::string(anchor)] = {n, size};
  if (frames_.empty()) {
    doc_->root = n;
    doc_->node_count += 1;
    return true;
  }
  scratch_.push_back({n, size});
  return true;
}

bool TreeBuilder::end_container(Abort* abort) {
  Frame f = std::move(frames_.back());
  frames_.pop_back();
  uint32_t begin = f.scratch_begin;
  uint32_t count = static_cast<uint32_t>(scratch_.size()) - begin;
  if (f.kind == NodeKind::Map) {
    if (!apply_merge_keys(begin, abort)) return false;
    drop_duplicate_keys(begin);
    count = static_cast<uint32_t>(scratch_.size()) - begin;
  }
  Node n = Node::container(f.kind, nodes_.size(), f.kind == NodeKind::Map ? count / 2 : count, f.line, f.column, file_);
  Size size;
  for (uint32_t i = begin; i < begin + count; ++i) {
    nodes_.push_back(scratch_[i].node);
    size.nodes += scratch_[i].size.nodes;
    size.bytes += scratch_[i].size.bytes;
  }
  doc_->node_count += count;
  scratch_.resize(begin);
  return push(n, size, f.anchor);
}

namespace {
bool is_merge_key(const Node& k) { return k.kind == NodeKind::String && !k.quoted() && k.text() == "<<"; }
}  // namespace

// `<<: *base` (or a list of aliases) merges the keys of other mappings that the mapping
// does not set itself; go-yaml, and so kubectl, honour it.
bool TreeBuilder::apply_merge_keys(uint32_t begin, Abort* abort) {
  bool any = false;
  for (size_t i = begin; i + 1 < scratch_.size(); i += 2) any = any || is_merge_key(scratch_[i].node);
  if (!any) return true;
  std::vector<Weighted> own, merged;
  for (size_t i = begin; i + 1 < scratch_.size(); i += 2) {
    const Weighted& k = scratch_[i];
    const Weighted& v = scratch_[i + 1];
    if (!is_merge_key(k.node)) {
      own.push_back(k);
      own.push_back(v);
      continue;
    }
    std::vector<Node> maps;
    if (v.node.kind == NodeKind::Map) maps.push_back(v.node);
    else if (v.node.kind == NodeKind::Seq) {
      for (uint32_t j = 0; j < v.node.len; ++j) maps.push_back(nodes_[v.node.kids_offset() + j]);
    }
    for (const Node& m : maps) {
      if (m.kind != NodeKind::Map) {
        *abort = {RuleId::SyntaxYaml, "the value of a merge key `<<` must be a mapping or a list of mappings",
                  v.node.line, v.node.column()};
        return false;
      }
      for (uint32_t j = 0; j < m.len; ++j) {
        merged.push_back({nodes_[m.kids_offset() + 2 * j], 1});
        merged.push_back({nodes_[m.kids_offset() + 2 * j + 1], 1});
      }
    }
  }
  // Own keys win over merged ones; among merged sources the first wins.
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < own.size(); i += 2) seen.insert(own[i].node.text());
  for (size_t i = 0; i + 1 < merged.size(); i += 2) {
    if (!seen.insert(merged[i].node.text()).second) continue;
    own.push_back(merged[i]);
    own.push_back(merged[i + 1]);
  }
  scratch_.resize(begin);
  scratch_.insert(scratch_.end(), own.begin(), own.end());
  return true;
}

// A repeated key is an error for the API server's strict decoding; kubectl keeps the last
// one, and so does the model, so that later stages see what kubectl would send.
void TreeBuilder::drop_duplicate_keys(uint32_t begin) {
  size_t pairs = (scratch_.size() - begin) / 2;
  if (pairs < 2) return;
  std::vector<bool> dropped;  // sized at the first duplicate: nearly every mapping has none
  auto key_at = [&](size_t p) -> const Node& { return scratch_[begin + 2 * p].node; };
  auto report = [&](size_t first, size_t second) {
    const Node& a = key_at(first);
    const Node& b = key_at(second);
    dropped.resize(pairs, false);
    dropped[first] = true;
    ++duplicate_keys_;
    size_t most = limits_.max_findings_per_rule;
    if (most && duplicate_keys_ >= most) {  // the last place is finish_file's
      if (duplicate_keys_ == most) first_unreported_key_ = b.pos();
      return;
    }
    Finding f;
    f.rule = rule_name(RuleId::SyntaxDuplicateKey);
    f.severity = Severity::Error;
    f.message = clip_message(fmt::format("key \"{}\" appears twice in this mapping; the API server rejects the object "
                                         "and kubectl silently keeps only the last value",
                                         b.text()));
    if (frames_.empty() && (b.text() == "apiVersion" || b.text() == "kind")) {
      f.message += "; two objects without a `---` line between them?";
      f.fix = "separate the two objects with a line `---`";
    } else {
      f.fix = "remove one of the two keys";
    }
    f.pos = b.pos();
    f.related.push_back({a.pos(), "first defined here"});
    out_->findings.push_back(std::move(f));
  };
  if (pairs <= 16) {
    for (size_t i = 0; i < pairs; ++i) {
      if (!key_at(i).is_scalar()) continue;
      for (size_t j = i + 1; j < pairs; ++j) {
        if (key_at(j).is_scalar() && key_at(i).text() == key_at(j).text()) {
          report(i, j);
          break;
        }
      }
    }
  } else {
    std::unordered_map<std::string_view, size_t> last;
    for (size_t i = 0; i < pairs; ++i) {
      if (!key_at(i).is_scalar()) continue;
      auto [it, inserted] = last.emplace(key_at(i).text(), i);
      if (!inserted) {
        report(it->second, i);
        it->second = i;
      }
    }
  }
  if (dropped.empty()) return;
  size_t w = begin;
  for (size_t p = 0; p < pairs; ++p) {
    if (dropped[p]) continue;
    scratch_[w++] = scratch_[begin + 2 * p];
    scratch_[w++] = scratch_[begin + 2 * p + 1];
  }
  scratch_.resize(w);
}

void TreeBuilder::finish_file() {
  size_t most = limits_.max_findings_per_rule;
  if (!most || duplicate_keys_ < most) return;
  Finding f;
  f.rule = rule_name(RuleId::SyntaxDuplicateKey);
  f.severity = Severity::Error;
  f.message = fmt::format("and {} more duplicate keys in this file, not shown: kmc reports at most {} of a rule in one "
                          "file (--max-findings-per-file)",
                          duplicate_keys_ - most + 1, most);
  f.fix = "fix the duplicate keys above, then run kmc again to see the rest";
  f.pos = first_unreported_key_;
  out_->findings.push_back(std::move(f));
}

}  // namespace kmc::parser
