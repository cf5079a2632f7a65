#include "ssecheck/replay/schedule.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "chunkings.h"
#include "json_lines.h"
#include "ssecheck/assemble.h"
#include "ssecheck/event_stream_parser.h"
#include "ssecheck/registry.h"

namespace ssecheck::replay {
namespace {

using std::chrono::milliseconds;

struct FaultName {
  Fault fault;
  std::string_view name;
};
constexpr std::array<FaultName, 9> kFaults = {{
    {Fault::none, "none"},
    {Fault::fin_mid_event, "fin-mid-event"},
    {Fault::rst_mid_event, "rst-mid-event"},
    {Fault::stall, "stall"},
    {Fault::http_429, "429"},
    {Fault::http_500, "500"},
    {Fault::http_529, "529"},
    {Fault::error_event, "error-event"},
    {Fault::no_terminator, "no-terminator"},
}};

int fault_status(Fault f) {
  switch (f) {
    case Fault::http_429: return 429;
    case Fault::http_500: return 500;
    case Fault::http_529: return 529;
    default: return 0;
  }
}

bool parse_u64(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
}

struct EventOffsets : EventSink {
  struct Seen {
    uint64_t offset;
    std::string data;
  };
  std::vector<Seen> events;
  void on_event(const Event& e) override { events.push_back({e.offset, std::string(e.data)}); }
};

std::vector<EventOffsets::Seen> events_of(std::string_view body) {
  EventOffsets seen;
  EventStreamParser parser(seen);
  parser.feed(body);
  parser.finish();
  return std::move(seen.events);
}

std::string_view first_eol(std::string_view body) {
  const size_t at = body.find_first_of("\r\n");
  if (at == std::string_view::npos || body[at] == '\n') return "\n";
  return at + 1 < body.size() && body[at + 1] == '\n' ? "\r\n" : "\r";
}

// [begin, end) of the line starting at `from`, and the start of the next line.
struct LineSpan {
  size_t begin, end, next;
};
LineSpan line_at(std::string_view body, size_t from) {
  const size_t end = std::min(body.find_first_of("\r\n", from), body.size());
  size_t next = end;
  if (next < body.size()) next += (body[next] == '\r' && next + 1 < body.size() && body[next + 1] == '\n') ? 2 : 1;
  return {from, end, next};
}

// A cut inside the first data line of the event nearest the middle of the body.
std::optional<size_t> mid_event_cut(std::string_view body) {
  const auto events = events_of(body);
  if (events.empty()) return std::nullopt;
  size_t k = 0;
  while (k + 1 < events.size() && events[k].offset < body.size() / 2) ++k;
  for (size_t at = static_cast<size_t>(events[k].offset); at < body.size();) {
    const LineSpan l = line_at(body, at);
    if (l.begin == l.end) break;
    if (body.substr(l.begin, 4) == "data") return l.begin + std::max<size_t>(1, (l.end - l.begin) / 2);
    at = l.next;
  }
  return std::nullopt;
}

std::string error_event_text(std::string_view dialect, std::string_view prev_data, size_t index,
                             std::string_view eol) {
  std::string e;
  if (dialect == "openai-chat") {
    e = "data: {\"error\":{\"message\":\"The server had an error while processing your request. Sorry about "
        "that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
  } else if (dialect == "openai-responses") {
    // sequence_number continues the stream's own numbering.
    uint64_t seq = index;
    const size_t at = prev_data.find("\"sequence_number\":");
    if (at != std::string_view::npos) {
      std::string_view digits = prev_data.substr(at + 18);
      while (!digits.empty() && digits[0] == ' ') digits.remove_prefix(1);
      size_t n = 0;
      while (n < digits.size() && digits[n] >= '0' && digits[n] <= '9') ++n;
      uint64_t v = 0;
      if (parse_u64(digits.substr(0, n), &v)) seq = v + 1;
    }
    e = "event: error";
    e += eol;
    e += "data: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"The server had an error while "
         "processing your request.\",\"param\":null,\"sequence_number\":" +
         std::to_string(seq) + "}";
  } else if (dialect == "anthropic-messages") {
    e = "event: error";
    e += eol;
    e += "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
  } else if (dialect == "gemini") {
    e = "data: {\"error\":{\"code\":500,\"message\":\"An internal error has occurred. Please retry or report in "
        "https://developers.generativeai.google/guide/troubleshooting\",\"status\":\"INTERNAL\"}}";
  } else {
    return {};
  }
  e += eol;
  e += eol;
  return e;
}

std::vector<size_t> chunk_cuts(const ChunkSpec& spec, std::string_view bytes) {
  using conformance::Chunking;
  using conformance::ChunkingKind;
  std::vector<size_t> cuts;
  switch (spec.kind) {
    case replay::Chunking::whole: break;
    case replay::Chunking::bytes1:
      for (size_t i = 1; i < bytes.size(); ++i) cuts.push_back(i);
      break;
    case replay::Chunking::split_at:
      if (!spec.at.empty()) {
        cuts = spec.at;
      } else {
        for (size_t at = 0; at < bytes.size();) {
          const LineSpan l = line_at(bytes, at);
          if (bytes.substr(l.begin, 4) == "data" && l.end - l.begin >= 2) cuts.push_back(l.begin + (l.end - l.begin) / 2);
          if (l.next == at) break;
          at = l.next;
        }
      }
      break;
    case replay::Chunking::utf8_crlf:
      cuts = conformance::tricky_offsets(bytes);
      break;
    case replay::Chunking::random:
      conformance::for_each_chunking(ChunkingKind::random, bytes, spec.seed, 1, [&](const Chunking& c) {
        cuts = c.cuts;
        return false;
      });
      break;
  }
  // Strictly increasing and inside the body: no piece is empty (an empty HTTP chunk
  // would end the body).
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::erase_if(cuts, [&](size_t c) { return c == 0 || c >= bytes.size(); });
  return cuts;
}

bool same_outcome(const Expectation& a, const Expectation& b) {
  return a.ok == b.ok && (a.ok ? a.result == b.result : a.error == b.error);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Headers the server writes itself, or that no longer describe the replayed body.
bool is_framing_header(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kDropped = {
      "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection",
      "te", "trailer", "upgrade", "content-encoding", "date"};
  for (std::string_view d : kDropped)
    if (iequals(d, name)) return true;
  return false;
}

}  // namespace

std::string_view fault_name(Fault fault) {
  for (const auto& f : kFaults)
    if (f.fault == fault) return f.name;
  return "?";
}

std::optional<Fault> parse_fault(std::string_view name) {
  for (const auto& f : kFaults)
    if (f.name == name) return f.fault;
  return std::nullopt;
}

std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::http_status: return "http_status";
    case ErrorKind::connection: return "connection";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::parse: return "parse";
    case ErrorKind::provider_error: return "provider_error";
  }
  return "?";
}

