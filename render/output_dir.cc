#include "render/output_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "core/printable.h"

namespace kmc::render {
namespace {

// A name the manifest may list: one path component that is not "." or "..". A manifest is a file
// in a directory that a checkout could have shipped, so its lines are input too.
bool plain_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

// The names in the directory open at `fd`, but . and ..
bool list_entries(int fd, std::vector<std::string>* names) {
  int dup_fd = dup(fd);
  if (dup_fd < 0) return false;
  DIR* d = fdopendir(dup_fd);
  if (!d) {
    close(dup_fd);
    return false;
  }
  rewinddir(d);
  while (dirent* e = readdir(d)) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") names->emplace_back(n);
  }
  closedir(d);
  return true;
}

bool read_all(int dir, std::string_view name, std::string* out) {
  int fd = openat(dir, std::string(name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (16 << 20);
  char buf[1 << 16];
  for (ssize_t n; ok && (n = read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    else out->append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return ok;
}

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

OutputDirectory::~OutputDirectory() {
  if (fd_ >= 0) close(fd_);
}

bool OutputDirectory::open(const std::string& path, bool force, std::string* error) {
  path_ = path;
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    *error = fmt::format("cannot create '{}': {}", printable(path), ec.message());
    return false;
  }
  fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) {
    *error = fmt::format("cannot open '{}': {}", printable(path), std::strerror(errno));
    return false;
  }
  std::vector<std::string> names;
  if (!list_entries(fd_, &names)) {
    *error = fmt::format("cannot read '{}': {}", printable(path), std::strerror(errno));
    return false;
  }
  if (names.empty()) return true;
  if (!force) {
    *error = fmt::format("'{}' is not empty; kmc compile -o writes into an empty directory (--force removes the files an "
                         "earlier kmc compile wrote there, and only those)",
                         printable(path));
    return false;
  }
  std::string manifest;
  if (!read_all(fd_, kManifest, &manifest)) return true;  // nothing of kmc's to remove
  for (size_t at = 0; at < manifest.size();) {
    size_t nl = manifest.find('\n', at);
    std::string_view name = std::string_view(manifest).substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    at = nl == std::string::npos ? manifest.size() : nl + 1;
    // unlinkat without AT_REMOVEDIR removes a file or a symlink itself, never a directory.
    if (plain_name(name) && unlinkat(fd_, std::string(name).c_str(), 0) != 0 && errno != ENOENT) {
      *error = fmt::format("cannot remove '{}/{}': {}", printable(path), printable(name), std::strerror(errno));
      return false;
    }
  }
  unlinkat(fd_, std::string(kManifest).c_str(), 0);
  return true;
}

bool OutputDirectory::write_file(const std::string& name, std::string_view content, std::string* error) {
  if (!plain_name(name)) {
    *error = fmt::format("refusing to write '{}': not a plain file name", printable(name));
    return false;
  }
  std::string temporary = fmt::format(".kmc-{}-{}.tmp", getpid(), written_.size());
  int fd = openat(fd_, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = fmt::format("cannot write '{}/{}': {}", printable(path_), temporary, std::strerror(errno));
    return false;
  }
  errno = 0;
  bool wrote = write_all(fd, content);
  int failure = wrote ? 0 : errno ? errno : EIO;  // a write of 0 bytes sets no errno
  // close reports a delayed write error (NFS, a full quota).
  if (close(fd) != 0 && !failure) failure = errno;
  if (failure) {
    unlinkat(fd_, temporary.c_str(), 0);
    *error = fmt::format("cannot write '{}/{}': {}", printable(path_), printable(name), std::strerror(failure));
    return false;
  }
  // rename replaces a file or a symlink at `name` itself, and fails on a directory.
  if (renameat(fd_, temporary.c_str(), fd_, name.c_str()) != 0) {
    int rename_errno = errno;
    unlinkat(fd_, temporary.c_str(), 0);
    *error = fmt::format("cannot write '{}/{}': {}", printable(path_), printable(name), std::strerror(rename_errno));
    return false;
  }
  return true;
}

bool OutputDirectory::write(const std::string& name, std::string_view content, std::string* error) {
  if (!write_file(name, content, error)) return false;
  written_.push_back(name);
  return true;
}

bool OutputDirectory::finish(std::string* error) {
  std::string manifest;
  for (const std::string& name : written_) manifest += name + "\n";
  return write_file(std::string(kManifest), manifest, error);
}

bool write_whole_file(const std::string& path, std::string_view content, std::string* error) {
  std::filesystem::path p(path);
  std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  std::string name = p.filename().string();
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0 || !plain_name(name)) {
    *error = fmt::format("cannot write '{}': {}", printable(path), dir_fd < 0 ? std::strerror(errno) : "not a file name");
    if (dir_fd >= 0) close(dir_fd);
    return false;
  }
  std::string temporary = fmt::format(".{}.kmc-{}.tmp", name, getpid());
  int fd = openat(dir_fd, temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  int failure = fd < 0 ? errno : 0;
  if (fd >= 0) {
    errno = 0;
    if (!write_all(fd, content)) failure = errno ? errno : EIO;
    if (close(fd) != 0 && !failure) failure = errno;
    if (!failure && renameat(dir_fd, temporary.c_str(), dir_fd, name.c_str()) != 0) failure = errno;
    if (failure) unlinkat(dir_fd, temporary.c_str(), 0);
  }
  close(dir_fd);
  if (failure) *error = fmt::format("cannot write '{}': {}", printable(path), std::strerror(failure));
  return !failure;
}

}  // namespace kmc::render
