#pragma once
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/parallel.h"

// Which files a run reads: the paths given, directories walked as `kubectl apply -R -f` does.
namespace kmc::parser {

// A file the walk found, with its size (0 unless a regular file): the streaming load cuts its
// batches by size, and the walk's lstat already knows it.
struct InputFile {
  std::string path;
  uint64_t size = 0;
  bool named = false;  // given by name, not found by a walk: read as a manifest whatever it holds
};

// Expands paths the way `kubectl apply -R -f` does: arguments in order, directories recursively
// in lexical order (only .yaml, .yml and .json files; symlinked directories are not followed,
// so a link loop cannot trap the walk), `-` for standard input. Only regular files are read: a
// walk skips FIFOs, sockets, devices and file symlinks whose target is outside the directory
// given (`notices`), and a named one that is not a file is an error. A walk leaves out Helm
// charts (a directory with Chart.yaml; counted in `charts`). Files matching an `exclude` glob
// are left out. The walk runs on `workers` and gives the same list on any number of threads.
// `unsaved`: files an editor holds that are not on disk yet (absolute, lexically normal paths,
// core/paths.h): found where a walk would find them once saved, by the same rules.
std::vector<InputFile> find_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                   const std::vector<std::string>& exclude, const Workers& workers,
                                   std::vector<std::string>* notices = nullptr, size_t* charts = nullptr,
                                   const std::vector<InputFile>* unsaved = nullptr);

// find_inputs, the paths alone.
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors,
                                       const std::vector<std::string>& exclude = {},
                                       const Workers& workers = Workers::serial());

// What a file type is called in a message ("a FIFO", "a device").
const char* file_type_name(mode_t mode);

// Whether `path` matches one of the `exclude` globs: the whole path, or any tail of it after a
// '/' (`vendor/*` and `*_test.yaml` work wherever the tree starts); `*` also matches '/'.
bool excluded(const std::string& path, const std::vector<std::string>& patterns);

}  // namespace kmc::parser
