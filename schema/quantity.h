#pragma once
#include <compare>
#include <string>
#include <string_view>

// resource.Quantity (apimachinery api/resource): the grammar the API server accepts for CPU,
// memory and storage amounts, and an exact value to compare claims with volumes.
namespace kmc::schema {

struct Quantity {
  // The amount in units of 10^-9, rounded up like Kubernetes rounds anything finer than nano.
  // Saturates at about 1.7e29 (far beyond any real amount); `saturated` says it did.
  __int128 nanos = 0;
  bool saturated = false;

  auto operator<=>(const Quantity& o) const { return nanos <=> o.nanos; }
  bool operator==(const Quantity& o) const { return nanos == o.nanos; }

  // A readable form for messages: "10Gi", "1500m", "512M".
  std::string str() const;
};

// Parses `text` (surrounding spaces ignored, as the API does). On failure returns false and
// sets `error` to why ("unknown suffix \"GB\"").
bool parse_quantity(std::string_view text, Quantity* out, std::string* error);

}  // namespace kmc::schema
