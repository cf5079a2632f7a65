// DialectBase: the plumbing every dialect shares, so a dialect's own file holds only
// its state machine: event and offset bookkeeping, diagnostics filing, bounded JSON
// parsing (EventJson), bounded text appends, and building the report at finish().
//
// Invariants:
//  - handle_event() sees each event once, with event_index()/event_offset() set; after
//    finish() nothing reaches it.
//  - parse() files invalid_json / json_too_deep / json_too_large itself and returns an
//    absent Value, so a dialect never sees a refused document.
//  - append() stops at max_assembled_bytes (assembled_too_large, once).
//  - finish() calls end_of_stream(), then write_native() and normalize(), exactly once.
#pragma once

#include <string>
#include <string_view>

#include "ssecheck/dialect.h"
#include "ssecheck/json/out.h"

namespace ssecheck {

class DialectBase : public StreamDialect {
 public:
  DialectBase(std::string_view name, const DialectOptions& options);
  ~DialectBase() override;

  std::string_view name() const final { return rep_.dialect; }
  void on_event(const Event& event) final;
  void on_comment(std::string_view text, uint64_t offset) override;
  void add_diagnostic(DiagCode code, uint64_t event_index, uint64_t offset, std::string_view message = {}) final;
  void finish(uint64_t end_offset) final;
  const AssemblyReport& report() const final { return rep_; }
  AssemblyReport& mutable_report() final { return rep_; }
  size_t scratch_capacity() const override { return json_.capacity(); }

 protected:
  virtual void handle_event(const Event& event) = 0;
  // End-of-stream checks; set rep_.state. Diagnostics here sit at the end offset.
  virtual void end_of_stream() = 0;
  virtual void write_native(json::Out& out) const = 0;
  virtual void normalize(NormalizedResult& out) const = 0;

  // A diagnostic at the current event (at end of stream inside end_of_stream()).
  void diag(DiagCode code, std::string_view message = {});
  // Parses data; absent (with a diagnostic) when it is not JSON or over a limit.
  json::Value parse(std::string_view data);
  // Appends text within max_assembled_bytes; false once the limit is reached.
  bool append(std::string& to, std::string_view text);
  // field_type_mismatch: "<where><field> is <type>, expected <expected>".
  void mismatch(std::string_view where, std::string_view field, std::string_view expected, const json::Value& v);

  uint64_t event_index() const { return event_index_; }
  uint64_t event_offset() const { return event_offset_; }
  bool ended() const { return ended_; }
  const DialectOptions& options() const { return opt_; }
  StreamObserver& observer() const;

  AssemblyReport rep_;

 private:
  DialectOptions opt_;
  json::EventJson json_;
  uint64_t event_index_ = 0;
  uint64_t event_offset_ = 0;
  bool ended_ = false;
  bool too_large_ = false;
};

// 'text', cut to 200 bytes with "..." (for messages quoting input).
std::string quote(std::string_view text);

}  // namespace ssecheck
