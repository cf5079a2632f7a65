// ssecheck check: the suite against external implementations (conformance/ADAPTERS.md).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "commands.h"
#include "diff_fuzz.h"
#include "impl_bench.h"
#include "run_check.h"

namespace ssecheck::cli {

int run_check(int argc, char** argv) {
  CLI::App app{
      "Runs the conformance cases (corpus interactions x schedules, and the WHATWG spec cases for\n"
      "framing-only implementations) against each implementation through its adapter, and\n"
      "compares every answer with the golden. Exit: 0 all passed (with --expect: no change),\n"
      "1 a case failed or changed, 2 usage, I/O or corpus error.",
      "ssecheck check"};
  check::CheckConfig config;
  std::vector<std::string> impls, corpora;
  int case_timeout_ms = 20000, start_timeout_ms = 30000;
  size_t max_reply = size_t{64} << 20;
  app.add_option("--impl", impls, "NAME=COMMAND: an adapter to run (repeatable)")->required();
  app.add_option("--corpus", corpora, "corpus directory with cassettes and golden/ (default: the built-in corpus)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--cases", config.cases, "only case ids matching this glob, e.g. 'gemini/*' or '*@bytes1'");
  app.add_option("--dialect", config.dialect, "only this dialect's cases");
  app.add_option("--seed", config.seed, "seed of the random schedules")->capture_default_str();
  app.add_option("--random", config.random_count, "random schedules per interaction")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  app.add_option("--timeout-ms", case_timeout_ms, "per-case reply timeout")->check(CLI::Range(1, 3600000))->capture_default_str();
  app.add_option("--start-timeout-ms", start_timeout_ms, "time for the adapter's hello")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  app.add_option("--max-reply-bytes", max_reply, "longest reply line accepted")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 31))
      ->capture_default_str();
  app.add_option("--json", config.json_path, "write the results as JSON");
  app.add_option("--junit", config.junit_path, "write a JUnit report");
  app.add_option("--html", config.html_path, "write the self-contained HTML matrix");
  app.add_option("--expect", config.expect_path, "known outcomes per implementation; fail only on a change")
      ->check(CLI::ExistingFile);
  app.add_option("--write-expect", config.write_expect_path, "write this run's non-passing outcomes as an expectations file");
  std::string modes = "feed,http";
  app.add_option("--modes", modes, "feed, http or feed,http: which cases to run")->capture_default_str();
  app.add_option("--client-timeout-ms", config.client_timeout_ms, "http: the client's timeout given to the adapter")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  app.add_flag("--strict", config.strict, "NON_STRICT outcomes fail the run");
  app.add_flag("-q,--quiet", config.quiet, "print only the summary");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  for (const std::string& text : impls) {
    check::ImplSpec spec;
    std::string error;
    if (!check::parse_impl(text, &spec, &error)) {
      std::cerr << "ssecheck check: " << error << "\n";
      return 2;
    }
    config.impls.push_back(std::move(spec));
  }
  for (const std::string& c : corpora) config.corpus_roots.emplace_back(c);
  config.feed = modes.find("feed") != std::string::npos;
  config.http = modes.find("http") != std::string::npos;
  if ((!config.feed && !config.http) || modes.find_first_not_of("feedhtp,") != std::string::npos) {
    std::cerr << "ssecheck check: --modes wants feed, http or feed,http, not '" << modes << "'\n";
    return 2;
  }
  // ssecheck waits for the client's own timeout, then some.
  case_timeout_ms = std::max(case_timeout_ms, config.client_timeout_ms + 10000);
  config.limits.case_timeout = std::chrono::milliseconds(case_timeout_ms);
  config.limits.start_timeout = std::chrono::milliseconds(start_timeout_ms);
  config.limits.max_reply_bytes = max_reply;
  return check::run_check(config, std::cout, std::cerr);
}

