// The DNS and label syntaxes of apimachinery's util/validation, with the examples its tests use.
#include <catch2/catch.hpp>

#include "schema/names.h"

using namespace kmc;
using namespace kmc::schema;

TEST_CASE("RFC 1123 labels and subdomains", "[names]") {
  for (const char* ok : {"a", "ab", "a-b", "0", "123-abc", "a23456789012345678901234567890123456789012345678901234567890123"})
    CHECK(dns1123_label_error(ok).empty());
  CHECK(dns1123_label_error("").find("empty") != std::string::npos);
  CHECK(dns1123_label_error("A").find("upper-case letter 'A'") != std::string::npos);
  CHECK(dns1123_label_error("-a").find("starts with '-'") != std::string::npos);
  CHECK(dns1123_label_error("a-").find("ends with '-'") != std::string::npos);
  CHECK(dns1123_label_error("a.b").find("'.'") != std::string::npos);
  CHECK(dns1123_label_error(std::string(64, 'a')).find("64 characters") != std::string::npos);

  for (const char* ok : {"a", "a.b", "a-1.b-2", "example.com", "0.0"}) CHECK(dns1123_subdomain_error(ok).empty());
  CHECK_FALSE(dns1123_subdomain_error("a..b").empty());
  CHECK_FALSE(dns1123_subdomain_error(".a").empty());
  CHECK_FALSE(dns1123_subdomain_error("a_b").empty());
  CHECK_FALSE(dns1123_subdomain_error(std::string(254, 'a')).empty());
  CHECK(dns1123_subdomain_error(std::string(63, 'a') + "." + std::string(63, 'b')).empty());
}

TEST_CASE("RFC 1035 labels start with a letter", "[names]") {
  CHECK(dns1035_label_error("web").empty());
  CHECK(dns1035_label_error("1web").find("lower-case letter") != std::string::npos);
  CHECK_FALSE(dns1035_label_error("web.svc").empty());
}

TEST_CASE("label keys and values", "[names]") {
  for (const char* ok : {"app", "app.kubernetes.io/name", "example.com/a_b.c-d", "A", "a/b", "k8s.io/x"})
    CHECK(label_key_error(ok).empty());
  CHECK_FALSE(label_key_error("").empty());
  CHECK_FALSE(label_key_error("/a").empty());
  CHECK_FALSE(label_key_error("a/").empty());
  CHECK_FALSE(label_key_error("a/b/c").empty());
  CHECK_FALSE(label_key_error("Example.com/a").empty());
  CHECK_FALSE(label_key_error("-a").empty());
  CHECK_FALSE(label_key_error(std::string(64, 'a')).empty());

  for (const char* ok : {"", "a", "A-b_c.d", "1", "v1.2.3"}) CHECK(label_value_error(ok).empty());
  CHECK(label_value_error("a b").find("a space") != std::string::npos);
  CHECK_FALSE(label_value_error("a@b").empty());
  CHECK_FALSE(label_value_error("-a").empty());
  CHECK_FALSE(label_value_error(std::string(64, 'a')).empty());
}

TEST_CASE("IANA service names for named container ports", "[names]") {
  for (const char* ok : {"http", "metrics-export1", "h2c", "a1"}) CHECK(iana_service_name_error(ok).empty());
  CHECK(iana_service_name_error("8080").find("no letter") != std::string::npos);
  CHECK(iana_service_name_error("metrics-endpoint").find("16 characters") != std::string::npos);
  CHECK(iana_service_name_error("a--b").find("--") != std::string::npos);
  CHECK_FALSE(iana_service_name_error("Http").empty());
}

TEST_CASE("path segment names (RBAC)", "[names]") {
  CHECK(path_segment_name_error("system:controller:x").empty());
  CHECK_FALSE(path_segment_name_error("a/b").empty());
  CHECK_FALSE(path_segment_name_error("a%b").empty());
  CHECK_FALSE(path_segment_name_error("..").empty());
}
