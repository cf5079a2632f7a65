// ssecheck accumulate: assemble one stream, in any registered dialect, into its report.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "ssecheck/assemble.h"
#include "ssecheck/registry.h"

namespace ssecheck::cli {
namespace {

constexpr uint64_t kMaxChunk = uint64_t{64} << 20;

struct Args {
  std::string dialect = "auto";
  std::string format = "report";
  bool strict = false;
  size_t chunk = 65536;
  bool compact = false;
  std::string file = "-";
};

int run(const Args& args) {
  AssembleOptions options;
  options.dialect = args.dialect;
  options.strict = args.strict;
  const bool from_stdin = args.file == "-";
  const char* shown = from_stdin ? "standard input" : args.file.c_str();
  std::FILE* in = from_stdin ? stdin : std::fopen(args.file.c_str(), "rb");
  if (in == nullptr) {
    std::fprintf(stderr, "ssecheck accumulate: cannot open %s: %s\n", shown, std::strerror(errno));
    return kExitError;
  }
  AssemblySession session(options);
  std::vector<char> buffer(args.chunk);
  int read_errno = 0;
  for (;;) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), in);
    if (n > 0) session.feed(std::string_view(buffer.data(), n));
    if (n < buffer.size()) {
      if (std::ferror(in)) read_errno = errno ? errno : EIO;
      break;
    }
  }
  if (!from_stdin) std::fclose(in);
  if (read_errno != 0) {
    std::fprintf(stderr, "ssecheck accumulate: cannot read %s: %s\n", shown, std::strerror(read_errno));
    return kExitError;
  }
  const AssemblyReport& report = session.finish();
  const bool pretty = !args.compact;
  const std::string json =
      (args.format == "normalized" ? normalized_to_json(report.normalized, pretty) : report_to_json(report, pretty)) +
      "\n";
  if (std::fwrite(json.data(), 1, json.size(), stdout) != json.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "ssecheck accumulate: cannot write standard output: %s\n", std::strerror(errno));
    return kExitError;
  }
  if (report.stats.events == 0)
    std::fprintf(stderr, "ssecheck accumulate: note: no events in %llu bytes of %s\n",
                 static_cast<unsigned long long>(report.stats.bytes), shown);
  return report.failed() ? kExitCheckFailed : kExitPass;
}

}  // namespace

Command add_accumulate_command(CLI::App& parent) {
  auto args = std::make_shared<Args>();
  CLI::App* sub = parent.add_subcommand("accumulate", "assemble one stream, in any dialect, into its report");
  sub->description(sub->get_description() + "\n\n" +
      "Parses FILE (or standard input) as text/event-stream, folds its events with one dialect's\n"
      "state machine and prints one JSON document, the report\n"
      "  {\"dialect\":...,\"native\":{...},\"normalized\":{...},\"first_fatal\":...,\"diagnostics\":[...],\"stats\":{...}}\n"
      "or, with --format normalized, exactly the normalized result.");
  sub->add_option("FILE", args->file, "the event stream; - for standard input (default)")->type_name("");
  std::vector<std::string> dialects{"auto"};
  for (const DialectInfo* d : ssecheck::dialects()) dialects.emplace_back(d->name);
  sub->add_option("--dialect", args->dialect,
                  "auto (default: detected from the first events) or one of: " + dialect_names_joined())
      ->type_name("NAME")
      ->check(one_of(dialects));
  sub->add_option("--format", args->format, "report (default) or normalized")
      ->type_name("report|normalized")
      ->check(one_of({"report", "normalized"}));
  sub->add_flag("--strict", args->strict, "deviations fail the run too (not only fatal diagnostics)");
  add_count(*sub, "--chunk", args->chunk, 1, kMaxChunk, "feed the parser N bytes at a time (default 65536; same result)");
  sub->add_flag("--compact", args->compact, "one-line JSON instead of indented");
  sub->footer(exit_footer("assembled cleanly", "a fatal diagnostic (or, with --strict, a deviation)"));
  return {sub, [args] { return run(*args); }};
}

}  // namespace ssecheck::cli
