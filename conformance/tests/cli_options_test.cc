// The one number validator of every command line (cli_options.h). Expected values by
// hand: the range is inclusive, digits only, and 2^64 - 1 is the largest uint64_t.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "cli_options.h"

namespace {

using ssecheck::cli::parse_count;

std::string error_of(std::string_view text, uint64_t min, uint64_t max) {
  uint64_t out = 777;
  const std::string e = parse_count(text, min, max, &out);
  if (!e.empty()) {
    EXPECT_EQ(out, 777u) << "a refused value must not be stored";
  }
  return e;
}

TEST(ParseCount, AcceptsTheRangeInclusive) {
  uint64_t out = 0;
  EXPECT_EQ(parse_count("1", 1, 67108864, &out), "");
  EXPECT_EQ(out, 1u);
  EXPECT_EQ(parse_count("67108864", 1, 67108864, &out), "");
  EXPECT_EQ(out, 67108864u);
  EXPECT_EQ(parse_count("007", 1, 10, &out), "");  // leading zeros are still decimal
  EXPECT_EQ(out, 7u);
  EXPECT_EQ(parse_count("18446744073709551615", 0, UINT64_MAX, &out), "");
  EXPECT_EQ(out, UINT64_MAX);
}

TEST(ParseCount, OneMessageForEveryRefusal) {
  const std::string want = "expected an integer from 1 to 67108864, got '";
  for (const char* bad : {"0", "67108865", "-5", "+5", "abc", "", " 5", "5 ", "5x", "0x10", "1e3", "1.0",
                          "18446744073709551615", "18446744073709551616", "99999999999999999999"}) {
    EXPECT_EQ(error_of(bad, 1, 67108864), want + bad + "'") << bad;
  }
  // Overflow past 2^64 - 1 is refused even when max is the largest value.
  EXPECT_EQ(error_of("18446744073709551616", 0, UINT64_MAX),
            "expected an integer from 0 to 18446744073709551615, got '18446744073709551616'");
}

TEST(ParseCount, ValidatorAgreesWithParseCount) {
  CLI::Validator v = ssecheck::cli::count_validator(1, 10);
  std::string ok = "10", bad = "11";
  EXPECT_EQ(v(ok), "");
  EXPECT_EQ(v(bad), "expected an integer from 1 to 10, got '11'");
}

TEST(AddCount, RangeInHelpAndErrorsExitTwo) {
  CLI::App app{"t", "tool"};
  size_t chunk = 3;
  ssecheck::cli::add_count(app, "--chunk", chunk, 1, 64, "bytes per feed");
  EXPECT_NE(app.help().find("bytes per feed [1..64]"), std::string::npos) << app.help();
  const char* good[] = {"tool", "--chunk=64"};
  EXPECT_EQ(ssecheck::cli::parse_command_line(app, 2, const_cast<char**>(good)), -1);
  EXPECT_EQ(chunk, 64u);
  CLI::App app2{"t", "tool"};
  ssecheck::cli::add_count(app2, "--chunk", chunk, 1, 64, "bytes per feed");
  const char* bad[] = {"tool", "--chunk", "65"};
  testing::internal::CaptureStderr();
  EXPECT_EQ(ssecheck::cli::parse_command_line(app2, 3, const_cast<char**>(bad)), 2);
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "tool: --chunk: expected an integer from 1 to 64, got '65' (see 'tool --help')\n");
  EXPECT_EQ(chunk, 64u);
}

}  // namespace
