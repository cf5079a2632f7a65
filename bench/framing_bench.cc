// SSE framing alone: ours vs the naive baseline vs the memchr line-scan limit,
// on the same generated agent stream, at each feed size, LF and CRLF.
#include "framing_run.h"

namespace ssecheck::bench {

namespace {

StreamOptions agent_stream(const Scale& scale, bool crlf) {
  StreamOptions o;
  o.seed = 42;
  o.target_bytes = scale.stream_bytes;
  o.crlf = crlf;
  return o;
}

template <Framer F>
void add_framing(const Scale& scale, const char* impl) {
  for (bool crlf : {false, true}) {
    for (size_t feed : kFeedSizes) {
      std::string name = std::string("framing/") + impl + (crlf ? "/crlf" : "/lf") + "/feed:" + std::to_string(feed);
      StreamOptions o = agent_stream(scale, crlf);
      add(scale, name, [o, feed](benchmark::State& st) {
        run_framing<F>(st, cached_input(o), feed, [] { return std::make_unique<F>(); });
      });
    }
  }
}

}  // namespace

void register_framing(const Scale& scale) {
  add_framing<MemchrLimit>(scale, "memchr");
  add_framing<NaiveFramer>(scale, "naive");
  add_framing<OursFramer>(scale, "ours");
  add_framing<OursRawFramer>(scale, "ours_raw_utf8");
}

}  // namespace ssecheck::bench
