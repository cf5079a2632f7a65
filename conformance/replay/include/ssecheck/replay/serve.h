// `ssecheck serve`: every streamed interaction of the cassettes under the corpus
// directories, under every schedule, as cases of one ReplayServer.
//
// Invariants:
//  - A case id is "<dialect>/<cassette path without cassettes/ and .yaml>/<index>/<schedule>";
//    its token is the id made URL-safe ('/' -> '~', any other character outside
//    A-Z a-z 0-9 - . _ ~ -> '_'), unique (a clash gets "-2", "-3"...) and stable across runs.
//  - A cassette that does not load, an interaction that is not an event stream and a
//    schedule that does not apply are listed with their reason, never fatal; a corpus
//    directory that does not exist, or no case at all, is an error (exit 2).
//  - run_serve returns only on SIGINT/SIGTERM (0) or on an error (2).
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "ssecheck/replay/replay_server.h"
#include "ssecheck/replay/schedule.h"

namespace ssecheck::replay {

struct ServeConfig {
  std::vector<std::filesystem::path> corpus;  // cassette directories or files; empty: the repository's corpus/
  std::string listen = "127.0.0.1:0";         // HOST:PORT, [V6]:PORT or PORT
  bool allow_non_loopback = false;
  std::vector<std::string> schedules;         // schedule names; empty: default_schedules(dialect)
  std::vector<std::string> dialects;          // only these dialects; empty: all
  std::string match;                          // only case ids containing this text
  std::string cases_json;                     // write the case list here as JSON ("-": stdout)
  CaseOptions case_options;                   // stall length, retry-after
  ServerOptions server;                       // limits, timeouts, threads (host and port come from listen)
};

struct CaseEntry {
  std::string token;
  std::string cassette;  // path relative to its corpus directory
  size_t interaction = 0;
  std::string route;     // what a client appends to the base URL (path and query)
  ReplayCase replay;
};

struct CaseSet {
  std::vector<CaseEntry> cases;
  std::vector<std::string> skipped;  // "cassette#N schedule: reason"
};

// Loads the cassettes and builds every case. false and *error on a usage error
// (unknown schedule or dialect name, missing corpus directory).
bool build_cases(const ServeConfig& config, CaseSet* out, std::string* error);

std::string case_token(std::string_view id);
// "/v1/chat/completions", or for gemini "/v1beta/models/<model>:streamGenerateContent?alt=sse".
std::string client_route(std::string_view dialect, std::string_view model);
// The route a client calls for a recorded interaction, whatever proxy path was recorded
// (the Gemini model comes from the recorded URL).
std::string client_route_for(std::string_view dialect, std::string_view recorded_url);
bool parse_listen(std::string_view listen, std::string* host, uint16_t* port, std::string* error);
// {"listening":..,"journal":..,"cases":[{"id","token","base_url","url","dialect","route",
// "cassette","interaction","schedule","pieces","pause_ms","framing","fault","expect"}],
// "skipped":[..]}
std::string case_list_json(const CaseSet& set, const ReplayServer& server);

// Builds the cases and starts the server; prints "listening on http://HOST:PORT" and the
// case list (or writes it to cases_json) on out, problems on err. nullptr on an error.
std::unique_ptr<ReplayServer> start_serve(const ServeConfig& config, std::ostream& out, std::ostream& err);

// The `ssecheck serve` entry point: start_serve on stdout/stderr, then serve until
// SIGINT or SIGTERM. Returns the exit code.
int run_serve(const ServeConfig& config);

}  // namespace ssecheck::replay
