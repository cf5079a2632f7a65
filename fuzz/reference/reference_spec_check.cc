// Checks the reference parser against the hand-derived WHATWG spec cases
// (corpus/spec/*.md), so a difference found by sse_split_fuzzer can be trusted.
// Only events, retries and comments are compared (diagnostics are ssecheck's own);
// cases with limits are skipped (the reference has none), and raw-mode cases are
// checked only when their input is valid UTF-8.
//
// Usage: reference_spec_check SPEC_DIR [--dump-inputs OUT_DIR]
//   --dump-inputs writes each case's decoded input to OUT_DIR/<case> (seed corpora).
#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "reference_event_stream_parser.h"
#include "spec_case.h"

namespace {

using ssecheck_fuzz::ReferenceOutput;

bool valid_utf8(const std::string& s) { return ssecheck_fuzz::reference_utf8_decode(s) == s; }

// The expected line as a ReferenceOutput; false for lines the reference does not model.
bool expected_output(const std::string& line, ReferenceOutput* out, std::string* error) {
  rapidjson::Document doc;
  doc.Parse(line.data(), line.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    *error = "not a JSON object: " + line;
    return false;
  }
  auto str = [&](const char* key) {
    auto it = doc.FindMember(key);
    return (it != doc.MemberEnd() && it->value.IsString()) ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                           : std::string();
  };
  if (doc.HasMember("event")) {
    *out = {ReferenceOutput::Kind::event, str("event"), str("data"), str("id"), 0};
    return true;
  }
  if (doc.HasMember("retry") && doc["retry"].IsUint64()) {
    *out = {ReferenceOutput::Kind::retry, {}, {}, {}, doc["retry"].GetUint64()};
    return true;
  }
  if (doc.HasMember("comment")) {
    *out = {ReferenceOutput::Kind::comment, {}, str("comment"), {}, 0};
    return true;
  }
  return false;  // diagnostic or error
}

std::string describe(const ReferenceOutput& o) {
  switch (o.kind) {
    case ReferenceOutput::Kind::event: return "event type=" + o.type + " data=" + o.data + " id=" + o.id;
    case ReferenceOutput::Kind::retry: return "retry " + std::to_string(o.retry);
    case ReferenceOutput::Kind::comment: return "comment " + o.data;
  }
  return "?";
}

bool same(const ReferenceOutput& a, const ReferenceOutput& b) {
  return a.kind == b.kind && a.type == b.type && a.data == b.data && a.id == b.id && a.retry == b.retry;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--dump-inputs")) {
    std::fprintf(stderr, "usage: reference_spec_check SPEC_DIR [--dump-inputs OUT_DIR]\n");
    return 2;
  }
  const auto paths = ssecheck::conformance::list_spec_cases(argv[1]);
  if (paths.empty()) {
    std::fprintf(stderr, "reference_spec_check: no spec cases in %s\n", argv[1]);
    return 2;
  }
  int checked = 0, skipped = 0, failed = 0;
  for (const auto& path : paths) {
    ssecheck::conformance::SpecCase c;
    std::string error;
    if (!ssecheck::conformance::read_spec_case(path, c, error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 2;
    }
    if (argc == 4) {
      std::ofstream(std::string(argv[3]) + "/" + c.name, std::ios::binary) << c.input;
      continue;
    }
    const ssecheck::ParserOptions defaults;
    if (c.max_line_bytes != defaults.max_line_bytes || c.max_event_bytes != defaults.max_event_bytes ||
        (c.utf8 == ssecheck::Utf8Mode::raw && !valid_utf8(c.input))) {
      ++skipped;
      continue;
    }
    std::vector<ReferenceOutput> expected;
    for (const auto& line : c.expected) {
      ReferenceOutput o;
      if (expected_output(line, &o, &error)) expected.push_back(o);
      else if (!error.empty()) {
        std::fprintf(stderr, "%s: %s\n", c.name.c_str(), error.c_str());
        return 2;
      }
    }
    const auto actual = ssecheck_fuzz::reference_parse_event_stream(c.input, c.last_event_id);
    ++checked;
    bool ok = expected.size() == actual.size();
    for (size_t i = 0; ok && i < expected.size(); ++i) ok = same(expected[i], actual[i]);
    if (ok) continue;
    ++failed;
    std::fprintf(stderr, "FAIL %s\n  expected:\n", c.name.c_str());
    for (const auto& o : expected) std::fprintf(stderr, "    %s\n", describe(o).c_str());
    std::fprintf(stderr, "  reference:\n");
    for (const auto& o : actual) std::fprintf(stderr, "    %s\n", describe(o).c_str());
  }
  if (argc == 4) return 0;
  std::printf("reference_spec_check: %d cases checked, %d skipped (limits), %d failed\n", checked, skipped, failed);
  return failed ? 1 : 0;
}
