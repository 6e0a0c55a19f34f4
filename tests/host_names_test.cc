// Host names in container strings (checks/host_names.h): what is a host, and where the string
// says so.
#include <catch2/catch.hpp>

#include "checks/host_names.h"

using namespace kmc::checks;

namespace {
std::vector<std::string> hosts(std::string_view s) {
  std::vector<std::string> out;
  for (const HostName& h : host_names(s))
    out.push_back(std::string(h.name) + (h.port.empty() ? "" : ":" + std::string(h.port)) + (h.host_context ? " host" : ""));
  return out;
}
}  // namespace

TEST_CASE("host names: short names count where the string says they are hosts", "[topology]") {
  CHECK(hosts("redis") == std::vector<std::string>{"redis host"});
  CHECK(hosts("cartservice:7070") == std::vector<std::string>{"cartservice:7070 host"});
  CHECK(hosts("http://cart:8080/api") == std::vector<std::string>{"http", "cart:8080 host", "api"});
  CHECK(hosts("--db=postgres") == std::vector<std::string>{"postgres host"});  // `--db` is a flag
  CHECK(hosts("amqp://user@rabbit") == std::vector<std::string>{"amqp", "user", "rabbit host"});
  CHECK(hosts("amqp://user:secret@rabbit:5672") == std::vector<std::string>{"amqp", "user", "secret", "rabbit:5672 host"});
  CHECK(hosts("run the web server") == std::vector<std::string>{"run", "the", "web", "server"});
  // Glued to upper case or `_`: a variable, not a host.
  CHECK(hosts("REDIS_HOST") .empty());
  CHECK(hosts("my_db:5432") == std::vector<std::string>{"5432"});
  // Full names keep their labels and port; a port glued to letters is none.
  CHECK(hosts("redis.shop.svc.cluster.local.:6379") == std::vector<std::string>{"redis.shop.svc.cluster.local:6379 host"});
  CHECK(hosts("cart:80ab") == std::vector<std::string>{"cart", "80ab"});
}
