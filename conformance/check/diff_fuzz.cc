#include "diff_fuzz.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "check_cases.h"
#include "chunkings.h"
#include "compare.h"
#include "stream_generator.h"
#include "output_files.h"
#include "conform_runner.h"
#include "ssecheck/assemble.h"
#include "ssecheck/event_stream_parser.h"
#include "ssecheck/noise.h"
#include "ssecheck/normalized.h"
#include "ssecheck/registry.h"
#include "ssecheck/replay/sse_rewrites.h"

namespace ssecheck::check {
namespace {

namespace fs = std::filesystem;

using Rng = bench::SplitMix64;  // the generators' PRNG: the same inputs on every platform

struct Seed {
  std::string body, dialect, source;
  bool events = false;  // a framing seed (spec case)
  HttpRequest request;  // the recorded call, sent with feed commands
};

struct Input {
  std::string body;
  std::vector<size_t> cuts;
  std::string how;  // the mutations applied, readable
};

struct EventCollector : EventSink {
  std::vector<EventRecord> events;
  void on_event(const Event& e) override {
    events.push_back({std::string(e.type), std::string(e.data), std::string(e.id)});
  }
};

std::vector<std::string> pieces_of(const Input& in) {
  CheckCase c;
  c.body = in.body;
  c.cuts = in.cuts;
  return c.pieces();
}

// The oracle and the adapter on one input.
struct Verdict {
  bool finding = false;
  bool unsupported = false;  // the adapter declined the input (error kind "unsupported"): no verdict
  std::string signature;  // outcome|dialect|field
  Outcome outcome = Outcome::pass;
  std::string reason, answer, expected;
  std::vector<std::string> diff;
};

std::string field_of(const std::string& diff_line) {
  std::string f = diff_line.substr(0, diff_line.find(':'));
  // outputs[3].tool_calls[1].name -> outputs[].tool_calls[].name
  std::string out;
  bool in_index = false;
  for (char c : f) {
    if (c == '[') in_index = true, out += '[';
    else if (c == ']') in_index = false, out += ']';
    else if (!in_index) out += c;
  }
  return out;
}

class Worker {
 public:
  Worker(const FuzzConfig& config) : config_(config), process_(config.impl.command, config.limits) {}
  ~Worker() { process_.stop(); }

  bool open(std::string* problem) {
    std::string error;
    if (!process_.start(&error)) {
      *problem = error;
      return false;
    }
    const Exchange ex = process_.request(hello_command("hello"), config_.limits.start_timeout);
    if (ex.status != ExchangeStatus::ok) {
      *problem = "hello: " + ex.detail + " " + process_.stderr_tail();
      return false;
    }
    if (!parse_hello(ex.reply, &hello_, &error)) {
      *problem = "hello: " + error;
      return false;
    }
    if (!hello_.feed) {
      *problem = "the adapter has no feed mode; differential fuzzing needs it";
      return false;
    }
    return true;
  }
  const Hello& hello() const { return hello_; }

