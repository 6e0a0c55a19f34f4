#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kmc::parser {

// Whole-file byte checks the loader makes before parsing. They run over every input byte, so
// they test 64-byte blocks with branch-free loops the compiler turns into vector code, and look
// at single bytes only inside a block that holds a hit.

// No byte >= 0x80.
inline bool all_ascii(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  for (; i + 64 <= n; i += 64) {
    unsigned char any = 0;
    for (size_t k = 0; k < 64; ++k) any |= p[i + k];
    if (any & 0x80) return false;
  }
  for (; i < n; ++i)
    if (p[i] & 0x80) return false;
  return true;
}

// The first ASCII control character YAML does not allow in a stream (all but tab, line feed and
// carriage return; DEL too) at or after `from`, or npos.
inline size_t first_control_byte(std::string_view s, size_t from) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = from;
  auto bad = [](unsigned char c) -> unsigned char {
    return static_cast<unsigned char>(((c < 0x20) & (c != '\t') & (c != '\n') & (c != '\r')) | (c == 0x7F));
  };
  for (; i + 64 <= n; i += 64) {
    unsigned char any = 0;
    for (size_t k = 0; k < 64; ++k) any |= bad(p[i + k]);
    if (any) break;
  }
  for (; i < n; ++i)
    if (bad(p[i])) return i;
  return std::string_view::npos;
}

}  // namespace kmc::parser
