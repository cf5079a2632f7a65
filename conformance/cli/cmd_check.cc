// ssecheck check | repro | fuzz | bench: the suite aimed at other implementations,
// through their adapters (conformance/ADAPTERS.md).
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "diff_fuzz.h"
#include "impl_bench.h"
#include "run_check.h"

namespace ssecheck::cli {
namespace {

// The options every command here shares: the adapters and the corpus.
struct ImplArgs {
  std::vector<std::string> impls, corpora;

  // Fills specs from --impl NAME=COMMAND and roots from --corpus; false after printing why.
  bool resolve(const char* command, std::vector<check::ImplSpec>* specs,
               std::vector<std::filesystem::path>* roots) const {
    for (const std::string& text : impls) {
      check::ImplSpec spec;
      std::string error;
      if (!check::parse_impl(text, &spec, &error)) {
        std::cerr << "ssecheck " << command << ": " << error << "\n";
        return false;
      }
      specs->push_back(std::move(spec));
    }
    if (roots != nullptr)
      for (const std::string& c : corpora) roots->emplace_back(c);
    return true;
  }
};

void add_impl_options(CLI::App& sub, ImplArgs& args, const char* impl_help) {
  sub.add_option("--impl", args.impls, impl_help)->required()->type_name("NAME=COMMAND");
  sub.add_option("--corpus", args.corpora, "corpus directory with cassettes and golden/ (default: the built-in corpus)")
      ->check(CLI::ExistingDirectory)
      ->type_name("DIR");
}

// "4M" -> 4194304; false unless 1 byte to 16 GiB.
bool parse_size(const std::string& text, uint64_t* out) {
  uint64_t v = 0;
  size_t used = 0;
  while (used < text.size() && std::isdigit(static_cast<unsigned char>(text[used])))
    v = v * 10 + static_cast<uint64_t>(text[used++] - '0');
  const std::string unit = text.substr(used);
  const uint64_t mult = unit.empty() ? 1 : unit == "K" ? 1 << 10 : unit == "M" ? 1 << 20 : unit == "G" ? 1 << 30 : 0;
  if (used == 0 || used > 11 || mult == 0 || v == 0 || v > (uint64_t{16} << 30) / mult) return false;
  *out = v * mult;
  return true;
}

struct CheckArgs {
  ImplArgs common;
  check::CheckConfig config;
  std::string modes = "feed,http";
  uint64_t case_timeout_ms = 20000, start_timeout_ms = 30000, max_reply = uint64_t{64} << 20;
};

int run(CheckArgs& a) {
  check::CheckConfig& config = a.config;
  if (!a.common.resolve("check", &config.impls, &config.corpus_roots)) return kExitError;
  config.feed = a.modes.find("feed") != std::string::npos;
  config.http = a.modes.find("http") != std::string::npos;
  // ssecheck waits for the client's own timeout, then some.
  config.limits.case_timeout =
      std::chrono::milliseconds(std::max<uint64_t>(a.case_timeout_ms, uint64_t(config.client_timeout_ms) + 10000));
  config.limits.start_timeout = std::chrono::milliseconds(a.start_timeout_ms);
  config.limits.max_reply_bytes = a.max_reply;
  return check::run_check(config, std::cout, std::cerr);
}

struct ReproArgs {
  ImplArgs common;
  check::ReproConfig config;
  std::string finding;
  uint64_t timeout_ms = 20000;
};

int run(ReproArgs& a) {
  std::vector<check::ImplSpec> specs;
  if (!a.common.resolve("repro", &specs, &a.config.corpus_roots)) return kExitError;
  if (specs.size() != 1) {
    std::cerr << "ssecheck repro: name exactly one --impl\n";
    return kExitError;
  }
  a.config.impl = specs.front();
  a.config.limits.case_timeout = std::chrono::milliseconds(a.timeout_ms);
  if (!a.finding.empty()) return check::replay_finding(a.finding, a.config.impl, a.config.limits, std::cout, std::cerr);
  if (a.config.case_id.empty()) {
    std::cerr << "ssecheck repro: name a CASE or --finding DIR\n";
    return kExitError;
  }
  return check::run_repro(a.config, std::cout, std::cerr);
}

struct FuzzArgs {
  ImplArgs common;
  check::FuzzConfig config;
  uint64_t seconds = 600, timeout_ms = 20000, progress = 10;
};

int run(FuzzArgs& a) {
  std::vector<check::ImplSpec> specs;
  if (!a.common.resolve("fuzz", &specs, &a.config.corpus_roots)) return kExitError;
  if (specs.size() != 1) {
    std::cerr << "ssecheck fuzz: name exactly one --impl\n";
    return kExitError;
  }
  a.config.impl = specs.front();
  a.config.budget = std::chrono::seconds(a.seconds);
  a.config.limits.case_timeout = std::chrono::milliseconds(a.timeout_ms);
  a.config.progress_every = std::chrono::seconds(a.progress);
  return check::run_fuzz(a.config, std::cout, std::cerr);
}

struct BenchArgs {
  ImplArgs common;
  check::BenchConfig config;
  std::string size = "4M";
  std::vector<std::string> scaling;
  bool no_worst = false;
  uint64_t timeout_s = 600;
};

int run(BenchArgs& a) {
  check::BenchConfig& config = a.config;
  if (!a.common.resolve("bench", &config.impls, nullptr)) return kExitError;
  if (!parse_size(a.size, &config.bytes)) {
    std::cerr << "ssecheck bench: --size wants a size from 1 to 16G, like 4M, not '" << a.size << "'\n";
    return kExitError;
  }
  for (const std::string& s : a.scaling) {
    uint64_t b = 0;
    if (!parse_size(s, &b)) {
      std::cerr << "ssecheck bench: --scaling wants sizes like 1M,16M,256M, not '" << s << "'\n";
      return kExitError;
    }
    config.scaling.push_back(b);
  }
  config.worst_cases = !a.no_worst;
  config.limits.case_timeout = std::chrono::seconds(a.timeout_s);
  return check::run_impl_bench(config, std::cout, std::cerr);
}

}  // namespace

Command add_check_command(CLI::App& parent) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* sub = parent.add_subcommand("check", "run the conformance cases against implementations' adapters");
  sub->description(sub->get_description() + "\n\n" +
                   "Runs the cases (corpus interactions x schedules, and the WHATWG spec cases for framing-only\n"
                   "implementations) against each implementation through its adapter, in feed and http mode,\n"
                   "and compares every answer with the expected one.");
  sub->footer(exit_footer("every case passed (with --expect: no outcome changed)", "a case failed, or changed"));
  check::CheckConfig& c = args->config;
  add_impl_options(*sub, args->common, "an adapter to run (repeatable)");
  sub->add_option("--cases", c.cases, "only case ids matching this glob, e.g. 'gemini/*' or '*@bytes1'")->type_name("GLOB");
  sub->add_option("--dialect", c.dialect, "only this dialect's cases");
  add_count(*sub, "--seed", c.seed, 0, UINT64_MAX, "seed of the random schedules (default 1)");
  sub->add_option("--modes", args->modes, "which cases to run (default feed,http)")
      ->check(one_of({"feed", "http", "feed,http", "http,feed"}));
  add_count(*sub, "--timeout-ms", args->case_timeout_ms, 1, 3600000, "per-case reply timeout (default 20000)");
  add_count(*sub, "--start-timeout-ms", args->start_timeout_ms, 1, 3600000, "time for the adapter's hello (default 30000)");
  add_count(*sub, "--client-timeout-ms", c.client_timeout_ms, 100, 600000,
            "http: the client's timeout given to the adapter (default 5000)");
  add_count(*sub, "--max-reply-bytes", args->max_reply, 1024, uint64_t{1} << 31, "longest reply line accepted");
  sub->add_option("--json", c.json_path, "write the results as JSON")->type_name("FILE");
  sub->add_option("--junit", c.junit_path, "write a JUnit report")->type_name("FILE");
  sub->add_option("--html", c.html_path, "write the self-contained HTML matrix")->type_name("FILE");
  sub->add_option("--expect", c.expect_path, "known outcomes per implementation; fail only on a change")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  sub->add_option("--write-expect", c.write_expect_path, "write this run's failing outcomes as an expectations file")
      ->type_name("FILE");
  sub->add_flag("--strict", c.strict, "NON_STRICT outcomes fail the run");
  sub->add_flag("-q,--quiet", c.quiet, "print only the summary");
  return {sub, [args] { return run(*args); }};
}

