#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/arena.h"
#include "core/rule_catalogue.h"
#include "parser/node.h"
#include "parser/yaml_loader.h"

namespace kmc::parser {

// Why a document was abandoned before its end.
struct Abort {
  RuleId rule = RuleId::SyntaxYaml;
  std::string message;
  uint32_t line = 0, column = 0;  // 1-based, absolute in the file
};

// Builds the documents of one file from parse events, whichever scanner produces them
// (libyaml, or the block scanner for the common subset): so both give the same tree, the same
// duplicate-key findings, merge keys and limits, by construction. Positions are 1-based and
// absolute. A method that returns false has filled the Abort: the document is lost.
class TreeBuilder {
 public:
  // Documents and copied text go to `arena`, the nodes to `node_arena` (the same when null): a
  // load keeps them apart so that the trees can be released as the model is built.
  TreeBuilder(uint32_t file, const LoaderLimits& limits, Arena* arena, ParsedFile* out, Arena* node_arena = nullptr)
      : file_(file), limits_(limits), arena_(arena), node_arena_(node_arena ? node_arena : arena), out_(out) {}

  bool begin_document(uint32_t line, Abort* abort);
  void end_document(uint32_t end_line);
  // `n` is complete: kind, text, flags, position and file() (Node::scalar).
  bool scalar(const Node& n, std::string_view anchor, Abort* abort);
  bool alias(std::string_view anchor, uint32_t line, uint32_t column, Abort* abort);
  bool begin_container(NodeKind kind, uint32_t line, uint32_t column, std::string_view anchor, Abort* abort);
  bool end_container(Abort* abort);
  // Drops the document being built (after an error).
  void abandon_document();
  // The end of the file: the duplicate keys past LoaderLimits::max_findings_per_rule become one
  // finding that counts them.
  void finish_file();

  // What a scanner needs to give a document back untouched, so that another scanner can
  // parse it again from its start.
  struct Checkpoint {
    size_t findings, documents;
    uint32_t document_index, empty_documents;
    uint64_t alias_nodes, alias_bytes;
    size_t duplicate_keys;
  };
  Checkpoint checkpoint() const {
    return {out_->findings.size(), out_->documents.size(), document_index_, empty_documents_, aliases_.nodes,
            aliases_.bytes, duplicate_keys_};
  }
  void rollback(const Checkpoint& c);

  uint32_t current_document_line() const { return current_doc_line_; }
  bool too_many_documents() const { return too_many_documents_; }
  Arena* arena() const { return arena_; }  // for copied scalar text
  uint32_t file() const { return file_; }
  // The bytes of the file being parsed: the alias limit is a multiple of them.
  void set_source_bytes(uint64_t bytes) { source_bytes_ = bytes; }

 private:
  struct Frame {
    NodeKind kind;
    uint32_t line, column;
    uint32_t scratch_begin;
    std::string anchor;
  };
  // A subtree's size with its aliases expanded, in nodes and in bytes of scalar text: what an
  // alias to it adds to the model, which copies each alias (schema/model_arena.h).
  struct Size {
    uint64_t nodes = 1, bytes = 0;
  };
  struct Weighted {
    Node node;
    Size size;
  };

  bool push(const Node& n, Size size, std::string_view anchor);
  bool apply_merge_keys(uint32_t begin, Abort* abort);
  void drop_duplicate_keys(uint32_t begin);

  uint32_t file_;
  const LoaderLimits& limits_;
  Arena* arena_;
  Arena* node_arena_;
  ParsedFile* out_;

  uint32_t document_index_ = 0;
  uint32_t current_doc_line_ = 0;  // start line of the document being parsed
  uint32_t empty_documents_ = 0;
  bool too_many_documents_ = false;
  uint64_t source_bytes_ = 0;
  size_t duplicate_keys_ = 0;       // found in this file, reported or not
  Position first_unreported_key_;  // where the first duplicate key past the limit is
  Size aliases_{0, 0};  // what the file's aliases add, expanded: LoaderLimits bounds it per file
  Size aliases_before_document_{0, 0};

  std::optional<Document> doc_;
  std::vector<Node> nodes_;  // children blocks of the document being built
  std::vector<Frame> frames_;
  std::vector<Weighted> scratch_;
  std::unordered_map<std::string, Weighted> anchors_;
};

}  // namespace kmc::parser
