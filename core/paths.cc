#include "core/paths.h"

#include <filesystem>

namespace kmc {
namespace fs = std::filesystem;
namespace {

const fs::path& working_directory() {
  static const fs::path cwd = [] {
    std::error_code ec;
    fs::path p = fs::current_path(ec);
    return ec ? fs::path() : p.lexically_normal();
  }();
  return cwd;
}

}  // namespace

std::string display_path(std::string_view given) {
  if (given.empty() || given == "-" || given.front() == '<') return std::string(given);
  fs::path p = fs::path(given).lexically_normal();
  if (p.is_absolute()) {
    const fs::path& cwd = working_directory();
    if (cwd.empty()) return p.string();
    fs::path relative = p.lexically_relative(cwd);
    if (relative.empty() || *relative.begin() == "..") return p.string();
    p = relative;
  }
  std::string s = p.string();
  while (s.starts_with("./")) s.erase(0, 2);
  if (s.empty()) s = ".";
  // lexically_normal keeps a directory's trailing separator ("deploy/"): the walk joins names
  // to it either way.
  return s;
}

std::string absolute_path(std::string_view path) {
  fs::path p(path);
  if (p.is_relative()) p = working_directory() / p;
  return p.lexically_normal().string();
}

std::string canonical_path(std::string_view path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  if (ec) p = fs::absolute(fs::path(path), ec).lexically_normal();
  return p.string();
}

}  // namespace kmc
