// http_request_fuzzer: the replay server's request side (conformance/replay/
// http_request.h): RequestReader (Beast's parser behind our limits) and route_request.
// Input: byte 0 picks the limits (low 2 bits) and the seed of a random split; the rest
// is what a client sends on one connection (requests may be pipelined).
//
// Checks on every input: no crash; the same requests and the same final status whether
// the bytes come in one feed, in random pieces or (for short inputs) one byte at a time;
// an error status is 400, 431 or 413 and sticks; buffered bytes stay within the wire
// limit plus one feed; a complete request's body is within max_body_bytes and its path
// and query rebuild its target; routing any complete request is safe, and a replay
// route names a dialect and a token of URL-safe characters.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "ssecheck/replay/http_request.h"

namespace {

using namespace ssecheck::replay;

constexpr size_t kMaxRequests = 64;

uint64_t next_random(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

RequestLimits limits_for(uint8_t choice) {
  RequestLimits l;
  switch (choice & 3) {
    case 0: l.max_header_bytes = 256, l.max_body_bytes = 64; break;
    case 1: l.max_header_bytes = 1024, l.max_body_bytes = 1024; break;
    case 2: l.max_header_bytes = 4096, l.max_body_bytes = 16; break;
    default: break;  // the server's defaults
  }
  return l;
}

void check_request(const HttpRequest& q, const RequestLimits& limits) {
  FUZZ_CHECK(q.body.size() <= limits.max_body_bytes);
  FUZZ_CHECK(q.target == (q.query.empty() && q.target.find('?') == std::string::npos ? q.path : q.path + "?" + q.query));
  FUZZ_CHECK(q.version == 10 || q.version == 11);
  const Route r = route_request(q.method, q.path, q.query);
  (void)query_param(q.query, "case");
  if (r.kind == RouteKind::replay) {
    FUZZ_CHECK(!r.dialect.empty());
    FUZZ_CHECK(!r.token.empty());
    FUZZ_CHECK(q.method == "POST");
    for (char c : r.token) FUZZ_CHECK(is_token_char(c));
  }
  if (r.kind == RouteKind::method_not_allowed) FUZZ_CHECK(!r.allow.empty());
}

// Feeds the pieces; returns every complete request and the final status, as text.
template <class NextPiece>
std::string run(const RequestLimits& limits, NextPiece next_piece) {
  RequestReader reader(limits);
  std::string log;
  size_t requests = 0;
  ReadStatus st = ReadStatus::need_more;
  const size_t wire = limits.max_header_bytes + 2 * limits.max_body_bytes + 4096;
  for (std::string_view piece; st == ReadStatus::need_more && next_piece(&piece);) {
    st = reader.feed(piece);
    while (st == ReadStatus::complete && requests < kMaxRequests) {
      const HttpRequest& q = reader.request();
      check_request(q, limits);
      log += q.method + ' ' + q.target + ' ' + std::to_string(q.version) + (q.keep_alive ? " ka\n" : " close\n");
      for (const auto& [k, v] : q.headers) log += k + ": " + v + '\n';
      log += std::to_string(q.body.size()) + ':' + q.body + '\n';
      ++requests;
      reader.next();
      st = reader.feed({});
    }
    if (st == ReadStatus::need_more) FUZZ_CHECK(reader.buffered() <= wire + piece.size());
  }
  if (st != ReadStatus::need_more && st != ReadStatus::complete) {
    const int status = error_status(st);
    FUZZ_CHECK(status == 400 || status == 431 || status == 413);
    FUZZ_CHECK(!reader.error().empty());
    FUZZ_CHECK(reader.feed("GET / HTTP/1.1\r\n\r\n") == st);
    FUZZ_CHECK(reader.buffered() == 0);
  }
  log += "status " + std::to_string(static_cast<int>(st));
  return log;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const RequestLimits limits = limits_for(control);

  bool given = false;
  const std::string whole = run(limits, [&](std::string_view* p) {
    if (given) return false;
    *p = input;
    given = true;
    return true;
  });

  uint64_t state = control ^ (uint64_t{size} << 8);
  size_t at = 0;
  const std::string split = run(limits, [&](std::string_view* p) {
    if (at >= input.size()) return false;
    const size_t n = 1 + static_cast<size_t>(next_random(&state) % (1u << (1 + next_random(&state) % 10)));
    *p = input.substr(at, n);
    at += p->size();
    return true;
  });
  if (split != whole)
    ssecheck_fuzz::fuzz_fail("random split differs from one feed:\n--- whole\n%s\n--- split\n%s", whole.c_str(),
                             split.c_str());

  if (input.size() <= 4096) {
    size_t i = 0;
    const std::string bytes1 = run(limits, [&](std::string_view* p) {
      if (i >= input.size()) return false;
      *p = input.substr(i++, 1);
      return true;
    });
    if (bytes1 != whole)
      ssecheck_fuzz::fuzz_fail("byte-at-a-time differs from one feed:\n--- whole\n%s\n--- bytes1\n%s", whole.c_str(),
                               bytes1.c_str());
  }
  return 0;
}
