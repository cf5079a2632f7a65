// Runs the SSE parser and a stream dialect (default "openai-chat") over a body and
// returns the assembled report with its JSON, the way the CLI and the conform runner do.
//
// Invariants:
//  - SSE-layer diagnostics are filed into the same report, in stream order.
//  - The JSON depends only on the body bytes and the options, never on the cuts.
//  - A parser that stopped on a limit stops being fed; the dialect is still finished.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "ssecheck/completion.h"
#include "ssecheck/delta_accumulator.h"
#include "ssecheck/dialect.h"
#include "ssecheck/event_stream_parser.h"

namespace ssecheck::conformance {

struct AccumulateOptions {
  bool strict = false;
  JsonBackend json_backend = JsonBackend::fastest;
  AccumulatorLimits limits;
  ParserOptions parser;
  std::string dialect = "openai-chat";
  AccumulatorObserver* observer = nullptr;
};

struct AccumulateResult {
  AssemblyReport report;
  std::string json_compact;  // what chunkings are compared by
  // Indented JSON, written on demand: goldens and failure messages only.
  std::string json_pretty() const;
  bool failed() const { return report.failed(); }
};

// Incremental form, for streaming input (the CLI).
class AccumulateSession : private EventSink {
 public:
  // dialect must name a registered dialect (see dialect_names()); else valid() is false.
  explicit AccumulateSession(const AccumulateOptions& options);
  ~AccumulateSession() override;
  bool valid() const { return dialect_ != nullptr; }
  void feed(std::string_view bytes);
  const AssemblyReport& finish();

 private:
  void on_event(const Event& event) override;
  void on_comment(std::string_view text, uint64_t offset) override;
  void on_diagnostic(DiagCode code, uint64_t offset) override;

  std::unique_ptr<StreamDialect> dialect_;
  EventStreamParser parser_;
  uint64_t bytes_ = 0;  // all bytes given to feed(), fed or not
  bool stopped_ = false;
  bool finished_ = false;
};

// Feeds body split at cuts (sorted offsets; feed i covers [cuts[i-1], cuts[i])).
// Offsets past the end are clamped. An unknown dialect gives an empty report.
AccumulateResult accumulate(std::string_view body, std::span<const size_t> cuts,
                            const AccumulateOptions& options = {});

}  // namespace ssecheck::conformance
