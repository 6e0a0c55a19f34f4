#include "checks/envvars.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace kmc::checks {
using schema::Container;
using schema::Service;
using schema::ServicePort;
using schema::Text;

namespace {

// The kubelet's makeEnvVariableName, one character at a time.
char env_char(char c) { return c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string protocol_of(const ServicePort& p) {
  std::string proto = p.protocol.set() && !p.protocol.value().empty() ? std::string(p.protocol.value()) : "TCP";
  for (char& c : proto) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return proto;
}

// A mangled Service name: it came from a DNS-1035 label, so [A-Z][A-Z0-9_]*, no `__`, no `_` at the end.
bool plausible_prefix(std::string_view p) {
  if (p.empty() || p.size() > 63 || !(p[0] >= 'A' && p[0] <= 'Z') || p.back() == '_') return false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok || (c == '_' && i + 1 < p.size() && p[i + 1] == '_')) return false;
  }
  return true;
}

std::string service_name_of(std::string_view prefix) {
  std::string out(prefix);
  for (char& c : out) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

std::string_view basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_shell(std::string_view program) {
  std::string_view b = basename(program);
  return b == "sh" || b == "bash" || b == "ash" || b == "dash" || b == "zsh" || b == "ksh";
}

// `-c`, `-ec`, `-xc`, `-euxc`: a short-option cluster that contains c.
bool is_dash_c(std::string_view arg) {
  if (arg.size() < 2 || arg[0] != '-' || arg[1] == '-') return false;
  for (char c : arg.substr(1))
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  return arg.find('c') != std::string_view::npos;
}

}  // namespace

std::string env_name_of(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = env_char(c);
  return out;
}

std::vector<std::string> service_variables(std::string_view service_name, const Service& s) {
  std::vector<std::string> out;
  if (s.ports.empty()) return out;
  std::string name = env_name_of(service_name);
  out.push_back(name + "_SERVICE_HOST");
  out.push_back(name + "_SERVICE_PORT");
  for (const ServicePort& p : s.ports)
    if (p.name.set() && !p.name.value().empty()) out.push_back(name + "_SERVICE_PORT_" + env_name_of(p.name.value()));
  out.push_back(name + "_PORT");
  for (const ServicePort& p : s.ports) {
    std::string base = fmt::format("{}_PORT_{}_{}", name, p.port.value, protocol_of(p));
    out.push_back(base);
    out.push_back(base + "_PROTO");
    out.push_back(base + "_PORT");
    out.push_back(base + "_ADDR");
  }
  return out;
}

