// The replay server's request side: RequestReader turns client bytes into HTTP/1.1
// requests (Boost.Beast's parser does the parsing) and route_request maps a request to
// what the server does. This is all of the server that reads client input, and what
// fuzz/http_request_fuzzer drives. No Beast type appears here.
//
// Invariants:
//  - Bounded: a reader holds at most max_header_bytes of an unfinished head, and of a
//    request's bytes on the wire at most max_header_bytes + 2 * max_body_bytes + 4 KiB
//    (chunk framing), plus the bytes of one feed() call; past a limit it stops with
//    header_too_large (431) or body_too_large (413), never grows.
//  - Any bytes, any split into feed() calls: the same requests and the same final
//    status, never a crash or an exception (fuzz/http_request_fuzzer checks this). To
//    that end Beast sees a head only once it is complete, and a chunked body line by
//    line; a head it cannot finish is malformed (400).
//  - Once a feed() returns an error status, every later call returns it too.
//  - Pipelined bytes after a complete request are kept for the next one: call next()
//    before feeding more.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ssecheck::replay {

struct RequestLimits {
  size_t max_header_bytes = 16 * 1024;       // request line and header fields
  size_t max_body_bytes = size_t{8} << 20;   // decoded body (Content-Length or chunked)
};

enum class ReadStatus : uint8_t {
  need_more,         // feed more bytes
  complete,          // request() is ready; next() starts the following one
  bad_request,       // malformed: 400
  header_too_large,  // 431
  body_too_large,    // 413
};
// The HTTP status a failed read answers with (400, 431, 413); 0 otherwise.
int error_status(ReadStatus status);

struct HttpRequest {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // target before '?'
  std::string query;   // after '?', without it ("" when none)
  std::vector<std::pair<std::string, std::string>> headers;  // in order, as sent
  std::string body;
  unsigned version = 11;  // 10 or 11
  bool keep_alive = true;
};

class RequestReader {
 public:
  explicit RequestReader(const RequestLimits& limits = {});
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // Consumes bytes (possibly none: parses what is buffered).
  ReadStatus feed(std::string_view bytes);
  ReadStatus status() const;
  bool header_done() const;
  // The head is complete and asked for "Expect: 100-continue".
  bool expects_continue() const;
  const HttpRequest& request() const;  // complete() only
  const std::string& error() const;    // the parser's message, on an error status
  // Forgets the completed request; buffered bytes begin the next one.
  void next();
  size_t buffered() const;  // bytes received but not yet parsed

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What a request asks for.
enum class RouteKind : uint8_t {
  replay,              // POST /c/<token>/<provider route>
  journal,             // GET /__ssecheck/journal[?case=TOKEN]
  clear_journal,       // DELETE /__ssecheck/journal[?case=TOKEN]
  cases,               // GET /__ssecheck/cases
  not_found,           // 404 (a /c/<token>/ prefix still sets token)
  method_not_allowed,  // 405 (allow says which)
  bad_request,         // 400, e.g. streamGenerateContent without alt=sse
};

struct Route {
  RouteKind kind = RouteKind::not_found;
  std::string token;    // the case token from /c/<token>/, when present
  std::string rest;     // the path after the token, repeated slashes collapsed
  std::string dialect;  // replay: the dialect whose route rest is
  std::string model;    // replay, gemini: the model in the path
  std::string allow;    // method_not_allowed: the allowed method
  std::string problem;  // not_found, bad_request: one line for the error body
};

// The provider routes, under /c/<token>: /v1/chat/completions, /v1/responses,
// /v1/messages, /v1beta/models/<m>:streamGenerateContent?alt=sse (and /v1/models/).
Route route_request(std::string_view method, std::string_view path, std::string_view query);

// The first value of a query parameter, percent-decoded ('+' is a space); nullopt
// when absent or badly encoded.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

// Token characters: A-Z a-z 0-9 - . _ ~ (URL-safe, never percent-encoded).
bool is_token_char(char c);

}  // namespace ssecheck::replay
