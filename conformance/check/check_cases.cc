#include "check_cases.h"

#include <fstream>
#include <map>
#include <sstream>

#include "conform_runner.h"
#include "spec_case.h"
#include "ssecheck/cassette.h"
#include "ssecheck/registry.h"
#include "ssecheck/replay/serve.h"

namespace ssecheck::check {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<rapidjson::Document> read_golden(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream text;
  text << in.rdbuf();
  auto doc = std::make_shared<rapidjson::Document>();
  doc->Parse(text.str().c_str());
  if (doc->HasParseError() || !doc->IsObject() || !doc->HasMember("normalized")) return nullptr;
  return doc;
}

// What a correct client must do with the golden's stream: assemble it, or raise an
// error when the stream itself is broken (the golden names a fatal diagnostic).
void set_expectation(CheckCase& c) {
  const rapidjson::Value& diags = (*c.golden)["diagnostics"];
  if (diags.IsArray())
    for (const auto& d : diags.GetArray()) {
      const auto sev = d.FindMember("severity");
      const auto code = d.FindMember("code");
      if (sev != d.MemberEnd() && sev->value == "deviation" && code != d.MemberEnd() && code->value.IsString() &&
          c.deviations.find(code->value.GetString()) == std::string::npos)
        c.deviations += std::string(c.deviations.empty() ? "" : " ") + code->value.GetString();
    }
  const rapidjson::Value& fatal = (*c.golden)["first_fatal"];
  if (fatal.IsNull() || !fatal.IsObject()) {
    c.expect = Expect::result;
    return;
  }
  c.expect = Expect::error;
  const auto code = fatal.FindMember("code");
  const std::string name = code != fatal.MemberEnd() && code->value.IsString() ? code->value.GetString() : "";
  if (name == "provider_error") c.error_kinds = {"provider_error"};
  else if (name == "truncated" || name == "incomplete_event") c.error_kinds = {"connection", "parse"};
  else c.error_kinds = {"parse", "provider_error"};
}

std::string stem_of(const conformance::CassetteRef& ref) {
  fs::path rel = ref.rel;
  rel.replace_extension();
  std::string s = rel.generic_string();
  if (s.rfind("cassettes/", 0) == 0) s.erase(0, 10);
  return s;
}

std::string category_of(const replay::ScheduleSpec& spec) {
  if (spec.fault != replay::Fault::none) return "fault";
  if (spec.framing != replay::Framing::chunked) return "framing";
  if (spec.rewrites != replay::Rewrites::none) return "rewrite";
  if (spec.noise) return "noise";
  return "chunking";
}

std::string rule_of(const replay::ScheduleSpec& spec, const replay::Expectation& expect) {
  std::string r;
  switch (spec.chunking.kind) {
    case replay::Chunking::whole: r = "the stream in one read"; break;
    case replay::Chunking::bytes1: r = "WHATWG HTML 9.2.6: a stream may arrive split anywhere; one byte per read"; break;
    case replay::Chunking::split_at: r = "reads split inside every data line"; break;
    case replay::Chunking::utf8_crlf:
      r = "reads split inside every multibyte UTF-8 character and between CR and LF (anthropic-sdk-typescript#292, "
          "eventsource-parser#17)";
      break;
    case replay::Chunking::random: r = "seeded random reads of 0..16 bytes"; break;
  }
  if (spec.rewrites != replay::Rewrites::none)
    r += "; SSE rewrites that keep the meaning (" + replay::rewrites_name(spec.rewrites) +
         "; WHATWG 9.2.6: CRLF/CR/LF line ends, optional space after the colon, a leading BOM, comments and "
         "unknown fields ignored, data over several lines; go-openai#781, python-genai#2584)";
  if (spec.noise) r += "; keep-alive comments and the dialect's meaning-free events between events (openai-go#227)";
  if (spec.fault != replay::Fault::none) r += "; fault: " + expect.why + " (vercel/ai#2453: errors must not be lost)";
  if (spec.framing == replay::Framing::close) r += "; the body delimited by closing the connection";
  return r;
}

void add_interaction_cases(const conformance::CassetteRef& ref, const Interaction& in, const CaseOptions& options,
                           std::map<std::string, size_t>* faulted, CaseSet& set) {
  if (conformance::skip_reason(in).has_value()) return;
  auto golden = read_golden(conformance::golden_path(ref, in.index));
  if (!golden) return;
  const rapidjson::Value& d = (*golden)["dialect"];
  if (!d.IsString()) return;
  const std::string dialect = d.GetString();
  if (!options.dialect.empty() && dialect != options.dialect) return;
  const DialectInfo* info = find_dialect(dialect);
  if (info == nullptr) return;
  // The dialect is already the id's first part: drop its folder from the name.
  std::string stem = stem_of(ref);
  std::string folder = dialect;
  for (char& ch : folder)
    if (ch == '-') ch = '_';
  if (stem.rfind(folder + "/", 0) == 0) stem.erase(0, folder.size() + 1);
  // Two corpus roots may hold the same path: the root's name keeps the ids apart.
  if (options.corpus_roots.size() > 1) {
    fs::path root = ref.root.lexically_normal();
    if (root.filename().empty()) root = root.parent_path();
    stem = root.filename().string() + ":" + stem;
  }
  stem += "#" + std::to_string(in.index);
  HttpRequest request;
  request.method = in.method.empty() ? "POST" : in.method;
  // Clients call the provider's standard route, whatever proxy path was recorded.
  const std::string route = replay::client_route_for(dialect, in.url);
  const size_t q = route.find('?');
  request.path = route.substr(0, q);
  if (q != std::string::npos) request.query = route.substr(q + 1);
  for (const auto& [name, values] : in.request_headers.entries())
    if (!values.empty()) request.headers.emplace_back(name, values.front());
  request.body = in.request_body;
  auto normalized = std::make_shared<rapidjson::Document>();
  normalized->CopyFrom((*golden)["normalized"], normalized->GetAllocator());
  replay::Recorded recorded;
  recorded.dialect = dialect;
  recorded.status = in.status_code ? in.status_code : 200;
  for (const auto& [name, values] : in.response_headers.entries())
    for (const auto& v : values) recorded.headers.emplace_back(name, v);
  recorded.body = in.response_body;
  const bool faults = (*faulted)[dialect]++ < options.fault_interactions;
  for (const replay::ScheduleSpec& spec : replay::default_schedules(dialect)) {
    const bool wire_only = spec.fault != replay::Fault::none || spec.framing != replay::Framing::chunked;
    if (wire_only && (!options.http || (spec.fault != replay::Fault::none && !faults))) continue;
    replay::ScheduleSpec chosen = spec;
    if (chosen.chunking.kind == replay::Chunking::random) chosen.chunking.seed ^= options.seed - 1;
    std::string error;
    std::optional<replay::ReplayCase> rc = replay::build_case(recorded, chosen, options.replay_options, &error);
    if (!rc) continue;  // the schedule does not apply to this body (no event to cut...)
    const std::string schedule = replay::schedule_name(spec);
    const std::string category = category_of(spec);
    for (const CaseMode mode : {CaseMode::feed, CaseMode::http}) {
      if (mode == CaseMode::feed && (wire_only || !options.feed)) continue;
      if (mode == CaseMode::http && !options.http) continue;
      CheckCase c;
      c.id = dialect + "/" + category + "/" + stem + "@" + schedule + (mode == CaseMode::http ? "/http" : "");
      c.dialect = dialect;
      c.category = category;
      c.schedule = schedule;
      c.mode = mode;
      c.rule = rule_of(spec, rc->expect);
      c.source = (ref.root / ref.rel).string() + "#" + std::to_string(in.index);
      c.body = rc->schedule.bytes;
      c.cuts = rc->schedule.cuts;
      c.golden = golden;
      c.normalized = normalized;
      c.request = request;
      if (!wire_only) {
        set_expectation(c);  // the golden decides, as in feed mode
      } else if (rc->expect.ok) {
        c.expect = Expect::result;
        auto doc = std::make_shared<rapidjson::Document>();
        doc->Parse(rc->expect.result.c_str());
        c.normalized = doc;
      } else {
        c.expect = Expect::error;
        c.error_kinds = {std::string(replay::error_kind_name(rc->expect.error))};
        // A stream cut short (a close mid-event, no terminator) may fairly be read as a
        // broken connection or as a malformed stream.
        if (rc->expect.error == replay::ErrorKind::parse) c.error_kinds.push_back("connection");
        if (rc->expect.error == replay::ErrorKind::connection) c.error_kinds.push_back("parse");
        c.error_status = rc->expect.http_status;
      }
      if (mode == CaseMode::http) {
        auto served = std::make_shared<replay::ReplayCase>(*rc);
        served->id = c.id;
        const size_t pieces = served->schedule.piece_count();
        if (pieces > 1 && served->schedule.pause * static_cast<long>(pieces) > options.max_case_pauses)
          served->schedule.pause = options.max_case_pauses / static_cast<long>(pieces);
        c.replay = std::move(served);
      }
      set.cases.push_back(std::move(c));
    }
  }
}

// A spec case's expected events, when it can be checked over the protocol: default
// parser options, and no limit error in its log.
bool spec_events(const conformance::SpecCase& sc, std::vector<EventRecord>* out) {
  if (!sc.last_event_id.empty() || sc.utf8 != Utf8Mode::replace ||
      sc.max_line_bytes != ParserOptions{}.max_line_bytes || sc.max_event_bytes != ParserOptions{}.max_event_bytes)
    return false;
  for (const std::string& line : sc.expected) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    if (d.HasParseError() || !d.IsObject()) return false;
    if (d.HasMember("error")) return false;
    if (!d.HasMember("event")) continue;  // retry, comment, diagnostic lines
    const auto text = [](const rapidjson::Value& v) {
      return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
    };
    out->push_back({text(d["event"]), text(d["data"]), d.HasMember("id") ? text(d["id"]) : ""});
  }
  return true;
}

