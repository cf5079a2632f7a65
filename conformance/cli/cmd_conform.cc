// ssecheck conform: every cassette under the corpus directories, at every chunking.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "commands.h"
#include "conform_runner.h"
#include "ssecheck/registry.h"

namespace ssecheck::cli {
namespace {

namespace fs = std::filesystem;
using namespace ssecheck::conformance;

struct Args {
  std::vector<std::string> corpus;  // --corpus DIR
  std::vector<std::string> paths;   // plain paths: the same
  std::string chunkings = "all";
  std::string dialect = "auto";
  int random_count = 16;
  unsigned jobs = 0;
  std::string junit, json;
  bool update_golden = false;
  bool strict = false;
  bool verbose = false;
  bool quiet = false;
  std::string fault_chunking;
};

// An output file opened before the run, so a bad path fails in a second, not after it.
struct Output {
  std::string flag, path;
  std::FILE* file = nullptr;
  ~Output() {
    if (file != nullptr) std::fclose(file);
  }
  bool open() {
    file = std::fopen(path.c_str(), "wb");
    if (file != nullptr) return true;
    std::fprintf(stderr, "ssecheck conform: cannot write %s %s: %s\n", flag.c_str(), path.c_str(), std::strerror(errno));
    return false;
  }
  bool write(const std::string& text) {
    const bool wrote = std::fwrite(text.data(), 1, text.size(), file) == text.size();
    const int write_errno = errno;
    const bool closed = std::fclose(file) == 0;
    file = nullptr;
    if (wrote && closed) return true;
    std::fprintf(stderr, "ssecheck conform: cannot write %s %s: %s\n", flag.c_str(), path.c_str(),
                 std::strerror(wrote ? errno : write_errno));
    return false;
  }
};

void print_indented(const std::string& text, const char* indent) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::printf("%s%.*s\n", indent, static_cast<int>(nl - start), text.data() + start);
    start = nl + 1;
  }
}

// One interaction: a header line, then (failures, and -v) why, indented.
void print_interaction(const InteractionOutcome& o, bool verbose) {
  const char* status = o.outcome == Outcome::passed ? "PASS"
                       : o.outcome == Outcome::skipped ? "SKIP"
                       : o.outcome == Outcome::error   ? "ERROR"
                                                       : "FAIL";
  std::printf("  %-5s %s  %s", status, interaction_label(o).c_str(), std::string(check_mode_name(o.mode)).c_str());
  if (o.outcome == Outcome::passed || o.outcome == Outcome::failed)
    std::printf(", %s, %zu runs, %.2fs", o.dialect.c_str(), o.runs(), o.seconds);
  std::printf("\n");
  if (!o.reason.empty()) print_indented(o.failure_text(), "        ");
  else if (verbose && !o.diagnostics.empty())
    std::printf("        diagnostics: %s\n", code_counts_text(o.diagnostics, true).c_str());
}

