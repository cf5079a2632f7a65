#include "ssecheck/assemble.h"

#include <algorithm>
#include <deque>

namespace ssecheck {

// What "auto" holds back until a dialect is chosen, in stream order.
struct AssemblySession::Pending {
  struct Item {
    enum class Kind : uint8_t { event, comment, diagnostic } kind;
    std::string type, data, id;
    uint64_t index = 0, offset = 0;
    DiagCode code{};
    uint64_t count = 1;  // comments: a run of them is one item
  };
  std::deque<Item> items;
  size_t events = 0;
  size_t bytes = 0;
};

namespace {

DialectOptions dialect_options(const AssembleOptions& o) {
  DialectOptions d;
  d.strict = o.strict;
  d.json_backend = o.json_backend;
  d.limits = o.limits;
  d.observer = o.observer;
  return d;
}

}  // namespace

AssemblySession::AssemblySession(const AssembleOptions& options) : options_(options), parser_(*this, options.parser) {
  if (options_.dialect == "auto") {
    pending_ = std::make_unique<Pending>();
  } else if (const DialectInfo* d = find_dialect(options_.dialect)) {
    dialect_ = d->make(dialect_options(options_));
  } else {
    unknown_.dialect = options_.dialect;
    unknown_.strict = options_.strict;
    unknown_.normalized.dialect = options_.dialect;
    unknown_.add(DiagCode::unknown_dialect, 0, 0,
                 "unknown dialect '" + options_.dialect + "'; known: " + dialect_names_joined(),
                 options_.limits.max_diagnostics);
  }
}

AssemblySession::~AssemblySession() = default;

std::string_view AssemblySession::dialect() const { return dialect_ ? dialect_->name() : std::string_view{}; }

void AssemblySession::choose(const DialectInfo* info, bool detected) {
  dialect_ = info->make(dialect_options(options_));
  if (!detected)
    dialect_->add_diagnostic(DiagCode::dialect_not_detected, 0, 0,
                             "no event identified the dialect; read as " + std::string(info->name));
  replay();
}

void AssemblySession::replay() {
  if (!pending_) return;
  std::unique_ptr<Pending> p = std::move(pending_);
  for (const Pending::Item& it : p->items) {
    switch (it.kind) {
      case Pending::Item::Kind::event:
        dialect_->on_event(Event{it.type, it.data, it.id, it.index, it.offset});
        break;
      case Pending::Item::Kind::comment:
        for (uint64_t i = 0; i < it.count; ++i) dialect_->on_comment({}, it.offset);
        break;
      case Pending::Item::Kind::diagnostic: dialect_->add_diagnostic(it.code, it.index, it.offset); break;
    }
  }
}

void AssemblySession::feed(std::string_view bytes) {
  if (finished_) return;
  bytes_ += bytes.size();
  if (stopped_ || (!dialect_ && !pending_)) return;
  if (parser_.feed(bytes) != ParseStatus::ok) stopped_ = true;
}

const AssemblyReport& AssemblySession::finish() {
  if (!dialect_ && !pending_) {
    unknown_.stats.bytes = bytes_;
    unknown_.state = StreamState::truncated;
    return unknown_;
  }
  if (!finished_) {
    finished_ = true;
    if (!stopped_) parser_.finish();
    if (!dialect_) choose(find_dialect(kFallbackDialect), false);
    dialect_->finish(bytes_);
    dialect_->mutable_report().stats.bytes = bytes_;
  }
  return dialect_->report();
}

void AssemblySession::on_event(const Event& event) {
  if (dialect_) {
    dialect_->on_event(event);
    return;
  }
  if (const DialectInfo* d = dialect_for_event(event.type, event.data)) {
    choose(d, true);
    dialect_->on_event(event);
    return;
  }
  Pending& p = *pending_;
  p.items.push_back({Pending::Item::Kind::event, std::string(event.type), std::string(event.data),
                     std::string(event.id), event.index, event.offset, {}, 1});
  p.bytes += event.data.size();
  if (++p.events >= kMaxPendingEvents || p.bytes >= kMaxPendingBytes) choose(find_dialect(kFallbackDialect), false);
}

void AssemblySession::on_comment(std::string_view text, uint64_t offset) {
  if (dialect_) {
    dialect_->on_comment(text, offset);
    return;
  }
  // Comments carry no meaning for any dialect: a run of them is kept as a count.
  auto& items = pending_->items;
  if (!items.empty() && items.back().kind == Pending::Item::Kind::comment) ++items.back().count;
  else items.push_back({Pending::Item::Kind::comment, {}, {}, {}, 0, offset, {}, 1});
}

void AssemblySession::on_diagnostic(DiagCode code, uint64_t offset) {
  if (dialect_) {
    dialect_->add_diagnostic(code, parser_.events_dispatched(), offset);
    return;
  }
  pending_->items.push_back(
      {Pending::Item::Kind::diagnostic, {}, {}, {}, parser_.events_dispatched(), offset, code, 1});
  if (pending_->items.size() > kMaxPendingItems) choose(find_dialect(kFallbackDialect), false);
}

AssembleResult assemble(std::string_view body, std::span<const size_t> cuts, const AssembleOptions& options) {
  AssemblySession session(options);
  size_t begin = 0;
  for (size_t cut : cuts) {
    cut = std::clamp(cut, begin, body.size());
    session.feed(body.substr(begin, cut - begin));
    begin = cut;
  }
  session.feed(body.substr(begin));
  AssembleResult result;
  result.report = session.finish();
  result.json_compact = report_to_json(result.report, false);
  return result;
}

std::string AssembleResult::json_pretty() const { return report_to_json(report, true); }

}  // namespace ssecheck
