#include "ssecheck/replay/serve.h"

#include <signal.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iostream>
#include <map>

#include "conform_runner.h"
#include "json_lines.h"
#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "ssecheck/registry.h"

#ifndef SSECHECK_CORPUS_DIR
#define SSECHECK_CORPUS_DIR "corpus"
#endif

namespace ssecheck::replay {
namespace fs = std::filesystem;

namespace {

std::string strip_cassette_path(const fs::path& rel) {
  std::string s = rel.generic_string();
  if (s.starts_with("cassettes/")) s.erase(0, 10);
  for (std::string_view ext : {".yaml", ".yml"})
    if (s.ends_with(ext)) s.erase(s.size() - ext.size());
  return s;
}

// The model in a Gemini URL: .../models/<model>:streamGenerateContent.
std::string gemini_model(std::string_view url) {
  const size_t at = url.find("/models/");
  if (at == std::string_view::npos) return "gemini-2.5-flash";
  std::string_view rest = url.substr(at + 8);
  rest = rest.substr(0, rest.find_first_of(":/?"));
  std::string model;
  for (char c : rest)
    if (is_token_char(c)) model += c;
  return model.empty() ? "gemini-2.5-flash" : model;
}

std::string_view framing_name(Framing f) {
  switch (f) {
    case Framing::chunked: return "chunked";
    case Framing::close: return "close";
    case Framing::content_length: return "content-length";
  }
  return "?";
}

std::string short_expect(const Expectation& e) {
  if (e.ok) return "result";
  std::string s = "error:" + std::string(error_kind_name(e.error));
  if (e.error == ErrorKind::http_status) s += ":" + std::to_string(e.http_status);
  return s;
}

}  // namespace

std::string case_token(std::string_view id) {
  std::string t;
  t.reserve(id.size());
  for (char c : id) t += c == '/' ? '~' : is_token_char(c) ? c : '_';
  return t;
}

std::string client_route(std::string_view dialect, std::string_view model) {
  if (dialect == "openai-chat") return "/v1/chat/completions";
  if (dialect == "openai-responses") return "/v1/responses";
  if (dialect == "anthropic-messages") return "/v1/messages";
  if (dialect == "gemini") return "/v1beta/models/" + std::string(model) + ":streamGenerateContent?alt=sse";
  return {};
}

std::string client_route_for(std::string_view dialect, std::string_view recorded_url) {
  return client_route(dialect, dialect == "gemini" ? gemini_model(recorded_url) : std::string());
}

bool parse_listen(std::string_view listen, std::string* host, uint16_t* port, std::string* error) {
  std::string_view h = "127.0.0.1", p = listen;
  if (listen.starts_with("[")) {
    const size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      *error = "--listen '" + std::string(listen) + "': expected [IPV6]:PORT";
      return false;
    }
    h = listen.substr(1, close - 1);
    p = listen.substr(close + 2);
  } else if (const size_t colon = listen.rfind(':'); colon != std::string_view::npos) {
    if (listen.find(':') != colon) {
      *error = "--listen '" + std::string(listen) + "': write an IPv6 address as [ADDR]:PORT";
      return false;
    }
    if (colon > 0) h = listen.substr(0, colon);
    p = listen.substr(colon + 1);
  }
  unsigned value = 0;
  const auto r = std::from_chars(p.data(), p.data() + p.size(), value);
  if (p.empty() || r.ec != std::errc() || r.ptr != p.data() + p.size() || value > 65535) {
    *error = "--listen '" + std::string(listen) + "': the port must be 0..65535";
    return false;
  }
  *host = std::string(h);
  *port = static_cast<uint16_t>(value);
  return true;
}

bool build_cases(const ServeConfig& config, CaseSet* out, std::string* error) {
  std::vector<fs::path> roots = config.corpus;
  if (roots.empty()) roots.emplace_back(SSECHECK_CORPUS_DIR);
  for (const fs::path& r : roots) {
    std::error_code ec;
    if (!fs::exists(r, ec)) {
      *error = "corpus '" + r.string() + "' does not exist";
      return false;
    }
  }
  for (const std::string& d : config.dialects) {
    if (!find_dialect(d)) {
      *error = "unknown dialect '" + d + "' (known: " + dialect_names_joined() + ")";
      return false;
    }
  }
  std::vector<ScheduleSpec> chosen;
  for (const std::string& name : config.schedules) {
    ScheduleSpec spec;
    if (!parse_schedule(name, &spec, error)) return false;
    chosen.push_back(std::move(spec));
  }

  std::map<std::string, int> token_uses;
  for (const conformance::CassetteRef& ref : conformance::discover_cassettes(roots)) {
    const std::string rel = ref.rel.generic_string();
    const CassetteResult loaded = load_cassette_file((ref.root / ref.rel).string());
    if (!loaded.ok()) {
      out->skipped.push_back(rel + ": " + std::string(name(*loaded.code)) + ": " + loaded.message);
      continue;
    }
    for (const Interaction& in : loaded.cassette.interactions) {
      const std::string where = rel + "#" + std::to_string(in.index);
      if (auto why = conformance::skip_reason(in)) {
        out->skipped.push_back(where + ": " + *why);
        continue;
      }
      Recorded rec;
      if (const DialectInfo* d = dialect_for_request(in.url)) {
        rec.dialect = std::string(d->name);
      } else {
        AssembleOptions o;
        rec.dialect = assemble(in.response_body, {}, o).report.dialect;
      }
      if (!find_dialect(rec.dialect)) {
        out->skipped.push_back(where + ": no dialect for this stream");
        continue;
      }
      if (!config.dialects.empty() &&
          std::find(config.dialects.begin(), config.dialects.end(), rec.dialect) == config.dialects.end())
        continue;
      rec.status = in.status_code == 0 ? 200 : in.status_code;
      if (rec.status < 100 || rec.status > 999) {
        out->skipped.push_back(where + ": recorded status " + std::to_string(in.status_code) + " is not HTTP");
        continue;
      }
      for (const auto& [hname, values] : in.response_headers.entries())
        for (const auto& v : values) rec.headers.emplace_back(hname, v);
      rec.body = in.response_body;

      const std::vector<ScheduleSpec> specs = chosen.empty() ? default_schedules(rec.dialect) : chosen;
      for (const ScheduleSpec& spec : specs) {
        const std::string id = rec.dialect + "/" + strip_cassette_path(ref.rel) + "/" + std::to_string(in.index) +
                               "/" + schedule_name(spec);
        if (!config.match.empty() && id.find(config.match) == std::string::npos) continue;
        std::string why;
        auto c = build_case(rec, spec, config.case_options, &why);
        if (!c) {
          out->skipped.push_back(where + " " + why);
          continue;
        }
        c->id = id;
        std::string token = case_token(id);
        if (const int n = ++token_uses[token]; n > 1) token += "-" + std::to_string(n);
        out->cases.push_back({std::move(token), rel, in.index, client_route_for(rec.dialect, in.url), std::move(*c)});
      }
    }
  }
  return true;
}

