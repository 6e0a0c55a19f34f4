#pragma once
#include <string>
#include <string_view>

// The name and label syntaxes of the Kubernetes API (apimachinery util/validation). Each
// returns an empty string when `s` is valid, otherwise why not, in words that name the first
// offending character or the length ("has an upper-case letter 'W' at position 3").
namespace kmc::schema {

// RFC 1123 label: at most 63 of [a-z0-9-], alphanumeric at both ends (Namespace, container and
// volume names, Service port names).
std::string dns1123_label_error(std::string_view s);
// RFC 1123 subdomain: at most 253 characters, dot-separated RFC 1123 labels (most object names).
std::string dns1123_subdomain_error(std::string_view s);
// RFC 1035 label: an RFC 1123 label that starts with a letter (Service names).
std::string dns1035_label_error(std::string_view s);
// A label or annotation key: an optional RFC 1123 subdomain prefix and `/`, then a name of at
// most 63 of [A-Za-z0-9-_.], alphanumeric at both ends.
std::string label_key_error(std::string_view s);
// A label value: empty, or at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends.
std::string label_value_error(std::string_view s);
// An IANA service name (named container ports): 1-15 of [a-z0-9-], at least one letter, no
// `-` at either end and no `--`.
std::string iana_service_name_error(std::string_view s);
// A name that is one segment of a URL path (RBAC objects: `system:controller:x` is fine).
std::string path_segment_name_error(std::string_view s);

}  // namespace kmc::schema
