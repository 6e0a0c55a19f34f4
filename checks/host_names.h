#pragma once
#include <string_view>
#include <vector>

// Host names in the strings a container is given (env values, command, args, the ConfigMap
// values it reads), as programs take them: `redis`, `cart:7070`, `http://cart:8080/api`,
// `--db=postgres`, `web-0.web.shop.svc.cluster.local:5432`. Only lower-case DNS names count; a
// token glued to other characters (`REDIS_HOST`, `my_db`) is not one.
namespace kmc::checks {

struct HostName {
  std::string_view name;  // without a trailing dot
  size_t offset = 0;      // into the string
  std::string_view port;  // the digits after `:`, or empty
  bool single_label = false;
  // The string says this is a host: the whole value, `name:port`, a URL's host (`://name`),
  // `--flag=name`, `user@name`. A single label anywhere else is a word (`--mode web`), not a host.
  bool host_context = false;
  bool in_url = false;  // after `://`
  std::string_view assignee;  // `redis-host` of `--redis-host=redis`, `HOST` of `HOST=redis`
};

// Whether a variable, key or flag name says its value is a host: it has HOST, ADDR, URL, URI,
// SERVER, ENDPOINT, SERVICE, SVC, DSN, BROKER, BACKEND, UPSTREAM or PEER in it (any case).
bool names_a_host(std::string_view name);

std::vector<HostName> host_names(std::string_view s);

// A DNS-1123 label: lower-case letters, digits and `-`, at most 63, not starting or ending in `-`.
bool is_dns_label(std::string_view s);
std::vector<std::string_view> split_labels(std::string_view s);

}  // namespace kmc::checks
