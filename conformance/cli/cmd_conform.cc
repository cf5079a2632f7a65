// ssecheck conform: every cassette under the corpus directories, at every chunking.
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "commands.h"
#include "conform_runner.h"

namespace ssecheck::cli {
namespace {

constexpr const char* kHelp =
    "usage: ssecheck conform [--corpus DIR]... [--chunkings LIST] [--random N] [--jobs N]\n"
    "                        [--junit FILE] [--json FILE] [--update-golden] [--strict] [-v]\n"
    "\n"
    "Runs every go-vcr cassette (*.yaml, *.yml) under each DIR, recursively (default: the\n"
    "repository's corpus/). A cassette with a golden (DIR/golden/...) must reproduce it;\n"
    "one without must agree with itself at every chunking and have no fatal diagnostic.\n"
    "\n"
    "  --corpus DIR       a corpus directory or a single cassette; repeatable\n"
    "  --chunkings LIST   comma list of whole,bytes1,splits,utf8-crlf,random,inject (default all)\n"
    "  --random N         seeded random chunkings per interaction (default 16)\n"
    "  --jobs N           worker threads (default: all cores)\n"
    "  --junit FILE       write JUnit XML\n"
    "  --json FILE        write a JSON summary\n"
    "  --update-golden    rewrite goldens from the whole-body report and print each diff\n"
    "  --strict           protocol deviations (and expected fatal diagnostics) fail too\n"
    "  -v, --verbose      list every interaction, not only failures\n"
    "\n"
    "exit: 0 all passed, 1 something failed, 2 usage or I/O error\n";

bool parse_count(const char* text, int* out) {
  const char* end = text + std::strlen(text);
  auto [p, ec] = std::from_chars(text, end, *out);
  return ec == std::errc() && p == end && *out >= 0;
}

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  return static_cast<bool>(f);
}

}  // namespace

int run_conform(int argc, char** argv) {
  using namespace ssecheck::conformance;
  std::vector<std::filesystem::path> roots;
  ConformOptions options;
  std::string junit, json;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kHelp, stdout);
      return 0;
    } else if (arg == "--corpus" && has_value) {
      roots.emplace_back(argv[++i]);
    } else if (arg == "--chunkings" && has_value) {
      std::string error;
      if (!parse_chunking_list(argv[++i], &options.kinds, &error)) {
        std::fprintf(stderr, "ssecheck conform: %s\n", error.c_str());
        return 2;
      }
    } else if (arg == "--random" && has_value) {
      if (!parse_count(argv[++i], &options.random_count)) {
        std::fprintf(stderr, "ssecheck conform: --random needs a count, got '%s'\n", argv[i]);
        return 2;
      }
    } else if (arg == "--jobs" && has_value) {
      int jobs = 0;
      if (!parse_count(argv[++i], &jobs)) {
        std::fprintf(stderr, "ssecheck conform: --jobs needs a count, got '%s'\n", argv[i]);
        return 2;
      }
      options.jobs = static_cast<unsigned>(jobs);
    } else if (arg == "--junit" && has_value) {
      junit = argv[++i];
    } else if (arg == "--json" && has_value) {
      json = argv[++i];
    } else if (arg == "--update-golden") {
      options.update_golden = true;
    } else if (arg == "--strict") {
      options.strict = true;
    } else if (arg == "-v" || arg == "--verbose") {
      verbose = true;
    } else {
      std::fprintf(stderr, "ssecheck conform: unknown or incomplete option '%s'\n%s", argv[i], kHelp);
      return 2;
    }
  }
  if (roots.empty()) roots.emplace_back(SSECHECK_CORPUS_DIR);
  for (const auto& root : roots) {
    std::error_code ec;
    if (!std::filesystem::exists(root, ec)) {
      std::fprintf(stderr, "ssecheck conform: %s: no such file or directory\n", root.c_str());
      return 2;
    }
  }

  const auto cassettes = discover_cassettes(roots);
  const ConformSummary summary = run_conformance(cassettes, options);

  std::printf("ssecheck conform: %zu cassettes, %zu interactions, chunkings:", summary.cassettes,
              summary.interactions.size());
  for (const ChunkingKind k : options.kinds) std::printf(" %s", std::string(chunking_kind_name(k)).c_str());
  std::printf("\n");
  for (const InteractionOutcome& o : summary.interactions) {
    const std::string label = interaction_label(o);
    if (!o.golden_update.empty() && o.golden_update != "unchanged") {
      if (o.golden_update == "new") std::printf("golden  %s: new\n", label.c_str());
      else std::printf("golden  %s: changed\n%s", label.c_str(), o.golden_update.c_str());
    }
    const char* status = o.mode == CheckMode::skipped ? "SKIP" : (o.passed ? "PASS" : "FAIL");
    if (!verbose && o.passed) continue;
    std::printf("%s  %-60s %-10s %7zu runs", status, label.c_str(),
                std::string(check_mode_name(o.mode)).c_str(), o.runs());
    if (!o.diagnostic_codes.empty()) {
      std::printf("  [");
      for (size_t d = 0; d < o.diagnostic_codes.size() && d < 6; ++d)
        std::printf("%s%s", d ? " " : "", o.diagnostic_codes[d].c_str());
      if (o.diagnostic_codes.size() > 6) std::printf(" +%zu", o.diagnostic_codes.size() - 6);
      std::printf("]");
    }
    std::printf("\n");
    if (o.mode == CheckMode::skipped) std::printf("      skipped: %s\n", o.skip_reason.c_str());
    if (!o.passed) std::printf("      %s\n", o.problem.c_str());
  }
  std::printf("conform: %zu interactions checked under %zu chunkings in all\n",
              summary.passed + summary.failed, summary.runs);
  std::printf("conform: %zu passed, %zu failed, %zu skipped\n", summary.passed, summary.failed,
              summary.skipped);
  if (!junit.empty() && !write_text(junit, junit_xml(summary))) {
    std::fprintf(stderr, "ssecheck conform: cannot write %s\n", junit.c_str());
    return 2;
  }
  if (!json.empty() && !write_text(json, summary_json(summary))) {
    std::fprintf(stderr, "ssecheck conform: cannot write %s\n", json.c_str());
    return 2;
  }
  if (summary.passed + summary.failed == 0) {
    std::fprintf(stderr, "ssecheck conform: no cassettes found\n");
    return 1;
  }
  return summary.failed == 0 ? 0 : 1;
}

}  // namespace ssecheck::cli
