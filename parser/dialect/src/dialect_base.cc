#include "ssecheck/dialect_base.h"

namespace ssecheck {
namespace {

constexpr size_t kQuoteMax = 200;

StreamObserver& no_observer() {
  static StreamObserver none;
  return none;
}

json::Limits json_limits(const DialectLimits& l) { return json::Limits{l.max_json_depth, l.max_json_values}; }

}  // namespace

std::string quote(std::string_view s) {
  std::string q = "'";
  q.append(s.substr(0, kQuoteMax));
  if (s.size() > kQuoteMax) q.append("...");
  q.push_back('\'');
  return q;
}

DialectBase::DialectBase(std::string_view name, const DialectOptions& options)
    : opt_(options), json_(options.json_backend, json_limits(options.limits)) {
  rep_.dialect = std::string(name);
  rep_.strict = options.strict;
  rep_.normalized.dialect = rep_.dialect;
}

DialectBase::~DialectBase() = default;

StreamObserver& DialectBase::observer() const { return opt_.observer ? *opt_.observer : no_observer(); }

void DialectBase::on_event(const Event& event) {
  if (ended_) return;
  event_index_ = event.index;
  event_offset_ = event.offset;
  ++rep_.stats.events;
  handle_event(event);
}

void DialectBase::on_comment(std::string_view, uint64_t) {
  if (!ended_) ++rep_.stats.comments;
}

void DialectBase::add_diagnostic(DiagCode code, uint64_t event_index, uint64_t offset, std::string_view message) {
  rep_.add(code, event_index, offset, message, opt_.limits.max_diagnostics);
}

void DialectBase::diag(DiagCode code, std::string_view message) {
  add_diagnostic(code, event_index_, event_offset_, message);
}

void DialectBase::finish(uint64_t end_offset) {
  if (ended_) return;
  ended_ = true;
  event_index_ = rep_.stats.events;
  event_offset_ = end_offset;
  end_of_stream();
  rep_.native_json.clear();
  json::Out out(rep_.native_json);
  write_native(out);
  rep_.normalized = NormalizedResult{};
  rep_.normalized.dialect = rep_.dialect;
  normalize(rep_.normalized);
}

json::Value DialectBase::parse(std::string_view data) {
  switch (json_.parse(data)) {
    case json::Status::ok: return json_.root();
    case json::Status::invalid: diag(DiagCode::invalid_json, json_.error()); break;
    case json::Status::too_deep: diag(DiagCode::json_too_deep, json_.error()); break;
    case json::Status::too_large: diag(DiagCode::json_too_large, json_.error()); break;
  }
  return {};
}

bool DialectBase::append(std::string& to, std::string_view text) {
  if (too_large_) return false;
  if (rep_.stats.assembled_bytes + text.size() > opt_.limits.max_assembled_bytes) {
    too_large_ = true;
    diag(DiagCode::assembled_too_large,
         "assembled text would exceed " + std::to_string(opt_.limits.max_assembled_bytes) +
             " bytes; later text is dropped");
    return false;
  }
  rep_.stats.assembled_bytes += text.size();
  to.append(text);
  return true;
}

void DialectBase::mismatch(std::string_view where, std::string_view field, std::string_view expected,
                           const json::Value& v) {
  diag(DiagCode::field_type_mismatch, std::string(where) + std::string(field) + " is " + v.type_name() +
                                          ", expected " + std::string(expected));
}

}  // namespace ssecheck
