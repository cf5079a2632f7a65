#include "conform_runner.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <system_error>
#include <thread>

#include "display_text.h"
#include "ssecheck/cassette.h"

namespace ssecheck::conformance {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxFailuresPerKind = 20;

// True when the body starts like an event stream: optional BOM and blank lines, then
// a field or comment line.
bool looks_like_event_stream(std::string_view body) {
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  while (!body.empty() && (body.front() == '\n' || body.front() == '\r')) body.remove_prefix(1);
  for (std::string_view field : {"data:", "event:", "id:", "retry:", ":", "data\n", "data\r"})
    if (body.starts_with(field)) return true;
  return false;
}

}  // namespace

std::optional<std::string> skip_reason(const Interaction& in) {
  const std::string_view type = in.response_headers.first("Content-Type");
  switch (in.body_kind) {
    case BodyKind::event_stream: return std::nullopt;
    case BodyKind::json: return "not a stream: Content-Type " + std::string(type) + " (a plain JSON response)";
    case BodyKind::other: break;
  }
  const bool declared = !type.empty() && type.find("text/plain") == std::string_view::npos &&
                        type.find("octet-stream") == std::string_view::npos;
  if (!declared && looks_like_event_stream(in.response_body)) return std::nullopt;
  if (type.empty()) return std::string("not SSE: no Content-Type and the body does not start like an event stream");
  return "not SSE: Content-Type " + std::string(type) + " is another framing";
}

namespace {

bool read_file(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return static_cast<bool>(in) || in.eof();
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// The native object, the normalized result and the diagnostic codes: what injected
// noise must not change.
std::string meaning_of(const AssembleResult& r) {
  std::string out = r.report.native_json;
  out += '\n';
  out += normalized_to_json(r.report.normalized);
  for (const Diagnostic& d : r.report.diagnostics) out.append(" ").append(name(d.code));
  return out;
}

// ConformOptions::fault_chunking: the report as a broken parser would give it (its
// second line changed), to test how a disagreement is reported.
std::string with_fault(std::string pretty) {
  const size_t nl = pretty.find('\n');
  const size_t end = nl == std::string::npos ? std::string::npos : pretty.find('\n', nl + 1);
  pretty.insert(end == std::string::npos ? pretty.size() : end, " <fault injected>");
  return pretty;
}

std::string first_difference(std::string_view expected, std::string_view actual) {
  const auto a = split_lines(expected);
  const auto b = split_lines(actual);
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string_view x = i < a.size() ? a[i] : "<end>";
    const std::string_view y = i < b.size() ? b[i] : "<end>";
    if (x != y) {
      return "line " + std::to_string(i + 1) + ": expected `" + std::string(x.substr(0, 200)) +
             "`, got `" + std::string(y.substr(0, 200)) + "`";
    }
  }
  return "identical";
}

}  // namespace

std::string cassette_name(const CassetteRef& ref) {
  if (ref.label.empty()) return ref.rel.generic_string();
  std::string label = ref.label;
  while (label.size() > 1 && label.back() == '/') label.pop_back();
  if (label == "/") return "/" + ref.rel.generic_string();
  return label + "/" + ref.rel.generic_string();
}

std::string interaction_label(const InteractionOutcome& o) {
  if (o.mode == CheckMode::load_error) return cassette_name(o.cassette);
  return cassette_name(o.cassette) + "#" + std::to_string(o.index);
}

std::string_view check_mode_name(CheckMode mode) {
  switch (mode) {
    case CheckMode::golden: return "golden";
    case CheckMode::self_consistency: return "self-check";
    case CheckMode::skipped: return "skipped";
    case CheckMode::load_error: return "load-error";
  }
  return "?";
}

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::passed: return "passed";
    case Outcome::failed: return "failed";
    case Outcome::skipped: return "skipped";
    case Outcome::error: return "error";
  }
  return "?";
}

std::string_view failed_check_name(FailedCheck check) {
  switch (check) {
    case FailedCheck::cassette: return "cassette error";
    case FailedCheck::golden_write: return "golden not written";
    case FailedCheck::golden_diff: return "golden diff";
    case FailedCheck::fatal_diagnostic: return "fatal diagnostic";
    case FailedCheck::strict_deviation: return "deviation (--strict)";
    case FailedCheck::chunking: return "chunking disagreement";
  }
  return "?";
}

