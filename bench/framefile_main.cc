// ssecheck_framefile: times EventStreamParser over a file held in memory, for
// side-by-side runs with bench/peers. Best of --repeat runs.
//   ssecheck_framefile FILE [--feed N] [--repeat R]
// Prints one JSON object: {"impl":"ssecheck","bytes":…,"events":…,"seconds":…,"mib_per_s":…}
// Command line as every ssecheck tool's (conformance/lib/cli_options.h): --opt=value or
// --opt value, numbers checked against their documented range, exit 2 on a usage or I/O
// error with one line on stderr.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "../conformance/lib/cli_options.h"
#include "ssecheck/event_stream_parser.h"

namespace {

struct Counter : ssecheck::EventSink {
  void on_event(const ssecheck::Event& e) override {
    ++events;
    bytes += e.data.size();
  }
  uint64_t events = 0, bytes = 0;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace ssecheck::cli;
  std::string file;
  size_t feed = 64 * 1024;
  int repeat = 5;
  CLI::App app{"Times EventStreamParser over FILE held in memory (best of --repeat runs) and prints one JSON\n"
               "object: {\"impl\":\"ssecheck\",\"bytes\":...,\"events\":...,\"seconds\":...,\"mib_per_s\":...}",
               "ssecheck_framefile"};
  app.add_option("FILE", file, "the event stream to time")->type_name("")->required();
  add_count(app, "--feed", feed, 1, uint64_t{1} << 30, "bytes per parser feed (default 65536)");
  add_count(app, "--repeat", repeat, 1, 1000000, "runs; the best is reported (default 5)");
  app.footer("Exit codes:\n  0  timed\n  2  usage or I/O error");
  if (const int code = parse_command_line(app, argc, argv); code >= 0) return code;

  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    std::fprintf(stderr, "ssecheck_framefile: cannot read %s: %s\n", file.c_str(), std::strerror(EISDIR));
    return kExitError;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "ssecheck_framefile: cannot open %s: %s\n", file.c_str(), std::strerror(errno));
    return kExitError;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    std::fprintf(stderr, "ssecheck_framefile: cannot read %s: %s\n", file.c_str(), std::strerror(errno));
    return kExitError;
  }
  const std::string data = buffer.str();

  double best = 1e300;
  uint64_t events = 0;
  for (int r = 0; r < repeat; ++r) {
    Counter sink;
    ssecheck::EventStreamParser parser(sink);
    auto start = std::chrono::steady_clock::now();
    for (size_t pos = 0; pos < data.size(); pos += feed) parser.feed(std::string_view(data).substr(pos, feed));
    parser.finish();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds < best) best = seconds;
    events = sink.events;
  }
  std::printf("{\"impl\":\"ssecheck\",\"bytes\":%zu,\"events\":%llu,\"seconds\":%.6f,\"mib_per_s\":%.1f}\n",
              data.size(), static_cast<unsigned long long>(events), best,
              best > 0 ? static_cast<double>(data.size()) / best / (1024.0 * 1024.0) : 0.0);
  if (events == 0) std::fprintf(stderr, "ssecheck_framefile: note: no events in %zu bytes of %s\n", data.size(), file.c_str());
  return std::fflush(stdout) == 0 ? kExitPass : kExitError;
}