int run_repro(int argc, char** argv) {
  CLI::App app{
      "Reruns one case of `ssecheck check` against one implementation and writes the exact bytes\n"
      "it was sent (body.bin, reads.txt, command.json), its answer and the outcome, so a\n"
      "failure is a self-contained bug report. Exit: 0 passed, 1 failed, 2 usage or I/O error.",
      "ssecheck repro"};
  check::ReproConfig config;
  std::string impl;
  std::vector<std::string> corpora;
  int timeout_ms = 20000;
  std::string finding;
  auto* case_opt = app.add_option("case", config.case_id, "the case id, as in the check report");
  auto* finding_opt = app.add_option("--finding", finding, "replay a finding saved by `ssecheck fuzz` instead")
                          ->check(CLI::ExistingDirectory);
  case_opt->excludes(finding_opt);
  app.add_option("--impl", impl, "NAME=COMMAND")->required();
  app.add_option("--corpus", corpora, "corpus directory (default: the built-in corpus)")->check(CLI::ExistingDirectory);
  app.add_option("--seed", config.seed, "seed of the random schedules (as given to check)")->capture_default_str();
  app.add_option("--out", config.out_dir, "directory to write (default: repro-<case>)");
  app.add_option("--timeout-ms", timeout_ms, "reply timeout")->check(CLI::Range(1, 3600000))->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::string error;
  if (!check::parse_impl(impl, &config.impl, &error)) {
    std::cerr << "ssecheck repro: " << error << "\n";
    return 2;
  }
  for (const std::string& c : corpora) config.corpus_roots.emplace_back(c);
  config.limits.case_timeout = std::chrono::milliseconds(timeout_ms);
  if (!finding.empty()) return check::replay_finding(finding, config.impl, config.limits, std::cout, std::cerr);
  if (config.case_id.empty()) {
    std::cerr << "ssecheck repro: name a CASE or --finding DIR\n";
    return 2;
  }
  return check::run_repro(config, std::cout, std::cerr);
}

int run_fuzz(int argc, char** argv) {
  CLI::App app{
      "Differential fuzzing of an implementation in feed mode: corpus streams under mutated read\n"
      "boundaries, SSE rewrites, dialect noise and byte edits, each answer checked against\n"
      "ssecheck's own result on the same bytes. Disagreements are minimised and saved once per\n"
      "signature under --findings (replay one with `ssecheck repro --finding DIR`).\n"
      "Exit: 0 no new finding, 1 new findings, 2 usage, I/O or adapter start error.",
      "ssecheck fuzz"};
  check::FuzzConfig config;
  std::string impl;
  std::vector<std::string> corpora;
  int seconds = 600, timeout_ms = 20000, progress = 10;
  app.add_option("--impl", impl, "NAME=COMMAND: the adapter to fuzz")->required();
  app.add_option("--time", seconds, "time budget in seconds")->check(CLI::Range(1, 7 * 24 * 3600))->capture_default_str();
  app.add_option("--seed", config.seed, "seed of the mutators")->capture_default_str();
  app.add_option("--jobs", config.jobs, "adapter processes in parallel")->check(CLI::Range(1u, 256u))->capture_default_str();
  app.add_option("--findings", config.findings_dir, "findings directory (read at start: known findings are not repeated)")
      ->capture_default_str();
  app.add_option("--corpus", corpora, "corpus directory (default: the built-in corpus)")->check(CLI::ExistingDirectory);
  app.add_option("--dialect", config.dialect, "only this dialect's seeds");
  app.add_option("--timeout-ms", timeout_ms, "per-input reply timeout")->check(CLI::Range(1, 3600000))->capture_default_str();
  app.add_option("--progress", progress, "seconds between progress lines")->check(CLI::Range(1, 3600))->capture_default_str();
  app.add_flag("-q,--quiet", config.quiet, "no progress lines");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  std::string error;
  if (!check::parse_impl(impl, &config.impl, &error)) {
    std::cerr << "ssecheck fuzz: " << error << "\n";
    return 2;
  }
  for (const std::string& c : corpora) config.corpus_roots.emplace_back(c);
  config.budget = std::chrono::seconds(seconds);
  config.limits.case_timeout = std::chrono::milliseconds(timeout_ms);
  config.progress_every = std::chrono::seconds(progress);
  return check::run_fuzz(config, std::cout, std::cerr);
}

