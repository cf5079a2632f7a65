// accumulator_fuzzer: structure-aware fuzzing of the one driver (assemble.h): the SSE
// parser and every dialect, picked by "auto" from the first events. Input format: chunk_stream_edit.h.
//
// Checks on every input: no crash; the report JSON parses back (RapidJSON, UTF-8
// validated); only sse/json/stream and the dialect's own diagnostics; bounded scratch memory; feeding at the
// trailer's cut offsets gives a byte-identical report; with simdjson in the build,
// the RapidJSON-only back end gives a byte-identical report too. When the trailer asks for a
// meaning-preserving transform (empty deltas, keep-alive comments, a string split
// over two chunks), the transformed body must assemble the same completion and
// reach the same state.
//
// LLVMFuzzerCustomMutator edits the body structurally (chunk_stream_edit.cc) or the
// trailer, and otherwise defers to libFuzzer's byte mutations.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <random>
#include <string>

#include "chunk_stream_edit.h"
#include "fuzz_check.h"
#include "ssecheck/assemble.h"
#include "ssecheck/noise.h"
#include "ssecheck/registry.h"
#include "ssecheck/event_stream_parser.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using namespace ssecheck_fuzz;

struct Outcome {
  std::string json;
  rapidjson::Document doc;
};

void run(std::string_view body, const std::vector<size_t>& cuts, Outcome* out,
         ssecheck::JsonBackend backend = ssecheck::JsonBackend::fastest) {
  // The one driver, as every user of the library runs it; "auto" picks the dialect
  // from the first events, so seeds of every dialect exercise their own state machine.
  ssecheck::AssembleOptions options;
  options.dialect = "auto";
  options.json_backend = backend;
  options.limits.max_assembled_bytes = 1 << 20;
  options.limits.max_diagnostics = 200;
  const ssecheck::AssembleResult result = ssecheck::assemble(body, cuts, options);
  const ssecheck::AssemblyReport& report = result.report;

  for (const auto& d : report.diagnostics) {
    std::string_view layer = ssecheck::info(d.code).layer;
    if (layer != "sse" && layer != "json" && layer != "stream" && layer != report.dialect)
      fuzz_fail("diagnostic from layer %.*s in a %s report", int(layer.size()), layer.data(), report.dialect.c_str());
  }
  // Non-fatal ones are capped at max_diagnostics; fatal ones have a cap of their own.
  if (report.diagnostics.size() > 2 * size_t{options.limits.max_diagnostics})
    fuzz_fail("more diagnostics stored than the caps allow");
  if (report.stats.assembled_bytes > options.limits.max_assembled_bytes + body.size())
    fuzz_fail("assembled %llu bytes, limit %llu", (unsigned long long)report.stats.assembled_bytes,
              (unsigned long long)options.limits.max_assembled_bytes);

  out->json = result.json_compact;
  out->doc.Parse<rapidjson::kParseValidateEncodingFlag>(out->json.data(), out->json.size());
  if (out->doc.HasParseError() || !out->doc.IsObject() || !out->doc.HasMember("native") ||
      !out->doc.HasMember("stats"))
    fuzz_fail("report JSON does not parse back (error %d at %zu):\n%s", int(out->doc.GetParseError()),
              out->doc.GetErrorOffset(), escape(out->json).c_str());
}

const rapidjson::Value& member(const rapidjson::Value& v, const char* key) {
  static const rapidjson::Value kNull;
  auto it = v.FindMember(key);
  return it == v.MemberEnd() ? kNull : it->value;
}