Command add_repro_command(CLI::App& parent) {
  auto args = std::make_shared<ReproArgs>();
  CLI::App* sub = parent.add_subcommand("repro", "rerun one check case and write the exact bytes it sent");
  sub->description(sub->get_description() + "\n\n" +
                   "Reruns one case of `ssecheck check` (or a finding of `ssecheck fuzz`) against one\n"
                   "implementation and writes body.bin, reads.txt, command.json, answer.json and outcome.txt,\n"
                   "so a failure is a self-contained bug report.");
  sub->footer(exit_footer("the case passed", "the case failed"));
  auto* case_opt = sub->add_option("CASE", args->config.case_id, "the case id, as in the check report")->type_name("");
  auto* finding_opt = sub->add_option("--finding", args->finding, "replay a finding saved by `ssecheck fuzz` instead")
                          ->check(CLI::ExistingDirectory)
                          ->type_name("DIR");
  case_opt->excludes(finding_opt);
  add_impl_options(*sub, args->common, "the adapter to run");
  add_count(*sub, "--seed", args->config.seed, 0, UINT64_MAX, "seed of the random schedules, as given to check (default 1)");
  sub->add_option("--out", args->config.out_dir, "directory to write (default: repro-<case>)")->type_name("DIR");
  add_count(*sub, "--timeout-ms", args->timeout_ms, 1, 3600000, "reply timeout (default 20000)");
  return {sub, [args] { return run(*args); }};
}

