#include <catch2/catch.hpp>

#include "parser/scalar.h"

using kmc::parser::NodeKind;
using kmc::parser::resolve_plain_scalar;

TEST_CASE("plain scalars resolve as Kubernetes' YAML 1.1 decoder resolves them", "[parser][scalar]") {
  SECTION("booleans include the YAML 1.1 words, which bite in labels and env values") {
    for (const char* t : {"true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO",
                          "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N"})
      CHECK(resolve_plain_scalar(t) == NodeKind::Bool);
    bool b = false;
    REQUIRE(kmc::parser::parse_yaml_bool("on", &b));
    CHECK(b);
    REQUIRE(kmc::parser::parse_yaml_bool("N", &b));
    CHECK_FALSE(b);
    for (const char* t : {"tRue", "yES", "enabled", "1.0.0", "nope", "o"}) CHECK(resolve_plain_scalar(t) == NodeKind::String);
  }
  SECTION("null") {
    for (const char* t : {"", "~", "null", "Null", "NULL"}) CHECK(resolve_plain_scalar(t) == NodeKind::Null);
    CHECK(resolve_plain_scalar("nULL") == NodeKind::String);
  }
  SECTION("integers in every YAML 1.1 base, with separators") {
    int64_t v = 0;
    for (auto [t, want] : {std::pair{"0", 0L}, {"42", 42L}, {"-17", -17L}, {"+5", 5L}, {"0x1F", 31L}, {"017", 15L},
                           {"0o17", 15L}, {"0b101", 5L}, {"1_000", 1000L}, {"9223372036854775807", INT64_MAX}}) {
      INFO(t);
      CHECK(resolve_plain_scalar(t) == NodeKind::Int);
      REQUIRE(kmc::parser::parse_yaml_int(t, &v));
      CHECK(v == want);
    }
    CHECK(kmc::parser::parse_yaml_int("-9223372036854775808", &v));
    CHECK(v == INT64_MIN);
  }
  SECTION("floats, and numbers too large for an integer") {
    for (const char* t : {"1.5", "-0.25", ".5", "1.", "1e3", "1E-3", "6.02e+23", ".inf", "-.Inf", ".NaN",
                          "99999999999999999999", "08"})
      CHECK(resolve_plain_scalar(t) == NodeKind::Float);
  }
  SECTION("strings that look almost like something else") {
    for (const char* t : {"1.2.3", "10Gi", "500m", "0x", "e3", "1e", "2024-01-01", "--flag", "-", "1:2", "v1"})
      CHECK(resolve_plain_scalar(t) == NodeKind::String);
  }
}