// Compact text of a value, members in order. RapidJSON's Value::operator== is not
// usable here: with a duplicate key ({"a":1,"a":2}, which usage may carry through
// verbatim) it looks each member up by name and compares a value with itself unequal.
std::string text_of(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void compare_meaning(const char* transform, std::string_view body_a, const Outcome& a, std::string_view body_b,
                     const Outcome& b) {
  const std::string ca = text_of(member(a.doc, "native")) + text_of(member(a.doc, "normalized"));
  const std::string cb = text_of(member(b.doc, "native")) + text_of(member(b.doc, "normalized"));
  const std::string sa = text_of(member(member(a.doc, "stats"), "state"));
  const std::string sb = text_of(member(member(b.doc, "stats"), "state"));
  if (ca == cb && sa == sb) return;
  fuzz_fail("%s changed the assembled completion or state\nbody A: \"%s\"\nbody B: \"%s\"\nreport A: %s\nreport B: %s",
            transform, escape(body_a, 8192).c_str(), escape(body_b, 8192).c_str(), a.json.c_str(), b.json.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const FuzzInput in = decode_input(std::string_view(reinterpret_cast<const char*>(data), size));
  Outcome whole;
  run(in.body, {}, &whole);

  if (!in.cuts.empty()) {
    Outcome cut;
    run(in.body, in.cuts, &cut);
    if (cut.json != whole.json) {
      std::string cuts;
      for (size_t c : in.cuts) cuts += std::to_string(c) + " ";
      fuzz_fail("feed boundaries changed the report\nbody: \"%s\"\ncuts: %s\nwhole: %scut:   %s",
                escape(in.body, 8192).c_str(), cuts.c_str(), whole.json.c_str(), cut.json.c_str());
    }
  }

  if (ssecheck::has_simdjson()) {
    Outcome reference;
    run(in.body, {}, &reference, ssecheck::JsonBackend::rapidjson);
    if (reference.json != whole.json)
      fuzz_fail("simdjson and RapidJSON back ends differ\nbody: \"%s\"\nsimdjson:  %s\nrapidjson: %s",
                escape(in.body, 8192).c_str(), whole.json.c_str(), reference.json.c_str());
  }

  std::string baseline, transformed;
  Outcome other;
  // The edits below know chat.completion.chunk; the other dialects get their own
  // noise (DialectInfo::noise, as `conform`'s inject) in place of empty deltas.
  const rapidjson::Value& dialect_name = member(whole.doc, "dialect");
  const bool chat = dialect_name == rapidjson::Value("openai-chat");
  if (!chat && in.transform == Transform::empty_deltas && dialect_name.IsString()) {
    const ssecheck::DialectInfo* dialect = ssecheck::find_dialect(dialect_name.GetString());
    if (dialect != nullptr) {
      transformed = ssecheck::inject_noise(in.body, dialect);
      run(transformed, {}, &other);
      compare_meaning("inserting the dialect's noise", in.body, whole, transformed, other);
    }
    return 0;
  }
  switch (chat ? in.transform : Transform::keep_alives) {
    case Transform::none:
      break;
    case Transform::empty_deltas:
      if (insert_empty_deltas(in.body, in.seed, &transformed)) {
        run(transformed, {}, &other);
        compare_meaning("inserting empty deltas", in.body, whole, transformed, other);
      }
      break;
    case Transform::keep_alives:
      if (insert_keep_alives(in.body, in.seed, &transformed)) {
        run(transformed, {}, &other);
        compare_meaning("inserting keep-alive comments", in.body, whole, transformed, other);
      }
      break;
    case Transform::split_string:
      if (split_string(in.body, in.seed, &baseline, &transformed)) {
        Outcome base;
        run(baseline, {}, &base);
        run(transformed, {}, &other);
        compare_meaning("splitting a string over two chunks", baseline, base, transformed, other);
      }
      break;
  }
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::minstd_rand rng(seed);
  FuzzInput in = decode_input(std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<uint16_t> cuts(in.cuts.begin(), in.cuts.end());
  uint8_t transform = static_cast<uint8_t>(in.transform);
  uint8_t tseed = in.seed;
  std::string body = in.body;
  switch (rng() % 8) {
    case 0:  // byte-level mutation of the body only
      body.resize(std::max(body.size() * 2, size_t{64}));
      body.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(body.data()), in.body.size(), body.size()));
      break;
    case 1:  // trailer: new cuts, transform, seed
      cuts.clear();
      for (size_t i = 0, n = rng() % 16; i < n; ++i) cuts.push_back(static_cast<uint16_t>(rng()));
      transform = static_cast<uint8_t>(rng() % kTransformCount);
      tseed = static_cast<uint8_t>(rng());
      break;
    default:
      for (int tries = 0; tries < 4 && !mutate_body(body, rng); ++tries) {}
      break;
  }
  std::string out = encode_input(body, cuts, tseed, transform);
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::copy(out.begin(), out.end(), data);
  return out.size();
}
