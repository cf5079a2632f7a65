// cassette_fuzzer: arbitrary bytes into load_cassette_from_string. The loader must
// never crash or throw; a failure must carry a cassette-layer code and a message,
// and a success must hold interactions whose fields are consistent.
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "ssecheck/cassette.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  ssecheck::CassetteOptions options;
  options.max_interactions = 64;
  options.max_nesting_depth = 32;
  ssecheck::CassetteResult result = ssecheck::load_cassette_from_string(yaml, "fuzz.yaml", options);
  if (!result.ok()) {
    const auto& d = ssecheck::info(*result.code);
    if (d.layer != "cassette")
      ssecheck_fuzz::fuzz_fail("loader failed with non-cassette code %.*s", int(d.name.size()), d.name.data());
    if (result.message.empty()) ssecheck_fuzz::fuzz_fail("failure %.*s without a message", int(d.name.size()), d.name.data());
    if (result.message.rfind("fuzz.yaml", 0) != 0)
      ssecheck_fuzz::fuzz_fail("message does not start with the file name: %s", result.message.c_str());
    return 0;
  }
  const ssecheck::Cassette& c = result.cassette;
  FUZZ_CHECK(c.path == "fuzz.yaml");
  FUZZ_CHECK(c.interactions.size() <= options.max_interactions);
  for (size_t i = 0; i < c.interactions.size(); ++i) {
    const ssecheck::Interaction& in = c.interactions[i];
    FUZZ_CHECK(in.index == i);
    // Body bytes come from the input, so a body can never outgrow it much (escapes
    // like \U0010FFFF expand 10 bytes into 4, never the other way round).
    FUZZ_CHECK(in.response_body.size() <= yaml.size());
    FUZZ_CHECK(in.request_body.size() <= yaml.size());
  }
  for (const auto& note : result.notes) FUZZ_CHECK(note.severity != ssecheck::Severity::fatal);
  return 0;
}
