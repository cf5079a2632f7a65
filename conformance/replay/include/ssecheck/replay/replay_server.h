// ReplayServer: an in-process HTTP/1.1 server (Boost.Beast over Boost.Asio) that
// replays recorded provider streams, one case per token, under
// http://HOST:PORT/c/<token>/<provider route>, and journals what clients sent.
//
// Invariants:
//  - Listens on a loopback address unless allow_non_loopback; the constructor throws
//    std::runtime_error (with the reason) when it cannot bind or refuses the address.
//  - Each piece of a schedule is one write with TCP_NODELAY (one HTTP chunk when
//    chunked), separated by the schedule's pause; faults act after the last piece.
//  - Hostile clients get 400/405/408/413/431 and a close, never a crash: request heads
//    and bodies are bounded, a head must arrive within header_timeout and a body within
//    body_timeout, a client that stops reading is dropped after write_timeout, and at
//    most max_connections are served at once (the rest get 503 and a close).
//  - Memory: a connection holds one request and a reference to its case; the journal
//    keeps at most journal_max_entries per token and journal_max_bytes in all.
//  - Thread-safe: add_case, journal and stop may be called from any thread while the
//    server runs on its own threads; stop() is idempotent and the destructor calls it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ssecheck/replay/http_request.h"
#include "ssecheck/replay/schedule.h"

namespace ssecheck::replay {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP address, or "localhost"
  uint16_t port = 0;               // 0: the system picks one (see port())
  bool allow_non_loopback = false;
  RequestLimits limits;            // max_header_bytes (431), max_body_bytes (413)
  std::chrono::milliseconds header_timeout{10'000};  // to receive a request head (408)
  std::chrono::milliseconds body_timeout{30'000};    // to receive its body once the head is in
  std::chrono::milliseconds write_timeout{60'000};   // for one piece to be taken by the client
  size_t max_connections = 512;
  unsigned threads = 1;
  size_t journal_max_entries = 256;                  // per token; later requests are counted only
  size_t journal_max_bytes = size_t{64} << 20;
};

struct JournalEntry {
  uint64_t seq = 0;     // order of arrival over all tokens, from 0
  std::string method;
  std::string path;     // what the client appended after /c/<token>
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int status = 0;       // what the server answered
};

class ReplayServer {
 public:
  explicit ReplayServer(ServerOptions options);
  ~ReplayServer();
  ReplayServer(const ReplayServer&) = delete;
  ReplayServer& operator=(const ReplayServer&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:P"
  std::string base() const;
  // "http://127.0.0.1:P/c/<token>": what an SDK takes as its base URL.
  std::string base_url(const std::string& token) const;
  // Adds or replaces a case. The token must be non-empty token characters
  // (is_token_char); std::invalid_argument otherwise.
  void add_case(std::string token, ReplayCase c);
  size_t case_count() const;
  std::vector<JournalEntry> journal(const std::string& token) const;
  // Requests to this token beyond the journal's limits (counted, not kept).
  uint64_t journal_dropped(const std::string& token) const;
  void clear_journal(const std::string& token);  // "" clears every token
  size_t active_connections() const;
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// The journal as JSON: {"<token>":{"dropped":N,"requests":[{"seq":..,"method":..,
// "path":..,"query":..,"headers":[[name,value]...],"body":..,"status":..}]}}; body
// invalid as UTF-8 is repaired and the exact bytes given as "body_base64".
std::string journal_json(const std::vector<std::pair<std::string, std::vector<JournalEntry>>>& tokens,
                         const std::vector<uint64_t>& dropped);

}  // namespace ssecheck::replay