  Verdict judge(const Seed& seed, const Input& in) {
    Verdict v;
    const std::string id = std::to_string(++n_);
    const Exchange ex = process_.request(feed_command(id, seed.events ? "" : seed.dialect, pieces_of(in),
                                                      seed.events ? nullptr : &seed.request),
                                         config_.limits.case_timeout);
    Answer a;
    std::string error;
    if (ex.status != ExchangeStatus::ok || !parse_answer(ex.reply, id, &a, &error)) {
      v.finding = true;
      v.outcome = ex.status == ExchangeStatus::timeout ? Outcome::timeout
                  : ex.status == ExchangeStatus::crashed ? Outcome::crash
                                                         : Outcome::protocol_error;
      v.reason = ex.status == ExchangeStatus::ok ? error : ex.detail;
      v.answer = ex.reply.substr(0, 2000);
      v.signature = std::string(outcome_name(v.outcome)) + "|" + (seed.events ? "sse" : seed.dialect);
      v.reason += process_.stderr_tail().empty() ? "" : "; stderr: " + process_.stderr_tail();
      std::string ignored;
      process_.stop();
      open(&ignored);
      return v;
    }
    v.answer = ex.reply.substr(0, 4000);
    if (a.kind == Answer::Kind::error && a.error_kind == "unsupported") {  // SKIPPED in `check`, no finding here
      v.unsupported = true;
      return v;
    }
    if (seed.events) {
      EventCollector expected;
      EventStreamParser parser(expected);
      parser.feed(in.body);
      parser.finish();
      if (a.kind != Answer::Kind::events) {
        v.finding = true, v.outcome = Outcome::fail;
        v.reason = a.kind == Answer::Kind::error ? "raised " + a.error_kind + ": " + a.error_message : "answered a result";
        v.signature = "FAIL|sse|raised";
        return v;
      }
      v.diff = compare_events(expected.events, a.events);
      if (!v.diff.empty()) {
        v.finding = true, v.outcome = Outcome::fail, v.reason = v.diff.front();
        v.signature = "FAIL|sse|" + field_of(v.diff.front());
      }
      return v;
    }
    AssembleOptions options;
    options.dialect = seed.dialect;
    const AssembleResult mine = assemble(in.body, {}, options);
    const AssemblyReport& r = mine.report;
    if (r.counts.fatal != 0 || r.counts.deviation != 0) return v;  // not clean: either answer may be right
    v.expected = normalized_to_json(r.normalized);
    rapidjson::Document expected;
    expected.Parse(v.expected.c_str());
    if (a.kind != Answer::Kind::result) {
      v.finding = true, v.outcome = Outcome::fail;
      v.reason = a.kind == Answer::Kind::error ? "raised " + a.error_kind + " on a clean stream: " + a.error_message
                                               : "answered events";
      v.signature = "FAIL|" + seed.dialect + "|raised:" + a.error_kind;
      return v;
    }
    v.diff = compare_normalized(expected, a.result, hello_.fields_for(seed.dialect));
    if (!v.diff.empty()) {
      v.finding = true, v.outcome = Outcome::fail, v.reason = v.diff.front();
      v.signature = "FAIL|" + seed.dialect + "|" + field_of(v.diff.front());
    }
    return v;
  }

