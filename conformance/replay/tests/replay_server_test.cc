// The replay server over real loopback sockets, with a raw POSIX client.
#include "ssecheck/replay/replay_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include "ssecheck/cassette.h"

namespace {

using namespace ssecheck;
using namespace ssecheck::replay;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// ---- a raw client -------------------------------------------------------------

class Client {
 public:
  enum class End { none, eof, reset, timeout };

  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may have closed: the test reads what it said
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // One recv(); its bytes are appended to received() and to reads().
  End read_once(milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready == 0) return End::timeout;
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0) return End::eof;
    if (n < 0) return errno == ECONNRESET ? End::reset : End::eof;
    received_.append(buf, static_cast<size_t>(n));
    reads_.emplace_back(buf, static_cast<size_t>(n));
    read_times_.push_back(Clock::now());
    return End::none;
  }

  // Reads until EOF, reset or `quiet` without a byte.
  End read_to_end(milliseconds quiet = milliseconds(5000)) {
    for (;;) {
      const End e = read_once(quiet);
      if (e != End::none) return e;
    }
  }

  const std::string& received() const { return received_; }
  const std::vector<std::string>& reads() const { return reads_; }
  const std::vector<Clock::time_point>& read_times() const { return read_times_; }
  void forget() {
    received_.clear();
    reads_.clear();
    read_times_.clear();
  }

 private:
  int fd_ = -1;
  std::string received_;
  std::vector<std::string> reads_;
  std::vector<Clock::time_point> read_times_;
};

// A minimal reader of the server's own responses (test side only).
struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string raw_body;  // as on the wire (chunk framing included)
  size_t size = 0;       // bytes of the whole response
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The response at the start of bytes, or nullopt while incomplete. until_eof: a body
// with neither length nor chunks runs to the end of bytes.
std::optional<Response> parse_response(std::string_view bytes, bool until_eof = false) {
  const size_t head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return std::nullopt;
  Response r;
  const std::string_view head = bytes.substr(0, head_end);
  if (!head.starts_with("HTTP/1.1 ") || head.size() < 12) return std::nullopt;
  r.status = std::stoi(std::string(head.substr(9, 3)));
  size_t at = head.find("\r\n");
  while (at != std::string_view::npos && at < head.size()) {
    const size_t next = head.find("\r\n", at + 2);
    const std::string_view line = head.substr(at + 2, (next == std::string_view::npos ? head.size() : next) - at - 2);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
      r.headers.emplace(lower(std::string(line.substr(0, colon))), std::string(v));
    }
    at = next;
  }
  size_t pos = head_end + 4;
  if (r.status == 100) {
    r.size = pos;
    return r;
  }
  const auto te = r.headers.find("transfer-encoding");
  if (te != r.headers.end() && lower(te->second) == "chunked") {
    for (;;) {
      const size_t eol = bytes.find("\r\n", pos);
      if (eol == std::string_view::npos) return std::nullopt;
      const size_t n = std::stoul(std::string(bytes.substr(pos, eol - pos)), nullptr, 16);
      if (bytes.size() < eol + 2 + n + 2) return std::nullopt;
      r.body.append(bytes.substr(eol + 2, n));
      pos = eol + 2 + n + 2;
      if (n == 0) break;
    }
    r.raw_body = std::string(bytes.substr(head_end + 4, pos - head_end - 4));
  } else if (r.headers.count("content-length")) {
    const size_t n = std::stoul(r.headers["content-length"]);
    if (bytes.size() < pos + n) return std::nullopt;
    r.body = std::string(bytes.substr(pos, n));
    pos += n;
  } else if (until_eof) {
    r.body = std::string(bytes.substr(pos));
    pos = bytes.size();
  } else {
    return std::nullopt;
  }
  r.size = pos;
  return r;
}

