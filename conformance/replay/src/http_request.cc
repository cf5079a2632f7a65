#include "ssecheck/replay/http_request.h"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>

namespace ssecheck::replay {
namespace {

namespace http = boost::beast::http;

// A request's bytes on the wire (head, chunk framing, trailers) may exceed its head and
// body limits by at most this much per body byte allowed, plus kWireSlack: Beast puts no
// limit on chunk-size lines or extensions, so the reader does.
constexpr size_t kWireSlack = 4096;

template <class View>
std::string to_string(const View& v) {
  return std::string(v.data(), v.size());
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percent_decode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      *out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += in[i];
    }
  }
  return true;
}

}  // namespace

int error_status(ReadStatus status) {
  switch (status) {
    case ReadStatus::bad_request: return 400;
    case ReadStatus::header_too_large: return 431;
    case ReadStatus::body_too_large: return 413;
    default: return 0;
  }
}

struct RequestReader::Impl {
  RequestLimits limits;
  std::optional<http::request_parser<http::string_body>> parser;
  std::string pending;  // received, not yet consumed by the parser
  size_t consumed = 0;  // bytes of this request the parser consumed (head, then body)
  size_t scanned = 0;   // pending[0, scanned) holds no end of head ("\r\n\r\n")
  size_t lf_from = 0;   // chunked body: where the next window's LF is looked for
  HttpRequest request;
  std::string error;
  ReadStatus state = ReadStatus::need_more;

  size_t wire_limit() const { return limits.max_header_bytes + 2 * limits.max_body_bytes + kWireSlack; }

  void fresh() {
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(std::min<size_t>(limits.max_header_bytes, UINT32_MAX)));
    parser->body_limit(static_cast<std::uint64_t>(limits.max_body_bytes));
    parser->eager(false);  // stop after the head, so the head's size is known exactly
    consumed = 0;
    scanned = 0;
    lf_from = 0;
    request = HttpRequest();
    error.clear();
    state = ReadStatus::need_more;
  }

  ReadStatus fail(ReadStatus s, std::string message) {
    state = s;
    error = std::move(message);
    pending.clear();
    pending.shrink_to_fit();
    return s;
  }

  ReadStatus head_too_large() {
    return fail(ReadStatus::header_too_large,
                "the request head exceeds " + std::to_string(limits.max_header_bytes) + " bytes");
  }
  ReadStatus body_too_large() {
    return fail(ReadStatus::body_too_large,
                "the request body exceeds " + std::to_string(limits.max_body_bytes) + " bytes");
  }

  // The parser never sees past the head limit (then the wire limit): what it decides
  // depends only on that prefix, so any split of the bytes gives the same outcome.
  ReadStatus parse() {
    while (state == ReadStatus::need_more && !pending.empty()) {
      const bool header_before = parser->is_header_done();
      const size_t limit = header_before ? wire_limit() : limits.max_header_bytes;
      if (consumed >= limit) return header_before ? body_too_large() : head_too_large();
      const size_t available = pending.size();
      size_t window = std::min(available, limit - consumed);
      bool capped = window < available;
      bool by_line = false;
      if (!header_before) {
        // The parser gets the head once all of it is here, and nothing after it
        // (Beast's only line ending is CRLF). Beast's verdict on a partial head, or on
        // a head with bytes behind it, depends on where the input was split.
        const size_t from = scanned >= 3 ? scanned - 3 : 0;
        const size_t eom = std::string_view(pending.data(), window).find("\r\n\r\n", from);
        if (eom == std::string_view::npos) {
          scanned = window;
          if (window == limit - consumed) return head_too_large();
          return state;
        }
        window = eom + 4;
        capped = false;
      } else if (parser->chunked()) {
        // A chunked body goes to the parser one line at a time, whatever the split:
        // Beast reads chunk extensions up to the end of its buffer, not of the line,
        // and repeats its body-limit accounting when it has to wait for more.
        const size_t lf = std::string_view(pending.data(), window).find('\n', lf_from);
        if (lf == std::string_view::npos) {
          lf_from = window;
          if (capped || window == limit - consumed) return body_too_large();
          return state;
        }
        window = lf + 1;
        capped = false;
        by_line = true;
      }
      boost::beast::error_code ec;
      const size_t n = parser->put(boost::asio::const_buffer(pending.data(), window), ec);
      pending.erase(0, n);
      consumed += n;
      lf_from = window - n;
      if (ec == http::error::need_more) {
        // A whole head the parser cannot finish is malformed (e.g. a short version).
        if (!header_before) return fail(ReadStatus::bad_request, "malformed request head");
        if (by_line && window < available) continue;  // the next line is here already
        if (capped) return body_too_large();
        return state;
      }
      if (ec == http::error::header_limit) return head_too_large();
      if (ec == http::error::body_limit) return body_too_large();
      if (ec) return fail(ReadStatus::bad_request, ec.message());
      if (!header_before && parser->is_header_done()) parser->eager(true);
      if (parser->is_done()) {
        auto& m = parser->get();
        request.method = to_string(m.method_string());
        request.target = to_string(m.target());
        const size_t q = request.target.find('?');
        request.path = request.target.substr(0, q);
        request.query = q == std::string::npos ? std::string() : request.target.substr(q + 1);
        request.version = m.version();
        request.keep_alive = m.keep_alive();
        for (const auto& f : m) request.headers.emplace_back(to_string(f.name_string()), to_string(f.value()));
        request.body = std::move(m.body());
        state = ReadStatus::complete;
        return state;
      }
      if (n == 0) return state;
    }
    return state;
  }
};