milliseconds default_pause(Chunking kind) {
  switch (kind) {
    case Chunking::split_at: return milliseconds(10);
    case Chunking::utf8_crlf: return milliseconds(1);
    default: return milliseconds(0);
  }
}

std::string schedule_name(const ScheduleSpec& spec) {
  std::vector<std::string> parts;
  switch (spec.chunking.kind) {
    case Chunking::whole: break;
    case Chunking::bytes1: parts.emplace_back("bytes1"); break;
    case Chunking::utf8_crlf: parts.emplace_back("utf8-crlf"); break;
    case Chunking::random: parts.push_back("random#" + std::to_string(spec.chunking.seed)); break;
    case Chunking::split_at: {
      std::string s = "split@";
      if (spec.chunking.at.empty()) s += "data";
      for (size_t i = 0; i < spec.chunking.at.size(); ++i) {
        if (i) s += ',';
        s += std::to_string(spec.chunking.at[i]);
      }
      parts.push_back(std::move(s));
      break;
    }
  }
  if (spec.rewrites != Rewrites::none) parts.push_back(rewrites_name(spec.rewrites));
  if (spec.noise) parts.emplace_back("noise");
  if (spec.framing == Framing::close) parts.emplace_back("framing:close");
  if (spec.seed != 1) parts.push_back("seed:" + std::to_string(spec.seed));
  if (spec.pause) parts.push_back("pause:" + std::to_string(spec.pause->count()) + "ms");
  if (spec.fault != Fault::none) parts.push_back("fault:" + std::string(fault_name(spec.fault)));
  if (parts.empty()) return "whole";
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '+';
    out += p;
  }
  return out;
}