namespace {

// Whether `text` starts with env_name_of(name); if so, removes that prefix.
bool consume_env_name(std::string_view* text, std::string_view name) {
  if (text->size() < name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if ((*text)[i] != env_char(name[i])) return false;
  text->remove_prefix(name.size());
  return true;
}

bool consume(std::string_view* text, std::string_view prefix) {
  if (!text->starts_with(prefix)) return false;
  text->remove_prefix(prefix.size());
  return true;
}

bool consume_upper(std::string_view* text, std::string_view word) {
  if (text->size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if ((*text)[i] != static_cast<char>(std::toupper(static_cast<unsigned char>(word[i])))) return false;
  text->remove_prefix(word.size());
  return true;
}

}  // namespace

bool is_service_variable(std::string_view v, std::string_view service_name, const Service& s) {
  if (s.ports.empty() || !consume_env_name(&v, service_name)) return false;
  if (v == "_SERVICE_HOST" || v == "_SERVICE_PORT" || v == "_PORT") return true;
  if (consume(&v, "_SERVICE_PORT_")) {
    for (const ServicePort& p : s.ports) {
      std::string_view rest = v;
      if (p.name.set() && !p.name.value().empty() && consume_env_name(&rest, p.name.value()) && rest.empty())
        return true;
    }
    return false;
  }
  if (!consume(&v, "_PORT_")) return false;
  for (const ServicePort& p : s.ports) {
    char digits[24];
    auto [end, error] = std::to_chars(digits, digits + sizeof digits, p.port.value);
    std::string_view rest = v;
    if (error != std::errc() || !consume(&rest, std::string_view(digits, end - digits)) || !consume(&rest, "_")) continue;
    std::string_view protocol = p.protocol.set() && !p.protocol.value().empty() ? p.protocol.value() : "TCP";
    if (!consume_upper(&rest, protocol)) continue;
    if (rest.empty() || rest == "_PROTO" || rest == "_PORT" || rest == "_ADDR") return true;
  }
  return false;
}

bool parse_service_variable(std::string_view v, ServiceVariableName* out) {
  std::string_view prefix;
  bool strong = true;
  if (ends_with(v, "_SERVICE_HOST")) {
    prefix = v.substr(0, v.size() - 13);
  } else if (size_t at = v.find("_SERVICE_PORT"); at != std::string_view::npos &&
                                                  (at + 13 == v.size() || v[at + 13] == '_')) {
    prefix = v.substr(0, at);
  } else {
    // X_PORT_<n>_<PROTO>[_PROTO|_PORT|_ADDR], else a bare X_PORT.
    std::string_view rest = v;
    for (std::string_view tail : {"_PROTO", "_PORT", "_ADDR"})
      if (ends_with(rest, tail)) {
        std::string_view cut = rest.substr(0, rest.size() - tail.size());
        if (ends_with(cut, "_TCP") || ends_with(cut, "_UDP") || ends_with(cut, "_SCTP")) rest = cut;
        break;
      }
    size_t proto = rest.rfind('_');
    std::string_view p = proto == std::string_view::npos ? "" : rest.substr(proto + 1);
    if (p == "TCP" || p == "UDP" || p == "SCTP") {
      std::string_view before = rest.substr(0, proto);
      size_t num = before.rfind('_');
      if (num == std::string_view::npos || !is_digits(before.substr(num + 1))) return false;
      before = before.substr(0, num);
      if (!ends_with(before, "_PORT")) return false;
      prefix = before.substr(0, before.size() - 5);
    } else if (ends_with(v, "_PORT")) {
      prefix = v.substr(0, v.size() - 5);
      strong = false;
    } else {
      return false;
    }
  }
  if (!plausible_prefix(prefix)) return false;
  out->service = service_name_of(prefix);
  out->strong = strong;
  return true;
}

std::vector<VariableRef> kubelet_refs(std::string_view s) {
  std::vector<VariableRef> out;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '$') continue;
    if (s[i + 1] == '$') {
      ++i;  // `$$` is a literal `$`
      continue;
    }
    if (s[i + 1] != '(') continue;
    size_t close = s.find(')', i + 2);
    if (close == std::string_view::npos) break;
    if (close > i + 2) out.push_back({s.substr(i + 2, close - i - 2), i});
    i = close;
  }
  return out;
}

std::vector<VariableRef> shell_refs(std::string_view s) {
  std::vector<VariableRef> out;
  bool single_quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'') single_quoted = !single_quoted;
    if (single_quoted || c != '$' || i + 1 >= s.size()) continue;
    if (i > 0 && s[i - 1] == '\\') continue;
    size_t start = i + 1;
    bool braced = s[start] == '{';
    if (braced) ++start;
    if (start >= s.size() || !name_start(s[start])) continue;
    size_t end = start;
    while (end < s.size() && name_char(s[end])) ++end;
    out.push_back({s.substr(start, end - start), i});
    i = end - 1;
  }
  return out;
}

const Text* shell_script(const Container& c) {
  std::vector<const Text*> argv;
  for (const Text& t : c.command) argv.push_back(&t);
  for (const Text& t : c.args) argv.push_back(&t);
  for (size_t i = 0; i + 2 < argv.size() + 1; ++i) {
    if (!is_shell(argv[i]->value())) continue;
    for (size_t j = i + 1; j < argv.size(); ++j) {
      if (is_dash_c(argv[j]->value())) return j + 1 < argv.size() ? argv[j + 1] : nullptr;
      if (argv[j]->value().empty() || argv[j]->value()[0] != '-') break;
    }
    return nullptr;
  }
  return nullptr;
}

}  // namespace kmc::checks
