#pragma once
#include <algorithm>
#include <memory>
#include <ostream>
#include <string>

// A RapidJSON output stream that buffers 64 KiB and writes it to a std::ostream in one call:
// OStreamWrapper calls ostream::put per character, which dominated `kmc check --format json`
// on large inputs; a whole-document string would cost memory the size of the output. It writes
// through a pointer, as StringJsonStream does: std::string::push_back per character, which it
// used before, was measurably slower (docs/performance.md, "Measurements behind the code").
namespace kmc::render {

class BufferedJsonStream {
 public:
  using Ch = char;
  explicit BufferedJsonStream(std::ostream& out) : out_(out), buffer_(std::make_unique<char[]>(kSize)), at_(buffer_.get()) {}
  BufferedJsonStream(const BufferedJsonStream&) = delete;
  BufferedJsonStream& operator=(const BufferedJsonStream&) = delete;
  ~BufferedJsonStream() { Flush(); }

  // NOLINTNEXTLINE(readability-identifier-naming): RapidJSON's stream concept names it.
  void Put(char c) {
    if (at_ == buffer_.get() + kSize) Flush();
    *at_++ = c;
  }
  // NOLINTNEXTLINE(readability-identifier-naming): RapidJSON's stream concept names it.
  void Flush() {
    if (at_ != buffer_.get()) out_.write(buffer_.get(), static_cast<std::streamsize>(at_ - buffer_.get()));
    at_ = buffer_.get();
  }

 private:
  static constexpr size_t kSize = 64 * 1024;
  std::ostream& out_;
  std::unique_ptr<char[]> buffer_;
  char* at_;
};

// A RapidJSON output stream that appends to a string (a piece of the output: render/pieces.h).
// It writes through a pointer into room made ahead, as RapidJSON's StringBuffer does:
// std::string::push_back per character made rendering the bench tree's pieces three times slower.
class StringJsonStream {
 public:
  using Ch = char;
  explicit StringJsonStream(std::string* out) : out_(out) { at_ = end_ = out->data() + out->size(); }
  ~StringJsonStream() { Flush(); }

  // NOLINTNEXTLINE(readability-identifier-naming): RapidJSON's stream concept names it.
  void Put(char c) {
    if (at_ == end_) grow();
    *at_++ = c;
  }
  // Leaves the string holding what was written; more may be put after.
  // NOLINTNEXTLINE(readability-identifier-naming): RapidJSON's stream concept names it.
  void Flush() {
    size_t used = static_cast<size_t>(at_ - out_->data());
    out_->resize(used);
    at_ = end_ = out_->data() + used;
  }

 private:
  void grow() {
    size_t used = static_cast<size_t>(at_ - out_->data());
    out_->resize(std::max<size_t>(used * 2, 64 * 1024));
    at_ = out_->data() + used;
    end_ = out_->data() + out_->size();
  }
  std::string* out_;
  char* at_;
  char* end_;
};

}  // namespace kmc::render