std::string code_counts_text(const std::vector<CodeCount>& counts, bool with_severity) {
  std::string out;
  for (const CodeCount& c : counts) {
    if (!out.empty()) out += ", ";
    out += c.code;
    out += " \xC3\x97";  // U+00D7 MULTIPLICATION SIGN
    out += std::to_string(c.count);
    if (with_severity && c.severity != Severity::note) out.append(" (").append(severity_name(c.severity)).append(")");
  }
  return out;
}

size_t InteractionOutcome::runs() const {
  size_t n = 0;
  for (const auto& k : kinds) n += k.runs;
  return n;
}

const KindOutcome* InteractionOutcome::first_disagreement() const {
  for (const KindOutcome& k : kinds)
    if (k.failures > 0) return &k;
  return nullptr;
}

std::string InteractionOutcome::failure_text() const {
  if (details.empty()) return reason;
  return reason + "\n" + details;
}

namespace {

// "unexpected_event_type at event 3, byte 412: the message"
std::string describe(const Diagnostic& d) {
  return std::string(name(d.code)) + " at event " + std::to_string(d.event_index) + ", byte " +
         std::to_string(d.byte_offset) + ": " + printable(d.message);
}

std::string describe(const KindOutcome& k) {
  if (k.kind == ChunkingKind::injected) return "inject: " + k.first_failure;
  return std::string(chunking_kind_name(k.kind)) + " " + k.first_chunking + " differs from the whole body: " +
         k.first_failure;
}

// Fills reason and details from the checks that failed (or the skip reason).
void explain(InteractionOutcome& o, const std::string& golden_shown, const std::string& golden_first_difference,
             const std::string& write_error) {
  if (o.outcome == Outcome::passed) return;
  if (o.outcome == Outcome::skipped) return;  // reason set by the caller
  std::string headline;
  for (const FailedCheck check : o.failed_checks) {
    std::string what(failed_check_name(check));
    switch (check) {
      case FailedCheck::cassette: break;  // set by the caller
      case FailedCheck::golden_write: what += ": " + write_error; break;
      case FailedCheck::golden_diff:
        what += ": the whole-body report differs from " + golden_shown + ": " + golden_first_difference;
        break;
      case FailedCheck::fatal_diagnostic:
        what += " (no golden expects it): " + (o.first_fatal ? describe(*o.first_fatal) : std::string("?"));
        break;
      case FailedCheck::strict_deviation:
        what += ": " + (o.first_deviation ? describe(*o.first_deviation)
                                           : o.first_fatal ? describe(*o.first_fatal) : std::string("?"));
        break;
      case FailedCheck::chunking:
        what += ": " + (o.first_disagreement() ? describe(*o.first_disagreement()) : std::string("?"));
        break;
    }
    if (headline.empty()) headline = what;
    else if (headline.find("(also failed: ") == std::string::npos) headline += " (also failed: " + std::string(failed_check_name(check));
    else headline += ", " + std::string(failed_check_name(check));
  }
  if (headline.find("(also failed: ") != std::string::npos) headline += ")";
  if (!headline.empty()) o.reason = headline;

  std::vector<std::string> lines;
  // The headline already names the first fatal diagnostic when that is the failure.
  if (o.first_fatal && o.failed_checks.front() != FailedCheck::fatal_diagnostic)
    lines.push_back("first fatal: " + describe(*o.first_fatal));
  if (o.first_deviation && std::find(o.failed_checks.begin(), o.failed_checks.end(), FailedCheck::strict_deviation) !=
                               o.failed_checks.end())
    lines.push_back("first deviation: " + describe(*o.first_deviation));
  // Each kind that disagreed, counted (the headline has the first one's difference when
  // the disagreement is the headline).
  for (const KindOutcome& k : o.kinds) {
    if (k.failures == 0) continue;
    std::string line = "disagreement: " + std::string(chunking_kind_name(k.kind)) + ": " +
                       std::to_string(k.failures) + (k.failures >= kMaxFailuresPerKind ? " (the cap) or more" : "") +
                       " of " + std::to_string(k.runs) + " chunkings differ, first " + k.first_chunking;
    if (&k != o.first_disagreement() || o.failed_checks.front() != FailedCheck::chunking)
      line += ": " + k.first_failure;
    lines.push_back(std::move(line));
  }
  if (!o.diagnostics.empty()) lines.push_back("diagnostics: " + code_counts_text(o.diagnostics, true));
  if (!o.golden_diff.empty()) lines.push_back("golden diff (- " + golden_shown + ", + this run):\n" + o.golden_diff);
  std::string details;
  for (const std::string& l : lines) {
    if (!details.empty()) details += '\n';
    details += l;
  }
  while (!details.empty() && details.back() == '\n') details.pop_back();
  o.details = std::move(details);
}

// Writes text to path; on failure returns false and the OS reason.
bool write_file(const fs::path& path, std::string_view text, std::string* error) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    *error = "cannot write " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  const bool wrote = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!wrote || !closed) {
    *error = "cannot write " + path.string() + ": " + std::strerror(wrote ? errno : write_errno);
    return false;
  }
  return true;
}

}  // namespace

