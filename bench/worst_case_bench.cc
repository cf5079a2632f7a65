// Worst cases and the linearity check. Time per byte is reported, never asserted:
// compare ns/byte across the linearity sizes, and the worst cases against memchr.
#include "framing_run.h"

namespace ssecheck::bench {

namespace {

ParserOptions long_line_options(size_t data_bytes) {
  ParserOptions o;
  o.max_line_bytes = std::max(o.max_line_bytes, data_bytes + 64);
  o.max_event_bytes = std::max(o.max_event_bytes, data_bytes + 64);
  return o;
}

template <Framer F, class Make>
void add_case(const Scale& scale, const std::string& impl, const std::string& what, size_t feed,
              std::function<const Input&()> input, Make make, bool ns_per_byte = false) {
  std::string name = "worst/" + impl + "/" + what + "/feed:" + std::to_string(feed);
  if (what.starts_with("agent_")) name = "linearity/" + impl + "/" + what + "/feed:" + std::to_string(feed);
  add(scale, name, [input, feed, make, ns_per_byte](benchmark::State& st) {
    run_framing<F>(st, input(), feed, make, ns_per_byte);
  });
}

template <Framer F>
void add_all_for(const Scale& scale, const std::string& impl) {
  auto plain = [] { return std::make_unique<F>(); };

  size_t line = scale.long_line_bytes;
  auto long_line = [line]() -> const Input& { return cached_long_line(line); };
  if constexpr (std::is_same_v<F, OursFramer>) {
    add_case<F>(scale, impl, "long_line_" + size_label(line), 1, long_line,
                [line] { return std::make_unique<F>(long_line_options(line)); }, true);
  } else {
    add_case<F>(scale, impl, "long_line_" + size_label(line), 1, long_line, plain, true);
  }

  StreamOptions comments;
  comments.profile = StreamProfile::comments;
  comments.count = scale.comment_lines;
  auto comment_input = [comments]() -> const Input& { return cached_input(comments); };
  StreamOptions tools;
  tools.profile = StreamProfile::tool_fragments;
  tools.count = scale.tool_fragments;
  auto tool_input = [tools]() -> const Input& { return cached_input(tools); };
  for (size_t feed : {size_t{1500}, size_t{64 * 1024}}) {
    add_case<F>(scale, impl, "comments_" + std::to_string(scale.comment_lines), feed, comment_input, plain);
    add_case<F>(scale, impl, "tool_fragments_" + std::to_string(scale.tool_fragments), feed, tool_input, plain);
  }

  for (uint64_t bytes : scale.linearity_bytes) {
    StreamOptions o;
    o.seed = 7;
    o.target_bytes = bytes;
    auto input = [o]() -> const Input& { return cached_input(o); };
    add_case<F>(scale, impl, "agent_" + size_label(bytes), 64 * 1024, input, plain, true);
  }
}

}  // namespace

void register_worst_cases(const Scale& scale) {
  add_all_for<MemchrLimit>(scale, "memchr");
  add_all_for<NaiveFramer>(scale, "naive");
  add_all_for<OursFramer>(scale, "ours");
}

}  // namespace ssecheck::bench