Response read_response(Client& c, milliseconds timeout = milliseconds(5000)) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto r = parse_response(c.received())) return *r;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    const Client::End e = c.read_once(left);
    if (e != Client::End::none) {
      if (auto r = parse_response(c.received(), true)) return *r;
      break;
    }
  }
  ADD_FAILURE() << "no complete response in: " << c.received().substr(0, 400);
  return {};
}

std::string post(const std::string& path, const std::string& body = "{\"stream\":true}",
                 const std::string& extra = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// ---- cases ----------------------------------------------------------------------

ReplayCase make_case(const std::vector<std::string>& pieces, milliseconds pause, Fault fault = Fault::none,
                     Framing framing = Framing::chunked) {
  ReplayCase c;
  c.id = "test";
  c.dialect = "openai-chat";
  c.headers = {{"Content-Type", "text/event-stream"}, {"X-Recorded", "yes"}};
  for (const std::string& p : pieces) {
    if (!c.schedule.bytes.empty()) c.schedule.cuts.push_back(c.schedule.bytes.size());
    c.schedule.bytes += p;
  }
  c.schedule.pause = pause;
  c.schedule.fault = fault;
  c.schedule.framing = framing;
  return c;
}

std::string chunk(std::string_view piece) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
  return size + std::string(piece) + "\r\n";
}

Recorded recorded(const std::string& rel, const std::string& dialect) {
  const CassetteResult r = load_cassette_file(std::string(SSECHECK_CORPUS_DIR) + "/cassettes/" + rel);
  EXPECT_TRUE(r.ok()) << r.message;
  Recorded rec;
  rec.dialect = dialect;
  const Interaction& in = r.cassette.interactions.at(0);
  rec.status = in.status_code;
  for (const auto& [k, vs] : in.response_headers.entries())
    for (const auto& v : vs) rec.headers.emplace_back(k, v);
  rec.body = in.response_body;
  return rec;
}

ReplayCase corpus_case(const std::string& rel, const std::string& dialect, std::string_view schedule) {
  ScheduleSpec spec;
  std::string error;
  EXPECT_TRUE(parse_schedule(schedule, &spec, &error)) << error;
  auto c = build_case(recorded(rel, dialect), spec, {}, &error);
  EXPECT_TRUE(c) << error;
  return c ? std::move(*c) : ReplayCase();
}

ServerOptions fast_options() {
  ServerOptions o;
  o.header_timeout = milliseconds(2000);
  o.body_timeout = milliseconds(2000);
  o.write_timeout = milliseconds(5000);
  return o;
}

const std::vector<std::string> kPieces = {"data: {\"choices\":[{\"delta\":{\"content\":\"Hel",
                                          "lo\"}}]}\n", "\n", "data: [DONE]\n\n"};

// ---- tests ----------------------------------------------------------------------

TEST(ReplayServer, PausedPiecesArriveAsSeparateReads) {
  ReplayServer server(fast_options());
  server.add_case("pieces", make_case(kPieces, milliseconds(80)));
  Client c(server.port());
  c.send(post("/c/pieces/v1/chat/completions"));
  Response r = read_response(c);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.at("content-type"), "text/event-stream");
  EXPECT_EQ(r.headers.at("x-recorded"), "yes");
  std::string want;
  for (const auto& p : kPieces) want += p;
  EXPECT_EQ(r.body, want);
  // Every piece after the first starts a read of its own, one pause after the last.
  std::vector<size_t> starts;
  size_t total = 0;
  for (const auto& read : c.reads()) starts.push_back(total), total += read.size();
  size_t at = r.size - r.raw_body.size();
  for (size_t i = 0; i < kPieces.size(); ++i) {
    if (i > 0) {
      EXPECT_NE(std::find(starts.begin(), starts.end(), at), starts.end()) << "piece " << i;
    }
    EXPECT_EQ(c.received().substr(at, chunk(kPieces[i]).size()), chunk(kPieces[i]));
    at += chunk(kPieces[i]).size();
  }
  EXPECT_EQ(c.received().substr(at), "0\r\n\r\n");
  const auto& times = c.read_times();
  ASSERT_GE(times.size(), kPieces.size());
  EXPECT_GE(times.back() - times.front(), milliseconds(3 * 70));
}

