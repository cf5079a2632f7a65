#include "run_check.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>

#include "check_report.h"
#include "output_files.h"
#include "ssecheck/replay/replay_server.h"
#include "ssecheck/replay/serve.h"

namespace ssecheck::check {
namespace {

// http-mode cases are served by one in-process replay server on loopback.
class ReplayHost {
 public:
  // Starts the server when a case needs it; false after printing why it cannot.
  bool start_if_needed(const std::vector<CheckCase>& cases, int client_timeout_ms, std::string_view who,
                       std::ostream& err) {
    if (std::none_of(cases.begin(), cases.end(), [](const CheckCase& c) { return c.mode == CaseMode::http; }))
      return true;
    try {
      server_ = std::make_unique<replay::ReplayServer>(replay::ServerOptions{});
    } catch (const std::exception& e) {
      err << who << ": cannot start the replay server: " << e.what() << "\n";
      return false;
    }
    host_.client_timeout_ms = client_timeout_ms;
    host_.base_url_for = [this](const CheckCase& c) {
      const std::string token = replay::case_token(c.id);
      server_->add_case(token, *c.replay);
      server_->clear_journal(token);
      return server_->base_url(token);
    };
    host_.journal_for = [this](const CheckCase& c) { return server_->journal(replay::case_token(c.id)); };
    return true;
  }
  const HttpHost* host() const { return server_ ? &host_ : nullptr; }

 private:
  std::unique_ptr<replay::ReplayServer> server_;
  HttpHost host_;
};

}  // namespace

bool parse_impl(std::string_view text, ImplSpec* out, std::string* error) {
  const size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    *error = "--impl wants NAME=COMMAND, e.g. --impl ssecheck=build/release/conformance/adapters/ssecheck/ssecheck_adapter";
    return false;
  }
  out->name = std::string(text.substr(0, eq));
  out->command = std::string(text.substr(eq + 1));
  for (const char c : out->name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      *error = "--impl name \"" + out->name + "\" may hold only letters, digits, '-', '_' and '.'";
      return false;
    }
  return true;
}

