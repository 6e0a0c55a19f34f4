#include "checks/host_names.h"

#include <cctype>
#include <string>

namespace kmc::checks {
namespace {

bool is_dns_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
bool glued(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// The port after a host, `:8080` (up to five digits, not glued to more), or empty.
std::string_view port_after(std::string_view s, size_t end) {
  if (end >= s.size() || s[end] != ':') return {};
  size_t i = end + 1;
  while (i < s.size() && digit(s[i]) && i - end <= 5) ++i;
  if (i == end + 1 || (i < s.size() && glued(s[i]))) return {};
  return s.substr(end + 1, i - end - 1);
}

bool host_context(std::string_view s, size_t start, size_t end, bool has_port) {
  if (has_port) return true;
  std::string_view before = s.substr(0, start), after = s.substr(end);
  auto blank = [](std::string_view t) { return t.find_first_not_of(" \t\r\n\"'") == std::string_view::npos; };
  if (blank(before) && blank(after)) return true;  // the whole value
  if (before.ends_with("://")) return true;
  if (!before.empty() && before.back() == '@') return true;
  // `--host=redis`, `HOST=redis` in a script: the value of an assignment, up to a blank.
  return !before.empty() && before.back() == '=' && (after.empty() || after.front() == ' ' || after.front() == ',' ||
                                                     after.front() == ';' || after.front() == '"' || after.front() == '\'');
}

}  // namespace

bool names_a_host(std::string_view name) {
  static constexpr std::string_view kWords[] = {"host", "addr", "url", "uri", "server", "endpoint", "service",
                                                "svc", "dsn", "broker", "backend", "upstream", "peer"};
  std::string lower(name.size(), ' ');
  for (size_t i = 0; i < name.size(); ++i) lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  for (std::string_view w : kWords)
    if (lower.find(w) != std::string::npos) return true;
  return false;
}

bool is_dns_label(std::string_view s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || digit(c) || c == '-')) return false;
  return true;
}

std::vector<std::string_view> split_labels(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

std::vector<HostName> host_names(std::string_view s) {
  std::vector<HostName> out;
  for (size_t i = 0; i < s.size();) {
    if (!is_dns_char(s[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < s.size() && is_dns_char(s[i])) ++i;
    // A token glued to letters of another alphabet (upper case, `_`) is not a host name.
    if ((start > 0 && glued(s[start - 1])) || (i < s.size() && glued(s[i]))) continue;
    std::string_view token = s.substr(start, i - start);
    while (!token.empty() && token.back() == '.') token.remove_suffix(1);
    if (token.empty() || token.front() == '.' || token.front() == '-') continue;
    HostName h;
    h.name = token;
    h.offset = start;
    h.single_label = token.find('.') == std::string_view::npos;
    h.port = port_after(s, i);
    h.in_url = s.substr(0, start).ends_with("://");
    // `user` of `user@host` and `user:password@host` is no host.
    size_t slash = s.find('/', i);
    bool userinfo = s.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i).find('@') !=
                    std::string_view::npos;
    h.host_context = !userinfo && host_context(s, start, start + token.size(), !h.port.empty());
    if (!h.port.empty()) i += 1 + h.port.size();  // the port is no token of its own
    if (start > 0 && s[start - 1] == '=') {
      size_t from = s.find_last_of(" \t-;\"'", start - 1);
      from = from == std::string_view::npos ? 0 : from + 1;
      h.assignee = s.substr(from, start - 1 - from);
    }
    out.push_back(h);
  }
  return out;
}

}  // namespace kmc::checks
