// The request reader and the router, without sockets.
#include "ssecheck/replay/http_request.h"

#include <gtest/gtest.h>

#include "ssecheck/registry.h"

namespace {

using namespace ssecheck::replay;

const std::string kPost =
    "POST /c/tok/v1/chat/completions?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    "Content-Length: 15\r\n\r\n{\"stream\":true}";

TEST(RequestReader, ReadsARequest) {
  RequestReader r;
  ASSERT_EQ(r.feed(kPost), ReadStatus::complete);
  const HttpRequest& q = r.request();
  EXPECT_EQ(q.method, "POST");
  EXPECT_EQ(q.path, "/c/tok/v1/chat/completions");
  EXPECT_EQ(q.query, "x=1");
  EXPECT_EQ(q.body, "{\"stream\":true}");
  EXPECT_EQ(q.version, 11u);
  EXPECT_TRUE(q.keep_alive);
  ASSERT_EQ(q.headers.size(), 3u);
  EXPECT_EQ(q.headers[1].first, "Content-Type");
  EXPECT_EQ(q.headers[1].second, "application/json");
}

TEST(RequestReader, AnySplitGivesTheSameRequest) {
  for (size_t cut = 0; cut <= kPost.size(); ++cut) {
    RequestReader r;
    const ReadStatus first = r.feed(std::string_view(kPost).substr(0, cut));
    ASSERT_EQ(first, cut == kPost.size() ? ReadStatus::complete : ReadStatus::need_more) << cut;
    ASSERT_EQ(r.feed(std::string_view(kPost).substr(cut)), ReadStatus::complete) << cut;
    EXPECT_EQ(r.request().body, "{\"stream\":true}");
  }
  RequestReader r;
  for (char c : kPost.substr(0, kPost.size() - 1)) ASSERT_EQ(r.feed(std::string_view(&c, 1)), ReadStatus::need_more);
  EXPECT_EQ(r.feed(kPost.substr(kPost.size() - 1)), ReadStatus::complete);
}

TEST(RequestReader, ChunkedBodyAndPipelining) {
  const std::string two =
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
      "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  RequestReader r;
  ASSERT_EQ(r.feed(two), ReadStatus::complete);
  EXPECT_EQ(r.request().body, "abcde");
  EXPECT_GT(r.buffered(), 0u);
  r.next();
  ASSERT_EQ(r.feed({}), ReadStatus::complete);
  EXPECT_EQ(r.request().path, "/b");
  EXPECT_FALSE(r.request().keep_alive);
  r.next();
  EXPECT_EQ(r.feed({}), ReadStatus::need_more);
}

TEST(RequestReader, MalformedIs400) {
  for (std::string_view bad : {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n",
                               "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
                               "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
                               "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    RequestReader r;
    const ReadStatus s = r.feed(bad);
    EXPECT_EQ(s, ReadStatus::bad_request) << bad;
    EXPECT_EQ(error_status(s), 400);
    EXPECT_NE(r.error(), "");
    EXPECT_EQ(r.feed("GET / HTTP/1.1\r\n\r\n"), ReadStatus::bad_request);  // sticky
  }
}

TEST(RequestReader, OversizedHeadIs431WhateverTheSplit) {
  RequestLimits limits;
  limits.max_header_bytes = 1024;
  const std::string head = "GET /" + std::string(600, 'a') + " HTTP/1.1\r\nX: " + std::string(600, 'b') + "\r\n\r\n";
  for (size_t step : {size_t{1}, size_t{7}, size_t{100}, head.size()}) {
    RequestReader r(limits);
    ReadStatus s = ReadStatus::need_more;
    for (size_t i = 0; i < head.size() && s == ReadStatus::need_more; i += step) s = r.feed(head.substr(i, step));
    EXPECT_EQ(s, ReadStatus::header_too_large) << step;
    EXPECT_EQ(error_status(s), 431);
    EXPECT_EQ(r.buffered(), 0u);
  }
  // An endless head stops at the limit, without growing.
  RequestReader r(limits);
  ReadStatus s = r.feed("GET / HTTP/1.1\r\n");
  for (int i = 0; i < 1000 && s == ReadStatus::need_more; ++i) s = r.feed("X-Filler: 0123456789\r\n");
  EXPECT_EQ(s, ReadStatus::header_too_large);
}

TEST(RequestReader, OversizedBodyIs413) {
  RequestLimits limits;
  limits.max_body_bytes = 100;
  RequestReader declared(limits);
  EXPECT_EQ(declared.feed("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n"), ReadStatus::body_too_large);
  RequestReader chunked(limits);
  const std::string big = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + std::string(64, 'x') +
                          "\r\n40\r\n" + std::string(64, 'y') + "\r\n0\r\n\r\n";
  EXPECT_EQ(chunked.feed(big), ReadStatus::body_too_large);
  EXPECT_EQ(error_status(ReadStatus::body_too_large), 413);
  RequestReader fits(limits);
  EXPECT_EQ(fits.feed("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'z')), ReadStatus::complete);
}

TEST(RequestReader, EndlessChunkLineIsBounded) {
  RequestLimits limits;
  limits.max_body_bytes = 1000;
  RequestReader r(limits);
  ReadStatus s = r.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;");
  const std::string ext(4096, 'e');
  for (int i = 0; i < 100 && s == ReadStatus::need_more; ++i) {
    s = r.feed(ext);
    ASSERT_LE(r.buffered(), limits.max_header_bytes + 2 * limits.max_body_bytes + 4096 + ext.size());
  }
  EXPECT_EQ(s, ReadStatus::body_too_large);
  EXPECT_EQ(r.buffered(), 0u);
}

// A head of exactly the limit is fine; one byte more is not, however it arrives.
TEST(RequestReader, HeadLimitIsExact) {
  RequestLimits limits;
  limits.max_header_bytes = 64;
  std::string head = "GET / HTTP/1.1\r\nX: ";
  head += std::string(64 - head.size() - 4, 'a') + "\r\n\r\n";
  ASSERT_EQ(head.size(), 64u);
  const std::string over = head.substr(0, 20) + "b" + head.substr(20);
  for (size_t step : {size_t{1}, size_t{5}, size_t{64}, size_t{65}}) {
    RequestReader ok(limits), bad(limits);
    ReadStatus a = ReadStatus::need_more, b = ReadStatus::need_more;
    for (size_t i = 0; i < head.size(); i += step) a = ok.feed(head.substr(i, step));
    for (size_t i = 0; i < over.size() && b == ReadStatus::need_more; i += step) b = bad.feed(over.substr(i, step));
    EXPECT_EQ(a, ReadStatus::complete) << step;
    EXPECT_EQ(b, ReadStatus::header_too_large) << step;
  }
}

TEST(RequestReader, ExpectContinue) {
  RequestReader r;
  EXPECT_EQ(r.feed("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"), ReadStatus::need_more);
  EXPECT_TRUE(r.header_done());
  EXPECT_TRUE(r.expects_continue());
  EXPECT_EQ(r.feed("ok"), ReadStatus::complete);
}

TEST(Route, ProviderRoutes) {
  const struct {
    std::string_view path, query, dialect;
  } cases[] = {
      {"/c/tok/v1/chat/completions", "", "openai-chat"},
      {"/c/tok/v1/responses", "", "openai-responses"},
      {"/c/tok/v1/messages", "beta=true", "anthropic-messages"},
      {"/c/tok/v1beta/models/gemini-2.5-flash:streamGenerateContent", "alt=sse", "gemini"},
      {"/c/tok/v1/models/gemini-2.5-pro:streamGenerateContent", "key=k&alt=sse", "gemini"},
      {"/c/tok//v1/chat/completions", "", "openai-chat"},
  };
  for (const auto& c : cases) {
    const Route r = route_request("POST", c.path, c.query);
    EXPECT_EQ(r.kind, RouteKind::replay) << c.path;
    EXPECT_EQ(r.token, "tok");
    EXPECT_EQ(r.dialect, c.dialect) << c.path;
    EXPECT_NE(ssecheck::find_dialect(r.dialect), nullptr);
  }
  EXPECT_EQ(route_request("POST", "/c/tok/v1beta/models/m:streamGenerateContent", "alt=sse").model, "m");
}

TEST(Route, EverythingElse) {
  EXPECT_EQ(route_request("GET", "/c/tok/v1/chat/completions", "").kind, RouteKind::method_not_allowed);
  EXPECT_EQ(route_request("GET", "/c/tok/v1/chat/completions", "").allow, "POST");
  const Route no_sse = route_request("POST", "/c/tok/v1beta/models/m:streamGenerateContent", "");
  EXPECT_EQ(no_sse.kind, RouteKind::bad_request);
  EXPECT_NE(no_sse.problem.find("alt=sse"), std::string::npos);
  const Route unknown = route_request("POST", "/c/tok/v2/chat", "");
  EXPECT_EQ(unknown.kind, RouteKind::not_found);
  EXPECT_EQ(unknown.token, "tok");
  EXPECT_EQ(route_request("POST", "/v1/chat/completions", "").kind, RouteKind::not_found);
  EXPECT_EQ(route_request("POST", "/c//v1/chat/completions", "").kind, RouteKind::not_found);
  EXPECT_EQ(route_request("POST", "/c/t%20k/v1/chat/completions", "").kind, RouteKind::not_found);
  EXPECT_EQ(route_request("POST", "/c/tok/v1beta/models/a/b:streamGenerateContent", "alt=sse").kind,
            RouteKind::not_found);
  EXPECT_EQ(route_request("GET", "/__ssecheck/journal", "").kind, RouteKind::journal);
  EXPECT_EQ(route_request("DELETE", "/__ssecheck/journal", "").kind, RouteKind::clear_journal);
  EXPECT_EQ(route_request("POST", "/__ssecheck/journal", "").kind, RouteKind::method_not_allowed);
  EXPECT_EQ(route_request("GET", "/__ssecheck/cases", "").kind, RouteKind::cases);
}

TEST(Route, QueryParam) {
  EXPECT_EQ(query_param("a=1&case=x%7Ey&b", "case"), "x~y");
  EXPECT_EQ(query_param("b", "b"), "");
  EXPECT_EQ(query_param("q=a+b", "q"), "a b");
  EXPECT_FALSE(query_param("a=1", "case"));
  EXPECT_FALSE(query_param("case=%zz", "case"));
  EXPECT_FALSE(query_param("case=%4", "case"));
}

}  // namespace
