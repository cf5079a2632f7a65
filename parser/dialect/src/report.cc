#include "ssecheck/report.h"

#include "ssecheck/json/out.h"

namespace ssecheck {

std::string_view state_name(StreamState s) {
  switch (s) {
    case StreamState::start: return "start";
    case StreamState::streaming: return "streaming";
    case StreamState::finished: return "finished";
    case StreamState::done: return "done";
    case StreamState::errored: return "errored";
    case StreamState::truncated: return "truncated";
  }
  return "?";
}

void AssemblyReport::add(DiagCode code, uint64_t event_index, uint64_t offset, std::string_view message,
                         uint32_t max_diagnostics) {
  const DiagInfo& di = info(code);
  DiagnosticCounts& c = counts;
  if (di.severity == Severity::note) ++c.note;
  if (di.severity == Severity::deviation) ++c.deviation;
  if (di.severity == Severity::fatal) ++c.fatal;
  ++c.by_code[static_cast<size_t>(code)];
  // Non-fatal ones fill the store up to the cap; fatal ones have a cap of their own.
  const bool keep = di.severity == Severity::fatal ? c.fatal <= max_diagnostics
                                                   : diagnostics.size() < max_diagnostics;
  if (!keep) {
    ++c.dropped;
    return;
  }
  if (di.severity == Severity::fatal && !first_fatal) first_fatal = diagnostics.size();
  diagnostics.push_back(
      Diagnostic{code, di.severity, event_index, offset, std::string(message.empty() ? di.description : message)});
}

namespace {

void write_diagnostic(json::Out& o, const Diagnostic& d) {
  o.begin_object();
  o.field("code", name(d.code));
  o.field("severity", severity_name(d.severity));
  o.key("event").uint64(d.event_index);
  o.key("offset").uint64(d.byte_offset);
  o.field("message", d.message);
  o.end_object();
}

}  // namespace

std::string report_to_json(const AssemblyReport& r, bool pretty) {
  std::string s;
  json::Out o(s, pretty);
  o.begin_object();
  o.field("dialect", r.dialect);
  o.key("native");
  if (r.native_json.empty()) o.null();
  else o.raw(r.native_json);
  o.key("normalized").raw(normalized_to_json(r.normalized));
  o.key("first_fatal");
  if (r.first_fatal) write_diagnostic(o, r.diagnostics[*r.first_fatal]);
  else o.null();
  o.key("diagnostics").begin_array();
  for (const Diagnostic& d : r.diagnostics) write_diagnostic(o, d);
  o.end_array();
  const AssemblyStats& st = r.stats;
  o.key("stats").begin_object();
  o.field("state", state_name(r.state));
  o.key("strict").boolean(r.strict);
  o.key("failed").boolean(r.failed());
  o.key("bytes").uint64(st.bytes);
  o.key("events").uint64(st.events);
  o.key("data_chunks").uint64(st.data_chunks);
  o.key("comments").uint64(st.comments);
  o.key("noise_events").uint64(st.noise_events);
  o.key("assembled_bytes").uint64(st.assembled_bytes);
  o.key("terminator_seen").boolean(st.terminator_seen);
  o.key("diagnostics").begin_object();
  o.key("note").uint64(r.counts.note);
  o.key("deviation").uint64(r.counts.deviation);
  o.key("fatal").uint64(r.counts.fatal);
  o.key("dropped").uint64(r.counts.dropped);
  o.end_object();
  o.end_object();
  o.end_object();
  return s;
}

}  // namespace ssecheck
