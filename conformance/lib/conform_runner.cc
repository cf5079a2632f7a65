#include "conform_runner.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "json_lines.h"
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

void append_xml_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 forbids most control characters even as references.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += '?';
        else out += c;
    }
  }
}

}  // namespace

std::string interaction_label(const InteractionOutcome& o) {
  return o.cassette.rel.generic_string() + "#" + std::to_string(o.index);
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

size_t InteractionOutcome::runs() const {
  size_t n = 0;
  for (const auto& k : kinds) n += k.runs;
  return n;
}

std::vector<CassetteRef> discover_cassettes(const std::vector<fs::path>& roots) {
  std::vector<CassetteRef> out;
  for (const fs::path& root : roots) {
    std::error_code ec;
    if (fs::is_regular_file(root, ec)) {  // a single cassette given directly
      out.push_back({root.parent_path(), root.filename()});
      continue;
    }
    std::vector<CassetteRef> found;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      if (it->is_directory(ec)) {
        const auto leaf = p.filename().string();
        if (leaf == "golden" || leaf == "regressions" || leaf.starts_with(".")) it.disable_recursion_pending();
        continue;
      }
      const auto ext = p.extension().string();
      if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec))
        found.push_back({root, fs::relative(p, root, ec)});
    }
    std::sort(found.begin(), found.end(),
              [](const CassetteRef& a, const CassetteRef& b) { return a.rel < b.rel; });
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
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

InteractionOutcome check_body(const CassetteRef& ref, size_t index, std::string_view body,
                              const ConformOptions& options, std::string_view dialect) {
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
  for (const Diagnostic& d : whole.report.diagnostics) out.diagnostic_codes.emplace_back(name(d.code));
  const std::string whole_pretty = whole.json_pretty();
  const std::string expected = whole_pretty + "\n";

  const fs::path gp = golden_path(ref, index);
  std::error_code ec;
  if (options.update_golden) {
    std::string old;
    const bool had = read_file(gp, &old);
    if (!had) out.golden_update = "new";
    else if (old == expected) out.golden_update = "unchanged";
    else out.golden_update = line_diff(old, expected);
    if (!had || old != expected) {
      fs::create_directories(gp.parent_path(), ec);
      std::ofstream f(gp, std::ios::binary | std::ios::trunc);
      f << expected;
      if (!f) {
        out.passed = false;
        out.problem = "cannot write golden " + gp.string();
      }
    }
  }

  std::string golden;
  if (read_file(gp, &golden)) {
    out.mode = CheckMode::golden;
    if (golden != expected) {
      out.passed = false;
      out.problem = "whole-body report differs from golden " + gp.generic_string() + ":\n" +
                    line_diff(golden, expected);
    }
  } else {
    out.mode = CheckMode::self_consistency;
    if (whole.report.counts.fatal > 0) {
      out.passed = false;
      out.problem = "fatal diagnostic(s) without a golden that expects them";
    }
  }
  if (options.strict && (whole.report.counts.fatal > 0 || whole.report.counts.deviation > 0)) {
    out.passed = false;
    if (out.problem.empty()) out.problem = "--strict: the stream has protocol deviations";
  }

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
        ko.first_failure = "keep-alives and the dialect's own noise changed the result: " +
                           first_difference(whole_pretty, r.json_pretty());
      }
    } else {
      for_each_chunking(kind, body, seed, options.random_count, [&](const Chunking& c) {
        const AssembleResult r = assemble(body, c.cuts, aopt);
        ++ko.runs;
        if (r.json_compact != whole.json_compact) {
          if (ko.failures++ == 0)
            ko.first_failure = c.name + ": " + first_difference(whole_pretty, r.json_pretty());
        }
        return ko.failures < kMaxFailuresPerKind;
      });
    }
    if (ko.failures > 0) {
      out.passed = false;
      if (out.problem.empty())
        out.problem = std::string(chunking_kind_name(kind)) + ": " + ko.first_failure;
    }
    out.kinds.push_back(std::move(ko));
  }
  return out;
}