 private:
  const FuzzConfig& config_;
  AdapterProcess process_;
  Hello hello_;
  uint64_t n_ = 0;
};

// Meaning-preserving mutators first; byte edits sometimes.
Input mutate(const Seed& seed, Rng& rng, std::array<std::atomic<uint64_t>, 4>& kinds) {
  Input in;
  in.body = seed.body;
  if (!seed.events && rng.chance(30)) {
    in.body = inject_noise(in.body, find_dialect(seed.dialect));
    in.how += "noise ";
    ++kinds[0];
  }
  if (rng.chance(60)) {
    auto flags = static_cast<replay::Rewrites>(1 + rng.below((1u << replay::kRewriteCount) - 1));
    if (seed.events) flags = flags & static_cast<replay::Rewrites>(~uint32_t(replay::Rewrites::split_data_lines));
    in.body = replay::rewrite(in.body, flags, rng.next());
    in.how += "rewrite:" + replay::rewrites_name(flags) + " ";
    ++kinds[1];
  }
  if (rng.chance(15) && !in.body.empty()) {
    static const char* kInserts[] = {"\r", "\n", "\r\n", ":", " ", "\xEF\xBB\xBF", "data: ", "data:", "\n\n", "id: 7\n"};
    const size_t at = rng.below(in.body.size() + 1);
    switch (rng.below(3)) {
      case 0: in.body.insert(at, kInserts[rng.below(std::size(kInserts))]); in.how += "insert "; break;
      case 1: in.body.erase(at, 1 + rng.below(8)); in.how += "erase "; break;
      default: in.body.resize(at); in.how += "truncate "; break;
    }
    ++kinds[2];
  }
  // Read boundaries, always.
  const size_t n = in.body.size();
  switch (rng.below(4)) {
    case 0:
      if (n <= 4096) {
        for (size_t i = 1; i < n; ++i) in.cuts.push_back(i);
        in.how += "bytes1";
        break;
      }
      [[fallthrough]];
    case 1: {
      for (size_t at = rng.below(17); at < n; at += 1 + rng.below(17)) in.cuts.push_back(at);
      in.how += "tiny-reads";
      break;
    }
    case 2:
      in.cuts = conformance::tricky_offsets(in.body);
      in.how += "utf8-crlf-splits";
      break;
    default:
      for (size_t at = rng.below(4097); at < n; at += 1 + rng.below(4097)) in.cuts.push_back(at);
      in.how += "network-reads";
  }
  ++kinds[3];
  return in;
}

// Offsets where each event (or comment block) ends: after its blank line.
std::vector<size_t> block_ends(std::string_view body) {
  std::vector<size_t> out;
  for (size_t i = 0; i + 1 < body.size(); ++i) {
    if (body[i] == '\n' && body[i + 1] == '\n') out.push_back(i + 2);
    else if (body[i] == '\r' && body[i + 1] == '\r') out.push_back(i + 2);
    else if (i + 3 < body.size() && body.compare(i, 4, "\r\n\r\n") == 0) out.push_back(i + 4);
  }
  return out;
}

// [from, to) replaced by text; reads after it move, and a read inside it follows the
// bytes around it when text still has them (a rewritten line keeps a read that splits
// one of its characters), else is dropped.
Input with_range(const Input& in, size_t from, size_t to, std::string_view text) {
  Input out;
  out.how = in.how;
  out.body = in.body.substr(0, from);
  out.body += text;
  out.body += std::string_view(in.body).substr(to);
  for (size_t c : in.cuts) {
    if (c <= from) {
      out.cuts.push_back(c);
    } else if (c >= to) {
      out.cuts.push_back(c - (to - from) + text.size());
    } else {
      const size_t first = std::max(from, c - std::min<size_t>(c, 6)), last = std::min(to, c + 6);
      const size_t found = text.find(std::string_view(in.body).substr(first, last - first));
      if (found != std::string_view::npos && found + (c - first) > 0) out.cuts.push_back(from + found + (c - first));
    }
  }
  std::sort(out.cuts.begin(), out.cuts.end());
  out.cuts.erase(std::unique(out.cuts.begin(), out.cuts.end()), out.cuts.end());
  return out;
}

Input without_range(const Input& in, size_t from, size_t to) { return with_range(in, from, to, {}); }

// f(start, end, next) for each line: [start, end) its content, next where the one after begins.
template <typename F>
void each_line(std::string_view body, F&& f) {
  for (size_t start = 0; start < body.size();) {
    size_t end = body.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = body.size();
    size_t next = end;
    if (next < body.size()) next += body.compare(next, 2, "\r\n") == 0 ? 2 : 1;
    f(start, end, next);
    start = next;
  }
}

// f(first, last, is_key) for each JSON string within one line of [from, to): [first, last)
// its contents; a key is followed by ':'.
template <typename F>
void each_json_string(std::string_view body, size_t from, size_t to, F&& f) {
  for (size_t i = from; i < to; ++i) {
    if (body[i] != '"') continue;
    size_t j = i + 1;
    while (j < to && body[j] != '"' && body[j] != '\n' && body[j] != '\r') j += body[j] == '\\' ? 2 : 1;
    if (j >= to || body[j] != '"') {
      i = j;  // not a string on one line: go on after it
      continue;
    }
    size_t after = j + 1;
    while (after < to && (body[after] == ' ' || body[after] == '\t')) ++after;
    f(i + 1, j, after < to && body[after] == ':');
    i = j;
  }
}

// Undoes one kind of SSE rewrite over the whole body; reads move with their line.
enum class Plain { lf_endings, no_comments, only_data_and_event, joined_data };

Input made_plain(const Input& in, Plain how) {
  const std::string_view body = in.body;
  Input out;
  out.how = in.how;
  std::vector<std::pair<size_t, size_t>> moved;  // (old line start, new line start)
  bool in_data = false;                          // the previous kept line was a data line
  each_line(body, [&](size_t start, size_t end, size_t next) {
    const std::string_view line = body.substr(start, end - start), eol = body.substr(end, next - end);
    const std::string_view field = line.substr(0, line.find(':'));
    moved.emplace_back(start, out.body.size());
    const bool data = field == "data";
    const bool drop = (how == Plain::no_comments && !line.empty() && line[0] == ':') ||
                      (how == Plain::only_data_and_event && !line.empty() && field != "data" && field != "event");
    if (!drop) {
      if (how == Plain::joined_data && data && in_data && line.size() > 5) {
        while (!out.body.empty() && (out.body.back() == '\n' || out.body.back() == '\r')) out.body.pop_back();
        out.body += line.substr(line[5] == ' ' ? 6 : 5);
      } else {
        out.body += line;
      }
      out.body += how == Plain::lf_endings && !eol.empty() ? std::string_view("\n") : eol;
      in_data = data;
    }
  });
  for (size_t c : in.cuts) {
    auto at = std::upper_bound(moved.begin(), moved.end(), std::make_pair(c, SIZE_MAX));
    const size_t mapped = at == moved.begin() ? 0 : std::prev(at)->second + (c - std::prev(at)->first);
    if (mapped > 0 && mapped < out.body.size()) out.cuts.push_back(mapped);
  }
  std::sort(out.cuts.begin(), out.cuts.end());
  out.cuts.erase(std::unique(out.cuts.begin(), out.cuts.end()), out.cuts.end());
  return out;
}

// The JSON of each one-line `data:` field, as [first, last).
std::vector<std::pair<size_t, size_t>> data_json_spans(std::string_view body) {
  std::vector<std::pair<size_t, size_t>> out;
  each_line(body, [&](size_t start, size_t end, size_t) {
    const std::string_view line = body.substr(start, end - start);
    if (!line.starts_with("data:")) return;
    const size_t first = start + (line.size() > 5 && line[5] == ' ' ? 6 : 5);
    if (first < end && (body[first] == '{' || body[first] == '[')) out.emplace_back(first, end);
  });
  return out;
}

// Drops every member called name, at any depth up to 64; false when nothing was dropped
// or the document is deeper than that.
bool drop_members(rapidjson::Value& v, std::string_view name, int depth = 0) {
  if (depth > 64) return false;
  bool dropped = false;
  if (v.IsObject()) {
    for (auto m = v.MemberBegin(); m != v.MemberEnd();)
      if (std::string_view(m->name.GetString(), m->name.GetStringLength()) == name) m = v.EraseMember(m), dropped = true;
      else dropped |= drop_members(m->value, name, depth + 1), ++m;
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) dropped |= drop_members(e, name, depth + 1);
  }
  return dropped;
}

constexpr unsigned kMinimiseParse = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;

// Member names in the data lines' JSON, the most often seen first.
std::vector<std::string> member_names(std::string_view body) {
  std::map<std::string, size_t> seen;
  for (const auto& [first, last] : data_json_spans(body))
    each_json_string(body, first, last, [&](size_t a, size_t b, bool key) {
      if (key) ++seen[std::string(body.substr(a, b - a))];
    });
  std::vector<std::pair<size_t, std::string>> by_count;
  for (auto& [name, n] : seen) by_count.emplace_back(n, name);
  std::stable_sort(by_count.begin(), by_count.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& [n, name] : by_count) out.push_back(std::move(name));
  return out;
}

std::string compact_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> writer(text);
  v.Accept(writer);
  return std::string(text.GetString(), text.GetSize());
}