std::vector<CassetteRef> discover_cassettes(const std::vector<CorpusRoot>& roots) {
  std::vector<CassetteRef> out;
  std::vector<fs::path> seen;  // canonical paths, to list each file once
  auto add = [&](CassetteRef ref) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(ref.root / ref.rel, ec);
    if (ec) canonical = (ref.root / ref.rel).lexically_normal();
    if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) return;
    seen.push_back(std::move(canonical));
    out.push_back(std::move(ref));
  };
  for (const CorpusRoot& root : roots) {
    std::error_code ec;
    if (fs::is_regular_file(root.path, ec)) {  // a single cassette given directly
      const fs::path parent = root.path.parent_path();
      add({parent, root.path.filename(), root.label.empty() ? parent.generic_string() : root.label});
      continue;
    }
    const std::string label = root.label.empty() ? root.path.generic_string() : root.label;
    std::vector<CassetteRef> found;
    fs::recursive_directory_iterator it(root.path, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      if (it->is_directory(ec)) {
        const auto leaf = p.filename().string();
        if (leaf == "golden" || leaf == "regressions" || leaf.starts_with(".")) it.disable_recursion_pending();
        continue;
      }
      const auto ext = p.extension().string();
      if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec))
        found.push_back({root.path, fs::relative(p, root.path, ec), label});
    }
    std::sort(found.begin(), found.end(), [](const CassetteRef& a, const CassetteRef& b) { return a.rel < b.rel; });
    for (CassetteRef& ref : found) add(std::move(ref));
  }
  return out;
}

std::vector<CassetteRef> discover_cassettes(const std::vector<fs::path>& roots) {
  std::vector<CorpusRoot> named;
  for (const fs::path& p : roots) named.push_back({p, {}});
  return discover_cassettes(named);
}

fs::path golden_path(const CassetteRef& ref, size_t interaction) {
  fs::path rel = ref.rel;
  auto first = rel.begin();
  if (first != rel.end() && *first == "cassettes") {
    fs::path stripped;
    for (auto it = std::next(first); it != rel.end(); ++it) stripped /= *it;
    rel = stripped;
  }
  rel.replace_extension();
  return ref.root / "golden" / rel / ("interaction-" + std::to_string(interaction) + ".json");
}

std::string golden_label(const CassetteRef& ref, size_t interaction) {
  const fs::path full = golden_path(ref, interaction);
  std::error_code ec;
  const fs::path under = full.lexically_relative(ref.root);
  CassetteRef shown = ref;
  shown.rel = under.empty() ? full : under;
  return cassette_name(shown);
}

