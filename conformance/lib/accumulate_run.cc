#include "accumulate_run.h"

#include <algorithm>

#include "ssecheck/completion_json.h"

namespace ssecheck::conformance {
namespace {

DialectOptions dialect_options(const AccumulateOptions& o) {
  DialectOptions d;
  d.strict = o.strict;
  d.json_backend = o.json_backend;
  d.limits = o.limits;
  d.observer = o.observer;
  return d;
}

}  // namespace

AccumulateSession::AccumulateSession(const AccumulateOptions& options)
    : dialect_(make_dialect(options.dialect, dialect_options(options))), parser_(*this, options.parser) {}

AccumulateSession::~AccumulateSession() = default;

void AccumulateSession::feed(std::string_view bytes) {
  if (!dialect_ || finished_) return;
  bytes_ += bytes.size();
  if (stopped_) return;
  if (parser_.feed(bytes) != ParseStatus::ok) stopped_ = true;
}

const AssemblyReport& AccumulateSession::finish() {
  static const AssemblyReport kEmpty;
  if (!dialect_) return kEmpty;
  if (!finished_) {
    finished_ = true;
    if (!stopped_) parser_.finish();
    dialect_->finish(bytes_);
    dialect_->mutable_report().stats.bytes = bytes_;
  }
  return dialect_->report();
}

void AccumulateSession::on_event(const Event& event) { dialect_->on_event(event); }

void AccumulateSession::on_comment(std::string_view text, uint64_t offset) {
  dialect_->on_comment(text, offset);
}

void AccumulateSession::on_diagnostic(DiagCode code, uint64_t offset) {
  dialect_->on_lower_diagnostic(code, parser_.events_dispatched(), offset);
}

AccumulateResult accumulate(std::string_view body, std::span<const size_t> cuts,
                            const AccumulateOptions& options) {
  AccumulateSession session(options);
  size_t begin = 0;
  for (size_t cut : cuts) {
    cut = std::clamp(cut, begin, body.size());
    session.feed(body.substr(begin, cut - begin));
    begin = cut;
  }
  session.feed(body.substr(begin));
  AccumulateResult result;
  result.report = session.finish();
  result.json_compact = report_to_json(result.report, false);
  return result;
}

std::string AccumulateResult::json_pretty() const { return report_to_json(report, true); }

}  // namespace ssecheck::conformance
