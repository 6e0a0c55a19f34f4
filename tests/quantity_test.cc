// resource.Quantity: the grammar of apimachinery's ParseQuantity and exact values.
#include <catch2/catch.hpp>

#include "schema/quantity.h"

using namespace kmc;
using namespace kmc::schema;

namespace {
Quantity q(const char* s) {
  Quantity out;
  std::string error;
  INFO(s);
  REQUIRE(parse_quantity(s, &out, &error));
  return out;
}
std::string error_of(const char* s) {
  Quantity out;
  std::string error;
  CHECK_FALSE(parse_quantity(s, &out, &error));
  return error;
}
constexpr __int128 kNano = 1000000000;
}  // namespace

TEST_CASE("quantities parse with binary, decimal and exponent suffixes", "[quantity]") {
  CHECK((q("0").nanos == 0));
  CHECK((q("1").nanos == kNano));
  CHECK((q("1Ki").nanos == 1024 * kNano));
  CHECK((q("1Gi").nanos == (static_cast<__int128>(1) << 30) * kNano));
  CHECK(q("1Gi") == q("1073741824"));
  CHECK(q("1G") == q("1e9"));
  CHECK(q("1.5Gi") == q("1536Mi"));
  CHECK((q("500m").nanos == kNano / 2));
  CHECK(q("0.5") == q("500m"));
  CHECK(q(".5") == q("500m"));
  CHECK(q("1.") == q("1"));
  CHECK(q("1E") == q("1e18"));
  CHECK(q("5E-2") == q("50m"));
  CHECK(q("12e+6") == q("12M"));
  CHECK((q("1k").nanos == 1000 * kNano));
  CHECK((q("100u").nanos == 100000));
  CHECK((q("3n").nanos == 3));
  CHECK((q("-1").nanos == -kNano));
  CHECK((q("+2").nanos == 2 * kNano));
  CHECK(q(" 1Gi ") == q("1Gi"));  // the API trims spaces
}

TEST_CASE("quantities finer than a nano round up, huge ones saturate", "[quantity]") {
  CHECK((q("0.1n").nanos == 1));
  CHECK((q("1.0000000001").nanos == kNano + 1));
  Quantity huge = q("1e100");
  CHECK(huge.saturated);
  CHECK(huge > q("1000Ei"));
}

TEST_CASE("quantities that do not parse say why", "[quantity]") {
  CHECK(error_of("10GB").find("\"GB\"") != std::string::npos);
  CHECK(error_of("1K").find("\"K\" is not a unit") != std::string::npos);
  CHECK(error_of("1gi").find("\"gi\"") != std::string::npos);
  CHECK(error_of("1.5.0Gi").find(".0Gi") != std::string::npos);
  CHECK(error_of("1e").find("\"e\" is not a unit") != std::string::npos);
  CHECK(error_of("Gi").find("does not start with a number") != std::string::npos);
  CHECK(error_of("").find("empty") != std::string::npos);
  CHECK_FALSE(error_of("1Mi1").empty());
  CHECK_FALSE(error_of("1 Gi").empty());
}

TEST_CASE("quantities print in their shortest exact unit", "[quantity]") {
  CHECK(q("1.5Gi").str() == "1536Mi");
  CHECK(q("1.5").str() == "1500m");
  CHECK(q("10Gi").str() == "10Gi");
  CHECK(q("1000").str() == "1k");
  CHECK(q("512M").str() == "512M");
  CHECK(q("0").str() == "0");
}
