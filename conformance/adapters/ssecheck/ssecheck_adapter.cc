// The ssecheck adapter: the reference row of the `ssecheck check` matrix.
//
//   ssecheck_adapter              assembles (output "normalized"): feed mode through
//                                 AssemblySession, http mode through libcurl feeding it
//   ssecheck_adapter --framing    frames only (output "events"), feed mode
//
// It also answers `bench`: it times itself in-process on a file (framing: the parser
// alone; assemble: the full path) and reports a digest of what it made.
//
// Test-only flags make it a known-bad implementation, so the suite's own tests can show
// that each kind of defect is caught: --bug=split-utf8 (decodes each read as UTF-8 on
// its own), --bug=cr-at-read-end (a CR ending a read ends the line, and an LF starting
// the next ends another), --misbehave=crash|hang|garbage|huge|wrong-id (on the first
// feed or http command).
#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <chrono>
#include <csignal>
#include <functional>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "ssecheck/assemble.h"
#include "ssecheck/event_stream_parser.h"
#include "ssecheck/normalized.h"
#include "ssecheck/registry.h"
#include "event_digest.h"
#include "result_digest.h"
#include "ssecheck/utf8.h"

#include <fstream>
#include <sstream>

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

struct Flags {
  bool framing = false;
  std::string bug, misbehave;
} flags;

