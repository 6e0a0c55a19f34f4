#include "parser/scalar.h"

#include <string>

namespace kmc::parser {
namespace {

bool one_of(std::string_view t, std::initializer_list<std::string_view> forms) {
  for (std::string_view f : forms)
    if (t == f) return true;
  return false;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? — the float form of go-yaml v2.
bool is_yaml_float(std::string_view t) {
  size_t i = 0, n = t.size();
  if (i < n && (t[i] == '-' || t[i] == '+')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < n && is_digit(t[i])) ++i, ++int_digits;
  if (i < n && t[i] == '.') {
    ++i;
    while (i < n && is_digit(t[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '-' || t[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < n && is_digit(t[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == n;
}

}  // namespace

bool parse_yaml_bool(std::string_view t, bool* out) {
  if (one_of(t, {"true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON"})) {
    *out = true;
    return true;
  }
  if (one_of(t, {"false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF"})) {
    *out = false;
    return true;
  }
  return false;
}

bool parse_yaml_int(std::string_view t, int64_t* out) {
  // go-yaml v2 strips `_` and then lets strconv.ParseInt pick the base from the prefix.
  std::string plain;
  plain.reserve(t.size());
  for (char c : t)
    if (c != '_') plain.push_back(c);
  std::string_view s(plain);
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, s.remove_prefix(2);
  else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) base = 2, s.remove_prefix(2);
  else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) base = 8, s.remove_prefix(2);
  else if (s.size() > 1 && s[0] == '0') base = 8, s.remove_prefix(1);
  unsigned __int128 v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (d >= base) return false;
    v = v * base + d;
    if (v > (static_cast<unsigned __int128>(1) << 63)) return false;
  }
  if (!neg && v > static_cast<unsigned __int128>(INT64_MAX)) return false;
  *out = neg ? static_cast<int64_t>(-static_cast<__int128>(v)) : static_cast<int64_t>(v);
  return true;
}

NodeKind resolve_plain_scalar(std::string_view t) {
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") return NodeKind::Null;
  char c = t[0];
  // Fast path: most plain scalars in manifests are words that start with a letter other
  // than the few that can begin a boolean or null.
  bool maybe_special = is_digit(c) || c == '-' || c == '+' || c == '.' || c == 't' || c == 'T' ||
                       c == 'f' || c == 'F' || c == 'y' || c == 'Y' || c == 'n' || c == 'N' ||
                       c == 'o' || c == 'O';
  if (!maybe_special) return NodeKind::String;
  bool b;
  if (parse_yaml_bool(t, &b)) return NodeKind::Bool;
  if (one_of(t, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
                 ".nan", ".NaN", ".NAN"}))
    return NodeKind::Float;
  if (c == '-' || c == '+' || c == '.' || is_digit(c)) {
    int64_t i;
    if (parse_yaml_int(t, &i)) return NodeKind::Int;
    if (is_yaml_float(t)) return NodeKind::Float;
    // An integer too large for int64 still decodes as a number.
    std::string_view digits = t;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
    bool all_digits = !digits.empty();
    for (char d : digits) all_digits = all_digits && (is_digit(d) || d == '_');
    if (all_digits) return NodeKind::Float;
  }
  return NodeKind::String;
}

}  // namespace kmc::parser