// Each data line's JSON that holds `needle` and that edit(doc) changes, rewritten
// compactly; nullopt when none changed.
template <typename Edit>
std::optional<Input> with_data_json_edited(const Input& in, std::string_view needle, Edit&& edit) {
  Input out = in;
  bool any = false;
  const auto spans = data_json_spans(in.body);
  for (size_t k = spans.size(); k-- > 0;) {  // from the last, so earlier offsets hold
    const auto [first, last] = spans[k];
    const std::string_view json = std::string_view(in.body).substr(first, last - first);
    if (json.find(needle) == std::string_view::npos) continue;
    rapidjson::Document doc;
    doc.Parse<kMinimiseParse>(json.data(), json.size());
    if (doc.HasParseError() || !edit(doc)) continue;
    out = with_range(out, first, last, compact_json(doc));
    any = true;
  }
  if (!any) return std::nullopt;
  return out;
}

// Every member called name dropped from every data line's JSON.
std::optional<Input> without_member(const Input& in, const std::string& name) {
  return with_data_json_edited(in, '"' + name + '"', [&](rapidjson::Value& doc) { return drop_members(doc, name); });
}

// Every data line's JSON without its whitespace.
std::optional<Input> compacted(const Input& in) {
  return with_data_json_edited(in, "", [](rapidjson::Value&) { return true; });
}

