// ssecheck_framefile: times EventStreamParser over a file held in memory, for
// side-by-side runs with bench/peers. Best of --repeat runs.
//   ssecheck_framefile FILE [--feed N] [--repeat R]
// Prints one JSON object: {"impl":"ssecheck","bytes":…,"events":…,"seconds":…,"mib_per_s":…}
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

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
  if (argc < 2) {
    std::fputs("usage: ssecheck_framefile FILE [--feed N] [--repeat R]\n", stderr);
    return 2;
  }
  size_t feed = 64 * 1024;
  int repeat = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    long value = std::strtol(argv[i + 1], nullptr, 10);
    if (value <= 0) return 2;
    if (flag == "--feed") feed = static_cast<size_t>(value);
    else if (flag == "--repeat") repeat = static_cast<int>(value);
    else return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::perror(argv[1]);
    return 2;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
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
              static_cast<double>(data.size()) / best / (1024.0 * 1024.0));
  return 0;
}
