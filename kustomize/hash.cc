#include "kustomize/hash.h"

#include <array>
#include <cstdint>
#include <map>

namespace kmc::kustomize {

namespace {

constexpr std::array<uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compress(std::array<uint32_t, 8>* state, const unsigned char* block) {
  std::array<uint32_t, 64> w{};
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t{block[4 * i]} << 24) | (uint32_t{block[4 * i + 1]} << 16) | (uint32_t{block[4 * i + 2]} << 8) |
           uint32_t{block[4 * i + 3]};
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  std::array<uint32_t, 8> v = *state;
  for (int i = 0; i < 64; ++i) {
    uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
    uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
    uint32_t t1 = v[7] + s1 + ch + kRound[i] + w[i];
    uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
    uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
    uint32_t t2 = s0 + maj;
    v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
  }
  for (int i = 0; i < 8; ++i) (*state)[i] += v[i];
}

// A value of the object as json.Unmarshal then json.Marshal give it back: strings, and maps of
// strings (data, binaryData, stringData), keys sorted.
std::string json_of(const RNode* n) {
  if (n == nullptr) return "\"\"";
  if (n->is_scalar()) return go_json_string(n->text);
  if (!n->is_map()) return "null";
  std::map<std::string_view, std::string> sorted;
  for (size_t i = 0; i < n->pairs(); ++i)
    sorted[n->key(i).text] = n->value(i).is_null() ? "null" : go_json_string(n->value(i).text);
  std::string out = "{";
  for (const auto& [k, v] : sorted) out += (out.size() > 1 ? "," : "") + go_json_string(k) + ":" + v;
  return out + "}";
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<uint32_t, 8> state = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string padded(data);
  uint64_t bits = uint64_t{data.size()} * 8;
  padded += static_cast<char>(0x80);
  while (padded.size() % 64 != 56) padded += '\0';
  for (int i = 7; i >= 0; --i) padded += static_cast<char>((bits >> (8 * i)) & 0xff);
  for (size_t i = 0; i < padded.size(); i += 64)
    compress(&state, reinterpret_cast<const unsigned char*>(padded.data() + i));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint32_t word : state)
    for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(word >> shift) & 0xf];
  return out;
}

std::string go_json_string(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xa8 || static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string content_hash(const RNode& object) {
  std::string_view kind = object.get_text("kind");
  // json.Marshal of a map: keys in byte order. The name is always empty: kustomize v5.7 looks it
  // up as one field named "metadata/name", which no object has, so the hash never covers it.
  std::map<std::string, std::string> fields;
  fields["kind"] = go_json_string(kind);
  fields["name"] = "\"\"";
  fields["data"] = json_of(object.get("data"));
  const char* optional = kind == "Secret" ? "stringData" : "binaryData";
  if (const RNode* extra = object.get(optional); extra && extra->is_map()) fields[optional] = json_of(extra);
  if (kind == "Secret") fields["type"] = json_of(object.get("type"));
  std::string encoded = "{";
  for (const auto& [k, v] : fields) encoded += (encoded.size() > 1 ? "," : "") + go_json_string(k) + ":" + v;
  encoded += "}";
  std::string hex = sha256_hex(encoded).substr(0, 10);
  for (char& c : hex) {
    switch (c) {
      case '0': c = 'g'; break;
      case '1': c = 'h'; break;
      case '3': c = 'k'; break;
      case 'a': c = 'm'; break;
      case 'e': c = 't'; break;
      default: break;
    }
  }
  return hex;
}

}  // namespace kmc::kustomize
