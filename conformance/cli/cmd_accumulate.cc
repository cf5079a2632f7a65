// ssecheck accumulate: assemble one stream, in any registered dialect, into its report.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/assemble.h"
#include "commands.h"
#include "ssecheck/registry.h"

namespace ssecheck::cli {
namespace {

std::string help() {
  return "usage: ssecheck accumulate [--dialect auto|NAME] [--format report|normalized] [--strict]\n"
         "                           [--chunk N] [--compact] [FILE|-]\n"
         "\n"
         "Parses FILE (or stdin) as text/event-stream, folds its events with one dialect's\n"
         "state machine and prints one JSON document: the report\n"
         "  {\"dialect\":…,\"native\":{…},\"normalized\":{…},\"first_fatal\":…,\"diagnostics\":[…],\"stats\":{…}}\n"
         "or, with --format normalized, exactly the normalized result.\n"
         "\n"
         "  --dialect D  auto (default: detected from the first events) or one of:\n"
         "               " + dialect_names_joined() + "\n"
         "  --format F   report (default) or normalized\n"
         "  --strict     deviations fail the run too (not only fatal diagnostics)\n"
         "  --chunk N    feed the parser N bytes at a time, 1..64 MiB (default 65536; same result)\n"
         "  --compact    one-line JSON instead of pretty-printed\n"
         "\n"
         "exit: 0 assembled cleanly, 1 a fatal diagnostic (or a deviation with --strict),\n"
         "      2 usage or I/O error (an unknown dialect is a usage error)\n";
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "ssecheck accumulate: %s (see --help)\n", message.c_str());
  return 2;
}

constexpr size_t kMaxChunk = size_t{64} << 20;

bool parse_size(std::string_view text, size_t& out) {
  if (text.empty() || text.size() > 9) return false;
  size_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  out = v;
  return v > 0 && v <= kMaxChunk;
}

}  // namespace

int run_accumulate(int argc, char** argv) {
  AssembleOptions options;
  size_t chunk = 65536;
  bool pretty = true;
  bool normalized = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(help().c_str(), stdout);
      return 0;
    }
    if (arg == "--strict") {
      options.strict = true;
    } else if (arg == "--compact") {
      pretty = false;
    } else if (arg == "--dialect") {
      if (i + 1 >= argc) return usage_error("--dialect needs a name");
      options.dialect = argv[++i];
      if (options.dialect != "auto" && !find_dialect(options.dialect))
        return usage_error("unknown dialect '" + options.dialect + "'; known: auto, " + dialect_names_joined());
    } else if (arg == "--format") {
      if (i + 1 >= argc) return usage_error("--format needs report or normalized");
      const std::string_view f = argv[++i];
      if (f == "normalized") normalized = true;
      else if (f != "report") return usage_error("--format must be report or normalized");
    } else if (arg == "--chunk") {
      if (i + 1 >= argc || !parse_size(argv[i + 1], chunk))
        return usage_error("--chunk needs a byte count from 1 to 67108864");
      ++i;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option '" + std::string(arg) + "'");
    } else if (path != nullptr) {
      return usage_error("more than one input");
    } else {
      path = argv[i];
    }
  }

  const bool from_stdin = path == nullptr || std::string_view(path) == "-";
  std::FILE* in = from_stdin ? stdin : std::fopen(path, "rb");
  if (in == nullptr) {
    std::fprintf(stderr, "ssecheck accumulate: cannot open %s: %s\n", path, std::strerror(errno));
    return 2;
  }
  AssemblySession session(options);
  std::vector<char> buffer(chunk);
  bool io_error = false;
  for (;;) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), in);
    if (n > 0) session.feed(std::string_view(buffer.data(), n));
    if (n < buffer.size()) {
      io_error = std::ferror(in) != 0;
      break;
    }
  }
  if (!from_stdin) std::fclose(in);
  if (io_error) {
    std::fprintf(stderr, "ssecheck accumulate: read error on %s\n", from_stdin ? "stdin" : path);
    return 2;
  }
  const AssemblyReport& report = session.finish();
  const std::string json =
      (normalized ? normalized_to_json(report.normalized, pretty) : report_to_json(report, pretty)) + "\n";
  std::fwrite(json.data(), 1, json.size(), stdout);
  if (std::fflush(stdout) != 0) return 2;
  return report.failed() ? 1 : 0;
}

}  // namespace ssecheck::cli
