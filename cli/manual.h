#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's namespace
class App;
}

// The man page and the shell completions, generated from the command line's own definition (its
// commands, options, help texts and allowed values), so that neither drifts from `kmc --help`.
// `make dist` writes them into the tarball; `kmc completion SHELL` prints a script to source.
namespace kmc::cli {

// kmc.1 in man(7) roff.
std::string man_page(const CLI::App& app, std::string_view version);

// A completion script for bash, zsh or fish ("" for another shell); `kmc explain` completes the
// ids of the rule catalogue.
std::string completion_script(const CLI::App& app, std::string_view shell);

}  // namespace kmc::cli