int run(const Args& args) {
  ConformOptions options;
  std::string error;
  if (!parse_chunking_list(args.chunkings, &options.kinds, &error)) {
    std::fprintf(stderr, "ssecheck conform: --chunkings: %s\n", error.c_str());
    return kExitError;
  }
  options.random_count = args.random_count;
  options.jobs = args.jobs;
  options.strict = args.strict;
  options.update_golden = args.update_golden;
  options.fault_chunking = args.fault_chunking;
  options.accumulate.dialect = args.dialect;

  std::vector<CorpusRoot> roots;
  for (const std::string& c : args.corpus) roots.push_back({c, {}});
  for (const std::string& c : args.paths) roots.push_back({c, {}});
  if (roots.empty()) roots.push_back({SSECHECK_CORPUS_DIR, "corpus"});
  for (const CorpusRoot& root : roots) {
    std::error_code ec;
    const auto status = fs::status(root.path, ec);
    if (ec || !fs::exists(status)) {
      std::fprintf(stderr, "ssecheck conform: cannot read %s: %s\n", root.path.c_str(),
                   (ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory)).message().c_str());
      return kExitError;
    }
  }
  // Output paths are checked (opened) now, before minutes of work.
  std::vector<std::unique_ptr<Output>> outputs;
  Output* junit = nullptr;
  Output* json = nullptr;
  for (auto [flag, path, slot] : {std::tuple{"--junit", &args.junit, &junit}, std::tuple{"--json", &args.json, &json}}) {
    if (path->empty()) continue;
    outputs.push_back(std::make_unique<Output>());
    outputs.back()->flag = flag;
    outputs.back()->path = *path;
    if (!outputs.back()->open()) return kExitError;
    *slot = outputs.back().get();
  }

  const std::vector<CassetteRef> cassettes = discover_cassettes(roots);
  if (cassettes.empty()) {
    std::string where;
    for (const CorpusRoot& r : roots) where += (where.empty() ? "" : ", ") + r.path.string();
    std::fprintf(stderr, "ssecheck conform: no cassettes (*.yaml, *.yml) under %s: nothing to check\n", where.c_str());
    return kExitError;
  }
  std::printf("ssecheck conform: %zu cassettes, chunkings:", cassettes.size());
  for (const ChunkingKind k : options.kinds) {
    std::printf(" %s", std::string(chunking_kind_name(k)).c_str());
    if (k == ChunkingKind::random) std::printf("(%d)", options.random_count);
  }
  std::printf("%s\n", options.strict ? ", --strict" : "");
  std::fflush(stdout);

  // Progress: a line per cassette as it finishes (flushed: CI logs show it live), with
  // the failing interactions and why under it; -v lists every interaction.
  const int width = static_cast<int>(std::to_string(cassettes.size()).size());
  // An interrupted run (Ctrl-C, a CI timeout's SIGTERM) still ends with a summary of
  // what finished: the signals are taken by a thread of their own (blocked in every
  // other thread before the workers start), which prints it and exits with 2.
  std::mutex print_mutex;
  struct Totals {
    size_t cassettes = 0, passed = 0, failed = 0, skipped = 0, errors = 0;
  } totals;
  std::atomic<bool> finished{false};
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread signal_watch([&] {
    const timespec tick{0, 200'000'000};
    while (!finished) {
      const int sig = sigtimedwait(&stop_signals, nullptr, &tick);
      if (sig <= 0) continue;
      std::lock_guard lock(print_mutex);
      std::printf("\nconform: interrupted by %s after %zu of %zu cassettes: %zu passed, %zu failed, %zu skipped",
                  sig == SIGINT ? "SIGINT" : "SIGTERM", totals.cassettes, cassettes.size(), totals.passed,
                  totals.failed, totals.skipped);
      if (totals.errors) std::printf(", %zu cassette error(s)", totals.errors);
      std::printf(" so far; no report file was written\n");
      std::fflush(stdout);
      std::_Exit(kExitError);
    }
  });
  auto on_cassette = [&](size_t c, const CassetteRef& ref, std::span<const InteractionOutcome> outcomes) {
    std::lock_guard lock(print_mutex);
    size_t passed = 0, failed = 0, skipped = 0, errors = 0;
    double seconds = 0;
    for (const InteractionOutcome& o : outcomes) {
      passed += o.outcome == Outcome::passed;
      failed += o.outcome == Outcome::failed;
      skipped += o.outcome == Outcome::skipped;
      errors += o.outcome == Outcome::error;
      seconds += o.seconds;
    }
    ++totals.cassettes, totals.passed += passed, totals.failed += failed, totals.skipped += skipped,
        totals.errors += errors;
    if (args.quiet) return;
    const char* status = errors ? "ERROR" : failed ? "FAIL" : passed ? "PASS" : "SKIP";
    std::printf("[%*zu/%zu] %-5s %s", width, c + 1, cassettes.size(), status, cassette_name(ref).c_str());
    if (errors == 0) {
      std::printf("  %zu passed", passed);
      if (failed) std::printf(", %zu failed", failed);
      if (skipped) std::printf(", %zu skipped", skipped);
      std::printf("  %.2fs", seconds);
    }
    std::printf("\n");
    for (const InteractionOutcome& o : outcomes) {
      if (o.outcome == Outcome::error) {
        print_indented(o.failure_text(), "        ");
        continue;
      }
      if (!o.golden_update.empty() && o.golden_update != "unchanged") {
        if (o.golden_update == "new") std::printf("  golden %s: new\n", golden_label(o.cassette, o.index).c_str());
        else {
          std::printf("  golden %s: changed\n", golden_label(o.cassette, o.index).c_str());
          print_indented(o.golden_update, "    ");
        }
      }
      if (args.verbose || o.outcome == Outcome::failed || o.outcome == Outcome::error) print_interaction(o, args.verbose);
    }
    std::fflush(stdout);
  };
  const ConformSummary summary = run_conformance(cassettes, options, on_cassette);
  {
    std::lock_guard lock(print_mutex);  // a signal from here on changes nothing
    finished = true;
  }
  signal_watch.join();  // the signals stay blocked: what is left is writing the reports

  // The recap: every failure once more, one line each, where a CI log ends.
  if (summary.failed + summary.errors > 0) {
    std::printf("\nconform: %zu failure(s):\n", summary.failed + summary.errors);
    for (const InteractionOutcome& o : summary.interactions)
      if (o.outcome == Outcome::failed || o.outcome == Outcome::error)
        std::printf("  %s %s: %s\n", o.outcome == Outcome::error ? "ERROR" : "FAIL ", interaction_label(o).c_str(),
                    o.reason.c_str());
  }
  std::printf("conform: %zu interactions checked under %zu chunkings in all, %.1fs\n", summary.passed + summary.failed,
              summary.runs, summary.seconds);
  std::printf("conform: %zu passed, %zu failed, %zu skipped", summary.passed, summary.failed, summary.skipped);
  if (summary.errors) std::printf(", %zu cassette error(s)", summary.errors);
  std::printf("\n");
  std::fflush(stdout);

  bool written = true;
  if (junit != nullptr) written = junit->write(junit_xml(summary)) && written;
  if (json != nullptr) written = json->write(summary_json(summary)) && written;
  if (!written) return kExitError;
  if (summary.errors > 0) return kExitError;
  if (summary.passed + summary.failed == 0) {
    std::fprintf(stderr, "ssecheck conform: note: nothing was checked: all %zu interactions were skipped\n",
                 summary.skipped);
    return kExitError;
  }
  return summary.failed == 0 ? kExitPass : kExitCheckFailed;
}

}  // namespace