TEST(ReplayServer, WholeBodyAndKeepAlive) {
  ReplayServer server(fast_options());
  server.add_case("whole", make_case(kPieces, milliseconds(0)));
  Client c(server.port());
  for (int i = 0; i < 3; ++i) {
    c.forget();
    c.send(post("/c/whole/v1/chat/completions"));
    Response r = read_response(c);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, kPieces[0] + kPieces[1] + kPieces[2] + kPieces[3]);
  }
  EXPECT_EQ(server.journal("whole").size(), 3u);
}

TEST(ReplayServer, FinAndRstMidEvent) {
  ReplayServer server(fast_options());
  server.add_case("fin", make_case({"data: {\"a\"", ":1"}, milliseconds(20), Fault::fin_mid_event));
  server.add_case("rst", make_case({"data: {\"a\"", ":1"}, milliseconds(20), Fault::rst_mid_event));
  {
    Client c(server.port());
    c.send(post("/c/fin/v1/chat/completions"));
    EXPECT_EQ(c.read_to_end(), Client::End::eof);
    EXPECT_TRUE(c.received().ends_with(chunk(":1"))) << c.received();  // no last chunk
  }
  {
    Client c(server.port());
    c.send(post("/c/rst/v1/chat/completions"));
    EXPECT_EQ(c.read_to_end(), Client::End::reset);
  }
}

TEST(ReplayServer, StallThenFin) {
  ReplayServer server(fast_options());
  ReplayCase stall = make_case({"data: 1\n\n"}, milliseconds(0), Fault::stall);
  stall.schedule.stall = milliseconds(600);
  server.add_case("stall", std::move(stall));
  Client c(server.port());
  const auto start = Clock::now();
  c.send(post("/c/stall/v1/chat/completions"));
  while (c.received().find(chunk("data: 1\n\n")) == std::string::npos)
    ASSERT_EQ(c.read_once(milliseconds(2000)), Client::End::none);
  EXPECT_EQ(c.read_once(milliseconds(300)), Client::End::timeout);  // silence
  EXPECT_EQ(c.read_to_end(), Client::End::eof);
  EXPECT_GE(Clock::now() - start, milliseconds(550));
}

