#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace kmc::render {

// The directory `kmc compile -o DIR` writes its files into. The names come from the input
// (compiled_file_name), so every write is made so that nothing in the directory can redirect it:
// each file is written under a temporary name created afresh (O_EXCL, O_NOFOLLOW, relative to
// the directory's own descriptor) and renamed over its name when complete, so no symlink, no
// existing subdirectory and no earlier file is written through, and a failed run leaves no file
// cut short. The directory lists what kmc wrote in `.kmc-compiled`, so that `--force` removes
// those files, and only those, before the next run.
class OutputDirectory {
 public:
  static constexpr std::string_view kManifest = ".kmc-compiled";

  OutputDirectory() = default;
  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;
  ~OutputDirectory();

  // Creates the directory if needed and opens it. A directory that holds anything is refused
  // unless `force`, which first removes the files an earlier run listed. False with `error` set.
  bool open(const std::string& path, bool force, std::string* error);
  // Writes one file, whole, under `name` (a single path component). False with `error` set.
  bool write(const std::string& name, std::string_view content, std::string* error);
  // Writes the list of the files written. False with `error` set.
  bool finish(std::string* error);

 private:
  bool write_file(const std::string& name, std::string_view content, std::string* error);

  std::string path_;
  int fd_ = -1;
  std::vector<std::string> written_;
};

// Writes `path` whole or not at all: to a new temporary file beside it, renamed over it when
// complete (`graph -o FILE`). False with `error` set.
bool write_whole_file(const std::string& path, std::string_view content, std::string* error);

}  // namespace kmc::render