Command add_conform_command(CLI::App& parent) {
  auto args = std::make_shared<Args>();
  CLI::App* sub =
      parent.add_subcommand("conform", "check every cassette under DIR against its golden at every chunking");
  sub->description(sub->get_description() + "\n\n" +
      "Runs every go-vcr cassette (*.yaml, *.yml) under each DIR, recursively (default: the\n"
      "repository's corpus/, named 'corpus' in reports). A cassette with a golden (DIR/golden/...)\n"
      "must reproduce it; one without must agree with itself at every chunking and have no fatal\n"
      "diagnostic. Results are named DIR/PATH#N whatever the options. A line per cassette is\n"
      "printed as it finishes; failures say which check failed and why.");
  sub->add_option("PATH", args->paths, "corpus directories or single cassettes (the same as --corpus)")->type_name("");
  sub->add_option("--corpus", args->corpus, "a corpus directory or a single cassette; repeatable")->type_name("DIR");
  sub->add_option("--chunkings", args->chunkings,
                  "comma list of bytes1,splits,utf8-crlf,random,inject, or all (default all)")
      ->type_name("LIST");
  std::vector<std::string> dialects{"auto"};
  for (const DialectInfo* d : ssecheck::dialects()) dialects.emplace_back(d->name);
  sub->add_option("--dialect", args->dialect,
                  "auto (default: from the request URL, else the first events) or force one of: " +
                      dialect_names_joined())
      ->type_name("NAME")
      ->check(one_of(dialects));
  add_count(*sub, "--random", args->random_count, 0, 4096, "seeded random chunkings per interaction (default 16)");
  add_count(*sub, "--jobs", args->jobs, 0, 1024, "worker threads (default 0: all cores)");
  sub->add_option("--junit", args->junit, "write JUnit XML (the path is checked before the run)")->type_name("FILE");
  sub->add_option("--json", args->json, "write a JSON summary (the path is checked before the run)")->type_name("FILE");
  sub->add_flag("--update-golden", args->update_golden, "rewrite goldens from the whole-body report; print each diff");
  sub->add_flag("--strict", args->strict, "protocol deviations (and expected fatal diagnostics) fail too");
  auto* verbose = sub->add_flag("-v,--verbose", args->verbose, "list every interaction, not only failures");
  sub->add_flag("-q,--quiet", args->quiet, "no line per cassette: only the failures and the totals")->excludes(verbose);
  // Hidden: for the tests of the failure reports (tests/cli/conform_reports.sh).
  sub->add_option("--test-fault-chunking", args->fault_chunking,
                  "treat the chunking of this name as disagreeing (tests of the reports)")
      ->group("");
  sub->footer(exit_footer("every checked interaction passed",
                          "an interaction failed a check (golden diff, chunking disagreement, fatal diagnostic)") +
              "\n     (2 also: a cassette did not load, an output could not be written, or nothing was checked)");
  return {sub, [args] { return run(*args); }};
}

}  // namespace ssecheck::cli
