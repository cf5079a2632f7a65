// ssecheck: conformance, inspection and assembly of LLM Server-Sent Event streams.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "commands.h"

namespace {

constexpr const char* kUsage =
    "usage: ssecheck <command> [options]\n"
    "\n"
    "commands:\n"
    "  events      [--chunk N] [--last-event-id ID] [--comments] [--diagnostics]\n"
    "              [--raw-utf8] [--max-line-bytes N] [--max-event-bytes N] [FILE|-]\n"
    "              print each dispatched event as a JSON line\n"
    "  accumulate  [--strict] [--chunk N] [FILE|-]\n"
    "              assemble a chat.completion.chunk stream into one completion\n"
    "  conform     [--corpus DIR]... [--chunkings LIST] [--junit FILE] [--json FILE]\n"
    "              [--update-golden] [--strict] [--random N] [--jobs N] [-v]\n"
    "              check every cassette under DIR against its golden at every chunking\n"
    "  cassette    FILE [--interaction N] [--body]\n"
    "              list a go-vcr cassette's interactions, or print one raw body\n"
    "\n"
    "Run 'ssecheck <command> --help' for a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string_view command = argv[1];
  // Subcommands see argv without the program name: argv[0] is the command.
  if (command == "events") return ssecheck::cli::run_events(argc - 1, argv + 1);
  if (command == "accumulate") return ssecheck::cli::run_accumulate(argc - 1, argv + 1);
  if (command == "conform") return ssecheck::cli::run_conform(argc - 1, argv + 1);
  if (command == "cassette") return ssecheck::cli::run_cassette(argc - 1, argv + 1);
  std::fprintf(stderr, "ssecheck: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}
