#pragma once
#include <string>
#include <string_view>

namespace kmc {

// Text from the input (names, values, file names, messages that quote them) as it may be shown on
// a terminal. The input may be a stranger's pull request: an ESC or a C1 control byte in a
// Service's name could clear the screen, retitle the terminal or overwrite the finding before it
// with a line of its own. Control characters but tab (C0, DEL, C1) and bytes that are not UTF-8
// are shown as `\xNN` escapes, and a backslash that would make the text read as such an escape is
// left as it is: the escapes are for reading, not for parsing back.
bool is_printable(std::string_view text);
std::string printable(std::string_view text);
// Appends printable(text) to `out`; copies the text as it is when it is printable already.
void append_printable(std::string_view text, std::string* out);

// The length of the valid UTF-8 sequence at `s[at]` (1 to 4), or 0 when the bytes there are not
// one (a stray continuation byte, a truncated or overlong sequence, a surrogate).
size_t utf8_sequence_length(std::string_view s, size_t at);

}  // namespace kmc
