#include "ssecheck/replay/replay_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "json_lines.h"
#include "ssecheck/utf8.h"

namespace ssecheck::replay {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using std::chrono::milliseconds;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr milliseconds kDrainTime{1000};  // reading a closing client's leftovers

bool header_name_ok(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool header_value_ok(std::string_view value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) return false;
  }
  return true;
}

void append_base64(std::string& out, std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
}

std::string error_json(std::string_view message) {
  std::string out = "{\"error\":{\"message\":";
  conformance::append_json_string(out, message);
  out += ",\"type\":\"ssecheck_replay\"}}";
  return out;
}

size_t entry_bytes(const JournalEntry& e) {
  size_t n = e.method.size() + e.path.size() + e.query.size() + e.body.size() + 64;
  for (const auto& [k, v] : e.headers) n += k.size() + v.size() + 16;
  return n;
}

// Everything the server shares with its sessions.
struct Core {
  // Declared before ioc: sessions, destroyed with ioc, still use them.
  ServerOptions opt;
  std::atomic<size_t> active{0};
  std::atomic<bool> stopped{false};
  mutable std::mutex mu;  // cases and journal
  std::map<std::string, std::shared_ptr<const ReplayCase>> cases;
  struct Log {
    std::vector<JournalEntry> entries;
    uint64_t dropped = 0;
  };
  std::map<std::string, Log> journal;
  size_t journal_bytes = 0;
  uint64_t seq = 0;
  std::string url_host;
  uint16_t port = 0;

  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer accept_retry{ioc};
  std::vector<std::thread> threads;

  void accept();

  std::shared_ptr<const ReplayCase> find_case(const std::string& token) const {
    std::lock_guard<std::mutex> lock(mu);
    const auto it = cases.find(token);
    return it == cases.end() ? nullptr : it->second;
  }

  void record(const std::string& token, const HttpRequest& req, const std::string& rest, int status) {
    JournalEntry e;
    e.method = req.method;
    e.path = rest;
    e.query = req.query;
    e.headers = req.headers;
    e.body = req.body;
    e.status = status;
    const size_t size = entry_bytes(e);
    std::lock_guard<std::mutex> lock(mu);
    Log& log = journal[token];
    if (log.entries.size() >= opt.journal_max_entries || journal_bytes + size > opt.journal_max_bytes) {
      ++log.dropped;
      return;
    }
    e.seq = seq++;
    journal_bytes += size;
    log.entries.push_back(std::move(e));
  }

