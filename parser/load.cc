#include "parser/load.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>
#include <thread>

#include <fmt/format.h>

namespace kmc {
namespace {

bool has_manifest_extension(std::string_view name) {
  auto ends = [&](std::string_view s) { return name.size() >= s.size() && name.substr(name.size() - s.size()) == s; };
  return ends(".yaml") || ends(".yml") || ends(".json");
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

void walk_directory(const std::string& dir, std::vector<std::string>* files, std::vector<std::string>* errors) {
  DIR* d = opendir(dir.c_str());
  if (!d) {
    errors->push_back(fmt::format("cannot read directory '{}': {}", dir, std::strerror(errno)));
    return;
  }
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    names.emplace_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::string path = join_path(dir, name);
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      walk_directory(path, files, errors);
    } else if (has_manifest_extension(name)) {
      if (S_ISLNK(st.st_mode)) {
        struct stat target;
        if (stat(path.c_str(), &target) == 0 && S_ISDIR(target.st_mode)) continue;
      }
      files->push_back(path);
    }
  }
}

bool is_ascii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// Reads a whole file unless it is larger than the limit, in which case it is refused unread.
enum class ReadStatus { Ok, TooLarge, Error };
ReadStatus read_file(const std::string& path, uint64_t max_bytes, std::string* out, std::string* error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
    return ReadStatus::Error;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      close(fd);
      return ReadStatus::TooLarge;
    }
    out->reserve(static_cast<size_t>(st.st_size));
  }
  char buf[1 << 16];
  while (true) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
      close(fd);
      return ReadStatus::Error;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
    if (out->size() > max_bytes) {
      close(fd);
      return ReadStatus::TooLarge;
    }
  }
  close(fd);
  return ReadStatus::Ok;
}

struct FileSlot {
  std::string path;
  bool from_stdin = false;
  ReadStatus status = ReadStatus::Ok;
  std::string error;
  std::unique_ptr<SourceFile> source;
  ParsedFile parsed;
};

void parse_slot(FileSlot& slot, uint32_t index, const LoadOptions& options) {
  slot.source = std::make_unique<SourceFile>();
  slot.source->path = slot.path;
  if (!slot.from_stdin) {
    slot.status = read_file(slot.path, options.limits.max_file_bytes, &slot.source->content, &slot.error);
    if (slot.status != ReadStatus::Ok) {
      slot.source->content.clear();
      slot.source->content.shrink_to_fit();
    }
  }
  if (slot.status == ReadStatus::TooLarge) {
    Finding f;
    f.rule = "syntax/limit";
    f.severity = Severity::Error;
    f.message = fmt::format("file is larger than {} MiB; kmc refuses to read it", options.limits.max_file_bytes >> 20);
    f.pos = {index, 1, 1};
    f.fix = "split the file, or raise the limit if it really is a manifest";
    slot.parsed.findings.push_back(std::move(f));
    return;
  }
  if (slot.status != ReadStatus::Ok) return;
  slot.source->ascii = is_ascii(slot.source->content);
  slot.parsed = parse_yaml(*slot.source, index, options.limits);
}

void collect(LoadResult* result, FileSlot& slot) {
  if (slot.status == ReadStatus::Error) result->errors.push_back(slot.error);
  result->bytes += slot.source->content.size();
  for (Finding& f : slot.parsed.findings) result->findings.push_back(std::move(f));
  for (auto& doc : slot.parsed.documents) {
    size_t before = result->objects.size();
    extract_objects(*doc, &result->objects, &result->findings);
    for (size_t i = before; i < result->objects.size(); ++i)
      result->objects[i].order = static_cast<uint32_t>(i);
    result->documents.push_back(std::move(doc));
  }
  result->sources.files.push_back(std::move(slot.source));
}

}  // namespace

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths, std::vector<std::string>* errors) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    if (p == "-") {
      files.push_back(p);
      continue;
    }
    struct stat st;
    if (stat(p.c_str(), &st) != 0) {
      errors->push_back(fmt::format("cannot read '{}': {}", p, std::strerror(errno)));
      continue;
    }
    if (S_ISDIR(st.st_mode)) walk_directory(p, &files, errors);
    else files.push_back(p);
  }
  return files;
}

LoadResult load_inputs(const std::vector<std::string>& paths, const LoadOptions& options) {
  LoadResult result;
  std::vector<std::string> files = expand_inputs(paths, &result.errors);
  std::vector<FileSlot> slots(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    slots[i].path = files[i];
    if (files[i] == "-") {
      slots[i].from_stdin = true;
      slots[i].path = options.stdin_name;
    }
  }
  // Standard input is read up front, on this thread, with the same size limit as files.
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!slots[i].from_stdin) continue;
    std::string content;
    std::string error;
    slots[i].status = read_file("/dev/stdin", options.limits.max_file_bytes, &content, &error);
    slots[i].error = error;
    slots[i].source = std::make_unique<SourceFile>();
    slots[i].source->path = slots[i].path;
    slots[i].source->content = std::move(content);
  }
  auto work = [&](size_t i) {
    FileSlot& slot = slots[i];
    if (slot.from_stdin) {
      if (slot.status == ReadStatus::Ok) {
        slot.source->ascii = is_ascii(slot.source->content);
        slot.parsed = parse_yaml(*slot.source, static_cast<uint32_t>(i), options.limits);
      } else if (slot.status == ReadStatus::TooLarge) {
        slot.source->content.clear();
        Finding f;
        f.rule = "syntax/limit";
        f.message = fmt::format("standard input is larger than {} MiB; kmc refuses to read it",
                                options.limits.max_file_bytes >> 20);
        f.pos = {static_cast<uint32_t>(i), 1, 1};
        slot.parsed.findings.push_back(std::move(f));
      }
      return;
    }
    parse_slot(slot, static_cast<uint32_t>(i), options);
  };
  unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(slots.size())));
  if (jobs <= 1) {
    for (size_t i = 0; i < slots.size(); ++i) work(i);
  } else {
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t)
      threads.emplace_back([&] {
        for (size_t i; (i = next.fetch_add(1)) < slots.size();) work(i);
      });
    for (auto& t : threads) t.join();
  }
  for (FileSlot& slot : slots) collect(&result, slot);
  return result;
}

void load_text(LoadResult* into, std::string name, std::string content, const LoadOptions& options) {
  FileSlot slot;
  slot.path = std::move(name);
  slot.from_stdin = true;
  slot.source = std::make_unique<SourceFile>();
  slot.source->path = slot.path;
  slot.source->content = std::move(content);
  slot.source->ascii = is_ascii(slot.source->content);
  uint32_t index = into->sources.size();
  slot.parsed = parse_yaml(*slot.source, index, options.limits);
  size_t first_object = into->objects.size();
  collect(into, slot);
  (void)first_object;
}

}  // namespace kmc
