#include "run_check.h"

#include <fnmatch.h>

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
#include "ssecheck/replay/replay_server.h"
#include "ssecheck/replay/serve.h"

namespace ssecheck::check {
namespace {

struct Output {
  std::string path;
  std::ofstream file;
};

bool open_output(const std::string& path, std::unique_ptr<Output>* out, std::ostream& err) {
  if (path.empty()) return true;
  auto o = std::make_unique<Output>();
  o->path = path;
  errno = 0;
  o->file.open(path, std::ios::binary | std::ios::trunc);
  if (!o->file) {
    err << "ssecheck check: cannot write " << path << ": " << std::strerror(errno ? errno : EIO) << "\n";
    return false;
  }
  *out = std::move(o);
  return true;
}

bool write_output(Output* o, const std::string& text, std::ostream& err) {
  if (o == nullptr) return true;
  o->file << text;
  o->file.flush();
  if (!o->file) {
    err << "ssecheck check: cannot write " << o->path << ": " << std::strerror(errno ? errno : EIO) << "\n";
    return false;
  }
  return true;
}

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
  std::unique_ptr<Output> json, junit, html, expect_out;
  if (!open_output(config.json_path, &json, err) || !open_output(config.junit_path, &junit, err) ||
      !open_output(config.html_path, &html, err) || !open_output(config.write_expect_path, &expect_out, err))
    return 2;

  CaseOptions co;
  co.corpus_roots = config.corpus_roots;
  if (co.corpus_roots.empty()) co.corpus_roots.emplace_back(SSECHECK_CORPUS_DIR);
  co.spec_dir = config.spec_dir.empty() ? co.corpus_roots.front() / "spec" : config.spec_dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(co.spec_dir, ec)) co.spec_dir.clear();
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

  // http-mode cases are served by one in-process replay server on loopback.
  std::unique_ptr<replay::ReplayServer> server;
  HttpHost host;
  bool any_http = false;
  for (const CheckCase& c : cases) any_http |= c.mode == CaseMode::http;
  if (any_http) {
    try {
      server = std::make_unique<replay::ReplayServer>(replay::ServerOptions{});
    } catch (const std::exception& e) {
      err << "ssecheck check: cannot start the replay server: " << e.what() << "\n";
      return 2;
    }
    host.client_timeout_ms = config.client_timeout_ms;
    host.base_url_for = [&](const CheckCase& c) {
      const std::string token = replay::case_token(c.id);
      server->add_case(token, *c.replay);
      server->clear_journal(token);
      return server->base_url(token);
    };
    host.journal_for = [&](const CheckCase& c) {
      std::string text;
      size_t n = 0;
      for (const replay::JournalEntry& e : server->journal(replay::case_token(c.id))) {
        if (++n > 3) {
          text += "(more requests)\n";
          break;
        }
        text += e.method + " " + e.path + (e.query.empty() ? "" : "?" + e.query) + " -> " + std::to_string(e.status) +
                "\n" + e.body.substr(0, 2000) + "\n";
      }
      return text;
    };
  }

  RunReport report;
  report.cases = &cases;
  report.seed = config.seed;
  const auto started = std::chrono::steady_clock::now();
  RunOptions ro;
  ro.limits = config.limits;
  ro.strict = config.strict;
  if (server) ro.http = &host;
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
  bool ok = write_output(json.get(), results_json(report), err) &&
            write_output(junit.get(), junit_xml(report, config.strict), err) &&
            write_output(html.get(), matrix_html(report), err) &&
            write_output(expect_out.get(), expectations_json(report, config.strict), err);
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
  if (co.corpus_roots.empty()) co.corpus_roots.emplace_back(SSECHECK_CORPUS_DIR);
  co.spec_dir = co.corpus_roots.front() / "spec";
  std::error_code ec;
  if (!std::filesystem::is_directory(co.spec_dir, ec)) co.spec_dir.clear();
  co.seed = config.seed;
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
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    err << "ssecheck repro: cannot create " << dir.string() << ": " << ec.message() << "\n";
    return 2;
  }
  const auto write = [&](const char* name, const std::string& text) {
    std::ofstream f(dir / name, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f) err << "ssecheck repro: cannot write " << (dir / name).string() << ": " << std::strerror(errno) << "\n";
    return static_cast<bool>(f);
  };
  std::string reads;
  for (size_t cut : found->cuts) reads += std::to_string(cut) + "\n";
  const std::vector<CheckCase> one = {*found};
  RunOptions ro;
  ro.limits = config.limits;
  const ImplResults r = run_implementation(config.impl, one, ro);
  const CaseResult& res = r.results.front();
  std::string outcome = std::string(outcome_name(res.outcome)) + ": " + res.reason + "\nrule: " + found->rule +
                        "\nsource: " + found->source + "\n";
  for (const auto& d : res.diff) outcome += d + "\n";
  if (!write("body.bin", found->body) || !write("reads.txt", reads) ||
      !write("command.json", found->mode == CaseMode::feed ? feed_command("1", found->dialect, found->pieces(), &found->request) + "\n"
                                                          : std::string("(http mode)\n")) ||
      !write("answer.json", res.answer + "\n") || !write("outcome.txt", outcome))
    return 2;
  out << outcome << "written to " << dir.string() << "/\n";
  return is_failure(res.outcome, false) ? 1 : 0;
}

}  // namespace ssecheck::check
