#include "check_runner.h"

#include <chrono>

#include "compare.h"

#include <rapidjson/document.h>

namespace ssecheck::check {
namespace {

constexpr std::string_view kNames[] = {"PASS",  "FAIL",    "NON_STRICT",     "INFORMATIONAL",
                                       "CRASH", "TIMEOUT", "PROTOCOL_ERROR", "SKIPPED"};

std::string clip(std::string s, size_t n = 2000) {
  if (s.size() > n) {
    s.resize(n);
    s += "…";
  }
  return s;
}

bool contains(const std::vector<std::string>& list, const std::string& v) {
  for (const auto& e : list)
    if (e == v) return true;
  return false;
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& e : list) out += (out.empty() ? "" : " or ") + e;
  return out;
}

class Session {
 public:
  Session(const ImplSpec& impl, const AdapterLimits& limits) : process_(impl.command, limits), limits_(limits) {}

  // Starts (or restarts) the adapter and greets it. Sets problem on failure.
  bool open(Hello* hello, Outcome* failure, std::string* problem) {
    std::string error;
    if (!process_.start(&error)) {
      *failure = Outcome::crash;
      *problem = error;
      return false;
    }
    const Exchange ex = process_.request(hello_command("hello"), limits_.start_timeout);
    if (ex.status != ExchangeStatus::ok) {
      *failure = ex.status == ExchangeStatus::timeout ? Outcome::timeout
                 : ex.status == ExchangeStatus::crashed ? Outcome::crash
                                                        : Outcome::protocol_error;
      *problem = "hello: " + ex.detail;
      return false;
    }
    Hello h;
    if (!parse_hello(ex.reply, &h, &error)) {
      *failure = Outcome::protocol_error;
      *problem = "hello: " + error + ": " + clip(ex.reply, 200);
      return false;
    }
    *hello = std::move(h);
    return true;
  }
  Exchange ask(const std::string& line, std::chrono::milliseconds timeout) { return process_.request(line, timeout); }
  void close() {
    if (process_.running()) process_.request(bye_command("bye"), std::chrono::milliseconds(500));
    process_.stop();
  }
  std::string stderr_tail() const { return process_.stderr_tail(); }

 private:
  AdapterProcess process_;
  AdapterLimits limits_;
};

std::string skip_reason(const CheckCase& c, const Hello& h, const RunOptions& options) {
  if (c.expect == Expect::events) {
    if (!h.events_output) return "framing case; the adapter assembles (output \"normalized\")";
  } else {
    if (h.events_output) return "assembly case; the adapter only frames (output \"events\")";
    if (h.dialects.count(c.dialect) == 0) return "the adapter does not speak " + c.dialect;
  }
  if (c.mode == CaseMode::feed && !h.feed) return "the adapter has no feed mode";
  if (c.mode == CaseMode::http && !h.http) return "the adapter has no http mode";
  if (c.mode == CaseMode::http && options.http == nullptr) return "no replay server in this run";
  return {};
}

void judge_strictly(const CheckCase& c, const Hello& h, const Answer& a, CaseResult& r);

// On a stream that breaks a protocol rule (the golden names deviations), ssecheck's
// reading is one of several defensible ones: a different answer is INFORMATIONAL.
void judge(const CheckCase& c, const Hello& h, const Answer& a, CaseResult& r) {
  judge_strictly(c, h, a, r);
  if (!c.deviations.empty() && (r.outcome == Outcome::fail || r.outcome == Outcome::non_strict)) {
    r.outcome = Outcome::informational;
    r.reason += " (the stream deviates: " + c.deviations + ")";
  }
}

void judge_strictly(const CheckCase& c, const Hello& h, const Answer& a, CaseResult& r) {
  if (a.kind == Answer::Kind::error && a.error_kind == "unsupported") {
    r.outcome = Outcome::skipped;
    r.reason = "the adapter cannot run this case: " + clip(a.error_message, 300);
    return;
  }
  const auto raised = [&] {
    return "raised " + a.error_kind + (a.status ? " " + std::to_string(a.status) : "") + ": " + clip(a.error_message, 300);
  };
  switch (c.expect) {
    case Expect::events:
      if (a.kind != Answer::Kind::events) {
        r.outcome = Outcome::fail;
        r.reason = a.kind == Answer::Kind::error ? raised() : "answered a result where events were expected";
        return;
      }
      r.diff = compare_events(c.events, a.events);
      r.outcome = r.diff.empty() ? Outcome::pass : Outcome::fail;
      r.reason = r.diff.empty() ? "same events" : r.diff.front();
      return;
    case Expect::result: {
      if (a.kind != Answer::Kind::result) {
        r.outcome = Outcome::fail;
        r.reason = a.kind == Answer::Kind::error ? raised() + " where the stream is well formed" : "answered events";
        return;
      }
      r.diff = compare_normalized(*c.normalized, a.result, h.fields_for(c.dialect));
      r.outcome = r.diff.empty() ? Outcome::pass : Outcome::fail;
      r.reason = r.diff.empty() ? "same normalized result" : r.diff.front();
      if (r.diff.size() > 1) r.reason += " (+" + std::to_string(r.diff.size() - 1) + " more)";
      return;
    }
    case Expect::error: {
      if (a.kind == Answer::Kind::error) {
        const bool ok = contains(c.error_kinds, a.error_kind) &&
                        (c.error_status == 0 || a.error_kind != "http_status" || a.status == c.error_status);
        r.outcome = ok ? Outcome::pass : Outcome::fail;
        r.reason = ok ? raised()
                      : raised() + "; expected " + joined(c.error_kinds) +
                            (c.error_status ? " " + std::to_string(c.error_status) : "");
        return;
      }
      if (a.kind == Answer::Kind::result) {
        const rapidjson::Value& golden_error = (*c.normalized)["error"];
        const auto it = a.result.FindMember("error");
        if (contains(c.error_kinds, "provider_error") && !golden_error.IsNull() && it != a.result.MemberEnd() &&
            it->value.IsObject()) {
          r.outcome = Outcome::pass;  // the error surfaced in the result itself
          r.reason = "reported the provider error in its result";
          return;
        }
        r.outcome = Outcome::non_strict;
        r.reason = "returned a result for a stream that must raise " + joined(c.error_kinds);
        r.diff = compare_normalized(*c.normalized, a.result, h.fields_for(c.dialect));
        return;
      }
      r.outcome = Outcome::fail;
      r.reason = "answered events";
      return;
    }
  }
}

// What the client sent must be a streaming request: Gemini's :streamGenerateContent
// with alt=sse, the others a JSON body with "stream": true.
bool asks_for_stream(const CheckCase& c, const replay::JournalEntry& e) {
  if (c.dialect == "gemini")
    return e.path.find(":streamGenerateContent") != std::string::npos && e.query.find("alt=sse") != std::string::npos;
  rapidjson::Document body;
  body.Parse(e.body.data(), e.body.size());
  if (body.HasParseError() || !body.IsObject()) return false;
  const auto it = body.FindMember("stream");
  return it != body.MemberEnd() && it->value.IsTrue();
}

void check_journal(const CheckCase& c, const std::vector<replay::JournalEntry>& journal, CaseResult& r) {
  for (size_t i = 0; i < journal.size() && i < 3; ++i) {
    const replay::JournalEntry& e = journal[i];
    r.journal += e.method + " " + e.path + (e.query.empty() ? "" : "?" + e.query) + " -> " + std::to_string(e.status) +
                 "\n" + clip(e.body) + "\n";
  }
  if (journal.size() > 3) r.journal += "(" + std::to_string(journal.size() - 3) + " more requests)\n";
  if (journal.empty()) {
    r.outcome = Outcome::fail;
    r.reason = "the client never reached the replay server (" + r.reason + ")";
    return;
  }
  if (r.outcome != Outcome::pass || asks_for_stream(c, journal.front())) return;
  r.outcome = Outcome::fail;
  r.reason = c.dialect == "gemini" ? "the client did not call :streamGenerateContent?alt=sse"
                                   : "the client's request body does not ask for a stream (\"stream\": true)";
}

}  // namespace

