#include "kustomize/label_selector.h"

#include <algorithm>
#include <charconv>

namespace kmc::kustomize {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A tokenizer over the selector: words (keys, values, `in`, `notin`) and the operators.
class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}
  void skip() {
    while (i_ < s_.size() && space(s_[i_])) ++i_;
  }
  bool done() {
    skip();
    return i_ >= s_.size();
  }
  bool eat(std::string_view op) {
    skip();
    if (s_.substr(i_, op.size()) != op) return false;
    i_ += op.size();
    return true;
  }
  std::string word() {
    skip();
    size_t start = i_;
    while (i_ < s_.size() && !space(s_[i_]) && std::string_view("=!(),<>").find(s_[i_]) == std::string_view::npos) ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  // The keyword `in` or `notin` as a whole word.
  bool keyword(std::string_view k) {
    skip();
    if (s_.substr(i_, k.size()) != k) return false;
    size_t end = i_ + k.size();
    if (end < s_.size() && !space(s_[end]) && s_[end] != '(') return false;
    i_ = end;
    return true;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

bool value_list(Lexer* lex, std::vector<std::string>* values) {
  if (!lex->eat("(")) return false;
  for (;;) {
    values->push_back(lex->word());
    if (lex->eat(")")) return true;
    if (!lex->eat(",")) return false;
  }
}

std::optional<Requirement> requirement(Lexer* lex, std::string* error) {
  Requirement r;
  if (lex->eat("!")) {
    r.key = lex->word();
    r.op = Requirement::Op::DoesNotExist;
  } else {
    r.key = lex->word();
    if (lex->eat("==") || lex->eat("=")) {
      r.op = Requirement::Op::Equals;
      r.values.push_back(lex->word());
    } else if (lex->eat("!=")) {
      r.op = Requirement::Op::NotEquals;
      r.values.push_back(lex->word());
    } else if (lex->eat(">")) {
      r.op = Requirement::Op::GreaterThan;
      r.values.push_back(lex->word());
    } else if (lex->eat("<")) {
      r.op = Requirement::Op::LessThan;
      r.values.push_back(lex->word());
    } else if (lex->keyword("notin")) {
      r.op = Requirement::Op::NotIn;
      if (!value_list(lex, &r.values)) return (*error = "`notin` takes a list in parentheses", std::nullopt);
    } else if (lex->keyword("in")) {
      r.op = Requirement::Op::In;
      if (!value_list(lex, &r.values)) return (*error = "`in` takes a list in parentheses", std::nullopt);
    }
  }
  if (r.key.empty()) return (*error = "a requirement has no key", std::nullopt);
  return r;
}

}  // namespace

std::optional<std::vector<Requirement>> parse_label_selector(std::string_view text, std::string* error) {
  std::vector<Requirement> out;
  Lexer lex(text);
  if (lex.done()) return out;
  for (;;) {
    std::optional<Requirement> r = requirement(&lex, error);
    if (!r) return std::nullopt;
    out.push_back(std::move(*r));
    if (lex.done()) return out;
    if (!lex.eat(",")) return (*error = "requirements are separated by commas", std::nullopt);
  }
}

bool selector_matches(const std::vector<Requirement>& selector,
                      const std::function<std::optional<std::string_view>(std::string_view)>& label) {
  for (const Requirement& r : selector) {
    std::optional<std::string_view> v = label(r.key);
    bool listed = v && std::find(r.values.begin(), r.values.end(), *v) != r.values.end();
    bool ok = true;
    switch (r.op) {
      case Requirement::Op::Equals:
      case Requirement::Op::In: ok = listed; break;
      case Requirement::Op::NotEquals:
      case Requirement::Op::NotIn: ok = !listed; break;
      case Requirement::Op::Exists: ok = v.has_value(); break;
      case Requirement::Op::DoesNotExist: ok = !v.has_value(); break;
      case Requirement::Op::GreaterThan:
      case Requirement::Op::LessThan: {
        long have = 0, want = 0;
        bool parsed = v && !r.values.empty() &&
                      std::from_chars(v->data(), v->data() + v->size(), have).ec == std::errc() &&
                      std::from_chars(r.values[0].data(), r.values[0].data() + r.values[0].size(), want).ec ==
                          std::errc();
        ok = parsed && (r.op == Requirement::Op::GreaterThan ? have > want : have < want);
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string_view> metadata_value(const RNode& tree, std::string_view map, std::string_view key) {
  const RNode* meta = tree.get("metadata");
  const RNode* m = meta ? meta->get(map) : nullptr;
  const RNode* v = m ? m->get(key) : nullptr;
  if (v == nullptr) return std::nullopt;
  return v->is_null() ? std::string_view() : v->text;
}

}  // namespace kmc::kustomize