TEST(ReplayServer, HttpErrorsWithProviderBodies) {
  ReplayServer server(fast_options());
  server.add_case("chat429", corpus_case("xai-grok-code-fast-ola-streaming.yaml", "openai-chat", "fault:429"));
  server.add_case("chat500", corpus_case("xai-grok-code-fast-ola-streaming.yaml", "openai-chat", "fault:500"));
  server.add_case("claude529",
                  corpus_case("anthropic_messages/claude-sonnet-4-simple-streaming.yaml", "anthropic-messages", "fault:529"));
  server.add_case("gemini429",
                  corpus_case("gemini/gemini-2.5-flash-simple-streaming.yaml", "gemini", "fault:429"));
  Client c(server.port());
  c.send(post("/c/chat429/v1/chat/completions"));
  Response r = read_response(c);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["retry-after"], "1");
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_NE(r.body.find("rate_limit_exceeded"), std::string::npos);

  c.forget();
  c.send(post("/c/chat500/v1/chat/completions"));  // same connection: errors keep it alive
  r = read_response(c);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.headers.count("retry-after"), 0u);
  EXPECT_NE(r.body.find("server_error"), std::string::npos);

  c.forget();
  c.send(post("/c/claude529/v1/messages"));
  r = read_response(c);
  EXPECT_EQ(r.status, 529);
  EXPECT_EQ(r.body, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");

  c.forget();
  c.send(post("/c/gemini429/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
  r = read_response(c);
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.body.find("RESOURCE_EXHAUSTED"), std::string::npos);
}

TEST(ReplayServer, RoutesPerDialect) {
  ReplayServer server(fast_options());
  const struct {
    const char* token;
    const char* file;
    const char* dialect;
    const char* route;
  } cases[] = {
      {"chat", "xai-grok-code-fast-ola-streaming.yaml", "openai-chat", "/v1/chat/completions"},
      {"responses", "openai_responses/openai-gpt-5-simple-streaming.yaml", "openai-responses", "/v1/responses"},
      {"messages", "anthropic_messages/claude-sonnet-4-simple-streaming.yaml", "anthropic-messages", "/v1/messages"},
      {"gemini", "gemini/gemini-2.5-flash-simple-streaming.yaml", "gemini",
       "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"},
  };
  for (const auto& k : cases) server.add_case(k.token, corpus_case(k.file, k.dialect, "whole"));
  for (const auto& k : cases) {
    Client c(server.port());
    c.send(post(std::string("/c/") + k.token + k.route));
    Response r = read_response(c);
    EXPECT_EQ(r.status, 200) << k.token;
    EXPECT_NE(r.headers["content-type"].find("text/event-stream"), std::string::npos) << k.token;
    EXPECT_EQ(r.body, recorded(k.file, k.dialect).body) << k.token;
    // Another dialect's route under this token is not this case.
    Client w(server.port());
    w.send(post(std::string("/c/") + k.token + (k.dialect == std::string("openai-chat") ? "/v1/messages" : "/v1/chat/completions")));
    EXPECT_EQ(read_response(w).status, 404) << k.token;
  }
  EXPECT_EQ(server.base_url("chat"), "http://127.0.0.1:" + std::to_string(server.port()) + "/c/chat");
}

TEST(ReplayServer, CloseFramingAndHttp10) {
  ReplayServer server(fast_options());
  server.add_case("close", make_case(kPieces, milliseconds(0), Fault::none, Framing::close));
  server.add_case("chunked", make_case(kPieces, milliseconds(0)));
  const std::string want = kPieces[0] + kPieces[1] + kPieces[2] + kPieces[3];
  {
    Client c(server.port());
    c.send(post("/c/close/v1/chat/completions"));
    EXPECT_EQ(c.read_to_end(), Client::End::eof);
    Response r = *parse_response(c.received(), true);
    EXPECT_EQ(r.headers.count("transfer-encoding"), 0u);
    EXPECT_EQ(lower(r.headers["connection"]), "close");
    EXPECT_EQ(r.body, want);
  }
  {
    Client c(server.port());
    c.send("POST /c/chunked/v1/chat/completions HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}");
    EXPECT_EQ(c.read_to_end(), Client::End::eof);
    Response r = *parse_response(c.received(), true);
    EXPECT_EQ(r.headers.count("transfer-encoding"), 0u);  // HTTP/1.0 has no chunks
    EXPECT_EQ(r.body, want);
  }
}

TEST(ReplayServer, Journal) {
  ReplayServer server(fast_options());
  server.add_case("j", make_case(kPieces, milliseconds(0)));
  server.add_case("other", make_case(kPieces, milliseconds(0)));
  Client c(server.port());
  c.send(post("/c/j/v1/chat/completions?api-version=2", "{\"model\":\"m\",\"stream\":true}", "X-Test: \xC3\xA9t\xC3\xA9\r\n"));
  EXPECT_EQ(read_response(c).status, 200);
  c.forget();
  c.send(post("/c/j/v1/wrong"));
  EXPECT_EQ(read_response(c).status, 404);
  c.forget();
  c.send(post("/c/other/v1/chat/completions", std::string("\xFF\x00z", 3)));
  EXPECT_EQ(read_response(c).status, 200);

  const auto entries = server.journal("j");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].method, "POST");
  EXPECT_EQ(entries[0].path, "/v1/chat/completions");
  EXPECT_EQ(entries[0].query, "api-version=2");
  EXPECT_EQ(entries[0].body, "{\"model\":\"m\",\"stream\":true}");
  EXPECT_EQ(entries[0].status, 200);
  EXPECT_EQ(entries[1].path, "/v1/wrong");
  EXPECT_EQ(entries[1].status, 404);
  EXPECT_LT(entries[0].seq, entries[1].seq);

  c.forget();
  c.send("GET /__ssecheck/journal?case=j HTTP/1.1\r\nHost: x\r\n\r\n");
  Response r = read_response(c);
  ASSERT_EQ(r.status, 200);
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.body;
  ASSERT_TRUE(doc.HasMember("j"));
  EXPECT_FALSE(doc.HasMember("other"));
  const auto& reqs = doc["j"]["requests"];
  ASSERT_EQ(reqs.Size(), 2u);
  EXPECT_STREQ(reqs[0]["body"].GetString(), "{\"model\":\"m\",\"stream\":true}");
  bool saw = false;
  for (const auto& h : reqs[0]["headers"].GetArray())
    saw |= std::string(h[0].GetString()) == "X-Test" && std::string(h[1].GetString()) == "\xC3\xA9t\xC3\xA9";
  EXPECT_TRUE(saw);

  c.forget();
  c.send("GET /__ssecheck/journal HTTP/1.1\r\nHost: x\r\n\r\n");
  r = read_response(c);
  doc.Parse(r.body.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.body;
  ASSERT_TRUE(doc.HasMember("other"));
  EXPECT_STREQ(doc["other"]["requests"][0]["body_base64"].GetString(), "/wB6");  // FF 00 7A

  c.forget();
  c.send("DELETE /__ssecheck/journal?case=j HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(read_response(c).status, 200);
  EXPECT_TRUE(server.journal("j").empty());
  EXPECT_EQ(server.journal("other").size(), 1u);
}

TEST(ReplayServer, JournalIsBounded) {
  ServerOptions o = fast_options();
  o.journal_max_entries = 2;
  ReplayServer server(o);
  server.add_case("j", make_case({"data: x\n\n"}, milliseconds(0)));
  Client c(server.port());
  for (int i = 0; i < 4; ++i) {
    c.forget();
    c.send(post("/c/j/v1/chat/completions"));
    EXPECT_EQ(read_response(c).status, 200);
  }
  EXPECT_EQ(server.journal("j").size(), 2u);
  EXPECT_EQ(server.journal_dropped("j"), 2u);
}

TEST(ReplayServer, NotFound) {
  ReplayServer server(fast_options());
  server.add_case("known", make_case(kPieces, milliseconds(0)));
  for (std::string path : {"/c/unknown/v1/chat/completions", "/nothing", "/c/known/v2/foo", "/"}) {
    Client c(server.port());
    c.send(post(path));
    Response r = read_response(c);
    EXPECT_EQ(r.status, 404) << path;
    rapidjson::Document doc;
    doc.Parse(r.body.c_str());
    EXPECT_FALSE(doc.HasParseError()) << r.body;
    EXPECT_TRUE(doc.HasMember("error"));
  }
  Client c(server.port());
  c.send("GET /c/known/v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n");
  Response r = read_response(c);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "POST");
  EXPECT_TRUE(server.journal("unknown").empty());
}