  std::string journal_for(const std::optional<std::string>& token) const {
    std::vector<std::pair<std::string, std::vector<JournalEntry>>> out;
    std::vector<uint64_t> dropped;
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& [t, log] : journal) {
      if (token && *token != t) continue;
      out.emplace_back(t, log.entries);
      dropped.push_back(log.dropped);
    }
    if (token && out.empty()) {
      out.emplace_back(*token, std::vector<JournalEntry>());
      dropped.push_back(0);
    }
    return journal_json(out, dropped);
  }

  std::string cases_json() const {
    std::string out = "{\"cases\":[";
    std::lock_guard<std::mutex> lock(mu);
    bool first = true;
    for (const auto& [token, c] : cases) {
      if (!first) out += ',';
      first = false;
      out += "{\"token\":";
      conformance::append_json_string(out, token);
      out += ",\"id\":";
      conformance::append_json_string(out, c->id);
      out += ",\"dialect\":";
      conformance::append_json_string(out, c->dialect);
      out += ",\"schedule\":";
      conformance::append_json_string(out, c->schedule.name);
      out += ",\"base_url\":";
      conformance::append_json_string(out, "http://" + url_host + ":" + std::to_string(port) + "/c/" + token);
      out += '}';
    }
    out += "]}";
    return out;
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Core& server, tcp::socket socket)
      : srv_(server),
        sock_(std::move(socket)),
        deadline_(sock_.get_executor()),
        pause_(sock_.get_executor()),
        reader_(server.opt.limits) {
    ++srv_.active;
  }
  ~Session() { --srv_.active; }

  void start() {
    error_code ignored;
    sock_.set_option(tcp::no_delay(true), ignored);
    arm(srv_.opt.header_timeout);
    do_read();
  }

  // Over max_connections: 503 and close.
  void reject() {
    keep_alive_ = false;
    respond_simple(503, error_json("too many connections"), "application/json", {});
  }

 private:
  enum class Phase { head, body, respond, drain };

  // The one deadline: a request head, a body, a write or a drain must finish in time.
  void arm(milliseconds d) {
    const uint64_t gen = ++deadline_gen_;
    timed_out_ = false;
    deadline_.expires_after(d);
    deadline_.async_wait([self = shared_from_this(), gen](const error_code& ec) {
      if (ec || gen != self->deadline_gen_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->sock_.cancel(ignored);
    });
  }
  void disarm() {
    ++deadline_gen_;
    deadline_.cancel();
  }

  void do_read() {
    sock_.async_read_some(net::buffer(buf_), [self = shared_from_this()](const error_code& ec, size_t n) {
      self->on_read(ec, n);
    });
  }

  void on_read(const error_code& ec, size_t n) {
    if (phase_ == Phase::drain) {
      if (ec || timed_out_) close_now();
      else do_read();
      return;
    }
    if (timed_out_) {
      keep_alive_ = false;
      // An idle keep-alive connection just closes: a 408 nobody asked for could be
      // taken by a pooling client as the answer to the request it is about to send.
      if (!request_started_) return graceful_close();
      respond_simple(408, error_json(phase_ == Phase::head ? "the request head did not arrive in time"
                                                          : "the request body did not arrive in time"),
                     "application/json", {});
      return;
    }
    if (ec) {
      close_now();
      return;
    }
    request_started_ = request_started_ || n > 0;
    process(reader_.feed(std::string_view(buf_.data(), n)));
  }

  void process(ReadStatus st) {
    if (st == ReadStatus::need_more) {
      if (reader_.header_done() && phase_ == Phase::head) {
        phase_ = Phase::body;
        arm(srv_.opt.body_timeout);
      }
      if (reader_.expects_continue() && !continue_sent_) {
        continue_sent_ = true;
        net::async_write(sock_, net::buffer(kContinue.data(), kContinue.size()),
                         [self = shared_from_this()](const error_code& ec, size_t) {
                           if (ec) self->close_now();
                           else self->do_read();
                         });
        return;
      }
      do_read();
      return;
    }
    disarm();
    phase_ = Phase::respond;
    if (st == ReadStatus::complete) {
      handle(reader_.request());
      return;
    }
    keep_alive_ = false;
    respond_simple(error_status(st), error_json(reader_.error()), "application/json", {});
  }

  void handle(const HttpRequest& req) {
    keep_alive_ = req.keep_alive && !srv_.stopped;
    http10_ = req.version < 11;
    const Route r = route_request(req.method, req.path, req.query);
    std::shared_ptr<const ReplayCase> c = r.token.empty() ? nullptr : srv_.find_case(r.token);
    int status = 404;
    std::string body;
    std::vector<std::pair<std::string, std::string>> extra;
    switch (r.kind) {
      case RouteKind::journal:
        status = 200;
        body = srv_.journal_for(query_param(req.query, "case"));
        break;
      case RouteKind::clear_journal: {
        status = 200;
        const auto token = query_param(req.query, "case");
        std::lock_guard<std::mutex> lock(srv_.mu);
        for (auto it = srv_.journal.begin(); it != srv_.journal.end();) {
          if (token && it->first != *token) {
            ++it;
            continue;
          }
          for (const auto& e : it->second.entries) srv_.journal_bytes -= entry_bytes(e);
          it = srv_.journal.erase(it);
        }
        body = "{\"cleared\":true}";
        break;
      }
      case RouteKind::cases:
        status = 200;
        body = srv_.cases_json();
        break;
      case RouteKind::method_not_allowed:
        status = 405;
        body = error_json("method " + req.method + " not allowed here");
        extra.emplace_back("Allow", r.allow);
        break;
      case RouteKind::bad_request:
        status = 400;
        body = error_json(r.problem);
        break;
      case RouteKind::not_found:
        body = error_json(r.token.empty() || c ? r.problem : "no case with token '" + r.token + "'");
        break;
      case RouteKind::replay:
        if (!c) {
          body = error_json("no case with token '" + r.token + "'");
        } else if (c->dialect != r.dialect) {
          body = error_json("case '" + r.token + "' is a " + c->dialect + " stream, not " + r.dialect);
        } else {
          status = c->status;
        }
        break;
    }
    if (c) srv_.record(r.token, req, r.rest, status);
    if (r.kind == RouteKind::replay && c && c->dialect == r.dialect) {
      start_stream(std::move(c));
      return;
    }
    respond_simple(status, std::move(body), "application/json", extra);
  }

  void respond_simple(int status, std::string body, std::string_view content_type,
                      const std::vector<std::pair<std::string, std::string>>& extra) {
    simple_ = std::make_unique<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    simple_->set(http::field::server, "ssecheck-replay");
    simple_->set(http::field::content_type, content_type);
    for (const auto& [k, v] : extra) simple_->set(k, v);
    simple_->body() = std::move(body);
    simple_->keep_alive(keep_alive_);
    simple_->prepare_payload();
    arm(srv_.opt.write_timeout);
    http::async_write(sock_, *simple_, [self = shared_from_this()](const error_code& ec, size_t) {
      self->after_response(ec);
    });
  }

  void start_stream(std::shared_ptr<const ReplayCase> c) {
    case_ = std::move(c);
    const Schedule& s = case_->schedule;
    framing_ = s.framing;
    if (framing_ == Framing::chunked && http10_) framing_ = Framing::close;  // HTTP/1.0 has no chunks
    http::response<http::empty_body> res(static_cast<http::status>(case_->status), 11);
    if (case_->status == 529) res.reason("Overloaded");
    for (const auto& [k, v] : case_->headers)
      if (header_name_ok(k) && header_value_ok(v)) res.insert(k, v);
    if (framing_ == Framing::close) keep_alive_ = false;
    if (framing_ == Framing::chunked) res.chunked(true);
    if (framing_ == Framing::content_length) res.content_length(s.bytes.size());
    res.keep_alive(keep_alive_);
    std::ostringstream os;
    os << res.base();
    head_ = os.str();
    piece_ = 0;
    arm(srv_.opt.write_timeout);
    net::async_write(sock_, net::buffer(head_), [self = shared_from_this()](const error_code& ec, size_t) {
      if (ec) return self->close_now();
      self->next_piece();
    });
  }

  void next_piece() {
    const Schedule& s = case_->schedule;
    if (piece_ >= s.piece_count()) return finish_stream();
    if (piece_ > 0 && s.pause.count() > 0) {
      disarm();
      pause_.expires_after(s.pause);
      pause_.async_wait([self = shared_from_this()](const error_code& ec) {
        if (ec) return self->close_now();
        self->send_piece();
      });
      return;
    }
    send_piece();
  }

  void send_piece() {
    const std::string_view piece = case_->schedule.piece(piece_);
    auto done = [self = shared_from_this()](const error_code& ec, size_t) {
      if (ec) return self->close_now();
      ++self->piece_;
      self->next_piece();
    };
    arm(srv_.opt.write_timeout);
    // One write per piece; with TCP_NODELAY each leaves as its own segment(s).
    if (framing_ == Framing::chunked)
      net::async_write(sock_, http::make_chunk(net::buffer(piece.data(), piece.size())), std::move(done));
    else
      net::async_write(sock_, net::buffer(piece.data(), piece.size()), std::move(done));
  }

  void finish_stream() {
    const Schedule& s = case_->schedule;
    switch (s.fault) {
      case Fault::fin_mid_event: return graceful_close();
      case Fault::rst_mid_event: return reset();
      case Fault::stall:
        disarm();
        pause_.expires_after(s.stall);
        pause_.async_wait([self = shared_from_this()](const error_code& ec) {
          if (ec) return self->close_now();
          self->graceful_close();
        });
        return;
      default: break;
    }
    if (framing_ == Framing::chunked) {
      arm(srv_.opt.write_timeout);
      net::async_write(sock_, http::make_chunk_last(), [self = shared_from_this()](const error_code& ec, size_t) {
        self->after_response(ec);
      });
      return;
    }
    after_response({});
  }

  void after_response(const error_code& ec) {
    disarm();
    if (ec) return close_now();
    if (!keep_alive_ || srv_.stopped) return graceful_close();
    reader_.next();
    case_.reset();
    phase_ = Phase::head;
    continue_sent_ = false;
    request_started_ = reader_.buffered() > 0;
    arm(srv_.opt.header_timeout);
    process(reader_.feed({}));  // a pipelined request may be buffered already
  }

  // FIN, then read and drop what the client still sends (closing with unread bytes
  // would turn the FIN into an RST), for at most kDrainTime.
  void graceful_close() {
    error_code ignored;
    sock_.shutdown(tcp::socket::shutdown_send, ignored);
    phase_ = Phase::drain;
    arm(std::min(kDrainTime, srv_.opt.header_timeout));
    do_read();
  }

  void reset() {
    error_code ignored;
    sock_.set_option(net::socket_base::linger(true, 0), ignored);
    sock_.close(ignored);
    disarm();
  }

  void close_now() {
    error_code ignored;
    sock_.close(ignored);
    disarm();
    pause_.cancel();
  }

  Core& srv_;
  tcp::socket sock_;
  net::steady_timer deadline_;
  net::steady_timer pause_;
  RequestReader reader_;
  std::array<char, 8192> buf_{};
  uint64_t deadline_gen_ = 0;
  bool timed_out_ = false;
  Phase phase_ = Phase::head;
  bool continue_sent_ = false;
  bool request_started_ = false;  // a byte of the current request has arrived
  bool keep_alive_ = true;
  bool http10_ = false;
  std::shared_ptr<const ReplayCase> case_;
  Framing framing_ = Framing::chunked;
  std::string head_;
  size_t piece_ = 0;
  std::unique_ptr<http::response<http::string_body>> simple_;
};