ConformSummary run_conformance(const std::vector<CassetteRef>& cassettes,
                               const ConformOptions& options) {
  struct Task {
    CassetteRef ref;
    size_t index;
    const std::string* body;
    std::string dialect;  // from the request URL; empty: the options decide
  };
  ConformSummary summary;
  summary.cassettes = cassettes.size();
  std::vector<Cassette> loaded;  // keeps bodies alive for the tasks
  loaded.reserve(cassettes.size());
  std::vector<Task> tasks;
  std::vector<std::pair<size_t, InteractionOutcome>> fixed;  // not run: slot -> outcome
  size_t slot = 0;
  for (const CassetteRef& ref : cassettes) {
    CassetteResult r = load_cassette_file((ref.root / ref.rel).string());
    if (!r.ok()) {
      InteractionOutcome o;
      o.cassette = ref;
      o.mode = CheckMode::load_error;
      o.passed = false;
      o.problem = std::string(name(*r.code)) + ": " + r.message;
      fixed.emplace_back(slot++, std::move(o));
      continue;
    }
    loaded.push_back(std::move(r.cassette));
    for (const Interaction& in : loaded.back().interactions) {
      if (auto why = skip_reason(in)) {
        InteractionOutcome o;
        o.cassette = ref;
        o.index = in.index;
        o.mode = CheckMode::skipped;
        o.skip_reason = std::move(*why);
        fixed.emplace_back(slot++, std::move(o));
        continue;
      }
      std::string dialect;
      if (options.accumulate.dialect == "auto")
        if (const DialectInfo* d = dialect_for_request(in.url)) dialect = d->name;
      tasks.push_back({ref, in.index, nullptr, std::move(dialect)});
      ++slot;
    }
  }
  // Bodies: resolve pointers now that `loaded` no longer reallocates.
  {
    size_t t = 0;
    for (const Cassette& c : loaded)
      for (const Interaction& in : c.interactions)
        if (!skip_reason(in)) tasks[t++].body = &in.response_body;
  }

  std::vector<InteractionOutcome> done(tasks.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < tasks.size();)
      done[i] = check_body(tasks[i].ref, tasks[i].index, *tasks[i].body, options, tasks[i].dialect);
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<size_t>(tasks.size(), 1)));
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  // Merge in discovery order.
  summary.interactions.resize(slot);
  std::vector<bool> taken(slot, false);
  for (auto& [s, o] : fixed) {
    summary.interactions[s] = std::move(o);
    taken[s] = true;
  }
  size_t t = 0;
  for (size_t s = 0; s < slot; ++s)
    if (!taken[s]) summary.interactions[s] = std::move(done[t++]);

  for (const auto& o : summary.interactions) {
    summary.runs += o.runs();
    if (o.mode == CheckMode::skipped) ++summary.skipped;
    else if (o.passed) ++summary.passed;
    else ++summary.failed;
  }
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
      } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
        out.append("+").append(b[pre + j++]).append("\n");
      } else {
        out.append("-").append(a[pre + i++]).append("\n");
      }
    }
  }
  for (size_t k = 0; k < std::min(context, suf); ++k)
    out.append(" ").append(a[a.size() - suf + k]).append("\n");
  return out;
}

std::string junit_xml(const ConformSummary& summary) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"ssecheck conform\" tests=\"" +
         std::to_string(summary.interactions.size()) + "\" failures=\"" +
         std::to_string(summary.failed) + "\" skipped=\"" + std::to_string(summary.skipped) +
         "\">\n";
  size_t i = 0;
  while (i < summary.interactions.size()) {
    const fs::path& rel = summary.interactions[i].cassette.rel;
    size_t j = i, failures = 0, skipped = 0;
    for (; j < summary.interactions.size() && summary.interactions[j].cassette.rel == rel; ++j) {
      failures += !summary.interactions[j].passed;
      skipped += summary.interactions[j].mode == CheckMode::skipped;
    }
    out += "  <testsuite name=\"";
    append_xml_escaped(out, rel.generic_string());
    out += "\" tests=\"" + std::to_string(j - i) + "\" failures=\"" + std::to_string(failures) +
           "\" skipped=\"" + std::to_string(skipped) + "\">\n";
    for (; i < j; ++i) {
      const InteractionOutcome& o = summary.interactions[i];
      out += "    <testcase classname=\"";
      append_xml_escaped(out, rel.generic_string());
      out += "\" name=\"interaction-" + std::to_string(o.index) + " (" +
             std::string(check_mode_name(o.mode)) + ", " + std::to_string(o.runs()) +
             " chunkings)\">";
      if (o.mode == CheckMode::skipped) {
        out += "<skipped message=\"";
        append_xml_escaped(out, o.skip_reason);
        out += "\"/>";
      } else if (!o.passed) {
        out += "<failure message=\"";
        append_xml_escaped(out, o.problem.substr(0, o.problem.find('\n')));
        out += "\">";
        append_xml_escaped(out, o.problem);
        out += "</failure>";
      }
      out += "</testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::string summary_json(const ConformSummary& summary) {
  std::string out = "{\"passed\":" + std::to_string(summary.passed) +
                    ",\"failed\":" + std::to_string(summary.failed) +
                    ",\"skipped\":" + std::to_string(summary.skipped) +
                    ",\"runs\":" + std::to_string(summary.runs) + ",\"interactions\":[";
  for (size_t i = 0; i < summary.interactions.size(); ++i) {
    const InteractionOutcome& o = summary.interactions[i];
    if (i) out += ",";
    out += "{\"cassette\":";
    append_json_string(out, o.cassette.rel.generic_string());
    out += ",\"interaction\":" + std::to_string(o.index) + ",\"mode\":\"" +
           std::string(check_mode_name(o.mode)) + "\",\"passed\":" + (o.passed ? "true" : "false");
    out += ",\"problem\":";
    append_json_string(out, o.problem);
    out += ",\"diagnostics\":[";
    for (size_t d = 0; d < o.diagnostic_codes.size(); ++d) {
      if (d) out += ",";
      append_json_string(out, o.diagnostic_codes[d]);
    }
    out += "],\"chunkings\":{";
    for (size_t k = 0; k < o.kinds.size(); ++k) {
      if (k) out += ",";
      // Appended piece by piece: gcc 12 -O3 warns falsely (-Wrestrict) on "..." + string.
      out.append("\"").append(chunking_kind_name(o.kinds[k].kind)).append("\":{\"runs\":");
      out.append(std::to_string(o.kinds[k].runs)).append(",\"failures\":");
      out.append(std::to_string(o.kinds[k].failures)).append("}");
    }
    out += "}}";
  }
  out += "]}\n";
  return out;
}

}  // namespace ssecheck::conformance