// Where a and b differ, if only in one string (same members in the same order): that
// string in a and in b. depth bounds the walk.
bool one_string_apart(rapidjson::Value& a, const rapidjson::Value& b, rapidjson::Value*& in_a,
                      const rapidjson::Value*& in_b, int depth = 0) {
  if (depth > 64) return false;
  if (a.IsObject() && b.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    auto mb = b.MemberBegin();
    for (auto ma = a.MemberBegin(); ma != a.MemberEnd(); ++ma, ++mb)
      if (ma->name != mb->name || !one_string_apart(ma->value, mb->value, in_a, in_b, depth + 1)) return false;
    return true;
  }
  if (a.IsArray() && b.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i)
      if (!one_string_apart(a[i], b[i], in_a, in_b, depth + 1)) return false;
    return true;
  }
  if (a == b) return true;
  if (!a.IsString() || !b.IsString() || in_a) return false;
  in_a = &a, in_b = &b;
  return true;
}

// Events k and k+1 as one, when they differ only in one JSON string (a delta): the
// first with that string followed by the second's. The text made up of the deltas stays.
std::optional<Input> merged_events(const Input& in, size_t k) {
  const std::vector<size_t> ends = block_ends(in.body);
  if (k + 1 >= ends.size()) return std::nullopt;
  const size_t start = k == 0 ? 0 : ends[k - 1];
  const std::string_view one = std::string_view(in.body).substr(start, ends[k] - start);
  const std::string_view two = std::string_view(in.body).substr(ends[k], ends[k + 1] - ends[k]);
  const auto s1 = data_json_spans(one), s2 = data_json_spans(two);
  if (s1.size() != 1 || s2.size() != 1) return std::nullopt;
  if (one.substr(0, s1[0].first) != two.substr(0, s2[0].first) || one.substr(s1[0].second) != two.substr(s2[0].second))
    return std::nullopt;  // other lines differ (event name, id, comments)
  rapidjson::Document a, b;
  a.Parse<kMinimiseParse>(one.data() + s1[0].first, s1[0].second - s1[0].first);
  b.Parse<kMinimiseParse>(two.data() + s2[0].first, s2[0].second - s2[0].first);
  if (a.HasParseError() || b.HasParseError()) return std::nullopt;
  rapidjson::Value* in_a = nullptr;
  const rapidjson::Value* in_b = nullptr;
  if (!one_string_apart(a, b, in_a, in_b) || !in_a) return std::nullopt;
  std::string joined(in_a->GetString(), in_a->GetStringLength());
  joined.append(in_b->GetString(), in_b->GetStringLength());
  in_a->SetString(joined.data(), static_cast<rapidjson::SizeType>(joined.size()), a.GetAllocator());
  std::string text(one.substr(0, s1[0].first));
  text += compact_json(a);
  text += one.substr(s1[0].second);
  return with_range(in, start, ends[k + 1], text);
}

// JSON string values (not keys) on one line, as [first, last) of their contents, in order.
std::vector<std::pair<size_t, size_t>> string_contents(std::string_view body) {
  std::vector<std::pair<size_t, size_t>> out;
  each_json_string(body, 0, body.size(), [&](size_t first, size_t last, bool key) {
    if (!key && last - first >= 2) out.emplace_back(first, last);  // keys keep their names
  });
  return out;
}

// A cut near the middle of [first, last) that splits neither an escape nor a UTF-8 character.
size_t middle_cut(std::string_view body, size_t first, size_t last) {
  const size_t half = first + (last - first) / 2;
  size_t at = first;
  while (at < half) {
    size_t unit = 1;
    if (body[at] == '\\') unit = at + 1 < last && body[at + 1] == 'u' ? 6 : 2;
    else
      while (at + unit < last && (static_cast<unsigned char>(body[at + unit]) & 0xC0) == 0x80) ++unit;
    if (at + unit >= last) break;
    at += unit;
  }
  return at;
}

