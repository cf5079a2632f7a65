// The full path for every dialect: bytes -> EventStreamParser -> the dialect's state
// machine -> AssemblyReport (native object, normalized result, diagnostics), through
// the library's one driver (AssemblySession), on each dialect's generated agent stream
// (stream_generator.h: seed 42, scale.stream_bytes, LF; gemini CRLF as recorded).
//
//   assemble/ours/<dialect>/feed:N         the full path
//   framing/{memchr,naive,ours}/<dialect>/feed:N   the same bytes framed only, so that
//       ratios.sh puts the x memchr / x naive columns beside assemble/ours (its
//       fallback from assemble/* to framing/*), and framing/ours shows what the
//       dialect adds to the parser.
//
// The assembled result must have no fatal diagnostic and the digest the generator
// reports (result_digest.h), else the benchmark is an error.
#include <memory>

#include "bench_support.h"
#include "framing_run.h"
#include "result_digest.h"

#include "ssecheck/assemble.h"

namespace ssecheck::bench {
namespace {

constexpr size_t kAssembleFeeds[] = {16, 1500, 64 * 1024};

StreamOptions dialect_stream(const Scale& scale, WireFormat wire) {
  StreamOptions o;
  o.seed = 42;
  o.target_bytes = scale.stream_bytes;
  o.wire = wire;
  o.crlf = wire == WireFormat::gemini;
  return o;
}

void run_assemble(benchmark::State& st, const StreamOptions& o, size_t feed) {
  const Input& input = cached_input(o);
  AssembleOptions options;
  options.dialect = std::string(wire_name(o.wire));
  std::unique_ptr<AssemblySession> session;
  for (auto _ : st) {
    session = std::make_unique<AssemblySession>(options);
    for (size_t at = 0; at < input.bytes.size(); at += feed)
      session->feed(std::string_view(input.bytes).substr(at, feed));
    benchmark::DoNotOptimize(session->finish().state);
  }
  const AssemblyReport& report = session->finish();
  if (report.counts.fatal != 0) {
    std::string msg = "fatal diagnostic on a generated stream: " +
                      std::string(name(report.diagnostics[report.first_fatal.value_or(0)].code));
    st.SkipWithError(msg.c_str());
    return;
  }
  ResultDigest got = digest_of(report.normalized);
  if (!(got == input.stats.expected)) {
    std::string msg = "assembled digest " + got.digest() + " differs from the generator's " +
                      input.stats.expected.digest();
    st.SkipWithError(msg.c_str());
    return;
  }
  if (report.stats.events != input.stats.events) {
    st.SkipWithError("event count differs from the generator's");
    return;
  }
  set_throughput(st, input.bytes.size(), input.stats.events);
  st.counters["assembled_bytes"] = static_cast<double>(report.stats.assembled_bytes);
}

template <Framer F>
void add_reference(const Scale& scale, const char* impl, const StreamOptions& o, size_t feed) {
  std::string name = std::string("framing/") + impl + "/" + std::string(wire_name(o.wire)) + "/feed:" +
                     std::to_string(feed);
  add(scale, name, [o, feed](benchmark::State& st) {
    run_framing<F>(st, cached_input(o), feed, [] { return std::make_unique<F>(); });
  });
}

}  // namespace

void register_assemble(const Scale& scale) {
  for (WireFormat wire : {WireFormat::openai_chat, WireFormat::openai_responses, WireFormat::anthropic_messages,
                          WireFormat::gemini}) {
    StreamOptions o = dialect_stream(scale, wire);
    for (size_t feed : kAssembleFeeds) {
      add(scale, "assemble/ours/" + std::string(wire_name(wire)) + "/feed:" + std::to_string(feed),
          [o, feed](benchmark::State& st) { run_assemble(st, o, feed); });
      add_reference<MemchrLimit>(scale, "memchr", o, feed);
      add_reference<NaiveFramer>(scale, "naive", o, feed);
      add_reference<OursFramer>(scale, "ours", o, feed);
    }
  }
}

}  // namespace ssecheck::bench
