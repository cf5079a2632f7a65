// Feeds an Anthropic stream through EventStreamParser into the anthropic-messages
// dialect, with no registry and no cassette loader linked, and prints the text.
#include <cstdio>
#include <string>

#include "ssecheck/anthropic_messages/anthropic_messages.h"
#include "ssecheck/event_stream_parser.h"

struct Sink : ssecheck::EventSink {
  ssecheck::StreamDialect& dialect;
  explicit Sink(ssecheck::StreamDialect& d) : dialect(d) {}
  void on_event(const ssecheck::Event& e) override { dialect.on_event(e); }
};

int main() {
  const std::string body =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
      "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":3,"
      "\"output_tokens\":1}}}\n\n"
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
      "{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
      "{\"type\":\"text_delta\",\"text\":\"installed\"}}\n\n"
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
      "\"usage\":{\"output_tokens\":2}}\n\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  auto dialect = ssecheck::kAnthropicMessagesDialect.make({});
  Sink sink(*dialect);
  ssecheck::EventStreamParser parser(sink);
  parser.feed(body);
  parser.finish();
  dialect->finish(body.size());
  const auto& r = dialect->report();
  if (r.failed() || r.normalized.outputs.size() != 1) return 1;
  std::printf("%s %s\n", r.normalized.outputs[0].text.c_str(), r.normalized.outputs[0].finish_reason.value_or("-").c_str());
  return 0;
}
