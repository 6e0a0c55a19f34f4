#pragma once
#include <optional>
#include <string>
#include <string_view>

// `file://` URIs, as editors name documents and workspace folders (RFC 8089, RFC 3986).
namespace kmc::lsp {

/// The absolute path a `file:` URI names, percent-decoded; nullopt for another scheme
/// (`untitled:`, `git:`) or a URI with a host other than localhost.
std::optional<std::string> path_of_uri(std::string_view uri);

/// The `file://` URI of an absolute path: every byte outside RFC 3986's unreserved set and
/// `/` percent-encoded, as VS Code writes them (`:` too, so a client compares them as it does).
std::string uri_of_path(std::string_view path);

}  // namespace kmc::lsp
