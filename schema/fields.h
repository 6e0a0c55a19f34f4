#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/node.h"
#include "schema/model_arena.h"

// The field types the model's specs are made of (schema/specs.h).
namespace kmc::schema {
using parser::Node;

// Every field a rule may point at keeps a node, hence its position: the model's own copy of the
// parse tree's node and of its text (schema/model_arena.h), so that the model outlives the trees
// and the files' bytes. A container kept for its position has no children; what a rule reads
// below it is decoded into the model.

// A string field: the node alone (8 bytes), since its text is the node's. The model holds
// millions of these on a large tree (bench/), so every byte here is megabytes there.
struct Text {
  const Node* node = nullptr;  // nullptr when the field is absent; else a non-null scalar
  std::string_view value() const { return node ? node->text() : std::string_view(); }
  bool set() const { return node != nullptr; }
  Position pos() const { return node ? node->pos() : Position{}; }
};

struct Int {
  int64_t value = 0;
  const Node* node = nullptr;
  bool set() const { return node != nullptr; }
};

// An int-or-string field (targetPort, maxSurge).
struct IntOrString {
  const Node* node = nullptr;
  bool is_int = false;
  int64_t int_value = 0;
  std::string_view str_value;
  bool set() const { return node != nullptr; }
};

// A map of string to string (labels, annotations, a Service's selector): the mapping node
// itself, read in place. Pairs whose key or value is not a scalar are skipped (the schema rules
// report them); a null value reads as "".
struct LabelMap {
  struct Entry {
    const Node* key_node;  // its value node follows it (a mapping's kids are key, value, …)
    std::string_view key() const { return key_node->text(); }
    std::string_view value() const { return key_node[1].is_null() ? std::string_view() : key_node[1].text(); }
  };
  class Iterator {
   public:
    Iterator(const Node* at, const Node* end) : at_(at), end_(end) { skip(); }
    Entry operator*() const { return {at_}; }
    Iterator& operator++() {
      at_ += 2;
      skip();
      return *this;
    }
    bool operator==(const Iterator& o) const { return at_ == o.at_; }

   private:
    void skip() {
      while (at_ != end_ && !(at_[0].is_scalar() && at_[1].is_scalar())) at_ += 2;
    }
    const Node* at_;
    const Node* end_;
  };

  const Node* node = nullptr;  // the mapping; nullptr when absent or not a mapping

  Iterator begin() const { return node ? Iterator(node->kids(), node->kids() + 2 * node->len) : Iterator(nullptr, nullptr); }
  Iterator end() const { return node ? Iterator(node->kids() + 2 * node->len, node->kids() + 2 * node->len) : Iterator(nullptr, nullptr); }
  bool set() const { return node != nullptr; }
  bool empty() const { return begin() == end(); }
  size_t size() const;
  // The value of `key`; the last one when the key is repeated, as after kubectl's decoding.
  std::optional<std::string_view> find(std::string_view key) const;
  // True when every entry of `this` is in `labels` with the same value.
  bool subset_of(const LabelMap& labels) const;
};

struct SelectorRequirement {
  Text key;
  Text op;  // In, NotIn, Exists, DoesNotExist (Gt, Lt for node selectors)
  std::vector<Text> values;
  const Node* node = nullptr;
};

// metav1.LabelSelector: matchLabels AND every matchExpression. A null selector matches nothing,
// an empty one everything; callers decide which applies (see set()).
struct LabelSelector {
  LabelMap match_labels;
  std::vector<SelectorRequirement> match_expressions;
  const Node* node = nullptr;

  bool set() const { return node != nullptr; }
  bool empty() const { return match_labels.empty() && match_expressions.empty(); }
  bool matches(const LabelMap& labels) const;
};

// The decoders of the two shapes rules and tests build by hand; `n` may be null or of the
// wrong shape (the result is then unset).
LabelMap decode_label_map(const Node* n);
LabelSelector decode_label_selector(const Node* n);

}  // namespace kmc::schema
