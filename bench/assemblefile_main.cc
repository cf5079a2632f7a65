// ssecheck_assemblefile: times the full path (EventStreamParser -> dialect -> report,
// through AssemblySession) over a file held in memory, for side-by-side runs with the
// SDK peers in bench/peers. Best of --repeat runs.
//   ssecheck_assemblefile FILE --dialect D [--feed N] [--repeat R]
// Prints one JSON object:
//   {"impl":"ssecheck","dialect":…,"bytes":…,"events":…,"seconds":…,"mib_per_s":…,
//    "text_bytes":…,"reasoning_bytes":…,"tool_calls":…,"digest":…,"reasoning_digest":…,
//    "diagnostics":…,"codes":[…],"first_fatal":…}
// digest / reasoning_digest are those of result_digest.h, over the normalized result
// (bench/peers/digest.mjs computes the same from an SDK's final object).
// Exit 0; 1 when the report has a fatal diagnostic; 2 on a usage or I/O error.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "result_digest.h"
#include "ssecheck/assemble.h"

int main(int argc, char** argv) {
  CLI::App app{"Times ssecheck's AssemblySession over a raw SSE body and prints one JSON line."};
  std::string file, dialect;
  size_t feed = 64 * 1024;
  int repeat = 5;
  app.add_option("FILE", file, "raw text/event-stream body")->required();
  app.add_option("--dialect", dialect, "registry name: " + ssecheck::dialect_names_joined())->required();
  app.add_option("--feed", feed, "bytes per feed() call (default 65536)")->check(CLI::Range(size_t{1}, size_t{1} << 30));
  app.add_option("--repeat", repeat, "timed runs; the best is printed (default 5)")->check(CLI::Range(1, 1000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help (rc 0) or the error
    return rc == 0 ? 0 : 2;
  }
  if (ssecheck::find_dialect(dialect) == nullptr) {
    std::fprintf(stderr, "ssecheck_assemblefile: unknown dialect '%s' (known: %s)\n", dialect.c_str(),
                 ssecheck::dialect_names_joined().c_str());
    return 2;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::perror(file.c_str());
    return 2;
  }
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    std::fprintf(stderr, "ssecheck_assemblefile: %s: read error\n", file.c_str());
    return 2;
  }

  ssecheck::AssembleOptions options;
  options.dialect = dialect;
  double best = 1e300;
  std::unique_ptr<ssecheck::AssemblySession> session;
  for (int r = 0; r < repeat; ++r) {
    session.reset();
    auto start = std::chrono::steady_clock::now();
    session = std::make_unique<ssecheck::AssemblySession>(options);
    for (size_t pos = 0; pos < data.size(); pos += feed) session->feed(std::string_view(data).substr(pos, feed));
    session->finish();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, seconds);
  }
  const ssecheck::AssemblyReport& report = session->finish();
  const ssecheck::bench::ResultDigest digest = ssecheck::bench::digest_of(report.normalized);

  std::vector<std::string_view> codes;
  for (const ssecheck::Diagnostic& d : report.diagnostics) {
    std::string_view name = ssecheck::name(d.code);
    if (codes.size() < 16 && std::find(codes.begin(), codes.end(), name) == codes.end()) codes.push_back(name);
  }
  std::string line = "{\"impl\":\"ssecheck\",\"dialect\":\"" + dialect + "\",\"bytes\":" + std::to_string(data.size()) +
                     ",\"events\":" + std::to_string(report.stats.events);
  char timing[96];
  std::snprintf(timing, sizeof timing, ",\"seconds\":%.6f,\"mib_per_s\":%.1f,", best,
                static_cast<double>(data.size()) / std::max(best, 1e-9) / (1024.0 * 1024.0));
  line += timing;
  line += digest.json_members();
  line += ",\"diagnostics\":" + std::to_string(report.counts.note + report.counts.deviation + report.counts.fatal);
  line += ",\"codes\":[";
  for (size_t i = 0; i < codes.size(); ++i) line += (i ? ",\"" : "\"") + std::string(codes[i]) + "\"";
  line += "],\"first_fatal\":";
  if (report.first_fatal) line += "\"" + std::string(ssecheck::name(report.diagnostics[*report.first_fatal].code)) + "\"";
  else line += "null";
  line += "}\n";
  std::fputs(line.c_str(), stdout);
  return report.counts.fatal > 0 ? 1 : 0;
}