bool parse_schedule(std::string_view name, ScheduleSpec* out, std::string* error) {
  ScheduleSpec spec;
  bool chunked = false;
  auto fail = [&](std::string_view part, std::string_view why) {
    *error = "schedule '" + std::string(name) + "': " + std::string(why) + " '" + std::string(part) + "'";
    return false;
  };
  if (name.empty()) return fail(name, "empty name");
  while (!name.empty()) {
    const size_t plus = name.find('+');
    const std::string_view part = name.substr(0, plus);
    name = plus == std::string_view::npos ? std::string_view() : name.substr(plus + 1);
    uint64_t n = 0;
    auto set_chunking = [&](Chunking kind) {
      if (chunked) return false;
      chunked = true;
      spec.chunking.kind = kind;
      return true;
    };
    if (part == "whole" || part == "bytes1" || part == "utf8-crlf") {
      const Chunking kind = part == "whole" ? Chunking::whole : part == "bytes1" ? Chunking::bytes1 : Chunking::utf8_crlf;
      if (!set_chunking(kind)) return fail(part, "a second chunking");
    } else if (part.starts_with("random#")) {
      if (!parse_u64(part.substr(7), &n)) return fail(part, "bad seed in");
      if (!set_chunking(Chunking::random)) return fail(part, "a second chunking");
      spec.chunking.seed = n;
    } else if (part.starts_with("split@")) {
      if (!set_chunking(Chunking::split_at)) return fail(part, "a second chunking");
      std::string_view list = part.substr(6);
      if (list != "data") {
        while (true) {
          const size_t comma = list.find(',');
          if (!parse_u64(list.substr(0, comma), &n)) return fail(part, "bad offset list in");
          spec.chunking.at.push_back(static_cast<size_t>(n));
          if (comma == std::string_view::npos) break;
          list.remove_prefix(comma + 1);
        }
        if (!std::is_sorted(spec.chunking.at.begin(), spec.chunking.at.end()))
          return fail(part, "offsets not sorted in");
      }
    } else if (auto r = parse_rewrite(part)) {
      if (has(spec.rewrites, *r)) return fail(part, "a repeated rewrite");
      spec.rewrites = spec.rewrites | *r;
    } else if (part == "noise") {
      spec.noise = true;
    } else if (part == "framing:close") {
      spec.framing = Framing::close;
    } else if (part.starts_with("seed:")) {
      if (!parse_u64(part.substr(5), &n)) return fail(part, "bad seed in");
      spec.seed = n;
    } else if (part.starts_with("pause:") && part.ends_with("ms")) {
      if (!parse_u64(part.substr(6, part.size() - 8), &n) || n > 60'000) return fail(part, "bad pause (0..60000 ms) in");
      spec.pause = milliseconds(n);
    } else if (part.starts_with("fault:")) {
      const auto f = parse_fault(part.substr(6));
      if (!f || *f == Fault::none) return fail(part, "unknown fault");
      if (spec.fault != Fault::none) return fail(part, "a second fault");
      spec.fault = *f;
    } else {
      return fail(part, "unknown part");
    }
  }
  *out = std::move(spec);
  return true;
}

std::string_view Schedule::piece(size_t i) const {
  const size_t begin = i == 0 ? 0 : cuts[i - 1];
  const size_t end = i < cuts.size() ? cuts[i] : bytes.size();
  return std::string_view(bytes).substr(begin, end - begin);
}

std::vector<std::string_view> Schedule::pieces() const {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < piece_count(); ++i) out.push_back(piece(i));
  return out;
}

std::string provider_error_body(std::string_view dialect, int status) {
  if (dialect == "anthropic-messages") {
    std::string_view type = "api_error", message = "Internal server error";
    if (status == 429) type = "rate_limit_error", message = "Number of request tokens has exceeded your per-minute rate limit";
    if (status == 529) type = "overloaded_error", message = "Overloaded";
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + std::string(type) + "\",\"message\":\"" +
           std::string(message) + "\"}}";
  }
  if (dialect == "gemini") {
    if (status == 429)
      return "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":"
             "\"RESOURCE_EXHAUSTED\"}}";
    return "{\"error\":{\"code\":" + std::to_string(status) +
           ",\"message\":\"An internal error has occurred. Please retry or report in "
           "https://developers.generativeai.google/guide/troubleshooting\",\"status\":\"INTERNAL\"}}";
  }
  // openai-chat and openai-responses share the API's error shape.
  if (status == 429)
    return "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"param\":null,"
           "\"code\":\"rate_limit_exceeded\"}}";
  return "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\","
         "\"type\":\"server_error\",\"param\":null,\"code\":null}}";
}