bool unbase64(std::string_view in, std::string* out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = value(c);
    if (v < 0) return false;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

// The planted bugs rewrite each read before it reaches a correct parser.
std::string planted(std::string piece, bool* prev_cr) {
  if (flags.bug == "split-utf8") {
    std::string fixed;
    ssecheck::utf8::append_repaired(fixed, piece);  // each read decoded alone
    return fixed;
  }
  if (flags.bug == "cr-at-read-end") {
    const bool starts_lf = !piece.empty() && piece.front() == '\n';
    if (*prev_cr && starts_lf) piece.insert(0, "\n");  // the LF after a read-ending CR: a second line end
    *prev_cr = !piece.empty() && piece.back() == '\r';
  }
  return piece;
}

void reply(std::string_view id, const std::function<void(Writer&)>& body) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  w.Key("id");
  w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
  body(w);
  w.EndObject();
  std::fwrite(b.GetString(), 1, b.GetSize(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void error_reply(std::string_view id, std::string_view kind, std::string_view message, long status = 0) {
  reply(id, [&](Writer& w) {
    w.Key("error");
    w.StartObject();
    w.Key("kind");
    w.String(kind.data(), static_cast<rapidjson::SizeType>(kind.size()));
    w.Key("message");
    w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
    if (status) w.Key("status"), w.Int(static_cast<int>(status));
    w.EndObject();
  });
}

// A client's verdict on an assembled stream: the result, or the error it must raise.
void answer_report(std::string_view id, const ssecheck::AssemblyReport& report) {
  if (report.first_fatal) {
    const ssecheck::Diagnostic& d = report.diagnostics[*report.first_fatal];
    const std::string_view code = ssecheck::name(d.code);
    const char* kind = code == "provider_error"                          ? "provider_error"
                       : code == "truncated" || code == "incomplete_event" ? "connection"
                                                                           : "parse";
    error_reply(id, kind, std::string(code) + ": " + d.message);
    return;
  }
  const std::string normalized = ssecheck::normalized_to_json(report.normalized);
  reply(id, [&](Writer& w) {
    w.Key("result");
    w.RawValue(normalized.data(), normalized.size(), rapidjson::kObjectType);
  });
}

struct EventList : ssecheck::EventSink {
  std::vector<std::array<std::string, 3>> events;
  void on_event(const ssecheck::Event& e) override {
    events.push_back({std::string(e.type), std::string(e.data), std::string(e.id)});
  }
};

bool misbehave_now() {
  if (flags.misbehave.empty()) return false;
  if (flags.misbehave == "crash") std::abort();
  if (flags.misbehave == "hang") std::this_thread::sleep_for(std::chrono::hours(1));
  if (flags.misbehave == "garbage") std::fputs("this is not JSON\n", stdout);
  if (flags.misbehave == "huge") {
    std::string big(size_t{80} << 20, 'x');
    std::fwrite(big.data(), 1, big.size(), stdout);
    std::fputc('\n', stdout);
  }
  if (flags.misbehave == "wrong-id") std::fputs("{\"id\":\"nope\",\"result\":{}}\n", stdout);
  std::fflush(stdout);
  return true;
}

void feed(std::string_view id, const rapidjson::Document& cmd) {
  const auto chunks = cmd.FindMember("chunks");
  if (chunks == cmd.MemberEnd() || !chunks->value.IsArray()) return error_reply(id, "internal", "feed without chunks");
  const auto d = cmd.FindMember("dialect");
  std::vector<std::string> pieces;
  std::string piece;
  bool prev_cr = false;
  for (const auto& c : chunks->value.GetArray()) {
    if (!c.IsString() || !unbase64({c.GetString(), c.GetStringLength()}, &piece))
      return error_reply(id, "internal", "a chunk is not base64");
    pieces.push_back(planted(piece, &prev_cr));
  }
  if (flags.framing) {
    EventList list;
    ssecheck::EventStreamParser parser(list);
    for (const std::string& p : pieces) parser.feed(p);
    parser.finish();
    return reply(id, [&](Writer& w) {
      w.Key("events");
      w.StartArray();
      for (const auto& e : list.events) {
        w.StartObject();
        w.Key("event"), w.String(e[0].data(), static_cast<rapidjson::SizeType>(e[0].size()));
        w.Key("data"), w.String(e[1].data(), static_cast<rapidjson::SizeType>(e[1].size()));
        w.Key("id"), w.String(e[2].data(), static_cast<rapidjson::SizeType>(e[2].size()));
        w.EndObject();
      }
      w.EndArray();
    });
  }
  ssecheck::AssembleOptions options;
  if (d != cmd.MemberEnd() && d->value.IsString()) options.dialect = d->value.GetString();
  ssecheck::AssemblySession session(options);
  for (const std::string& p : pieces) session.feed(p);
  answer_report(id, session.finish());
}

struct Transfer {
  ssecheck::AssemblySession* session;
  bool prev_cr = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  t->session->feed(planted(std::string(data, size * n), &t->prev_cr));
  return size * n;
}

void http(std::string_view id, const rapidjson::Document& cmd) {
  const auto base = cmd.FindMember("base_url");
  const auto req = cmd.FindMember("request");
  if (base == cmd.MemberEnd() || !base->value.IsString() || req == cmd.MemberEnd() || !req->value.IsObject())
    return error_reply(id, "internal", "http without base_url or request");
  const rapidjson::Value& r = req->value;
  std::string url = base->value.GetString();
  if (r.HasMember("path") && r["path"].IsString()) url += r["path"].GetString();
  if (r.HasMember("query") && r["query"].IsString() && r["query"].GetStringLength() > 0)
    url += std::string("?") + r["query"].GetString();
  std::string body;
  if (r.HasMember("body")) {
    if (r["body"].IsString()) body = r["body"].GetString();
    else {
      rapidjson::StringBuffer b;
      Writer w(b);
      r["body"].Accept(w);
      body.assign(b.GetString(), b.GetSize());
    }
  }
  const auto t = cmd.FindMember("timeout_ms");
  const long timeout_ms = t != cmd.MemberEnd() && t->value.IsInt() ? t->value.GetInt() : 20000;
  ssecheck::AssembleOptions options;
  const auto d = cmd.FindMember("dialect");
  if (d != cmd.MemberEnd() && d->value.IsString()) options.dialect = d->value.GetString();
  ssecheck::AssemblySession session(options);
  Transfer transfer{&session};
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "content-type: application/json");
  headers = curl_slist_append(headers, "accept: text/event-stream");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  const ssecheck::AssemblyReport& report = session.finish();
  if (rc == CURLE_OPERATION_TIMEDOUT) return error_reply(id, "timeout", curl_easy_strerror(rc));
  if (status != 0 && (status < 200 || status > 299))
    return error_reply(id, "http_status", "HTTP " + std::to_string(status), status);
  if (rc != CURLE_OK) return error_reply(id, "connection", curl_easy_strerror(rc));
  answer_report(id, report);
}


void bench(std::string_view id, const rapidjson::Document& cmd) {
  const auto get_str = [&](const char* k) {
    const auto it = cmd.FindMember(k);
    return it != cmd.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString()) : std::string();
  };
  const auto get_int = [&](const char* k, int64_t dflt) {
    const auto it = cmd.FindMember(k);
    return it != cmd.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : dflt;
  };
  const std::string work = get_str("work"), file = get_str("file"), dialect = get_str("dialect");
  const int64_t feed = get_int("feed", 65536), repeat = get_int("repeat", 1);
  if ((work != "framing" && work != "assemble") || feed < 1 || repeat < 1)
    return error_reply(id, "unsupported", "bench needs work framing|assemble, feed >= 1, repeat >= 1");
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return error_reply(id, "internal", "cannot read " + file);
  const std::string bytes = text.str();
  double best = 1e300;
  uint64_t events = 0;
  std::string digest;
  for (int64_t r = 0; r < repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    if (work == "framing") {
      ssecheck::bench::EventDigestSink sink;
      ssecheck::EventStreamParser parser(sink);
      bool prev_cr = false;
      for (size_t at = 0; at < bytes.size(); at += static_cast<size_t>(feed)) {
        const std::string_view piece = std::string_view(bytes).substr(at, static_cast<size_t>(feed));
        if (flags.bug.empty()) parser.feed(piece);
        else parser.feed(planted(std::string(piece), &prev_cr));  // the known-bad builds stay bad here
      }
      parser.finish();
      events = sink.events();
      digest = sink.hex();
    } else {
      ssecheck::AssembleOptions options;
      options.dialect = dialect.empty() ? "auto" : dialect;
      ssecheck::AssemblySession session(options);
      bool prev_cr = false;
      for (size_t at = 0; at < bytes.size(); at += static_cast<size_t>(feed)) {
        const std::string_view piece = std::string_view(bytes).substr(at, static_cast<size_t>(feed));
        if (flags.bug.empty()) session.feed(piece);
        else session.feed(planted(std::string(piece), &prev_cr));
      }
      const ssecheck::AssemblyReport& report = session.finish();
      events = report.stats.events;
      digest = ssecheck::bench::digest_of(report.normalized).digest();
    }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  reply(id, [&](Writer& w) {
    w.Key("bytes"), w.Uint64(bytes.size());
    w.Key("events"), w.Uint64(events);
    w.Key("seconds"), w.Double(best);
    w.Key("digest"), w.String(digest.c_str());
  });
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--framing") flags.framing = true;
    else if (a.rfind("--bug=", 0) == 0) flags.bug = a.substr(6);
    else if (a.rfind("--misbehave=", 0) == 0) flags.misbehave = a.substr(12);
    else {
      std::fprintf(stderr, "ssecheck_adapter: unknown option %s\nusage: ssecheck_adapter [--framing] [--bug=split-utf8|cr-at-read-end] [--misbehave=crash|hang|garbage|huge|wrong-id]\n", a.c_str());
      return 2;
    }
  }
  if (!flags.bug.empty() && flags.bug != "split-utf8" && flags.bug != "cr-at-read-end") {
    std::fprintf(stderr, "ssecheck_adapter: unknown --bug=%s\n", flags.bug.c_str());
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::string line;
  while (std::getline(std::cin, line)) {
    rapidjson::Document cmd;
    cmd.Parse(line.data(), line.size());
    if (cmd.HasParseError() || !cmd.IsObject() || !cmd.HasMember("cmd") || !cmd["cmd"].IsString()) {
      error_reply("", "internal", "not a command");
      continue;
    }
    const std::string id = cmd.HasMember("id") && cmd["id"].IsString() ? cmd["id"].GetString() : "";
    const std::string what = cmd["cmd"].GetString();
    if (what == "hello") {
      reply(id, [](Writer& w) {
        w.Key("protocol"), w.Int(1);
        w.Key("name"), w.String(flags.framing ? "ssecheck-sse" : "ssecheck");
        w.Key("version"), w.String("0.1.0");
        w.Key("modes");
        w.StartArray();
        w.String("feed");
        if (!flags.framing) w.String("http");
        w.EndArray();
        w.Key("output"), w.String(flags.framing ? "events" : "normalized");
        w.Key("dialects");
        w.StartArray();
        if (!flags.framing)
          for (const ssecheck::DialectInfo* d : ssecheck::dialects())
            w.String(d->name.data(), static_cast<rapidjson::SizeType>(d->name.size()));
        w.EndArray();
      });
    } else if (what == "bye") {
      reply(id, [](Writer&) {});
      break;
    } else if (what == "bench") {
      bench(id, cmd);
    } else if (what == "feed" || what == "http") {
      if (misbehave_now()) continue;
      if (what == "feed") feed(id, cmd);
      else http(id, cmd);
    } else {
      error_reply(id, "unsupported", "unknown command " + what);
    }
  }
  curl_global_cleanup();
  return 0;
}