RequestReader::RequestReader(const RequestLimits& limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  impl_->fresh();
}

RequestReader::~RequestReader() = default;

ReadStatus RequestReader::feed(std::string_view bytes) {
  Impl& d = *impl_;
  if (d.state != ReadStatus::need_more && d.state != ReadStatus::complete) return d.state;
  d.pending.append(bytes);
  if (d.state == ReadStatus::complete) return d.state;
  return d.parse();
}

ReadStatus RequestReader::status() const { return impl_->state; }

bool RequestReader::header_done() const { return impl_->parser->is_header_done(); }

bool RequestReader::expects_continue() const {
  if (!header_done()) return false;
  const auto& m = impl_->parser->get();
  const auto it = m.find(http::field::expect);
  return it != m.end() && iequals(std::string_view(it->value().data(), it->value().size()), "100-continue");
}

const HttpRequest& RequestReader::request() const { return impl_->request; }
const std::string& RequestReader::error() const { return impl_->error; }

void RequestReader::next() {
  if (impl_->state != ReadStatus::complete) return;
  impl_->fresh();
}

size_t RequestReader::buffered() const { return impl_->pending.size(); }

bool is_token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    std::string key, value;
    if (!percent_decode(pair.substr(0, eq), &key)) continue;
    if (key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    if (!percent_decode(pair.substr(eq + 1), &value)) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

Route route_request(std::string_view method, std::string_view path, std::string_view query) {
  Route r;
  auto only = [&](std::string_view allowed, RouteKind kind) {
    if (method == allowed) {
      r.kind = kind;
    } else {
      r.kind = RouteKind::method_not_allowed;
      r.allow = std::string(allowed);
    }
  };
  if (path == "/__ssecheck/journal") {
    if (method == "DELETE") r.kind = RouteKind::clear_journal;
    else only("GET", RouteKind::journal);
    if (r.kind == RouteKind::method_not_allowed) r.allow = "GET, DELETE";
    return r;
  }
  if (path == "/__ssecheck/cases") {
    only("GET", RouteKind::cases);
    return r;
  }
  if (!path.starts_with("/c/")) {
    r.problem = "no such route; case URLs start with /c/<case-token>/";
    return r;
  }
  path.remove_prefix(3);
  const size_t slash = path.find('/');
  const std::string_view token = path.substr(0, slash);
  for (char c : token) {
    if (!is_token_char(c)) {
      r.problem = "not a case token";
      return r;
    }
  }
  r.token = std::string(token);
  // The rest, with repeated slashes collapsed (a base URL with a trailing slash).
  const std::string_view rest = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  for (char c : rest)
    if (c != '/' || r.rest.empty() || r.rest.back() != '/') r.rest += c;
  if (r.token.empty()) {
    r.problem = "an empty case token";
    return r;
  }

  const std::string_view rs = r.rest;
  if (rs == "/v1/chat/completions") r.dialect = "openai-chat";
  else if (rs == "/v1/responses") r.dialect = "openai-responses";
  else if (rs == "/v1/messages") r.dialect = "anthropic-messages";
  for (std::string_view prefix : {"/v1beta/models/", "/v1/models/"}) {
    constexpr std::string_view kStream = ":streamGenerateContent";
    if (!rs.starts_with(prefix) || !rs.ends_with(kStream)) continue;
    const std::string_view model = rs.substr(prefix.size(), rs.size() - prefix.size() - kStream.size());
    if (model.empty() || model.find('/') != std::string_view::npos) continue;
    r.dialect = "gemini";
    r.model = std::string(model);
    const auto alt = query_param(query, "alt");
    if (!alt || *alt != "sse") {
      r.kind = RouteKind::bad_request;
      r.problem = "streamGenerateContent is replayed as server-sent events: add ?alt=sse";
      return r;
    }
  }
  if (r.dialect.empty()) {
    r.problem = "no provider route " + r.rest + " (known: /v1/chat/completions, /v1/responses, /v1/messages, "
                "/v1beta/models/<model>:streamGenerateContent?alt=sse)";
    return r;
  }
  only("POST", RouteKind::replay);
  return r;
}

}  // namespace ssecheck::replay
