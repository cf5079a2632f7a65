// The one driver: bytes -> EventStreamParser -> a dialect -> AssemblyReport. The CLI,
// the conform runner, the fuzzers and the benchmarks all go through it.
//
// Invariants:
//  - SSE-layer diagnostics are filed into the same report, in stream order.
//  - The report depends only on the body bytes and the options, never on the cuts.
//  - A parser that stopped on a limit stops being fed; the dialect is still finished.
//  - dialect "auto" holds back the first events (at most kMaxPendingEvents, or
//    kMaxPendingBytes of data) until one is recognised (registry.h), then replays them;
//    if none is, it uses kFallbackDialect and notes dialect_not_detected.
//  - An unknown dialect name never yields a passing report: it is a fatal
//    unknown_dialect diagnostic (callers should check find_dialect() first).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/dialect.h"
#include "ssecheck/event_stream_parser.h"
#include "ssecheck/registry.h"

namespace ssecheck {

struct AssembleOptions {
  std::string dialect = "auto";  // a registry name, or "auto"
  bool strict = false;
  JsonBackend json_backend = JsonBackend::fastest;
  DialectLimits limits;
  ParserOptions parser;
  StreamObserver* observer = nullptr;
};

inline constexpr size_t kMaxPendingEvents = 16;
inline constexpr size_t kMaxPendingBytes = size_t{1} << 20;
inline constexpr size_t kMaxPendingItems = 4096;  // events, comment runs and diagnostics

struct AssembleResult {
  AssemblyReport report;
  std::string json_compact;  // what chunkings are compared by
  // Indented JSON, written on demand: goldens and failure messages only.
  std::string json_pretty() const;
  bool failed() const { return report.failed(); }
};

// Incremental form, for streaming input.
class AssemblySession : private EventSink {
 public:
  explicit AssemblySession(const AssembleOptions& options);
  ~AssemblySession() override;
  AssemblySession(const AssemblySession&) = delete;
  AssemblySession& operator=(const AssemblySession&) = delete;

  void feed(std::string_view bytes);
  const AssemblyReport& finish();
  // The dialect in use (empty while "auto" has not decided yet).
  std::string_view dialect() const;
  const StreamDialect* active() const { return dialect_.get(); }
  const EventStreamParser& parser() const { return parser_; }

 private:
  struct Pending;
  void on_event(const Event& event) override;
  void on_comment(std::string_view text, uint64_t offset) override;
  void on_diagnostic(DiagCode code, uint64_t offset) override;
  void choose(const DialectInfo* info, bool detected);
  void replay();

  AssembleOptions options_;
  std::unique_ptr<StreamDialect> dialect_;
  std::unique_ptr<Pending> pending_;
  EventStreamParser parser_;
  AssemblyReport unknown_;  // the report when the dialect name is unknown
  uint64_t bytes_ = 0;      // all bytes given to feed(), fed or not
  bool stopped_ = false;
  bool finished_ = false;
};

// Feeds body split at cuts (sorted offsets; feed i covers [cuts[i-1], cuts[i])).
// Offsets past the end are clamped.
AssembleResult assemble(std::string_view body, std::span<const size_t> cuts = {},
                        const AssembleOptions& options = {});

}  // namespace ssecheck