Command add_fuzz_command(CLI::App& parent) {
  auto args = std::make_shared<FuzzArgs>();
  CLI::App* sub = parent.add_subcommand("fuzz", "differential fuzzing of an implementation against ssecheck");
  sub->description(sub->get_description() + "\n\n" +
                   "Feed mode: corpus streams under mutated read boundaries, SSE rewrites, dialect noise and\n"
                   "byte edits, each answer checked against ssecheck's own result on the same bytes.\n"
                   "Disagreements are minimised and saved once per signature under --findings (replay one\n"
                   "with `ssecheck repro --finding DIR`).");
  sub->footer(exit_footer("no new finding", "new findings were saved"));
  FuzzArgs& a = *args;
  add_impl_options(*sub, a.common, "the adapter to fuzz");
  add_count(*sub, "--time", a.seconds, 1, 7 * 24 * 3600, "time budget in seconds (default 600)");
  add_count(*sub, "--seed", a.config.seed, 0, UINT64_MAX, "seed of the mutators (default 1)");
  add_count(*sub, "--jobs", a.config.jobs, 1, 256, "adapter processes in parallel (default 1)");
  sub->add_option("--findings", a.config.findings_dir,
                  "findings directory, read at start: known findings are not repeated (default fuzz-findings)")
      ->type_name("DIR");
  sub->add_option("--dialect", a.config.dialect, "only this dialect's seeds");
  add_count(*sub, "--timeout-ms", a.timeout_ms, 1, 3600000, "per-input reply timeout (default 20000)");
  add_count(*sub, "--progress", a.progress, 1, 3600, "seconds between progress lines (default 10)");
  sub->add_flag("-q,--quiet", a.config.quiet, "no progress lines");
  return {sub, [args] { return run(*args); }};
}

Command add_bench_command(CLI::App& parent) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* sub = parent.add_subcommand("bench", "throughput of implementations side by side, with ratios");
  sub->description(sub->get_description() + "\n\n" +
                   "Each adapter times itself in-process (the bench command of the adapter protocol) on the\n"
                   "same generated long keep-alive streams: framing, and the full assembly per dialect, at each\n"
                   "feed size, plus the worst cases (an 8 MiB line in 16-byte feeds, 1M comments, 100k\n"
                   "tool-call fragments). Rounds are interleaved; ratios to ssecheck and to the memchr limit\n"
                   "come from this run only.");
  sub->footer(exit_footer("measured", "an implementation gave a wrong digest"));
  BenchArgs& a = *args;
  add_impl_options(*sub, a.common, "an adapter to time (repeatable)");
  sub->add_option("--size", a.size, "bytes per generated stream, e.g. 4M, 64M (default 4M)");
  sub->add_option("--feeds", a.config.feeds, "feed sizes in bytes (default 16,256,1500,16384,65536)")
      ->delimiter(',')
      ->check(count_validator(1, uint64_t{1} << 26));
  sub->add_option("--dialects", a.config.dialects, "only these dialects")->delimiter(',');
  sub->add_option("--scaling", a.scaling, "also time per byte at these sizes, e.g. 1M,16M,256M")->delimiter(',');
  add_count(*sub, "--rounds", a.config.rounds, 1, 100, "interleaved rounds, the best counts (default 3)");
  sub->add_flag("--no-worst-cases", a.no_worst, "skip the long-line, comments and fragments cases");
  sub->add_option("--svg", a.config.svg_path, "write the chart (throughput against feed size)")->type_name("FILE");
  sub->add_option("--json", a.config.json_path, "write every measurement as JSON")->type_name("FILE");
  add_count(*sub, "--timeout-s", a.timeout_s, 1, 86400, "per-measurement timeout (default 600)");
  return {sub, [args] { return run(*args); }};
}

}  // namespace ssecheck::cli