int run_bench(int argc, char** argv) {
  CLI::App app{
      "Throughput of implementations side by side: each adapter times itself in-process (the\n"
      "bench command of the adapter protocol) on the same generated long keep-alive streams,\n"
      "framing only and the full assembly per dialect, at each feed size, plus the worst cases\n"
      "(an 8 MiB line in 16-byte feeds, 1M comments, 100k tool-call fragments). Rounds are\n"
      "interleaved; ratios (to ssecheck and to the memchr limit) come from this run only.\n"
      "Exit: 0 measured, 1 an implementation gave a wrong digest, 2 usage or I/O error.",
      "ssecheck bench"};
  check::BenchConfig config;
  std::vector<std::string> impls;
  std::string size = "4M";
  std::vector<std::string> scaling;
  bool no_worst = false;
  int timeout_s = 600;
  app.add_option("--impl", impls, "NAME=COMMAND: an adapter to time (repeatable)")->required();
  app.add_option("--size", size, "bytes per generated stream, e.g. 4M, 64M")->capture_default_str();
  app.add_option("--feeds", config.feeds, "feed sizes in bytes")->delimiter(',')->check(CLI::Range(size_t{1}, size_t{1} << 26));
  app.add_option("--dialects", config.dialects, "only these dialects")->delimiter(',');
  app.add_option("--scaling", scaling, "also time/byte at these sizes, e.g. 1M,16M,256M")->delimiter(',');
  app.add_option("--rounds", config.rounds, "interleaved rounds (best counts)")->check(CLI::Range(1, 100))->capture_default_str();
  app.add_flag("--no-worst-cases", no_worst, "skip the long-line, comments and fragments cases");
  app.add_option("--svg", config.svg_path, "write the chart (throughput against feed size)");
  app.add_option("--json", config.json_path, "write every measurement as JSON");
  app.add_option("--timeout-s", timeout_s, "per-measurement timeout")->check(CLI::Range(1, 86400))->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const auto bytes_of = [](const std::string& text, uint64_t* out) {
    size_t used = 0;
    unsigned long long v = 0;
    try {
      v = std::stoull(text, &used);
    } catch (...) {
      return false;
    }
    const std::string unit = text.substr(used);
    const uint64_t mult = unit.empty() ? 1 : unit == "K" ? 1024 : unit == "M" ? 1 << 20 : unit == "G" ? 1 << 30 : 0;
    if (mult == 0 || v == 0 || v > (uint64_t{16} << 30) / mult) return false;
    *out = v * mult;
    return true;
  };
  if (!bytes_of(size, &config.bytes)) {
    std::cerr << "ssecheck bench: --size wants a size from 1 to 16G, like 4M, not '" << size << "'\n";
    return 2;
  }
  for (const std::string& s : scaling) {
    uint64_t b = 0;
    if (!bytes_of(s, &b)) {
      std::cerr << "ssecheck bench: --scaling wants sizes like 1M,16M,256M, not '" << s << "'\n";
      return 2;
    }
    config.scaling.push_back(b);
  }
  for (const std::string& text : impls) {
    check::ImplSpec spec;
    std::string error;
    if (!check::parse_impl(text, &spec, &error)) {
      std::cerr << "ssecheck bench: " << error << "\n";
      return 2;
    }
    config.impls.push_back(std::move(spec));
  }
  config.worst_cases = !no_worst;
  config.limits.case_timeout = std::chrono::seconds(timeout_s);
  return check::run_impl_bench(config, std::cout, std::cerr);
}

}  // namespace ssecheck::cli