Expectation expect_stream(std::string_view body, std::string_view dialect) {
  AssembleOptions options;
  options.dialect = find_dialect(dialect) ? std::string(dialect) : "auto";
  const AssembleResult r = assemble(body, {}, options);
  Expectation e;
  if (r.report.has(DiagCode::provider_error)) {
    e.ok = false;
    e.error = ErrorKind::provider_error;
    e.why = "the provider reports an error in the stream";
  } else if (r.report.failed()) {
    e.ok = false;
    e.error = ErrorKind::parse;
    e.why = r.report.first_fatal ? std::string(name(r.report.diagnostics[*r.report.first_fatal].code))
                                 : std::string("a fatal diagnostic");
    e.why = "the stream is incomplete or malformed (" + e.why + ")";
  } else {
    e.result = normalized_to_json(r.report.normalized);
    e.why = "the stream assembles to this result";
  }
  return e;
}

std::string expectation_json(const Expectation& e) {
  std::string out = "{";
  if (e.ok) {
    out += "\"result\":";
    out += e.result;
  } else {
    out += "\"error\":";
    conformance::append_json_string(out, error_kind_name(e.error));
    if (e.error == ErrorKind::http_status) out += ",\"status\":" + std::to_string(e.http_status);
  }
  out += ",\"why\":";
  conformance::append_json_string(out, e.why);
  out += '}';
  return out;
}

std::optional<Schedule> make_schedule(const Recorded& rec, const ScheduleSpec& spec, const CaseOptions& options,
                                      std::string* error) {
  const DialectInfo* dialect = find_dialect(rec.dialect);
  Schedule s;
  s.name = schedule_name(spec);
  s.framing = spec.framing;
  s.fault = spec.fault;
  auto fail = [&](std::string why) -> std::optional<Schedule> {
    *error = s.name + ": " + why;
    return std::nullopt;
  };
  if (const int status = fault_status(spec.fault)) {
    if (spec.fault == Fault::http_529 && rec.dialect != "anthropic-messages")
      return fail("529 is Anthropic's status; " + rec.dialect + " does not send it");
    s.bytes = provider_error_body(rec.dialect, status);
    s.framing = Framing::content_length;
    s.cuts = chunk_cuts(spec.chunking, s.bytes);
    return s;
  }

  std::string body = rec.body;
  if (spec.fault == Fault::error_event) {
    const auto events = events_of(body);
    if (events.size() < 2) return fail("an error event mid-stream needs two events");
    const size_t k = events.size() / 2;
    const std::string text = error_event_text(rec.dialect, events[k - 1].data, k, first_eol(body));
    if (text.empty()) return fail("no error event known for dialect '" + rec.dialect + "'");
    body.resize(static_cast<size_t>(events[k].offset));
    body += text;
    const Expectation injected = expect_stream(body, rec.dialect);
    if (injected.ok || injected.error != ErrorKind::provider_error)
      return fail("the injected error event is not read as a provider error");
  } else if (spec.fault == Fault::no_terminator) {
    const auto events = events_of(body);
    if (events.empty()) return fail("no event to drop");
    AssembleOptions o;
    o.dialect = dialect ? rec.dialect : "auto";
    const bool had_terminator = assemble(body, {}, o).report.stats.terminator_seen;
    body.resize(static_cast<size_t>(events.back().offset));
    const AssembleResult cut = assemble(body, {}, o);
    if (!had_terminator && !cut.report.has(DiagCode::truncated))
      return fail("the stream has no terminator to drop");
  }
  if (spec.noise) body = conformance::inject_noise(body, dialect);
  body = rewrite(body, spec.rewrites, spec.seed);

  if (spec.fault == Fault::fin_mid_event || spec.fault == Fault::rst_mid_event) {
    const auto cut = mid_event_cut(body);
    if (!cut) return fail("no event to cut");
    body.resize(*cut);
  } else if (spec.fault == Fault::stall) {
    const auto events = events_of(body);
    body.resize(events.size() >= 2 ? static_cast<size_t>(events[events.size() / 2].offset) : 0);
    s.stall = options.stall;
  }
  s.bytes = std::move(body);
  s.cuts = chunk_cuts(spec.chunking, s.bytes);
  s.pause = spec.pause.value_or(default_pause(spec.chunking.kind));
  return s;
}

