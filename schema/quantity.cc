#include "schema/quantity.h"

#include <fmt/format.h>

namespace kmc::schema {
namespace {

constexpr __int128 kMax = (static_cast<__int128>(1) << 126);

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The suffix as apimachinery's suffixer reads it: a power of two, a power of ten, or an
// exponent (`e3`, `E-2`; a bare `E` is exa).
bool interpret_suffix(std::string_view s, int* pow2, int* pow10) {
  *pow2 = 0;
  *pow10 = 0;
  static constexpr struct { std::string_view s; int pow2, pow10; } kSuffixes[] = {
      {"", 0, 0},   {"Ki", 10, 0}, {"Mi", 20, 0}, {"Gi", 30, 0}, {"Ti", 40, 0}, {"Pi", 50, 0},
      {"Ei", 60, 0}, {"n", 0, -9}, {"u", 0, -6}, {"m", 0, -3}, {"k", 0, 3},  {"M", 0, 6},
      {"G", 0, 9},  {"T", 0, 12}, {"P", 0, 15}, {"E", 0, 18},
  };
  for (const auto& k : kSuffixes)
    if (k.s == s) {
      *pow2 = k.pow2;
      *pow10 = k.pow10;
      return true;
    }
  if (s.size() < 2 || (s[0] != 'e' && s[0] != 'E')) return false;
  std::string_view digits = s.substr(1);
  bool negative = false;
  if (digits[0] == '+' || digits[0] == '-') {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return false;
  int value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
    if (value > 10000) value = 10000;  // saturated: far beyond any representable amount
  }
  *pow10 = negative ? -value : value;
  return true;
}

}  // namespace

namespace {

// A quantity's text in its parts: sign, the digits before and after the point, and the suffix.
struct QuantityParts {
  bool negative = false;
  std::string_view int_part, frac_part, suffix;
};

bool split_quantity(std::string_view s, QuantityParts* out, std::string* error) {
  size_t pos = 0;
  if (s[pos] == '+' || s[pos] == '-') out->negative = s[pos++] == '-';
  size_t int_start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  out->int_part = s.substr(int_start, pos - int_start);
  if (pos < s.size() && s[pos] == '.') {
    size_t frac_start = ++pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    out->frac_part = s.substr(frac_start, pos - frac_start);
  }
  if (out->int_part.empty() && out->frac_part.empty()) {
    *error = "it does not start with a number";
    return false;
  }
  // The suffix: letters of "eEinumkKMGTP", then an optional signed integer (an exponent).
  size_t suffix_start = pos;
  while (pos < s.size() && std::string_view("eEinumkKMGTP").find(s[pos]) != std::string_view::npos) ++pos;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) ++pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  out->suffix = s.substr(suffix_start);
  if (pos != s.size()) {
    *error = fmt::format("\"{}\" after the number is not a unit", out->suffix);
    return false;
  }
  return true;
}

// Exact arithmetic in nano units: mantissa × 2^pow2 × 10^(pow10 + 9 - fraction digits).
Quantity to_nanos(const QuantityParts& parts, int pow2, int pow10) {
  Quantity q;
  __int128 mantissa = 0;
  int scale = pow10 + 9 - static_cast<int>(parts.frac_part.size());
  bool inexact = false;
  for (std::string_view part : {parts.int_part, parts.frac_part})
    for (char c : part) {
      if (mantissa > kMax / 10) {  // more digits than matter: drop them, keep the magnitude
        ++scale;
        inexact |= c != '0';
        continue;
      }
      mantissa = mantissa * 10 + (c - '0');
    }
  for (int i = 0; i < pow2 && !q.saturated; ++i) {
    if (mantissa > kMax / 2) q.saturated = true;
    mantissa *= 2;
  }
  for (; scale > 0 && !q.saturated && mantissa != 0; --scale) {
    if (mantissa > kMax / 10) q.saturated = true;
    else mantissa *= 10;
  }
  for (; scale < 0 && mantissa != 0; ++scale) {
    inexact |= mantissa % 10 != 0;
    mantissa /= 10;
  }
  if (inexact) ++mantissa;  // Kubernetes rounds up what is finer than 1n
  if (q.saturated) mantissa = kMax;
  q.nanos = parts.negative ? -mantissa : mantissa;
  return q;
}

}  // namespace

bool parse_quantity(std::string_view text, Quantity* out, std::string* error) {
  std::string_view s = trim(text);
  if (s.empty()) {
    *error = "it is empty";
    return false;
  }
  QuantityParts parts;
  if (!split_quantity(s, &parts, error)) return false;
  int pow2 = 0, pow10 = 0;
  if (!interpret_suffix(parts.suffix, &pow2, &pow10)) {
    *error = fmt::format("\"{}\" is not a unit", parts.suffix);
    return false;
  }
  *out = to_nanos(parts, pow2, pow10);
  return true;
}

std::string Quantity::str() const {
  __int128 v = nanos < 0 ? -nanos : nanos;
  std::string sign = nanos < 0 ? "-" : "";
  auto num = [](__int128 x) {
    std::string d;
    do {
      d.insert(d.begin(), char('0' + int(x % 10)));
      x /= 10;
    } while (x > 0);
    return d;
  };
  constexpr __int128 kNano = 1000000000;
  if (v % kNano == 0) {
    // The shorter of the largest exact binary and decimal units (10Gi, 512M, 1k).
    __int128 units = v / kNano;
    std::string binary, decimal;
    static constexpr struct { const char* s; int shift; } kBinary[] = {{"Ei", 60}, {"Pi", 50}, {"Ti", 40}, {"Gi", 30}, {"Mi", 20}, {"Ki", 10}};
    for (const auto& b : kBinary)
      if (binary.empty() && units != 0 && units % (static_cast<__int128>(1) << b.shift) == 0) binary = num(units >> b.shift) + b.s;
    static constexpr struct { const char* s; int zeros; } kDecimal[] = {{"E", 18}, {"P", 15}, {"T", 12}, {"G", 9}, {"M", 6}, {"k", 3}};
    for (const auto& d : kDecimal) {
      __int128 p = 1;
      for (int i = 0; i < d.zeros; ++i) p *= 10;
      if (decimal.empty() && units != 0 && units % p == 0) decimal = num(units / p) + d.s;
    }
    if (decimal.empty()) decimal = num(units);
    return sign + (!binary.empty() && binary.size() <= decimal.size() ? binary : decimal);
  }
  if (v % 1000000 == 0) return sign + num(v / 1000000) + "m";
  if (v % 1000 == 0) return sign + num(v / 1000) + "u";
  return sign + num(v) + "n";
}

}  // namespace kmc::schema