void Core::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](const error_code& ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || stopped) return;
    if (ec) {
      // E.g. out of file descriptors: wait a little rather than spin.
      accept_retry.expires_after(milliseconds(50));
      accept_retry.async_wait([this](const error_code& e) {
        if (!e) accept();
      });
      return;
    }
    auto session = std::make_shared<Session>(*this, std::move(socket));
    if (active > opt.max_connections) session->reject();
    else session->start();
    accept();
  });
}

}  // namespace

struct ReplayServer::Impl : Core {};

ReplayServer::ReplayServer(ServerOptions options) : impl_(std::make_shared<Impl>()) {
  Impl& d = *impl_;
  d.opt = std::move(options);
  if (d.opt.threads == 0) d.opt.threads = 1;
  const std::string host = d.opt.host == "localhost" ? "127.0.0.1" : d.opt.host;
  error_code ec;
  const net::ip::address addr = net::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("replay server: '" + d.opt.host + "' is not an IP address");
  if (!addr.is_loopback() && !d.opt.allow_non_loopback)
    throw std::runtime_error("replay server: refusing to listen on " + d.opt.host +
                             ", which is not a loopback address (allow it explicitly: --allow-non-loopback)");
  const tcp::endpoint endpoint(addr, d.opt.port);
  d.acceptor.open(endpoint.protocol(), ec);
  if (!ec) d.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) d.acceptor.bind(endpoint, ec);
  if (!ec) d.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("replay server: cannot listen on " + d.opt.host + ":" + std::to_string(d.opt.port) +
                             ": " + ec.message());
  d.port = d.acceptor.local_endpoint().port();
  if (addr.is_unspecified()) d.url_host = addr.is_v6() ? "[::1]" : "127.0.0.1";
  else d.url_host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  d.accept();
  for (unsigned i = 0; i < d.opt.threads; ++i) d.threads.emplace_back([&d] { d.ioc.run(); });
}