InteractionOutcome check_body(const CassetteRef& ref, size_t index, std::string_view body,
                              const ConformOptions& options, std::string_view dialect) {
  const auto started = std::chrono::steady_clock::now();
  InteractionOutcome out;
  out.cassette = ref;
  out.index = index;
  AssembleOptions aopt = options.accumulate;
  aopt.strict = false;  // goldens record the tolerant assembly; strictness is judged below
  if (!dialect.empty()) aopt.dialect = std::string(dialect);
  const AssembleResult whole = assemble(body, {}, aopt);
  out.dialect = whole.report.dialect;
  // Every chunking runs with the dialect the whole body settled on.
  if (find_dialect(out.dialect)) aopt.dialect = out.dialect;

  // Codes counted (the report counts even those past max_diagnostics), in order of
  // first appearance; codes only counted come after, in catalogue order.
  const AssemblyReport& report = whole.report;
  for (const Diagnostic& d : report.diagnostics) {
    const std::string code(name(d.code));
    auto it = std::find_if(out.diagnostics.begin(), out.diagnostics.end(),
                           [&](const CodeCount& c) { return c.code == code; });
    if (it == out.diagnostics.end()) out.diagnostics.push_back({code, d.severity, report.counts.of(d.code)});
    if (d.severity == Severity::deviation && !out.first_deviation) out.first_deviation = d;
  }
  for (const DiagInfo& info : all_diagnostics()) {
    const uint64_t n = report.counts.of(info.code);
    if (n == 0) continue;
    const std::string code(info.name);
    if (std::none_of(out.diagnostics.begin(), out.diagnostics.end(), [&](const CodeCount& c) { return c.code == code; }))
      out.diagnostics.push_back({code, info.severity, n});
  }
  if (report.first_fatal && *report.first_fatal < report.diagnostics.size())
    out.first_fatal = report.diagnostics[*report.first_fatal];

  const std::string whole_pretty = whole.json_pretty();
  const std::string expected = whole_pretty + "\n";

  const fs::path gp = golden_path(ref, index);
  const std::string golden_shown = golden_label(ref, index);
  std::string write_error, golden_first_difference;
  std::error_code ec;
  if (options.update_golden) {
    std::string old;
    const bool had = read_file(gp, &old);
    if (!had) out.golden_update = "new";
    else if (old == expected) out.golden_update = "unchanged";
    else out.golden_update = line_diff(old, expected);
    if (!had || old != expected) {
      fs::create_directories(gp.parent_path(), ec);
      if (!write_file(gp, expected, &write_error)) out.failed_checks.push_back(FailedCheck::golden_write);
    }
  }

  std::string golden;
  if (read_file(gp, &golden)) {
    out.mode = CheckMode::golden;
    if (golden != expected) {
      out.failed_checks.push_back(FailedCheck::golden_diff);
      golden_first_difference = printable(first_difference(golden, expected));
      out.golden_diff = printable(line_diff(golden, expected), true);
    }
  } else {
    out.mode = CheckMode::self_consistency;
    if (report.counts.fatal > 0) out.failed_checks.push_back(FailedCheck::fatal_diagnostic);
  }
  if (options.strict && (report.counts.fatal > 0 || report.counts.deviation > 0))
    out.failed_checks.push_back(FailedCheck::strict_deviation);

  const uint64_t seed = fnv1a(ref.rel.generic_string() + "#" + std::to_string(index));
  for (const ChunkingKind kind : options.kinds) {
    KindOutcome ko;
    ko.kind = kind;
    if (kind == ChunkingKind::injected) {
      const std::string noisy = inject_noise(body, find_dialect(out.dialect));
      const AssembleResult r = assemble(noisy, {}, aopt);
      ko.runs = 1;
      const std::string want = meaning_of(whole), got = meaning_of(r);
      if (want != got) {
        ko.failures = 1;
        ko.first_chunking = "inject";
        ko.first_failure = "keep-alives and the dialect's own noise changed the result: " +
                           printable(first_difference(whole_pretty, r.json_pretty()));
      }
    } else {
      for_each_chunking(kind, body, seed, options.random_count, [&](const Chunking& c) {
        const AssembleResult r = assemble(body, c.cuts, aopt);
        ++ko.runs;
        const bool faulted = !options.fault_chunking.empty() && c.name == options.fault_chunking;
        if (faulted || r.json_compact != whole.json_compact) {
          if (ko.failures++ == 0) {
            ko.first_chunking = c.name;
            ko.first_failure = printable(first_difference(whole_pretty, faulted ? with_fault(r.json_pretty()) : r.json_pretty()));
          }
        }
        return ko.failures < kMaxFailuresPerKind;
      });
    }
    if (ko.failures > 0 &&
        std::find(out.failed_checks.begin(), out.failed_checks.end(), FailedCheck::chunking) == out.failed_checks.end())
      out.failed_checks.push_back(FailedCheck::chunking);
    out.kinds.push_back(std::move(ko));
  }
  out.outcome = out.failed_checks.empty() ? Outcome::passed : Outcome::failed;
  explain(out, golden_shown, golden_first_difference, write_error);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

ConformSummary run_conformance(const std::vector<CassetteRef>& cassettes, const ConformOptions& options,
                               const CassetteDone& on_cassette) {
  const auto started = std::chrono::steady_clock::now();
  struct Task {
    size_t slot;
    const Interaction* in;
    std::string dialect;  // from the request URL; empty: the options decide
  };
  ConformSummary summary;
  summary.cassettes = cassettes.size();
  std::vector<std::unique_ptr<Cassette>> loaded;  // keeps bodies alive for the tasks
  std::vector<Task> tasks;
  std::vector<size_t> first_slot;  // per cassette; first_slot[i + 1] is its end
  std::vector<size_t> cassette_of; // per slot
  for (size_t c = 0; c < cassettes.size(); ++c) {
    const CassetteRef& ref = cassettes[c];
    first_slot.push_back(summary.interactions.size());
    CassetteResult r = load_cassette_file((ref.root / ref.rel).string());
    if (!r.ok()) {
      InteractionOutcome o;
      o.cassette = ref;
      o.mode = CheckMode::load_error;
      o.outcome = Outcome::error;
      o.failed_checks.push_back(FailedCheck::cassette);
      o.reason = "cassette error: " + std::string(name(*r.code)) + ": " + printable(r.message);
      summary.interactions.push_back(std::move(o));
      cassette_of.push_back(c);
      continue;
    }
    loaded.push_back(std::make_unique<Cassette>(std::move(r.cassette)));
    for (const Interaction& in : loaded.back()->interactions) {
      InteractionOutcome o;
      o.cassette = ref;
      o.index = in.index;
      if (auto why = skip_reason(in)) {
        o.mode = CheckMode::skipped;
        o.outcome = Outcome::skipped;
        o.reason = printable(*why);
      } else {
        std::string dialect;
        if (options.accumulate.dialect == "auto")
          if (const DialectInfo* d = dialect_for_request(in.url)) dialect = d->name;
        tasks.push_back({summary.interactions.size(), &in, std::move(dialect)});
      }
      summary.interactions.push_back(std::move(o));
      cassette_of.push_back(c);
    }
  }
  first_slot.push_back(summary.interactions.size());

  // Workers fill their slots; this thread reports each cassette, in order, once done.
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<size_t> pending(cassettes.size(), 0);
  for (const Task& t : tasks) ++pending[cassette_of[t.slot]];
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < tasks.size();) {
      const Task& t = tasks[i];
      InteractionOutcome o =
          check_body(summary.interactions[t.slot].cassette, t.in->index, t.in->response_body, options, t.dialect);
      std::lock_guard<std::mutex> lock(mutex);
      summary.interactions[t.slot] = std::move(o);
      --pending[cassette_of[t.slot]];
      cv.notify_all();
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<size_t>(tasks.size(), 1)));
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  for (size_t c = 0; c < cassettes.size(); ++c) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait(lock, [&] { return pending[c] == 0; });
    }
    // Slots of finished cassettes are no longer written: safe to read unlocked.
    if (on_cassette)
      on_cassette(c, cassettes[c],
                  std::span<const InteractionOutcome>(summary.interactions.data() + first_slot[c],
                                                      first_slot[c + 1] - first_slot[c]));
  }
  for (auto& t : threads) t.join();

  for (const auto& o : summary.interactions) {
    summary.runs += o.runs();
    switch (o.outcome) {
      case Outcome::passed: ++summary.passed; break;
      case Outcome::failed: ++summary.failed; break;
      case Outcome::skipped: ++summary.skipped; break;
      case Outcome::error: ++summary.errors; break;
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

std::string line_diff(std::string_view expected, std::string_view actual, size_t context) {
  const auto a = split_lines(expected);
  const auto b = split_lines(actual);
  // Trim the common prefix and suffix, then LCS on what is left (bounded).
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  const size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  std::string out;
  if (n == 0 && m == 0) return out;
  out += "@@ -" + std::to_string(pre + 1) + " +" + std::to_string(pre + 1) + " @@\n";
  for (size_t i = pre > context ? pre - context : 0; i < pre; ++i)
    out.append(" ").append(a[i]).append("\n");
  if (n * m > 4'000'000) {  // too big for a table: show both sides whole
    for (size_t i = 0; i < n; ++i) out.append("-").append(a[pre + i]).append("\n");
    for (size_t j = 0; j < m; ++j) out.append("+").append(b[pre + j]).append("\n");
  } else {
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1
                                            : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        out.append(" ").append(a[pre + i]).append("\n");
        ++i, ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        out.append("-").append(a[pre + i++]).append("\n");  // removals before additions
      } else {
        out.append("+").append(b[pre + j++]).append("\n");
      }
    }
  }
  for (size_t k = 0; k < std::min(context, suf); ++k)
    out.append(" ").append(a[a.size() - suf + k]).append("\n");
  return out;
}

}  // namespace ssecheck::conformance
