#include "kustomize/files.h"

#include "core/paths.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "parser/yaml_loader.h"

namespace kmc::kustomize {

RunFiles::RunFiles(LoadResult* input, const LoadOptions& options) : input_(input), options_(options) {
  index_new_documents();
}

std::string RunFiles::canonical(const std::string& path) {
  std::string absolute = absolute_path(path);
  while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  return resolved(absolute);
}

std::string RunFiles::resolved(const std::string& absolute) {
  if (absolute == "/" || absolute.empty()) return "/";
  if (auto known = resolved_.find(absolute); known != resolved_.end()) return known->second;
  size_t slash = absolute.rfind('/');
  std::string parent = resolved(slash == 0 ? std::string("/") : absolute.substr(0, slash));
  std::string out = (parent == "/" ? parent : parent + "/") + absolute.substr(slash + 1);
  struct stat st{};
  if (::lstat(out.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    // A link: followed to the end (a missing target keeps the rest lexical, as for any missing part).
    std::error_code ec;
    std::filesystem::path target = std::filesystem::weakly_canonical(out, ec);
    if (!ec) out = target.string();
  }
  resolved_.emplace(absolute, out);
  return out;
}

PathKind RunFiles::kind_on_disk(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return PathKind::Missing;
  if (S_ISREG(st.st_mode)) return PathKind::File;
  if (S_ISDIR(st.st_mode)) return PathKind::Directory;
  return PathKind::Other;
}

PathKind RunFiles::kind_of(const std::string& path) const {
  PathKind kind = kind_on_disk(path);
  if (kind == PathKind::Missing && options_.buffers && options_.buffers->count(absolute_path(path))) return PathKind::File;
  return kind;
}

std::string RunFiles::join(const std::string& dir, std::string_view relative) {
  std::filesystem::path p = std::filesystem::path(relative).is_absolute() || dir.empty()
                                ? std::filesystem::path(relative)
                                : std::filesystem::path(dir) / relative;
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s.empty() ? "." : s;
}

void RunFiles::index_new_documents() {
  const auto& files = input_->sources.files;
  for (; indexed_files_ < files.size(); ++indexed_files_) {
    const auto& f = files[indexed_files_];
    if (f->context) continue;
    std::string key = canonical(f->path);
    if (!key.empty()) by_path_.try_emplace(std::move(key), indexed_files_);
  }
  by_file_.resize(files.size());
  for (; indexed_documents_ < input_->documents.size(); ++indexed_documents_) {
    const Document* d = input_->documents[indexed_documents_];
    if (d->file < by_file_.size()) by_file_[d->file].push_back(d);
  }
}

const std::vector<const Document*>* RunFiles::documents(const std::string& path, uint32_t* file) {
  std::string key = canonical(path);
  if (key.empty()) return nullptr;
  auto it = by_path_.find(key);
  if (it == by_path_.end()) {
    size_t errors = input_->errors.size();
    parser::load_paths(input_, {path}, options_, false);
    index_new_documents();
    it = by_path_.find(key);
    if (it == by_path_.end() || input_->errors.size() != errors) return nullptr;
  }
  *file = it->second;
  const SourceFile& source = input_->sources[it->second];
  if (source.skipped && by_file_[it->second].empty()) {
    // A file the walk left out as no manifest (a JSON 6902 patch is a list, not an object): the
    // render reads it all the same.
    auto arena = std::make_unique<Arena>(Arena::kHugePage, false);
    parser::ParsedFile parsed = parser::parse_yaml(source, it->second, options_.limits, arena.get());
    for (const Document* d : parsed.documents) by_file_[it->second].push_back(d);
    for (Finding& f : parsed.findings) input_->findings.push_back(std::move(f));
    input_->memory.text.push_back(std::move(arena));
  }
  return &by_file_[it->second];
}

std::optional<std::string> RunFiles::read_text(const std::string& path) const {
  if (options_.buffers) {
    auto open = options_.buffers->find(absolute_path(path));
    if (open != options_.buffers->end()) {
      if (open->second.size() > options_.limits.max_file_bytes) return std::nullopt;
      return open->second;
    }
  }
  std::error_code ec;
  uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > options_.limits.max_file_bytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<uintmax_t>(in.gcount()) != size) return std::nullopt;
  return text;
}

}  // namespace kmc::kustomize
