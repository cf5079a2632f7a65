#include "impl_bench.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <unistd.h>
#include <cerrno>

#include "event_digest.h"
#include "output_files.h"
#include "result_digest.h"
#include "ssecheck/assemble.h"
#include "ssecheck/event_stream_parser.h"
#include "stream_generator.h"

namespace ssecheck::check {
namespace {

namespace fs = std::filesystem;

struct Item {
  std::string work;     // framing | assemble
  std::string dialect;  // assemble: the dialect; framing: the stream's
  std::string name;     // e.g. "assemble/gemini", "framing/long-line"
  fs::path file;
  uint64_t bytes = 0;
  std::vector<size_t> feeds;
  std::string expected_digest;
  uint64_t expected_events = 0;
};

struct Row {
  double best = 0;  // bytes per second, best round
  uint64_t events = 0;
  std::string digest, problem;
  bool measured = false;
  bool unsupported = false;  // the adapter declined this work: no row
};


bool write_stream(const fs::path& path, const bench::StreamOptions& options) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  bench::StreamGenerator gen(options);
  std::vector<char> block(1 << 16);
  for (size_t n; (n = gen.next_block(block)) > 0;) f.write(block.data(), static_cast<std::streamsize>(n));
  return static_cast<bool>(f);
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// What ssecheck itself makes of the file: the reference digest.
// ssecheck's answer on a generated file. False when ssecheck itself fails on it (a
// limit, say): then its digest would be no reference, and the work must change.
bool expect(Item& item) {
  const std::string bytes = read_all(item.file);
  item.bytes = bytes.size();
  if (item.work == "framing") {
    bench::EventDigestSink sink;
    EventStreamParser parser(sink);
    const bool ok = parser.feed(bytes) == ParseStatus::ok && parser.finish() == ParseStatus::ok;
    item.expected_events = sink.events();
    item.expected_digest = sink.hex();
    return ok;
  }
  AssembleOptions o;
  o.dialect = item.dialect;
  const AssembleResult r = assemble(bytes, {}, o);
  item.expected_events = r.report.stats.events;
  item.expected_digest = bench::digest_of(r.report.normalized).digest();
  return !r.report.first_fatal.has_value();
}

double memchr_rate(const std::string& bytes, size_t feed) {
  double best = 1e300;
  for (int r = 0; r < 3; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    size_t lines = 0;
    for (size_t at = 0; at < bytes.size(); at += feed) {
      const char* p = bytes.data() + at;
      const char* end = bytes.data() + std::min(bytes.size(), at + feed);
      while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr) ++lines, ++p;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (lines == static_cast<size_t>(-1)) std::puts("");  // keeps the loop
    best = std::min(best, s);
  }
  return static_cast<double>(bytes.size()) / std::max(best, 1e-9);
}

std::string mib(double bps) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", bps / 1048576.0);
  return b;
}

std::string svg_chart(const std::vector<Item>& items, const std::vector<ImplSpec>& impls,
                      const std::map<std::string, std::map<std::string, std::map<size_t, Row>>>& rows,
                      const std::map<std::string, std::map<size_t, double>>& memchr) {
  static const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                   "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
  const int w = 520, h = 260, cols = 2;
  std::vector<const Item*> charted;
  for (const Item& it : items)
    if (it.feeds.size() > 1) charted.push_back(&it);
  const int chart_rows = static_cast<int>((charted.size() + cols - 1) / cols);
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w * cols << "\" height=\"" << h * chart_rows + 40
    << "\" font-family=\"sans-serif\" font-size=\"11\">\n<text x=\"10\" y=\"20\" font-size=\"14\">"
       "Throughput (MiB/s, log) against feed size (bytes, log); dashed: memchr limit</text>\n";
  for (size_t c = 0; c < charted.size(); ++c) {
    const Item& it = *charted[c];
    const int ox = static_cast<int>(c % cols) * w + 50, oy = static_cast<int>(c / cols) * h + 50;
    const int pw = w - 130, ph = h - 70;
    double lo = 1e300, hi = 0;
    const auto consider = [&](double v) {
      if (v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
    };
    for (const auto& impl : impls)
      for (size_t f : it.feeds)
        if (auto r = rows.at(it.name).find(impl.name); r != rows.at(it.name).end())
          if (auto x = r->second.find(f); x != r->second.end() && x->second.measured) consider(x->second.best);
    for (size_t f : it.feeds) consider(memchr.at(it.name).at(f));
    if (hi <= 0) continue;
    const double ly0 = std::log10(lo / 1.5), ly1 = std::log10(hi * 1.5);
    const double lx0 = std::log10(double(it.feeds.front())), lx1 = std::log10(double(it.feeds.back()));
    const auto X = [&](size_t f) { return ox + (lx1 > lx0 ? (std::log10(double(f)) - lx0) / (lx1 - lx0) : 0.5) * pw; };
    const auto Y = [&](double v) { return oy + ph - (std::log10(v) - ly0) / (ly1 - ly0) * ph; };
    s << "<g><text x=\"" << ox << "\" y=\"" << oy - 8 << "\" font-weight=\"bold\">" << it.name << " ("
      << it.bytes / 1048576.0 << " MiB)</text>\n<rect x=\"" << ox << "\" y=\"" << oy << "\" width=\"" << pw
      << "\" height=\"" << ph << "\" fill=\"none\" stroke=\"#999\"/>\n";
    for (size_t f : it.feeds)
      s << "<text x=\"" << X(f) << "\" y=\"" << oy + ph + 14 << "\" text-anchor=\"middle\">" << f << "</text>\n";
    const double mi = 1048576.0;  // ticks at decades of MiB/s
    for (double m = std::pow(10.0, std::floor(ly0 - std::log10(mi))); m * mi < std::pow(10.0, ly1); m *= 10)
      if (m * mi >= std::pow(10.0, ly0))
        s << "<text x=\"" << ox - 4 << "\" y=\"" << Y(m * mi) + 4 << "\" text-anchor=\"end\">" << m << "</text>\n";
    const auto line = [&](const std::vector<std::pair<size_t, double>>& pts, const char* colour, bool dashed,
                          const std::string& label, int k) {
      if (pts.empty()) return;
      s << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\""
        << (dashed ? " stroke-dasharray=\"4 3\"" : "") << " points=\"";
      for (const auto& [f, v] : pts) s << X(f) << "," << Y(v) << " ";
      s << "\"/>\n<text x=\"" << ox + pw + 4 << "\" y=\"" << oy + 12 + 12 * k << "\" fill=\"" << colour
        << "\" font-size=\"9\">" << label << "</text>\n";
    };
    std::vector<std::pair<size_t, double>> m;
    for (size_t f : it.feeds) m.emplace_back(f, memchr.at(it.name).at(f));
    line(m, "#444", true, "memchr", 0);
    for (size_t i = 0; i < impls.size(); ++i) {
      std::vector<std::pair<size_t, double>> pts;
      const auto r = rows.at(it.name).find(impls[i].name);
      if (r == rows.at(it.name).end()) continue;
      for (size_t f : it.feeds)
        if (auto x = r->second.find(f); x != r->second.end() && x->second.measured && x->second.problem.empty())
          pts.emplace_back(f, x->second.best);
      line(pts, kColours[i % 10], false, impls[i].name, static_cast<int>(i) + 1);
    }
    s << "</g>\n";
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace

int run_impl_bench(const BenchConfig& config, std::ostream& out, std::ostream& err) {
  if (config.impls.empty()) {
    err << "ssecheck bench: name at least one implementation with --impl NAME=COMMAND\n";
    return 2;
  }
  OutputFile svg, json;
  if (!svg.open(config.svg_path, "ssecheck bench", err) || !json.open(config.json_path, "ssecheck bench", err)) return 2;
  std::error_code ec;
  const fs::path dir = fs::temp_directory_path(ec) / ("ssecheck-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir, ec);
  if (ec) {
    err << "ssecheck bench: cannot create " << dir.string() << ": " << ec.message() << "\n";
    return 2;
  }
  struct Cleanup {
    fs::path d;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(d, e);
    }
  } cleanup{dir};

  // The work: the framing of the chat stream, the full path per dialect, worst cases, scaling.
  std::vector<Item> items;
  std::string unfit;  // a work on which ssecheck itself fails
  const auto add = [&](std::string work, std::string dialect, std::string name, bench::StreamOptions o,
                       std::vector<size_t> feeds) {
    Item it;
    it.work = std::move(work), it.dialect = std::move(dialect), it.name = std::move(name);
    it.file = dir / (std::to_string(items.size()) + ".sse");
    it.feeds = std::move(feeds);
    if (!write_stream(it.file, o)) return false;
    if (!expect(it)) return unfit = it.name, false;
    items.push_back(std::move(it));
    return true;
  };
  bench::StreamOptions base;
  base.seed = 42;
  base.target_bytes = config.bytes;
  base.profile = bench::StreamProfile::keepalive;
  bool ok = add("framing", "openai-chat", "framing/keepalive", base, config.feeds);
  std::vector<std::string> dialects = config.dialects;
  if (dialects.empty()) dialects = {"openai-chat", "openai-responses", "anthropic-messages", "gemini"};
  for (const std::string& d : dialects) {
    bench::StreamOptions o = base;
    if (!bench::parse_wire(d, o.wire)) {
      err << "ssecheck bench: no generator for dialect " << d << "\n";
      return 2;
    }
    o.crlf = d == "gemini";
    o.profile = bench::StreamProfile::agent;  // reasoning, text, tool calls, keep-alives, idle stretches
    ok = ok && add("assemble", d, "assemble/" + d, o, config.feeds);
  }
  if (config.worst_cases) {
    bench::StreamOptions c = base;
    c.profile = bench::StreamProfile::comments;
    c.count = 1000000;
    ok = ok && add("framing", "openai-chat", "framing/1M-comments", c, {65536});
    bench::StreamOptions t = base;
    t.profile = bench::StreamProfile::tool_fragments;
    t.count = 100000;
    ok = ok && add("assemble", "openai-chat", "assemble/100k-tool-fragments", t, {1500});
    // One 8 MiB line (the default max_line_bytes, so within every limit) fed 16 bytes
    // at a time: quadratic re-scanning shows here.
    Item line;
    line.work = "framing", line.dialect = "openai-chat", line.name = "framing/8MiB-line@16";
    line.file = dir / "long-line.sse";
    {
      std::ofstream f(line.file, std::ios::binary);
      f << "data: " << std::string(ParserOptions{}.max_line_bytes - 6, 'x') << "\n\n";
      ok = ok && static_cast<bool>(f);
    }
    line.feeds = {16};
    if (ok && !expect(line)) unfit = line.name, ok = false;
    if (ok) items.push_back(std::move(line));
  }
  for (uint64_t size : config.scaling) {
    bench::StreamOptions o = base;
    o.target_bytes = size;
    ok = ok && add("framing", "openai-chat", "scaling/framing@" + std::to_string(size >> 20) + "MiB", o, {65536});
  }
  if (!unfit.empty()) {  // a bug of the bench, not of an implementation
    err << "ssecheck bench: ssecheck fails on its own generated " << unfit << " (a limit?), so it cannot be the reference\n";
    return 2;
  }
  if (!ok) {
    err << "ssecheck bench: cannot write the generated streams under " << dir.string() << "\n";
    return 2;
  }

  // Start every adapter once.
  struct Live {
    ImplSpec spec;
    std::unique_ptr<AdapterProcess> process;
    Hello hello;
    std::string problem;
  };
  std::vector<Live> live;
  for (const ImplSpec& spec : config.impls) {
    Live l;
    l.spec = spec;
    l.process = std::make_unique<AdapterProcess>(spec.command, config.limits);
    std::string error;
    if (!l.process->start(&error)) l.problem = error;
    else {
      const Exchange ex = l.process->request(hello_command("hello"), config.limits.start_timeout);
      if (ex.status != ExchangeStatus::ok) l.problem = "hello: " + ex.detail;
      else if (!parse_hello(ex.reply, &l.hello, &error)) l.problem = "hello: " + error;
    }
    if (!l.problem.empty()) err << "ssecheck bench: " << spec.name << ": " << l.problem << "\n";
    live.push_back(std::move(l));
  }
  const auto supports = [](const Live& l, const Item& it) {
    if (!l.problem.empty()) return false;
    if (it.work == "framing") return true;  // any adapter frames; assemblers are timed on it too
    return !l.hello.events_output && l.hello.dialects.count(it.dialect) != 0;
  };

  std::map<std::string, std::map<std::string, std::map<size_t, Row>>> rows;  // item -> impl -> feed
  std::map<std::string, std::map<size_t, double>> memchr;
  uint64_t id = 0;
  for (const Item& it : items) {
    const std::string bytes = read_all(it.file);
    for (size_t f : it.feeds) memchr[it.name][f] = 0;
    for (int round = 0; round < std::max(1, config.rounds); ++round) {
      for (size_t f : it.feeds) {
        memchr[it.name][f] = std::max(memchr[it.name][f], memchr_rate(bytes, f));
        for (Live& l : live) {
          if (!supports(l, it)) continue;
          Row& row = rows[it.name][l.spec.name][f];
          if (!row.problem.empty() && !row.measured) continue;
          rapidjson::StringBuffer b;
          rapidjson::Writer<rapidjson::StringBuffer> w(b);
          const std::string rid = std::to_string(++id);
          w.StartObject();
          w.Key("id"), w.String(rid.c_str());
          w.Key("cmd"), w.String("bench");
          w.Key("work"), w.String(it.work.c_str());
          w.Key("dialect"), w.String(it.dialect.c_str());
          const std::string abs = fs::absolute(it.file).string();
          w.Key("file"), w.String(abs.c_str());
          w.Key("feed"), w.Uint64(f);
          w.Key("repeat"), w.Int(1);
          w.EndObject();
          const Exchange ex = l.process->request(b.GetString(), config.limits.case_timeout);
          rapidjson::Document d;
          if (ex.status == ExchangeStatus::ok) d.Parse(ex.reply.c_str());
          if (ex.status != ExchangeStatus::ok || d.HasParseError() || !d.IsObject() || !d.HasMember("seconds") ||
              !d["seconds"].IsNumber() || !d.HasMember("digest") || !d["digest"].IsString()) {
            if (d.IsObject() && d.HasMember("error") && d["error"].IsObject() && d["error"].HasMember("kind") &&
                d["error"]["kind"] == "unsupported")
              row.unsupported = true;
            row.problem = ex.status != ExchangeStatus::ok ? std::string(exchange_status_name(ex.status)) + ": " + ex.detail
                          : d.IsObject() && d.HasMember("error") ? "does not bench: " + ex.reply.substr(0, 200)
                                                                 : "bad bench reply: " + ex.reply.substr(0, 200);
            if (ex.status != ExchangeStatus::ok) {  // restart for the next measurement
              std::string e;
              l.process->start(&e);
              l.process->request(hello_command("hello"), config.limits.start_timeout);
            }
            continue;
          }
          const double rate = static_cast<double>(it.bytes) / std::max(d["seconds"].GetDouble(), 1e-9);
          row.digest = d["digest"].GetString();
          row.events = d.HasMember("events") && d["events"].IsUint64() ? d["events"].GetUint64() : 0;
          row.problem = row.digest == it.expected_digest ? "" : "WRONG digest " + row.digest + ", expected " + it.expected_digest;
          row.best = std::max(row.best, rate);
          row.measured = true;
        }
      }
    }
    out << "bench: " << it.name << " done\n" << std::flush;
  }
  for (Live& l : live) l.process->stop();

  // The table: every row beside ssecheck (the first impl named ssecheck, else the first).
  std::string reference = config.impls.front().name;
  for (const ImplSpec& s : config.impls)
    if (s.name == "ssecheck") reference = s.name;
  bool wrong = false;
  char line[256];
  std::snprintf(line, sizeof line, "%-30s %7s %-22s %10s %11s %11s\n", "work", "feed", "implementation", "MiB/s",
                ("x " + reference).c_str(), "x memchr");
  out << "\n" << line;
  for (const Item& it : items) {
    for (size_t f : it.feeds) {
      for (const ImplSpec& impl : config.impls) {
        const auto r = rows[it.name].find(impl.name);
        if (r == rows[it.name].end()) continue;
        const Row& row = r->second[f];
        if (row.unsupported) continue;
        const Row* ref = nullptr;
        if (auto rr = rows[it.name].find(reference); rr != rows[it.name].end()) ref = &rr->second[f];
        if (!row.problem.empty()) {
          wrong |= row.problem.rfind("WRONG", 0) == 0;
          std::snprintf(line, sizeof line, "%-30s %7zu %-22s %s\n", it.name.c_str(), f, impl.name.c_str(), row.problem.c_str());
        } else {
          char x_ref[32] = "-", x_mem[32] = "-";
          if (ref && ref->measured && ref->problem.empty()) std::snprintf(x_ref, sizeof x_ref, "%.3f", row.best / ref->best);
          if (memchr[it.name][f] > 0) std::snprintf(x_mem, sizeof x_mem, "%.3f", row.best / memchr[it.name][f]);
          std::snprintf(line, sizeof line, "%-30s %7zu %-22s %10s %11s %11s\n", it.name.c_str(), f, impl.name.c_str(),
                        mib(row.best).c_str(), x_ref, x_mem);
        }
        out << line;
      }
    }
  }
  out << "(best of " << config.rounds << " interleaved rounds; ratios from this run only; memchr = finding every LF, "
      << "the speed limit of any line-based parser)\n";
  for (const Item& it : items)
    if (it.name.rfind("scaling/", 0) == 0)
      for (const auto& [impl, feeds] : rows[it.name])
        for (const auto& [f, row] : feeds)
          if (row.measured)
            out << "time/byte " << it.name << " " << impl << ": " << 1e9 / row.best << " ns\n";
  bool written = config.svg_path.empty() || svg.write(svg_chart(items, config.impls, rows, memchr), err);
  if (!config.json_path.empty()) {
    rapidjson::StringBuffer b;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(b);
    w.StartArray();
    for (const Item& it : items)
      for (const auto& [impl, feeds] : rows[it.name])
        for (const auto& [f, row] : feeds) {
          if (row.unsupported) continue;  // as in the table: work the adapter does not do
          w.StartObject();
          w.Key("work"), w.String(it.name.c_str());
          w.Key("bytes"), w.Uint64(it.bytes);
          w.Key("feed"), w.Uint64(f);
          w.Key("impl"), w.String(impl.c_str());
          w.Key("bytes_per_second"), w.Double(row.best);
          w.Key("memchr_bytes_per_second"), w.Double(memchr[it.name][f]);
          w.Key("events"), w.Uint64(row.events);
          w.Key("digest_ok"), w.Bool(row.problem.empty());
          if (!row.problem.empty()) w.Key("problem"), w.String(row.problem.c_str());
          w.EndObject();
        }
    w.EndArray();
    written = json.write(std::string(b.GetString(), b.GetSize()) + "\n", err) && written;
  }
  if (!written) return 2;
  return wrong ? 1 : 0;
}

}  // namespace ssecheck::check