int run_check(const CheckConfig& config, std::ostream& out, std::ostream& err) {
  if (config.impls.empty()) {
    err << "ssecheck check: name at least one implementation with --impl NAME=COMMAND\n";
    return 2;
  }
  std::map<std::string, int> names;
  for (const ImplSpec& i : config.impls)
    if (++names[i.name] > 1) {
      err << "ssecheck check: --impl " << i.name << " is given twice\n";
      return 2;
    }
  Expectations expected;
  if (!config.expect_path.empty()) {
    std::ifstream in(config.expect_path, std::ios::binary);
    if (!in) {
      err << "ssecheck check: cannot read " << config.expect_path << ": " << std::strerror(errno) << "\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string error;
    if (!parse_expectations(text.str(), &expected, &error)) {
      err << "ssecheck check: " << config.expect_path << ": " << error << "\n";
      return 2;
    }
  }
  OutputFile json, junit, html, expect_out;
  if (!json.open(config.json_path, "ssecheck check", err) || !junit.open(config.junit_path, "ssecheck check", err) ||
      !html.open(config.html_path, "ssecheck check", err) ||
      !expect_out.open(config.write_expect_path, "ssecheck check", err))
    return 2;

  CaseOptions co;
  co.corpus_roots = config.corpus_roots;
  co.spec_dir = config.spec_dir;
  std::error_code ec;
  co.dialect = config.dialect;
  co.seed = config.seed;
  co.feed = config.feed;
  co.http = config.http;
  co.replay_options.stall = std::chrono::milliseconds(2 * config.client_timeout_ms);
  for (const auto& root : co.corpus_roots)
    if (!std::filesystem::is_directory(root, ec)) {
      err << "ssecheck check: " << root.string() << " is not a directory\n";
      return 2;
    }
  CaseSet set = build_cases(co);
  for (const std::string& p : set.problems) err << "ssecheck check: corpus: " << p << "\n";
  if (!set.problems.empty()) return 2;
  std::vector<CheckCase> cases;
  for (CheckCase& c : set.cases)
    if (config.cases.empty() || fnmatch(config.cases.c_str(), c.id.c_str(), 0) == 0) cases.push_back(std::move(c));
  if (cases.empty()) {
    err << "ssecheck check: no case matches"
        << (config.cases.empty() ? std::string(" (does the corpus hold goldens?)") : " --cases " + config.cases) << "\n";
    return 2;
  }

  ReplayHost replay_host;
  if (!replay_host.start_if_needed(cases, config.client_timeout_ms, "ssecheck check", err)) return 2;

  RunReport report;
  report.cases = &cases;
  report.seed = config.seed;
  const auto started = std::chrono::steady_clock::now();
  RunOptions ro;
  ro.limits = config.limits;
  ro.strict = config.strict;
  ro.http = replay_host.host();
  auto last_progress = std::chrono::steady_clock::now();
  ro.on_result = [&](const ImplResults& impl, const CaseResult& r) {
    if (!config.quiet && is_failure(r.outcome, config.strict))
      out << outcome_name(r.outcome) << " " << impl.spec.name << " " << r.test->id << ": " << r.reason << "\n" << std::flush;
    const auto now = std::chrono::steady_clock::now();
    if (!config.quiet && (now - last_progress > std::chrono::seconds(5) || impl.results.size() == cases.size())) {
      last_progress = now;
      out << "check: " << impl.spec.name << " " << impl.results.size() << "/" << cases.size() << " cases, "
          << impl.count(Outcome::pass) << " passed, "
          << impl.results.size() - impl.count(Outcome::pass) - impl.count(Outcome::skipped) << " not passed, "
          << impl.count(Outcome::skipped) << " skipped\n"
          << std::flush;
    }
  };
  for (const ImplSpec& impl : config.impls) {
    if (!config.quiet) out << "check: " << impl.name << " (" << impl.command << ")\n" << std::flush;
    report.impls.push_back(run_implementation(impl, cases, ro));
    if (!report.impls.back().start_problem.empty())
      err << "ssecheck check: " << impl.name << ": " << report.impls.back().start_problem << "\n";
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  out << "\n" << cases.size() << " cases, " << report.seconds << " s\n";
  bool failed = false;
  for (const ImplResults& impl : report.impls) {
    out << impl.spec.name << " (" << impl.hello.name << " " << impl.hello.version << "):";
    for (Outcome o : {Outcome::pass, Outcome::fail, Outcome::non_strict, Outcome::informational, Outcome::crash,
                      Outcome::timeout, Outcome::protocol_error, Outcome::skipped})
      if (impl.count(o)) out << " " << impl.count(o) << " " << outcome_name(o);
    out << "\n";
    for (const CaseResult& r : impl.results) failed |= is_failure(r.outcome, config.strict);
  }
  const bool ok = json.write(results_json(report), err) && junit.write(junit_xml(report, config.strict), err) &&
                  html.write(matrix_html(report), err) &&
                  expect_out.write(expectations_json(report, config.strict), err);
  if (!ok) return 2;
  if (!config.expect_path.empty()) {
    const std::vector<Change> diff = changes(report, expected, config.strict);
    for (const Change& c : diff)
      out << "CHANGED " << c.impl << " " << c.case_id << ": expected " << outcome_name(c.expected) << ", got "
          << outcome_name(c.got) << "\n";
    out << (diff.empty() ? "no change from " : std::to_string(diff.size()) + " change(s) from ") << config.expect_path
        << "\n";
    return diff.empty() ? 0 : 1;
  }
  return failed ? 1 : 0;
}

}  // namespace ssecheck::check

namespace ssecheck::check {

int run_repro(const ReproConfig& config, std::ostream& out, std::ostream& err) {
  CaseOptions co;
  co.corpus_roots = config.corpus_roots;
  co.seed = config.seed;
  co.replay_options.stall = std::chrono::milliseconds(2 * config.client_timeout_ms);
  const CaseSet set = build_cases(co);
  const CheckCase* found = nullptr;
  for (const CheckCase& c : set.cases)
    if (c.id == config.case_id) found = &c;
  if (found == nullptr) {
    err << "ssecheck repro: no case \"" << config.case_id << "\" (list them with: ssecheck check --impl ... --json F)\n";
    return 2;
  }
  std::string dir_name = "repro-" + config.case_id;
  for (char& ch : dir_name)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '.' || ch == '_')) ch = '_';
  const std::filesystem::path dir = config.out_dir.empty() ? std::filesystem::path(dir_name) : config.out_dir;
  std::string reads;
  for (size_t cut : found->cuts) reads += std::to_string(cut) + "\n";
  const std::vector<CheckCase> one = {*found};
  ReplayHost replay_host;
  if (!replay_host.start_if_needed(one, config.client_timeout_ms, "ssecheck repro", err)) return 2;
  RunOptions ro;
  ro.limits = config.limits;
  ro.http = replay_host.host();
  const ImplResults r = run_implementation(config.impl, one, ro);
  const CaseResult& res = r.results.front();
  std::string outcome = std::string(outcome_name(res.outcome)) + ": " + res.reason + "\nrule: " + found->rule +
                        "\nsource: " + found->source + "\n";
  for (const auto& d : res.diff) outcome += d + "\n";
  if (!write_files(dir,
                   {{"body.bin", found->body},
                    {"reads.txt", reads},
                    {"command.json", found->mode == CaseMode::feed
                                         ? feed_command("1", found->dialect, found->pieces(), &found->request) + "\n"
                                         : http_command("1", found->dialect, "BASE_URL", found->request,
                                                        config.client_timeout_ms) + "\n"},
                    {"answer.json", res.answer + "\n"},
                    {"outcome.txt", outcome}},
                   "ssecheck repro", err))
    return 2;
  out << outcome << "written to " << dir.string() << "/\n";
  return is_failure(res.outcome, false) ? 1 : 0;
}

}  // namespace ssecheck::check
