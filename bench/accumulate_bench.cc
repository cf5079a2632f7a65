// The full path: framing + JSON + folding the deltas, on the same agent stream as
// the framing benchmarks (so ratios.sh can put them beside framing/memchr and
// framing/naive). Back ends: ssecheck's DeltaAccumulator (ours: simdjson first when
// built with it; ours_rapidjson: RapidJSON only), and bare extractors (RapidJSON DOM,
// RapidJSON SAX, and the simdjson ones of json_simdjson.cc). All must fold to the same
// content, reasoning and tool calls, or the benchmark reports an error.
#include <map>
#include <memory>

#include "bench_support.h"
#include "framers.h"
#include "json_backends.h"

#include "ssecheck/assemble.h"
#include "ssecheck/openai_chat/delta_accumulator.h"

namespace ssecheck::bench {

namespace {

// The first back end to finish a given input sets the digest; the others must match.
bool digest_agrees(benchmark::State& st, const std::string& key, uint64_t digest) {
  static std::map<std::string, uint64_t> reference;
  auto [it, inserted] = reference.emplace(key, digest);
  if (!inserted && it->second != digest) {
    st.SkipWithError("folded output differs from another back end's on the same input");
    return false;
  }
  return true;
}

std::string input_key(const StreamOptions& o) {
  return std::to_string(o.seed) + "/" + std::to_string(o.target_bytes) + (o.crlf ? "/crlf" : "/lf");
}

void run_backend(benchmark::State& st, const StreamOptions& o, size_t feed,
                 std::unique_ptr<JsonBackend> (*make)()) {
  const Input& input = cached_input(o);
  std::unique_ptr<JsonBackend> backend = make();
  auto parser = std::make_unique<EventStreamParser>(*backend);
  for (auto _ : st) {
    parser->reset();
    backend->fold.clear();
    feed_in_pieces(*parser, input.bytes, feed);
    parser->finish();
    benchmark::DoNotOptimize(backend->fold.content.data());
  }
  if (backend->fold.errors != 0) {
    st.SkipWithError("JSON errors in generated chunks");
    return;
  }
  if (!digest_agrees(st, input_key(o), backend->fold.digest())) return;
  set_throughput(st, input.bytes.size(), input.stats.events);
}

Fold fold_of(const Completion& c) {
  Fold f;
  if (c.choices.empty()) return f;
  const Message& m = c.choices[0].message;
  f.content = m.content.value_or("");
  f.reasoning = m.reasoning.value_or("");
  for (const ToolCall& t : m.tool_calls)
    f.tool(t.index, t.id.value_or(""), t.name.value_or(""), t.arguments.value_or(""));
  return f;
}

// The full path through the library's one driver (assemble.h): parser, dialect and the
// SSE diagnostics, exactly as the CLI and the conform runner run it.
void run_accumulator(benchmark::State& st, const StreamOptions& o, size_t feed, ssecheck::JsonBackend backend) {
  const Input& input = cached_input(o);
  AssembleOptions options;
  options.dialect = "openai-chat";
  options.json_backend = backend;
  std::unique_ptr<AssemblySession> session;
  for (auto _ : st) {
    session = std::make_unique<AssemblySession>(options);
    for (size_t at = 0; at < input.bytes.size(); at += feed)
      session->feed(std::string_view(input.bytes).substr(at, feed));
    benchmark::DoNotOptimize(session->finish().state);
  }
  const AssemblyReport& report = session->finish();
  if (report.state != StreamState::done || report.failed()) {
    st.SkipWithError("accumulator did not reach done without failure on a generated stream");
    return;
  }
  if (!digest_agrees(st, input_key(o), fold_of(completion_of(report)).digest())) return;
  set_throughput(st, input.bytes.size(), input.stats.events);
}

}  // namespace

void register_accumulate(const Scale& scale) {
  StreamOptions o;  // the framing benchmarks' LF stream
  o.seed = 42;
  o.target_bytes = scale.stream_bytes;
  struct Backend {
    const char* name;
    std::unique_ptr<JsonBackend> (*make)();
  };
  std::vector<Backend> backends = {{"rapidjson_dom", make_rapidjson_dom}, {"rapidjson_sax", make_rapidjson_sax}};
  if (make_simdjson() != nullptr) {
    backends.push_back({"simdjson", make_simdjson});
    backends.push_back({"simdjson_validating", make_simdjson_validating});
    backends.push_back({"simdjson_dom", make_simdjson_dom});
  }
  for (size_t feed : {size_t{1500}, size_t{64 * 1024}}) {
    std::string suffix = "/lf/feed:" + std::to_string(feed);
    add(scale, "accumulate/ours" + suffix,
        [o, feed](benchmark::State& st) { run_accumulator(st, o, feed, ssecheck::JsonBackend::fastest); });
    if (has_simdjson())  // ours with RapidJSON only, as in a build without simdjson
      add(scale, "accumulate/ours_rapidjson" + suffix,
          [o, feed](benchmark::State& st) { run_accumulator(st, o, feed, ssecheck::JsonBackend::rapidjson); });
    for (const Backend& b : backends) {
      add(scale, std::string("accumulate/") + b.name + suffix,
          [o, feed, make = b.make](benchmark::State& st) { run_backend(st, o, feed, make); });
    }
  }
}

}  // namespace ssecheck::bench