// Shrinks the input while the same signature keeps showing.
Input minimise(Worker& w, const Seed& seed, Input in, const std::string& signature, size_t budget) {
  size_t steps = 0;
  const auto same = [&](const Input& candidate) {
    ++steps;
    const Verdict v = w.judge(seed, candidate);
    return v.finding && v.signature == signature;
  };
  // 0. Plainer SSE: the rewrites undone one kind at a time, then compact JSON, where the
  //    finding stays.
  for (Plain how : {Plain::lf_endings, Plain::no_comments, Plain::only_data_and_event, Plain::joined_data})
    if (const Input plain = made_plain(in, how); plain.body != in.body && same(plain)) in = plain;
  if (const auto compact = compacted(in); compact && compact->body != in.body && same(*compact)) in = *compact;
  // 1. Fewer read boundaries: none at all, then halves, then one by one.
  if (!in.cuts.empty()) {
    Input none = in;
    none.cuts.clear();
    if (same(none)) in = none;
  }
  for (size_t chunk = in.cuts.size() / 2; chunk >= 1 && steps < budget; chunk /= 2) {
    for (size_t at = 0; at < in.cuts.size() && steps < budget;) {
      Input fewer = in;
      fewer.cuts.erase(fewer.cuts.begin() + at, fewer.cuts.begin() + std::min(in.cuts.size(), at + chunk));
      if (same(fewer)) in = fewer;
      else at += chunk;
    }
    if (chunk == 1) break;
  }
  // 2-5 in rounds while they shrink the input: fewer members can free events to drop.
  for (size_t before = SIZE_MAX; in.body.size() < before && steps < budget;) {
    before = in.body.size();
    // 2. Fewer deltas: neighbouring events that differ in one string merged into one.
    for (size_t k = 0; k + 1 < block_ends(in.body).size() && steps < budget;) {
      if (const auto fewer = merged_events(in, k); fewer && same(*fewer)) in = *fewer;
      else ++k;
    }
    // 3. Fewer events: runs of blocks, halves first, then down to one at a time (as in
    //    ddmin), so a stream of hundreds of events shrinks in a few hundred calls.
    for (size_t chunk = std::max<size_t>(1, block_ends(in.body).size() / 2); steps < budget; chunk /= 2) {
      for (size_t at = 0; steps < budget;) {
        const std::vector<size_t> ends = block_ends(in.body);
        if (at >= ends.size()) break;
        const size_t last = std::min(ends.size(), at + chunk) - 1;
        const Input fewer = without_range(in, at == 0 ? 0 : ends[at - 1], ends[last]);
        if (same(fewer)) in = fewer;
        else at += chunk;
      }
      if (chunk == 1) break;
    }
    // 4. Fewer members: a member name dropped from every event at once, so that events
    //    that refer to each other (ids, sequence numbers, snapshots) stay consistent.
    for (const std::string& name : member_names(in.body)) {
      if (steps >= budget) break;
      if (const auto fewer = without_member(in, name); fewer && same(*fewer)) in = *fewer;
    }
    // 5. Shorter strings: the back half of each JSON string value, last string first
    //    (so the offsets before it hold); one pass per round.
    const auto strings = string_contents(in.body);
    for (size_t k = strings.size(); k-- > 0 && steps < budget;) {
      const auto [first, last] = strings[k];
      const size_t cut = middle_cut(in.body, first, last);
      if (cut <= first) continue;
      if (const Input shorter = without_range(in, cut, last); same(shorter)) in = shorter;
    }
  }
  // 6. Shorter lines: drop the back half of the longest line's content.
  for (int round = 0; round < 16 && steps < budget; ++round) {
    size_t best = 0, best_len = 0, start = 0;
    for (size_t i = 0; i <= in.body.size(); ++i)
      if (i == in.body.size() || in.body[i] == '\n') {
        if (i - start > best_len) best = start, best_len = i - start;
        start = i + 1;
      }
    if (best_len < 16) break;
    const Input shorter = without_range(in, best + best_len / 2, best + best_len);
    if (!same(shorter)) break;
    in = shorter;
  }
  return in;
}

std::string signature_dir(const std::string& signature) {
  std::string s = "finding-";
  for (char c : signature) s += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  return s.substr(0, 120);
}