ReplayServer::~ReplayServer() { stop(); }

void ReplayServer::stop() {
  Impl& d = *impl_;
  if (d.stopped.exchange(true)) return;
  d.ioc.stop();
  for (auto& t : d.threads)
    if (t.joinable()) t.join();
  // No thread runs handlers any more: the acceptor can be closed from here.
  error_code ignored;
  d.acceptor.close(ignored);
}

uint16_t ReplayServer::port() const { return impl_->port; }

std::string ReplayServer::base() const { return "http://" + impl_->url_host + ":" + std::to_string(impl_->port); }

std::string ReplayServer::base_url(const std::string& token) const { return base() + "/c/" + token; }

void ReplayServer::add_case(std::string token, ReplayCase c) {
  if (token.empty()) throw std::invalid_argument("replay server: an empty case token");
  for (char ch : token)
    if (!is_token_char(ch)) throw std::invalid_argument("replay server: '" + token + "' is not a URL-safe token");
  auto shared = std::make_shared<const ReplayCase>(std::move(c));
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->cases[std::move(token)] = std::move(shared);
}

size_t ReplayServer::case_count() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->cases.size();
}

std::vector<JournalEntry> ReplayServer::journal(const std::string& token) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  const auto it = impl_->journal.find(token);
  return it == impl_->journal.end() ? std::vector<JournalEntry>() : it->second.entries;
}

