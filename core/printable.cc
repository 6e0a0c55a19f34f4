#include "core/printable.h"

namespace kmc {
namespace {

// A byte the scan must look at closely: a control byte, DEL, or any byte of a multi-byte
// sequence (which may be invalid, or encode a C1 control).
bool suspicious(unsigned char c) { return (c < 0x20 && c != '\t') || c >= 0x7f; }

void append_escape(unsigned char c, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xf]);
}

}  // namespace

size_t utf8_sequence_length(std::string_view s, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = byte(at);
  if (c < 0x80) return 1;
  size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n == 0 || c > 0xf4 || at + n > s.size()) return 0;
  for (size_t i = 1; i < n; ++i)
    if ((byte(at + i) & 0xc0) != 0x80) return 0;
  unsigned char second = byte(at + 1);
  if (c == 0xe0 && second < 0xa0) return 0;   // overlong
  if (c == 0xed && second >= 0xa0) return 0;  // a UTF-16 surrogate
  if (c == 0xf0 && second < 0x90) return 0;   // overlong
  if (c == 0xf4 && second >= 0x90) return 0;  // above U+10FFFF
  return n;
}

bool is_printable(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!suspicious(c)) {
      ++i;
      continue;
    }
    size_t n = utf8_sequence_length(text, i);
    // U+0080..U+009F, C2 80..C2 9F: the C1 controls (0x9b is a CSI on some terminals).
    if (n < 2 || (c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0)) return false;
    i += n;
  }
  return true;
}

void append_printable(std::string_view text, std::string* out) {
  if (is_printable(text)) {
    out->append(text);
    return;
  }
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!suspicious(c)) {
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t n = utf8_sequence_length(text, i);
    bool c1 = n == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0;
    if (n >= 2 && !c1) {
      out->append(text.substr(i, n));
      i += n;
      continue;
    }
    // A control byte, a C1 control (both of its bytes), or a byte that starts no valid sequence.
    size_t bad = c1 ? 2 : 1;
    for (size_t k = 0; k < bad; ++k) append_escape(static_cast<unsigned char>(text[i + k]), out);
    i += bad;
  }
}

std::string printable(std::string_view text) {
  std::string out;
  append_printable(text, &out);
  return out;
}

}  // namespace kmc
