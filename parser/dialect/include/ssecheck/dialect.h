// The dialect seam: a state machine that folds one stream format's SSE events into an
// AssemblyReport (native final object + normalized result + diagnostics).
//
// Invariants:
//  - Every dialect takes the same inputs (events, comments, diagnostics filed by lower
//    layers, end of stream) and fills the same report shape, so drivers stay
//    dialect-blind (registry.h lists the dialects, assemble.h drives one).
//  - Never throws, never crashes: bad input becomes a diagnostic with a stable code.
//  - Bounded: DialectLimits caps indices, JSON, assembled bytes and diagnostics; an
//    index is checked before anything is allocated for it.
//  - Inputs after finish() are ignored; report() is complete only after finish().
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "ssecheck/event_stream_parser.h"
#include "ssecheck/json/event_json.h"
#include "ssecheck/report.h"

namespace ssecheck {

struct DialectLimits {
  uint32_t max_outputs = 128;      // chat choices; content blocks, output items, parts
  uint32_t max_tool_calls = 1024;  // per output
  uint32_t max_reasoning_details = 1024;  // per choice (openai-chat reasoning_details)
  uint32_t max_json_depth = 64;           // nested arrays/objects in one event
  uint64_t max_json_values = 1'000'000;   // values in one event's JSON
  uint64_t max_assembled_bytes = uint64_t{256} << 20;  // all appended text
  uint32_t max_diagnostics = 1000;  // non-fatal ones stored; the rest only counted
};

// Optional callbacks as text is assembled (output = chat choice, else 0).
class StreamObserver {
 public:
  virtual ~StreamObserver() = default;
  virtual void on_content(uint32_t /*output*/, std::string_view /*text*/) {}
  virtual void on_reasoning(uint32_t /*output*/, std::string_view /*text*/) {}
  virtual void on_refusal(uint32_t /*output*/, std::string_view /*text*/) {}
  virtual void on_tool_call_started(uint32_t /*output*/, uint32_t /*tool*/, std::string_view /*id*/,
                                    std::string_view /*name*/) {}
  virtual void on_tool_arguments(uint32_t /*output*/, uint32_t /*tool*/, std::string_view /*text*/) {}
  virtual void on_output_finished(uint32_t /*output*/, std::string_view /*finish_reason*/) {}
};

struct DialectOptions {
  bool strict = false;
  JsonBackend json_backend = JsonBackend::fastest;
  DialectLimits limits;
  StreamObserver* observer = nullptr;  // not owned; may be null
};

class StreamDialect {
 public:
  virtual ~StreamDialect() = default;
  virtual std::string_view name() const = 0;
  virtual void on_event(const Event& event) = 0;
  virtual void on_comment(std::string_view text, uint64_t offset) = 0;
  // Files a diagnostic (from this or a lower layer, e.g. the SSE parser) with its
  // catalogue severity; an empty message uses the catalogue description.
  virtual void add_diagnostic(DiagCode code, uint64_t event_index, uint64_t offset,
                              std::string_view message = {}) = 0;
  // End of stream; end_offset is the total input size. Fills native_json and normalized.
  virtual void finish(uint64_t end_offset) = 0;
  virtual const AssemblyReport& report() const = 0;
  virtual AssemblyReport& mutable_report() = 0;  // for drivers to fill stats.bytes
  // Bytes held by reusable buffers (for memory-bound checks).
  virtual size_t scratch_capacity() const { return 0; }
};

// How sure a dialect is that a stream is its own, from one event.
enum class Recognition : uint8_t { no, maybe, yes };

// One entry of the registry (registry.h): everything the drivers need to know about a
// dialect. Each dialect defines one, in its own folder.
struct DialectInfo {
  std::string_view name;   // "anthropic-messages"; also its diagnostics layer
  std::string_view title;  // one line for --help and the README
  // The request routes this dialect answers (path and query of the URL), e.g.
  // ".../v1/messages". Checked in registry order; the first match wins.
  bool (*matches_request)(std::string_view url);
  // The first events: type and data (json is absent when data is not JSON).
  Recognition (*recognize)(std::string_view type, std::string_view data, const json::Value& json);
  std::unique_ptr<StreamDialect> (*make)(const DialectOptions& options);
  // Meaning-preserving noise to put between two events (prev and next are raw data;
  // types as dispatched), appended to out with the given line ending. Keep-alive
  // comments are added by the caller for every dialect; this adds the dialect's own
  // (empty deltas, pings...). Must not change native_json, normalized or the
  // diagnostic codes. memo is per-stream scratch (empty at the first call) for
  // dialects whose noise depends on earlier events. nullptr: no noise of its own.
  void (*noise)(std::string_view prev_type, std::string_view prev_data, std::string_view next_type,
                std::string_view next_data, std::string_view eol, std::string& memo, std::string& out);
  // The DialectLimits fields this dialect honours, for --help.
  std::span<const std::string_view> limits;
};

}  // namespace ssecheck
