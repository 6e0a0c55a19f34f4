#pragma once
#include <ostream>
#include <string>

// A RapidJSON output stream that buffers 64 KiB and writes it to a std::ostream in one call:
// OStreamWrapper calls ostream::put per character, which dominated `kmc check --format json`
// on large inputs; a whole-document string would cost memory the size of the output.
namespace kmc {

class BufferedJsonStream {
 public:
  using Ch = char;
  explicit BufferedJsonStream(std::ostream& out) : out_(out) { buffer_.reserve(kSize); }
  ~BufferedJsonStream() { Flush(); }

  void Put(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= kSize) Flush();
  }
  void Flush() {
    if (!buffer_.empty()) out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

 private:
  static constexpr size_t kSize = 64 * 1024;
  std::ostream& out_;
  std::string buffer_;
};

}  // namespace kmc