bool save_finding(const fs::path& dir, const Seed& seed, const Input& in, const Verdict& v, std::ostream& err) {
  std::string reads;
  for (size_t c : in.cuts) reads += std::to_string(c) + "\n";
  std::string about = "signature: " + v.signature + "\ndialect: " + (seed.events ? "" : seed.dialect) +
                      "\noutput: " + (seed.events ? "events" : "normalized") + "\nseed input: " + seed.source +
                      "\nmutations: " + in.how + "\n" + std::string(outcome_name(v.outcome)) + ": " + v.reason + "\n";
  for (const auto& d : v.diff) about += d + "\n";
  // The same bytes as a readable case (corpus/spec or corpus/dialects notation), for
  // promotion into the corpus once reviewed.
  std::string md = "# Fuzz finding " + v.signature + "\n\nFound by `ssecheck fuzz` from " + seed.source +
                   " (" + in.how + "). Review before promoting it into corpus/.\n\n```input\n" +
                   to_input_notation(in.body) + "```\n\n";
  if (!v.expected.empty()) md += "```normalized\n" + v.expected + "\n```\n";
  const std::string command =
      feed_command("1", seed.events ? "" : seed.dialect, pieces_of(in), seed.events ? nullptr : &seed.request);
  return write_files(dir,
                     {{"finding.txt", about},
                      {"body.bin", in.body},
                      {"reads.txt", reads},
                      {"command.json", command + "\n"},
                      {"answer.json", v.answer + "\n"},
                      {"case.md", md}},
                     "ssecheck fuzz", err);
}

std::set<std::string> known_signatures(const fs::path& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::ifstream f(e.path() / "finding.txt");
    std::string line;
    if (std::getline(f, line) && line.rfind("signature: ", 0) == 0) out.insert(line.substr(11));
  }
  return out;
}

}  // namespace

