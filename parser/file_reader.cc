#include "parser/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "parser/walk.h"

namespace kmc::parser {

ReadStatus read_file(const std::string& path, uint64_t max_bytes, Arena* arena, SourceFile* out, std::string* error) {
  // O_NONBLOCK: a file that became a FIFO since the walk looked at it must not block the open;
  // it is refused below, as only standard input may be a pipe.
  bool from_stdin = path == "/dev/stdin";
  int fd = from_stdin ? dup(STDIN_FILENO) : open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    *error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
    return ReadStatus::Error;
  }
  auto fail = [&](ReadStatus status) {
    if (status == ReadStatus::Error) *error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
    close(fd);
    return status;
  };
  struct stat st;
  if (fstat(fd, &st) != 0) return fail(ReadStatus::Error);
  if (!from_stdin && !S_ISREG(st.st_mode)) {
    *error = fmt::format("cannot read '{}': {}, not a file (kmc reads files, directories, and - for standard input)",
                         path, file_type_name(st.st_mode));
    close(fd);
    return ReadStatus::Error;
  }
  if (S_ISREG(st.st_mode) && arena) {
    uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > max_bytes) return fail(ReadStatus::TooLarge);
    char* buf = static_cast<char*>(arena->allocate(size + 1, 1));
    size_t got = 0;
    while (got < size) {
      ssize_t n = read(fd, buf + got, size - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail(ReadStatus::Error);
      if (n == 0) break;  // the file shrank while we read it
      got += static_cast<size_t>(n);
    }
    out->content = std::string_view(buf, got);
    close(fd);
    return ReadStatus::Ok;
  }
  std::string text;
  char chunk[1 << 16];
  while (true) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(ReadStatus::Error);
    if (n == 0) break;
    text.append(chunk, static_cast<size_t>(n));
    if (text.size() > max_bytes) return fail(ReadStatus::TooLarge);
  }
  close(fd);
  out->own(std::move(text));
  return ReadStatus::Ok;
}

bool read_again(const SourceFile& released, std::string* out) {
  out->clear();
  // O_NONBLOCK: a FIFO put in the file's place must not block.
  int fd = open(released.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st;
  const size_t size = released.released_size();
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<size_t>(st.st_size) == size;
  if (ok) {
    out->resize(size);
    size_t got = 0;
    while (got < size) {
      ssize_t n = read(fd, out->data() + got, size - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    ok = got == size;
  }
  close(fd);
  if (!ok) out->clear();
  return ok;
}

}  // namespace kmc::parser
