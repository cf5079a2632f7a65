// printable(): what reaches a terminal or a report from arbitrary bytes. Expected values
// written by hand (UTF-8 per RFC 3629).
#include <gtest/gtest.h>

#include <string>

#include "display_text.h"

namespace {

using ssecheck::conformance::printable;

TEST(Printable, AsciiAndValidUtf8Unchanged) {
  EXPECT_EQ(printable("plain text: ok"), "plain text: ok");
  EXPECT_EQ(printable("\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xC3\x97"), "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xC3\x97");
}

TEST(Printable, NulIsShownNotTruncating) {
  // yaml-cpp's "unknown escape character: " followed by the NUL it found.
  const std::string message("unknown escape character: \0", 27);
  EXPECT_EQ(printable(message), "unknown escape character: \\x00");
}

TEST(Printable, ControlsAndBadBytesAreEscaped) {
  EXPECT_EQ(printable("a\nb\tc\rd\x1b[0m\x7f"), "a\\x0Ab\\x09c\\x0Dd\\x1B[0m\\x7F");
  EXPECT_EQ(printable("a\nb\tc", true), "a\nb\tc");
  EXPECT_EQ(printable("\x80\xFF\xC3"), "\\x80\\xFF\\xC3");          // lone continuation, 0xFF, cut lead
  EXPECT_EQ(printable("\xED\xA0\x80"), "\\xED\\xA0\\x80");          // a surrogate
  EXPECT_EQ(printable("\xC2\x85\xC2\xA0"), "\\xC2\\x85\xC2\xA0");  // NEL (C1) escaped, NBSP kept
}

}  // namespace