std::string case_list_json(const CaseSet& set, const ReplayServer& server) {
  using conformance::append_json_string;
  std::string out = "{\"listening\":";
  append_json_string(out, server.base());
  out += ",\"journal\":";
  append_json_string(out, server.base() + "/__ssecheck/journal");
  out += ",\"cases\":[";
  for (size_t i = 0; i < set.cases.size(); ++i) {
    const CaseEntry& e = set.cases[i];
    const ReplayCase& c = e.replay;
    if (i) out += ',';
    out += "\n{\"id\":";
    append_json_string(out, c.id);
    out += ",\"token\":";
    append_json_string(out, e.token);
    out += ",\"base_url\":";
    append_json_string(out, server.base_url(e.token));
    out += ",\"url\":";
    append_json_string(out, server.base_url(e.token) + e.route);
    out += ",\"dialect\":";
    append_json_string(out, c.dialect);
    out += ",\"route\":";
    append_json_string(out, e.route);
    out += ",\"cassette\":";
    append_json_string(out, e.cassette);
    out += ",\"interaction\":" + std::to_string(e.interaction);
    out += ",\"schedule\":";
    append_json_string(out, c.schedule.name);
    out += ",\"status\":" + std::to_string(c.status);
    out += ",\"pieces\":" + std::to_string(c.schedule.piece_count());
    out += ",\"pause_ms\":" + std::to_string(c.schedule.pause.count());
    out += ",\"framing\":";
    append_json_string(out, framing_name(c.schedule.framing));
    out += ",\"fault\":";
    append_json_string(out, fault_name(c.schedule.fault));
    out += ",\"expect\":" + expectation_json(c.expect) + "}";
  }
  out += "],\"skipped\":[";
  for (size_t i = 0; i < set.skipped.size(); ++i) {
    if (i) out += ',';
    out += '\n';
    append_json_string(out, set.skipped[i]);
  }
  out += "]}\n";
  return out;
}

std::unique_ptr<ReplayServer> start_serve(const ServeConfig& config, std::ostream& out, std::ostream& err) {
  ServerOptions options = config.server;
  options.allow_non_loopback = config.allow_non_loopback;
  std::string error;
  if (!parse_listen(config.listen, &options.host, &options.port, &error)) {
    err << "serve: " << error << "\n";
    return nullptr;
  }
  CaseSet set;
  if (!build_cases(config, &set, &error)) {
    err << "serve: " << error << "\n";
    return nullptr;
  }
  if (set.cases.empty()) {
    err << "serve: no case to serve (" << set.skipped.size() << " skipped)\n";
    for (const auto& s : set.skipped) err << "  skipped " << s << "\n";
    return nullptr;
  }
  std::unique_ptr<ReplayServer> server;
  try {
    server = std::make_unique<ReplayServer>(options);
  } catch (const std::exception& e) {
    err << "serve: " << e.what() << "\n";
    return nullptr;
  }
  for (const CaseEntry& e : set.cases) server->add_case(e.token, e.replay);

  if (!config.cases_json.empty()) {
    const std::string json = case_list_json(set, *server);
    if (config.cases_json == "-") {
      out << json;
    } else {
      std::ofstream file(config.cases_json, std::ios::binary | std::ios::trunc);
      file << json;
      if (!file.flush()) {
        err << "serve: cannot write " << config.cases_json << "\n";
        return nullptr;
      }
    }
  }
  out << "listening on " << server->base() << "\n";
  out << set.cases.size() << " cases, " << set.skipped.size() << " skipped; journal at " << server->base()
      << "/__ssecheck/journal\n";
  if (config.cases_json.empty()) {
    for (const CaseEntry& e : set.cases)
      out << "  " << server->base_url(e.token) << "  " << e.route << "  " << short_expect(e.replay.expect) << "\n";
    for (const auto& s : set.skipped) out << "  skipped " << s << "\n";
  }
  out.flush();
  return server;
}

int run_serve(const ServeConfig& config) {
  // Block the signals before the server's threads start (they inherit the mask), then
  // wait for one here.
  sigset_t signals, previous;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  std::unique_ptr<ReplayServer> server = start_serve(config, std::cout, std::cerr);
  int code = 2;
  if (server) {
    int received = 0;
    sigwait(&signals, &received);
    std::cerr << "serve: " << (received == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping\n";
    server->stop();
    code = 0;
  }
  server.reset();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return code;
}

}  // namespace ssecheck::replay
