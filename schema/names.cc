#include "schema/names.h"

#include <fmt/format.h>

namespace kmc::schema {
namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

std::string describe(char c) {
  if (c >= 'A' && c <= 'Z') return fmt::format("an upper-case letter '{}'", c);
  if (c == ' ') return "a space";
  if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) return "a non-ASCII or control character";
  return fmt::format("'{}'", c);
}

// `allowed` says which characters may appear inside; both ends must pass `edge`.
template <class Inside, class Edge>
std::string token_error(std::string_view s, size_t max, std::string_view what, Inside allowed, Edge edge,
                        std::string_view edge_words) {
  if (s.empty()) return fmt::format("is empty; {} must not be", what);
  if (s.size() > max) return fmt::format("is {} characters long; {} may have at most {}", s.size(), what, max);
  for (size_t i = 0; i < s.size(); ++i)
    if (!allowed(s[i])) return fmt::format("has {} at position {}; {} allows only {}", describe(s[i]), i + 1, what, edge_words);
  if (!edge(s.front())) return fmt::format("starts with '{}'; {} must start with an alphanumeric character", s.front(), what);
  if (!edge(s.back())) return fmt::format("ends with '{}'; {} must end with an alphanumeric character", s.back(), what);
  return {};
}

std::string label_error(std::string_view s, std::string_view what) {
  return token_error(
      s, 63, what, [](char c) { return lower_alnum(c) || c == '-'; }, lower_alnum,
      "lower-case letters, digits and '-'");
}

std::string name_part_error(std::string_view s, std::string_view what) {
  return token_error(
      s, 63, what, [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; }, alnum,
      "letters, digits, '-', '_' and '.'");
}

}  // namespace

std::string dns1123_label_error(std::string_view s) { return label_error(s, "an RFC 1123 label"); }

std::string dns1123_subdomain_error(std::string_view s) {
  if (s.empty()) return "is empty; a DNS subdomain name must not be";
  if (s.size() > 253) return fmt::format("is {} characters long; a DNS subdomain name may have at most 253", s.size());
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty()) return "has an empty part between dots; each dot-separated part of a DNS subdomain name must be non-empty";
    std::string e = token_error(
        part, 253, "a DNS subdomain name", [](char c) { return lower_alnum(c) || c == '-'; }, lower_alnum,
        "lower-case letters, digits, '-' and '.'");
    if (!e.empty()) return e;
    if (dot == std::string_view::npos) return {};
    start = dot + 1;
  }
}

std::string dns1035_label_error(std::string_view s) {
  std::string e = label_error(s, "an RFC 1035 label");
  if (e.empty() && !(s.front() >= 'a' && s.front() <= 'z'))
    return fmt::format("starts with '{}'; an RFC 1035 label must start with a lower-case letter", s.front());
  return e;
}

std::string label_key_error(std::string_view s) {
  if (s.empty()) return "is empty; a key must have a name";
  size_t slash = s.find('/');
  std::string_view name = s;
  if (slash != std::string_view::npos) {
    std::string_view prefix = s.substr(0, slash);
    name = s.substr(slash + 1);
    if (name.find('/') != std::string_view::npos) return "has more than one '/'; a key is an optional DNS prefix, '/', and a name";
    if (prefix.empty()) return "starts with '/'; the prefix before '/' must be a DNS subdomain";
    std::string e = dns1123_subdomain_error(prefix);
    if (!e.empty()) return "prefix \"" + std::string(prefix) + "\" " + e;
  }
  return name_part_error(name, slash == std::string_view::npos ? "a key" : "the name after the prefix");
}

std::string label_value_error(std::string_view s) {
  if (s.empty()) return {};
  return name_part_error(s, "a label value");
}

std::string iana_service_name_error(std::string_view s) {
  std::string e = token_error(
      s, 15, "a port name", [](char c) { return lower_alnum(c) || c == '-'; }, lower_alnum,
      "lower-case letters, digits and '-'");
  if (!e.empty()) return e;
  if (s.find("--") != std::string_view::npos) return "contains \"--\"; a port name must not have two '-' in a row";
  for (char c : s)
    if (c >= 'a' && c <= 'z') return {};
  return "has no letter; a port name must contain at least one letter (a number goes in the port field)";
}

std::string path_segment_name_error(std::string_view s) {
  if (s.empty()) return "is empty";
  if (s == "." || s == "..") return fmt::format("is \"{}\", which is not allowed as a name", s);
  for (char c : s)
    if (c == '/' || c == '%') return fmt::format("has '{}', which may not appear in this name", c);
  return {};
}

}  // namespace kmc::schema