TEST(ReplayServer, MalformedRequestIs400AndClosed) {
  ReplayServer server(fast_options());
  for (std::string_view bad : {"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nNo Colon Here\r\n\r\n", "\x01\x02\x03\r\n\r\n"}) {
    Client c(server.port());
    c.send(bad);
    EXPECT_EQ(c.read_to_end(), Client::End::eof) << bad;
    EXPECT_TRUE(c.received().starts_with("HTTP/1.1 400")) << c.received();
  }
}

TEST(ReplayServer, OversizedHeaderIs431) {
  ServerOptions o = fast_options();
  o.limits.max_header_bytes = 2048;
  ReplayServer server(o);
  Client c(server.port());
  c.send("GET /__ssecheck/cases HTTP/1.1\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  EXPECT_EQ(c.read_to_end(), Client::End::eof);
  EXPECT_TRUE(c.received().starts_with("HTTP/1.1 431")) << c.received().substr(0, 100);
}

TEST(ReplayServer, OversizedBodyIs413) {
  ServerOptions o = fast_options();
  o.limits.max_body_bytes = 1000;
  ReplayServer server(o);
  server.add_case("b", make_case(kPieces, milliseconds(0)));
  Client c(server.port());
  c.send("POST /c/b/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + std::string(3000, 'x'));
  EXPECT_EQ(c.read_to_end(), Client::End::eof);
  EXPECT_TRUE(c.received().starts_with("HTTP/1.1 413")) << c.received().substr(0, 100);
}

TEST(ReplayServer, SlowSendersTimeOut) {
  ServerOptions o = fast_options();
  o.header_timeout = milliseconds(300);
  o.body_timeout = milliseconds(300);
  ReplayServer server(o);
  server.add_case("s", make_case(kPieces, milliseconds(0)));
  {
    Client c(server.port());
    const auto start = Clock::now();
    c.send("POST /c/s/v1/chat/comp");  // and nothing more
    EXPECT_EQ(c.read_to_end(), Client::End::eof);
    EXPECT_TRUE(c.received().starts_with("HTTP/1.1 408")) << c.received();
    EXPECT_GE(Clock::now() - start, milliseconds(250));
    EXPECT_LT(Clock::now() - start, milliseconds(3000));
  }
  {
    // An idle connection is closed without a 408.
    Client c(server.port());
    EXPECT_EQ(c.read_to_end(), Client::End::eof);
    EXPECT_EQ(c.received(), "");
  }
  {
    Client c(server.port());
    c.send("POST /c/s/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}");
    EXPECT_EQ(c.read_to_end(), Client::End::eof);
    EXPECT_TRUE(c.received().starts_with("HTTP/1.1 408")) << c.received();
  }
  {
    // A trickle of bytes does not extend the deadline.
    Client c(server.port());
    const auto start = Clock::now();
    c.send("POST /c/s/v1/chat/completions HTTP/1.1\r\n");
    for (int i = 0; i < 20 && Clock::now() - start < milliseconds(1500); ++i) {
      c.send("X: y\r\n");
      if (c.read_once(milliseconds(100)) != Client::End::timeout) break;
    }
    c.read_to_end();
    EXPECT_TRUE(c.received().starts_with("HTTP/1.1 408")) << c.received();
    EXPECT_LT(Clock::now() - start, milliseconds(1500));
  }
}

TEST(ReplayServer, ExpectContinue) {
  ReplayServer server(fast_options());
  server.add_case("e", make_case(kPieces, milliseconds(0)));
  Client c(server.port());
  c.send("POST /c/e/v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  while (c.received().find("\r\n\r\n") == std::string::npos) ASSERT_EQ(c.read_once(milliseconds(2000)), Client::End::none);
  EXPECT_TRUE(c.received().starts_with("HTTP/1.1 100 Continue\r\n\r\n"));
  c.forget();
  c.send("{}");
  EXPECT_EQ(read_response(c).status, 200);
}

TEST(ReplayServer, PipelinedRequestsAreAnsweredInOrder) {
  ReplayServer server(fast_options());
  server.add_case("a", make_case({"data: a\n\n"}, milliseconds(0)));
  server.add_case("b", make_case({"data: b\n\n"}, milliseconds(0)));
  Client c(server.port());
  c.send(post("/c/a/v1/chat/completions") + post("/c/b/v1/chat/completions"));
  const Response first = read_response(c);
  EXPECT_EQ(first.body, "data: a\n\n");
  const std::string rest = c.received().substr(first.size);
  c.forget();
  std::optional<Response> second = parse_response(rest);
  while (!second) {
    ASSERT_EQ(c.read_once(milliseconds(2000)), Client::End::none);
    second = parse_response(rest + c.received());
  }
  EXPECT_EQ(second->body, "data: b\n\n");
}

TEST(ReplayServer, ManyConnectionsAtOnce) {
  ServerOptions o = fast_options();
  o.threads = 2;
  ReplayServer server(o);
  // Five pieces 40 ms apart: about 160 ms per stream, so 80 in sequence would take 13 s.
  server.add_case("many", make_case({"data: 1\n\n", "data: 2\n\n", "data: 3\n\n", "data: 4\n\n", "data: [DONE]\n\n"},
                                    milliseconds(40)));
  constexpr int kClients = 80;
  std::atomic<int> ok{0};
  const auto start = Clock::now();
  {
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < kClients; ++i) clients.push_back(std::make_unique<Client>(server.port()));
    for (auto& c : clients) c->send(post("/c/many/v1/chat/completions"));
    std::vector<std::thread> readers;
    for (auto& c : clients)
      readers.emplace_back([c = c.get(), &ok] {
        Response r = read_response(*c, milliseconds(10000));
        if (r.status == 200 && r.body == "data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\ndata: [DONE]\n\n") ++ok;
      });
    for (auto& t : readers) t.join();
  }
  EXPECT_EQ(ok.load(), kClients);
  EXPECT_LT(Clock::now() - start, milliseconds(6000));
  EXPECT_EQ(server.journal("many").size(), static_cast<size_t>(kClients));
}

TEST(ReplayServer, OverTheConnectionLimitIs503) {
  ServerOptions o = fast_options();
  o.max_connections = 2;
  ReplayServer server(o);
  Client a(server.port()), b(server.port());
  std::this_thread::sleep_for(milliseconds(100));
  Client c(server.port());
  EXPECT_EQ(c.read_to_end(milliseconds(3000)), Client::End::eof);
  EXPECT_TRUE(c.received().starts_with("HTTP/1.1 503")) << c.received();
}

TEST(ReplayServer, RefusesNonLoopbackAndBadHosts) {
  ServerOptions o;
  o.host = "0.0.0.0";
  try {
    ReplayServer s(o);
    ADD_FAILURE() << "bound 0.0.0.0 without allow_non_loopback";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("loopback"), std::string::npos) << e.what();
  }
  o.host = "example.com";
  EXPECT_THROW(ReplayServer{o}, std::runtime_error);
  o.host = "localhost";
  ReplayServer s(o);
  EXPECT_GT(s.port(), 0);
  EXPECT_THROW(s.add_case("a/b", ReplayCase()), std::invalid_argument);
  EXPECT_THROW(s.add_case("", ReplayCase()), std::invalid_argument);
}

TEST(ReplayServer, StopIsPromptWhileStreaming) {
  auto server = std::make_unique<ReplayServer>(fast_options());
  ReplayCase stall = make_case({"data: 1\n\n"}, milliseconds(0), Fault::stall);
  stall.schedule.stall = milliseconds(60000);
  server->add_case("stall", std::move(stall));
  Client c(server->port());
  c.send(post("/c/stall/v1/chat/completions"));
  while (c.received().find("data: 1") == std::string::npos) ASSERT_EQ(c.read_once(milliseconds(2000)), Client::End::none);
  const auto start = Clock::now();
  server->stop();
  server.reset();
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
}

TEST(ReplayServer, CasesListing) {
  ReplayServer server(fast_options());
  server.add_case("x1", make_case(kPieces, milliseconds(0)));
  Client c(server.port());
  c.send("GET /__ssecheck/cases HTTP/1.1\r\nHost: x\r\n\r\n");
  Response r = read_response(c);
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_EQ(doc["cases"].Size(), 1u);
  EXPECT_STREQ(doc["cases"][0]["token"].GetString(), "x1");
}

}  // namespace