std::string to_input_notation(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '\n': out += "\\n\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      case 0: out += "\\0"; break;
      case ' ':
        // Trailing spaces would be invisible: spell a space before a line end.
        out += (i + 1 == bytes.size() || bytes[i + 1] == '\n' || bytes[i + 1] == '\r') ? "\\s" : " ";
        break;
      default:
        if (c < 0x20 || c == 0x7F || c >= 0x80) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02X", c);
          out += hex;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

int run_fuzz(const FuzzConfig& config, std::ostream& out, std::ostream& err) {
  CaseOptions co;
  co.corpus_roots = config.corpus_roots;
  std::error_code ec;
  co.dialect = config.dialect;
  co.http = false;  // seeds: the whole bodies of the feed cases
  const CaseSet set = build_cases(co);
  std::vector<Seed> assembly_seeds, framing_seeds;
  for (const CheckCase& c : set.cases) {
    if (c.schedule != "whole") continue;
    if (c.expect == Expect::events) framing_seeds.push_back({c.body, "", c.source, true, {}});
    else assembly_seeds.push_back({c.body, c.dialect, c.source, false, c.request});
  }
  fs::create_directories(config.findings_dir, ec);
  if (ec) {
    err << "ssecheck fuzz: cannot create " << config.findings_dir.string() << ": " << ec.message() << "\n";
    return 2;
  }
  std::set<std::string> signatures = known_signatures(config.findings_dir);
  const size_t resumed = signatures.size();

  std::mutex mu;
  std::atomic<uint64_t> execs{0}, unsupported{0};
  std::atomic<bool> stop{false};
  size_t new_findings = 0;
  std::array<std::atomic<uint64_t>, 4> kinds{};  // inputs with noise, rewrites, byte edits, read boundaries
  std::string start_problem;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + config.budget;

  const auto work = [&](unsigned job) {
    Worker w(config);
    std::string problem;
    if (!w.open(&problem)) {
      std::lock_guard lock(mu);
      start_problem = problem;
      stop = true;
      return;
    }
    std::vector<Seed> seeds;
    for (const Seed& s : w.hello().events_output ? framing_seeds : assembly_seeds)
      if (s.events || w.hello().dialects.count(s.dialect)) seeds.push_back(s);
    if (seeds.empty()) {
      std::lock_guard lock(mu);
      start_problem = "no seed in the corpus matches what the adapter speaks";
      stop = true;
      return;
    }
    Rng rng(config.seed * 0x100000001b3ULL + job);
    while (!stop && std::chrono::steady_clock::now() < deadline) {
      const Seed& seed = seeds[rng.below(seeds.size())];
      const Input in = mutate(seed, rng, kinds);
      Verdict v = w.judge(seed, in);
      ++execs;
      if (v.unsupported) ++unsupported;
      if (!v.finding) continue;
      {
        std::lock_guard lock(mu);
        if (signatures.count(v.signature)) continue;
        signatures.insert(v.signature);  // claimed: other workers skip it
      }
      const Input small = minimise(w, seed, in, v.signature, config.max_minimise_steps);
      Verdict final = w.judge(seed, small);
      if (!final.finding || final.signature != v.signature) final = v;  // flaky: keep the original
      const Input& kept = final.signature == v.signature && final.finding ? small : in;
      const fs::path dir = config.findings_dir / signature_dir(v.signature);
      std::lock_guard lock(mu);
      if (save_finding(dir, seed, kept, final, err)) {
        ++new_findings;
        out << "fuzz: NEW " << v.signature << ": " << final.reason << " (" << kept.body.size() << " bytes, "
            << kept.cuts.size() + 1 << " reads) -> " << dir.string() << "\n"
            << std::flush;
      }
    }
  };

  std::vector<std::thread> threads;
  for (unsigned j = 0; j < std::max(1u, config.jobs); ++j) threads.emplace_back(work, j);
  auto last = started;
  while (std::chrono::steady_clock::now() < deadline && !stop) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto now = std::chrono::steady_clock::now();
    if (!config.quiet && now - last >= config.progress_every) {
      last = now;
      const double s = std::chrono::duration<double>(now - started).count();
      std::lock_guard lock(mu);
      out << "fuzz: " << static_cast<uint64_t>(s) << " s, " << execs.load() << " execs ("
          << static_cast<uint64_t>(execs.load() / std::max(s, 0.001)) << "/s, " << unsupported.load()
          << " unsupported), " << new_findings
          << " new finding(s), " << signatures.size() << " known; inputs with noise " << kinds[0]
          << ", rewrites " << kinds[1] << ", byte edits " << kinds[2] << "\n"
          << std::flush;
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  if (!start_problem.empty()) {
    err << "ssecheck fuzz: " << config.impl.name << ": " << start_problem << "\n";
    return 2;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (execs.load() > 0 && unsupported.load() == execs.load()) {
    err << "ssecheck fuzz: " << config.impl.name << " answered unsupported to all " << execs.load()
        << " inputs: nothing was tested (try --dialect with one it supports)\n";
    return 2;
  }
  out << "fuzz summary: " << config.impl.name << ", " << s << " s, " << execs.load() << " execs ("
      << unsupported.load() << " unsupported), "
      << new_findings << " new finding(s), " << resumed << " from earlier runs; mutations: noise " << kinds[0]
      << ", rewrites " << kinds[1] << ", byte edits " << kinds[2] << ", read boundaries " << kinds[3]
      << "; findings in " << config.findings_dir.string() << "\n";
  return new_findings ? 1 : 0;
}

int replay_finding(const fs::path& dir, const ImplSpec& impl, const AdapterLimits& limits, std::ostream& out,
                   std::ostream& err) {
  std::ifstream about(dir / "finding.txt"), body(dir / "body.bin", std::ios::binary), reads(dir / "reads.txt");
  if (!about || !body) {
    err << "ssecheck repro: " << dir.string() << " is not a finding (finding.txt, body.bin)\n";
    return 2;
  }
  Seed seed;
  Input in;
  std::stringstream b;
  b << body.rdbuf();
  in.body = b.str();
  for (std::string line; std::getline(reads, line);)
    if (!line.empty()) in.cuts.push_back(std::stoull(line));
  std::string signature;
  for (std::string line; std::getline(about, line);) {
    if (line.rfind("signature: ", 0) == 0) signature = line.substr(11);
    if (line.rfind("dialect: ", 0) == 0) seed.dialect = line.substr(9);
    if (line.rfind("output: ", 0) == 0) seed.events = line.substr(8) == "events";
  }
  seed.source = dir.string();
  FuzzConfig config;
  config.impl = impl;
  config.limits = limits;
  Worker w(config);
  std::string problem;
  if (!w.open(&problem)) {
    err << "ssecheck repro: " << impl.name << ": " << problem << "\n";
    return 2;
  }
  const Verdict v = w.judge(seed, in);
  if (!v.finding) {
    out << "PASS: " << impl.name << " agrees with ssecheck on " << dir.string() << " (was " << signature << ")\n";
    return 0;
  }
  out << outcome_name(v.outcome) << ": " << v.reason << "\n";
  for (const auto& d : v.diff) out << d << "\n";
  return 1;
}

}  // namespace ssecheck::check
