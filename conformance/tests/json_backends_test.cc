// simdjson and RapidJSON must fold every stream into the same report, byte for byte:
// the recorded and synthetic cassettes, the accumulator fuzz corpus and regressions,
// and hand-picked JSON edge cases (numbers at and past the double range, zero with a
// huge exponent, surrogates, depth). RapidJSON alone is the reference; the default
// (simdjson first) must match it. Skipped in builds without simdjson.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ssecheck/assemble.h"
#include "conform_runner.h"
#include "ssecheck/cassette.h"

namespace ssecheck::conformance {
namespace {

std::string compact(std::string_view body, JsonBackend backend) {
  AssembleOptions o;
  o.json_backend = backend;
  return assemble(body, {}, o).json_compact;
}

void expect_same(std::string_view body, const std::string& what) {
  const std::string reference = compact(body, JsonBackend::rapidjson);
  const std::string fastest = compact(body, JsonBackend::fastest);
  EXPECT_EQ(fastest, reference) << what;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class JsonBackends : public testing::Test {
 protected:
  void SetUp() override {
    if (!has_simdjson()) GTEST_SKIP() << "built without simdjson: one JSON back end, nothing to compare";
  }
};

TEST_F(JsonBackends, EveryCassetteInteraction) {
  size_t bodies = 0;
  for (const CassetteRef& ref : discover_cassettes({SSECHECK_CORPUS_DIR})) {
    const CassetteResult loaded = load_cassette_file((ref.root / ref.rel).string());
    ASSERT_TRUE(loaded.ok()) << ref.rel << ": " << loaded.message;
    for (size_t i = 0; i < loaded.cassette.interactions.size(); ++i, ++bodies)
      expect_same(loaded.cassette.interactions[i].response_body, ref.rel.string() + "#" + std::to_string(i));
  }
  EXPECT_GE(bodies, 27u);
}

TEST_F(JsonBackends, EveryAccumulatorFuzzInput) {
  const std::filesystem::path root = std::filesystem::path(SSECHECK_CORPUS_DIR).parent_path();
  size_t files = 0;
  for (const auto& dir : {root / "fuzz/corpus/accumulator_fuzzer", root / "corpus/regressions/accumulator_fuzzer"}) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      expect_same(read_file(entry.path()), entry.path().string());
      ++files;
    }
  }
  EXPECT_GE(files, 90u);
}

// One chunk whose usage carries `value`, then a stop and [DONE].
std::string stream_with_usage(const std::string& value) {
  const std::string head = R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":)";
  return "data: " + head + R"([{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]})" + "\n\n" +
         "data: " + head + R"([],"usage":{"v":)" + value + "}}\n\ndata: [DONE]\n\n";
}

TEST_F(JsonBackends, NumberEdgeCases) {
  for (const char* v :
       {"0", "-0", "-0.0", "0.0", "1.0", "2.5E+3", "0.30000000000000004", "1.7976931348623157e308",
        "1.7976931348623159e308", "1e309", "10000e305", "0e999", "-0E+400", "0.000e5", "0e5", "0e-999", "1e-400",
        "-1e-400", "5e-324", "2.4703282292062328e-324", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "0.1e309", "0.0001e312", "1e", "01", "-", "1.", ".5", "+1", "[1,2.5,-3]"})
    expect_same(stream_with_usage(v), v);
}

// The scan that keeps "0e999" away from simdjson works in 16-byte blocks: put the
// number at every offset across a few blocks.
TEST_F(JsonBackends, ZeroWithExponentAtEveryOffset) {
  for (size_t pad = 0; pad < 48; ++pad) {
    for (const char* v : {"0e999", "0E+999", "0.0e-5", "1e999"})
      expect_same(stream_with_usage("[\"" + std::string(pad, 'p') + "\"," + v + "]"),
                  v + std::string(" after ") + std::to_string(pad));
  }
}

TEST_F(JsonBackends, StringAndStructureEdgeCases) {
  for (const char* v : {R"("\ud83d\ude00")", R"("\udc00")", R"("\ud800")", R"("\ud800x")", R"("a\u0000b")",
                        R"("\/")", "\"\xEF\xBB\xBF\"", R"({"a":1,"a":2})", "{}", "[]", "null", "true", R"("tab	")",
                        "[[[[[[[[[[]]]]]]]]]]", "{\"k\":1} ", "{\"k\":1}x"})
    expect_same(stream_with_usage(v), v);
  // Whole chunks that are not objects, have a BOM, trailing text or are deeply nested.
  for (const std::string& data : {std::string("\xEF\xBB\xBF{}"), std::string("[1]"), std::string("\"s\""),
                                  std::string("{\"choices\":[]} []"), std::string(63, '[') + std::string(63, ']'),
                                  std::string(64, '[') + std::string(64, ']'), std::string(65, '[') + std::string(65, ']')})
    expect_same("data: " + data + "\n\n", data.substr(0, 40));
}

}  // namespace
}  // namespace ssecheck::conformance