std::optional<ReplayCase> build_case(const Recorded& rec, const ScheduleSpec& spec, const CaseOptions& options,
                                     std::string* error) {
  auto schedule = make_schedule(rec, spec, options, error);
  if (!schedule) return std::nullopt;
  ReplayCase c;
  c.dialect = rec.dialect;
  c.schedule = std::move(*schedule);
  Expectation& e = c.expect;
  e.ok = false;
  if (const int status = fault_status(spec.fault)) {
    c.status = status;
    c.headers.emplace_back("Content-Type", "application/json");
    if (spec.fault == Fault::http_429) c.headers.emplace_back("Retry-After", options.retry_after);
    e.error = ErrorKind::http_status;
    e.http_status = status;
    e.why = "HTTP " + std::to_string(status) + " with the provider's error body";
    return c;
  }
  c.status = rec.status;
  bool content_type = false;
  for (const auto& [name, value] : rec.headers) {
    if (is_framing_header(name)) continue;
    if (iequals(name, "content-type")) content_type = true;
    c.headers.emplace_back(name, value);
  }
  if (!content_type) c.headers.emplace_back("Content-Type", "text/event-stream");
  if (rec.status < 200 || rec.status > 299) {
    e.error = ErrorKind::http_status;
    e.http_status = rec.status;
    e.why = "the recorded status is " + std::to_string(rec.status);
    return c;
  }
  switch (spec.fault) {
    case Fault::fin_mid_event:
      if (c.schedule.framing == Framing::close) {
        e.error = ErrorKind::parse;
        e.why = "the connection closes (FIN) inside an event; the body has no length, so the stream is cut short";
      } else {
        e.error = ErrorKind::connection;
        e.why = "the connection closes (FIN) inside an event, before the last chunk";
      }
      return c;
    case Fault::rst_mid_event:
      e.error = ErrorKind::connection;
      e.why = "the connection is reset (RST) inside an event";
      return c;
    case Fault::stall:
      e.error = ErrorKind::timeout;
      e.why = "no byte for " + std::to_string(c.schedule.stall.count()) + " ms between two events";
      return c;
    case Fault::error_event:
    case Fault::no_terminator:
      e = expect_stream(c.schedule.bytes, rec.dialect);
      return c;
    default: break;
  }
  const Expectation recorded = expect_stream(rec.body, rec.dialect);
  const Expectation served = expect_stream(c.schedule.bytes, rec.dialect);
  if (!same_outcome(recorded, served)) {
    *error = c.schedule.name + ": the served stream does not mean what the recorded one does (a bug in the schedule)";
    return std::nullopt;
  }
  e = recorded;
  return c;
}

std::vector<ScheduleSpec> default_schedules(std::string_view dialect) {
  std::vector<std::string_view> names = {
      "whole", "bytes1", "split@data", "utf8-crlf", "random#1", "random#2", "noise",
      "crlf", "cr", "no-space", "bom", "comments", "unknown-fields", "id-retry", "split-data",
      "crlf+cr",
      "crlf+cr+no-space+bom+comments+unknown-fields+id-retry+split-data",
      "bytes1+crlf",
      "utf8-crlf+crlf+split-data",
      "random#3+cr+comments+split-data",
      "utf8-crlf+crlf+bom+noise",
      "split@data+no-space+unknown-fields+id-retry",
      "framing:close",
      "fault:fin-mid-event", "fault:rst-mid-event", "fault:stall", "fault:429", "fault:500",
      "fault:error-event", "fault:no-terminator", "framing:close+fault:fin-mid-event",
  };
  if (dialect == "anthropic-messages") names.push_back("fault:529");
  std::vector<ScheduleSpec> out;
  for (std::string_view n : names) {
    ScheduleSpec s;
    std::string err;
    if (parse_schedule(n, &s, &err)) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ssecheck::replay
