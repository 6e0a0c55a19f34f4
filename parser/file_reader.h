#pragma once
#include <cstdint>
#include <string>

#include "core/arena.h"
#include "core/source.h"

// Every read of an input file's bytes: the loader's, and the second read of a released file for
// the text renderer's snippets (parser/line_cursor.h). Only regular files and standard input are
// read, and a file that became a FIFO since the walk saw it never blocks the open.
namespace kmc::parser {

enum class ReadStatus { Ok, TooLarge, Error };

// Reads a whole file into `out` unless it is larger than `max_bytes`, in which case it is refused
// unread. A regular file is read straight into `arena` memory of its exact size; anything else
// (standard input, "/dev/stdin") grows a string that `out` owns. `error` says why on Error.
ReadStatus read_file(const std::string& path, uint64_t max_bytes, Arena* arena, SourceFile* out, std::string* error);

// Reads a released file again into `out`, if it is still a regular file of the size it had
// (SourceFile::released_size); false, and `out` empty, if not.
bool read_again(const SourceFile& released, std::string* out);

}  // namespace kmc::parser