std::string_view outcome_name(Outcome o) { return kNames[static_cast<int>(o)]; }

bool outcome_from_name(std::string_view name, Outcome* out) {
  for (int i = 0; i < 8; ++i)
    if (kNames[i] == name) {
      *out = static_cast<Outcome>(i);
      return true;
    }
  return false;
}

bool is_failure(Outcome o, bool strict) {
  return o == Outcome::fail || o == Outcome::crash || o == Outcome::timeout || o == Outcome::protocol_error ||
         (strict && o == Outcome::non_strict);
}

size_t ImplResults::count(Outcome o) const {
  size_t n = 0;
  for (const auto& r : results) n += r.outcome == o;
  return n;
}

ImplResults run_implementation(const ImplSpec& impl, const std::vector<CheckCase>& cases, const RunOptions& options) {
  ImplResults out;
  out.spec = impl;
  Session session(impl, options.limits);
  Outcome down = Outcome::crash;
  std::string down_reason;
  bool up = session.open(&out.hello, &down, &down_reason);
  if (!up) out.start_problem = down_reason;
  bool ever_up = up;
  size_t n = 0;
  for (const CheckCase& c : cases) {
    CaseResult r;
    r.test = &c;
    const auto started = std::chrono::steady_clock::now();
    if (!up && ever_up) {  // restart after the previous case broke it
      up = session.open(&out.hello, &down, &down_reason);
      if (!up) down_reason = "restart failed: " + down_reason;
    }
    if (!up) {
      r.outcome = down;
      r.reason = down_reason;
      r.stderr_tail = clip(session.stderr_tail());
    } else if (const std::string why = skip_reason(c, out.hello, options); !why.empty()) {
      r.outcome = Outcome::skipped;
      r.reason = why;
    } else {
      const std::string id = std::to_string(++n);
      const std::string command =
          c.mode == CaseMode::feed
              ? feed_command(id, c.dialect, c.pieces(), c.expect == Expect::events ? nullptr : &c.request)
              : http_command(id, c.dialect, options.http->base_url_for(c), c.request, options.http->client_timeout_ms);
      const Exchange ex = session.ask(command, options.limits.case_timeout);
      Answer answer;
      std::string error;
      if (ex.status != ExchangeStatus::ok) {
        r.outcome = ex.status == ExchangeStatus::timeout ? Outcome::timeout
                    : ex.status == ExchangeStatus::crashed ? Outcome::crash
                                                           : Outcome::protocol_error;
        r.reason = ex.detail;
      } else if (!parse_answer(ex.reply, id, &answer, &error)) {
        r.outcome = Outcome::protocol_error;
        r.reason = error;
        r.answer = clip(ex.reply);
      } else {
        r.answer = clip(ex.reply);
        judge(c, out.hello, answer, r);
        if (c.mode == CaseMode::http) check_journal(c, options.http->journal_for(c), r);
      }
      if (r.outcome == Outcome::crash || r.outcome == Outcome::timeout || r.outcome == Outcome::protocol_error) {
        r.stderr_tail = clip(session.stderr_tail());
        session.close();  // a confused adapter is not trusted with the next case
        up = false;
      }
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out.results.push_back(std::move(r));
    if (options.on_result) options.on_result(out, out.results.back());
  }
  session.close();
  return out;
}

}  // namespace ssecheck::check