void add_spec_cases(const CaseOptions& options, CaseSet& set) {
  if (options.spec_dir.empty() || !options.dialect.empty()) return;
  for (const fs::path& p : conformance::list_spec_cases(options.spec_dir)) {
    conformance::SpecCase sc;
    std::string error;
    if (!conformance::read_spec_case(p, sc, error)) {
      set.problems.push_back(error);
      continue;
    }
    std::vector<EventRecord> events;
    if (!spec_events(sc, &events)) continue;
    for (const char* schedule : {"whole", "bytes1"}) {
      CheckCase c;
      c.id = "sse/spec/" + sc.name + "@" + schedule;
      c.category = "spec";
      c.schedule = schedule;
      c.rule = "WHATWG HTML 9.2.6: " + sc.title;
      c.source = p.string();
      c.body = sc.input;
      if (std::string_view(schedule) == "bytes1")
        for (size_t i = 1; i < c.body.size(); ++i) c.cuts.push_back(i);
      c.expect = Expect::events;
      c.events = events;
      set.cases.push_back(std::move(c));
    }
  }
}

}  // namespace

std::vector<std::string> CheckCase::pieces() const {
  std::vector<std::string> out;
  size_t at = 0;
  for (size_t cut : cuts) {
    if (cut <= at || cut > body.size()) continue;
    out.emplace_back(body.substr(at, cut - at));
    at = cut;
  }
  if (at < body.size() || out.empty()) out.emplace_back(body.substr(at));
  return out;
}

CaseSet build_cases(const CaseOptions& given) {
  CaseOptions options = given;
  if (options.corpus_roots.empty()) options.corpus_roots.emplace_back(SSECHECK_CORPUS_DIR);
  std::error_code ec;
  if (options.spec_dir.empty() && fs::is_directory(options.corpus_roots.front() / "spec", ec))
    options.spec_dir = options.corpus_roots.front() / "spec";
  CaseSet set;
  std::map<std::string, size_t> faulted;  // interactions given faults, per dialect
  for (const conformance::CassetteRef& ref : conformance::discover_cassettes(options.corpus_roots)) {
    const CassetteResult loaded = load_cassette_file((ref.root / ref.rel).string());
    if (!loaded.ok()) {
      set.problems.push_back(loaded.message);
      continue;
    }
    for (const Interaction& in : loaded.cassette.interactions) add_interaction_cases(ref, in, options, &faulted, set);
  }
  add_spec_cases(options, set);
  return set;
}

}  // namespace ssecheck::check
