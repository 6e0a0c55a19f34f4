#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "parser/load.h"

// The files a render reads, by the path kustomize resolves: those the run loaded already (a
// directory walk meets bases and overlays alike), and, read through the parser when first
// asked for, those outside the paths given (`kmc check overlays/prod` reads ../../base). Each
// file is parsed once for the whole run, whatever path names it.
namespace kmc::kustomize {
using parser::Document;
using parser::LoadOptions;
using parser::LoadResult;

enum class PathKind { Missing, File, Directory, Other };

class RunFiles {
 public:
  RunFiles(LoadResult* input, const LoadOptions& options);

  // `path`, made absolute and normal as Go's filepath.Abs makes it, with symlinks resolved as far
  // as it exists (kustomize compares and loads by this form).
  std::string canonical(const std::string& path);
  static PathKind kind_on_disk(const std::string& path);
  // kind_on_disk, and a File where only an editor's buffer holds the file (not saved yet).
  PathKind kind_of(const std::string& path) const;
  // `dir` joined with `relative` and normalised, as the run names paths ("base/app.yaml").
  static std::string join(const std::string& dir, std::string_view relative);

  // The documents of the file at `path` (a regular file), read now when no earlier read has;
  // nullptr when it cannot be read (the reason is among the input's errors). `file`: its number.
  const std::vector<const Document*>* documents(const std::string& path, uint32_t* file);

  // The whole text of the file at `path` (a generator's source), nullopt when it cannot be read
  // or is larger than the run's file size limit.
  std::optional<std::string> read_text(const std::string& path) const;

  // The documents of a file the run has read, by its number (empty for another).
  const std::vector<const Document*>& documents_of(uint32_t file) const {
    static const std::vector<const Document*> kNone;
    return file < by_file_.size() ? by_file_[file] : kNone;
  }
  const LoadResult& input() const { return *input_; }

 private:
  void index_new_documents();
  std::string resolved(const std::string& absolute);

  LoadResult* input_;
  const LoadOptions& options_;
  std::unordered_map<std::string, uint32_t> by_path_;  // canonical path: file number
  // canonical() of each absolute path asked for and of its directories: one lstat a new path
  // component, where weakly_canonical took a readlink per component of every file
  // (docs/performance.md, "Measurements behind the code").
  std::unordered_map<std::string, std::string> resolved_;
  std::vector<std::vector<const Document*>> by_file_;
  size_t indexed_documents_ = 0;
  uint32_t indexed_files_ = 0;
};

}  // namespace kmc::kustomize
