// JSON back ends for the accumulate benchmarks. Each is an EventSink that parses a
// chunk's data and folds choices[].delta content, reasoning_content and tool_calls
// (index, id, function.name, function.arguments) into a Fold. Same input, same Fold:
// the benchmark cross-checks their digests against each other and the accumulator.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/event_stream_parser.h"

namespace ssecheck::bench {

struct Fold {
  struct Tool {
    std::string id, name, arguments;
  };
  std::string content, reasoning;
  std::vector<Tool> tools;
  uint64_t chunks = 0, errors = 0;

  static constexpr uint64_t kMaxTools = 1024;
  void clear();
  void tool(uint64_t index, std::string_view id, std::string_view name, std::string_view arguments);
  uint64_t digest() const;  // FNV-1a over every field, order-sensitive
};

class JsonBackend : public EventSink {
 public:
  void on_event(const Event& e) override {
    if (e.data == "[DONE]") return;
    ++fold.chunks;
    if (!parse(e.data)) ++fold.errors;
  }
  virtual bool parse(std::string_view json) = 0;
  Fold fold;
};

std::unique_ptr<JsonBackend> make_rapidjson_dom();
std::unique_ptr<JsonBackend> make_rapidjson_sax();
// nullptr when built without simdjson; json_simdjson.cc says what each measures.
std::unique_ptr<JsonBackend> make_simdjson();
std::unique_ptr<JsonBackend> make_simdjson_validating();
std::unique_ptr<JsonBackend> make_simdjson_dom();

}  // namespace ssecheck::bench
