#pragma once
#include <string>
#include <string_view>

namespace kmc {

// A path as kmc shows it in every output format: relative to the working directory when it lies
// under it, without a leading "./" (`deploy/x.yaml`, whether given as `./deploy/x.yaml`, as
// `/home/me/repo/deploy/x.yaml` from a config's directory, or walked from `.`), and as given
// otherwise (`../other/x.yaml`, `/etc/kmc/x.yaml`). CI systems place annotations by the path
// relative to the checkout, which is where CI runs. `-` and names in angle brackets (`<stdin>`)
// stay as they are.
std::string display_path(std::string_view given);

// The path with symlinks and `.`/`..` resolved, for telling whether two paths name one file; the
// lexically normal absolute path when the file does not exist.
std::string canonical_path(std::string_view path);

// The absolute, lexically normal form of `path` (relative to the working directory), without
// touching the file system: how editor buffers are named (parser/load.h, SourceBuffers).
std::string absolute_path(std::string_view path);

}  // namespace kmc