uint64_t ReplayServer::journal_dropped(const std::string& token) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  const auto it = impl_->journal.find(token);
  return it == impl_->journal.end() ? 0 : it->second.dropped;
}

void ReplayServer::clear_journal(const std::string& token) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (token.empty()) {
    impl_->journal.clear();
    impl_->journal_bytes = 0;
    return;
  }
  const auto it = impl_->journal.find(token);
  if (it == impl_->journal.end()) return;
  for (const auto& e : it->second.entries) impl_->journal_bytes -= entry_bytes(e);
  impl_->journal.erase(it);
}

size_t ReplayServer::active_connections() const { return impl_->active; }

std::string journal_json(const std::vector<std::pair<std::string, std::vector<JournalEntry>>>& tokens,
                         const std::vector<uint64_t>& dropped) {
  std::string out = "{";
  for (size_t t = 0; t < tokens.size(); ++t) {
    if (t) out += ',';
    conformance::append_json_string(out, tokens[t].first);
    out += ":{\"dropped\":" + std::to_string(t < dropped.size() ? dropped[t] : 0) + ",\"requests\":[";
    bool first = true;
    for (const JournalEntry& e : tokens[t].second) {
      if (!first) out += ',';
      first = false;
      out += "{\"seq\":" + std::to_string(e.seq) + ",\"method\":";
      conformance::append_json_string(out, e.method);
      out += ",\"path\":";
      conformance::append_json_string(out, e.path);
      out += ",\"query\":";
      conformance::append_json_string(out, e.query);
      out += ",\"headers\":[";
      for (size_t h = 0; h < e.headers.size(); ++h) {
        if (h) out += ',';
        out += '[';
        conformance::append_json_string(out, e.headers[h].first);
        out += ',';
        conformance::append_json_string(out, e.headers[h].second);
        out += ']';
      }
      out += "],\"body\":";
      conformance::append_json_string(out, e.body);
      if (!utf8::is_valid(e.body)) {
        out += ",\"body_base64\":\"";
        append_base64(out, e.body);
        out += '"';
      }
      out += ",\"status\":" + std::to_string(e.status) + "}";
    }
    out += "]}";
  }
  out += '}';
  return out;
}

}  // namespace ssecheck::replay
