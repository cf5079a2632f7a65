#include "ssecheck/event_stream_parser.h"

#include <cstring>

#include "ssecheck/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ssecheck {
namespace {

constexpr unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};
constexpr uint8_t kBomDecided = 4;

// find_line_end(p, end, &first_high): the first CR or LF in [p, end), or end. This is
// the parser's hot loop. *first_high is set to the first byte >= 0x80 before the
// returned position, or nullptr, so ASCII lines skip UTF-8 validation and the others
// validate from there. An AVX2 version is picked at load time when the CPU has it.
using FindLineEnd = const char* (*)(const char*, const char*, const char**);

// Eight bytes at a time (SWAR), then byte by byte. In a word, the lowest flagged byte
// of the has-zero test is exact (false positives only sit above a true match).
inline const char* find_line_end_tail(const char* p, const char* end, const char* high,
                                      const char** first_high) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  while (end - p >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    const uint64_t lf = v ^ (kOnes * '\n'), cr = v ^ (kOnes * '\r');
    const uint64_t match = (((lf - kOnes) & ~lf) | ((cr - kOnes) & ~cr)) & kHighs;
    if (high == nullptr && (v & kHighs) != 0) high = p + __builtin_ctzll(v & kHighs) / 8;
    if (match != 0) {
      p += __builtin_ctzll(match) / 8;
      *first_high = high != nullptr && high < p ? high : nullptr;
      return p;
    }
    p += 8;
  }
  while (p < end && *p != '\r' && *p != '\n') {
    if (high == nullptr && static_cast<unsigned char>(*p) >= 0x80) high = p;
    ++p;
  }
  *first_high = high;
  return p;
}

// The small-feed path: true when [p, p + n) holds a CR or LF. From 16 bytes on, one
// SSE2 compare per 16 bytes (the last block overlaps) beats the SWAR loop.
inline bool has_line_end_small(const char* p, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    const auto flagged = [&](const char* q) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      return _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))) != 0;
    };
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
      if (flagged(p + i)) return true;
    return i < n && flagged(p + n - 16);
  }
#endif
  const char* unused = nullptr;
  return find_line_end_tail(p, p + n, nullptr, &unused) != p + n;
}

inline const char* find_line_end_sse2(const char* p, const char* end, const char** first_high) {
  const char* high = nullptr;
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  while (end - p >= 32) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
    const __m128i ma = _mm_or_si128(_mm_cmpeq_epi8(a, cr), _mm_cmpeq_epi8(a, lf));
    const __m128i mb = _mm_or_si128(_mm_cmpeq_epi8(b, cr), _mm_cmpeq_epi8(b, lf));
    const uint32_t mask = static_cast<uint32_t>(_mm_movemask_epi8(ma)) |
                          (static_cast<uint32_t>(_mm_movemask_epi8(mb)) << 16);
    if (high == nullptr) {
      const uint32_t hi = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(a, b)));
      if (hi != 0) {
        const uint32_t exact = static_cast<uint32_t>(_mm_movemask_epi8(a)) |
                               (static_cast<uint32_t>(_mm_movemask_epi8(b)) << 16);
        high = p + __builtin_ctz(exact);
      }
    }
    if (mask != 0) {
      p += __builtin_ctz(mask);
      *first_high = high != nullptr && high < p ? high : nullptr;
      return p;
    }
    p += 32;
  }
#endif
  return find_line_end_tail(p, end, high, first_high);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("avx2"))) const char* find_line_end_avx2(const char* p, const char* end,
                                                               const char** first_high) {
  const char* high = nullptr;
  const __m256i cr = _mm256_set1_epi8('\r');
  const __m256i lf = _mm256_set1_epi8('\n');
  while (end - p >= 64) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    const __m256i ma = _mm256_or_si256(_mm256_cmpeq_epi8(a, cr), _mm256_cmpeq_epi8(a, lf));
    const __m256i mb = _mm256_or_si256(_mm256_cmpeq_epi8(b, cr), _mm256_cmpeq_epi8(b, lf));
    const uint64_t mask = static_cast<uint32_t>(_mm256_movemask_epi8(ma)) |
                          (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(mb))) << 32);
    if (high == nullptr && _mm256_movemask_epi8(_mm256_or_si256(a, b)) != 0) {
      const uint64_t exact = static_cast<uint32_t>(_mm256_movemask_epi8(a)) |
                             (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(b))) << 32);
      high = p + __builtin_ctzll(exact);
    }
    if (mask != 0) {
      p += __builtin_ctzll(mask);
      *first_high = high != nullptr && high < p ? high : nullptr;
      return p;
    }
    p += 64;
  }
  const char* tail_high = nullptr;
  const char* e = find_line_end_sse2(p, end, &tail_high);
  *first_high = high != nullptr ? high : tail_high;  // high < p <= e
  return e;
}

const char* find_line_end_generic(const char* p, const char* end, const char** first_high) {
  return find_line_end_sse2(p, end, first_high);
}

FindLineEnd pick_find_line_end() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? find_line_end_avx2 : find_line_end_generic;
}
#else
FindLineEnd pick_find_line_end() { return find_line_end_sse2; }
#endif

const FindLineEnd find_line_end = pick_find_line_end();

// Base-ten digits to uint64; false on empty, non-digit or overflow.
bool parse_retry(std::string_view value, uint64_t* out) {
  if (value.empty()) return false;
  uint64_t v = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(v, 10u, &v) || __builtin_add_overflow(v, uint64_t(c - '0'), &v))
      return false;
  }
  *out = v;
  return true;
}

}  // namespace

std::string_view status_name(ParseStatus s) {
  switch (s) {
    case ParseStatus::ok: return "ok";
    case ParseStatus::line_too_long: return "line_too_long";
    case ParseStatus::event_too_long: return "event_too_long";
    case ParseStatus::finished: return "finished";
  }
  return "unknown";
}

std::string_view status_message(ParseStatus s) {
  switch (s) {
    case ParseStatus::ok: return "no error";
    case ParseStatus::line_too_long: return "a line is longer than max_line_bytes";
    case ParseStatus::event_too_long: return "an event's data is longer than max_event_bytes";
    case ParseStatus::finished: return "the parser was used after finish()";
  }
  return "unknown status";
}

EventStreamParser::EventStreamParser(EventSink& sink, const ParserOptions& options)
    : sink_(sink), options_(options), initial_id_(options.initial_last_event_id) {
  options_.initial_last_event_id = {};
  reset();
}

void EventStreamParser::reset() {
  status_ = ParseStatus::ok;
  finished_ = false;
  offset_ = 0;
  events_ = 0;
  bom_matched_ = 0;
  cr_pending_ = false;
  skipping_line_ = false;
  skipping_event_ = false;
  line_.clear();
  line_offset_ = 0;
  scratch_.clear();
  clear_event();
  id_buffer_ = initial_id_;
  last_event_id_ = initial_id_;
}

void EventStreamParser::clear_event() {
  has_data_ = false;
  data_in_view_ = false;
  data_view_ = {};
  data_.clear();
  type_.clear();
  event_started_ = false;
}

bool EventStreamParser::limit_exceeded(DiagCode code, uint64_t offset) {
  sink_.on_diagnostic(code, offset);
  clear_event();
  if (options_.on_limit == LimitPolicy::stop) {
    status_ = code == DiagCode::line_too_long ? ParseStatus::line_too_long
                                              : ParseStatus::event_too_long;
    return true;
  }
  skipping_event_ = true;
  return false;
}

ParseStatus EventStreamParser::feed(std::string_view bytes) {
  if (finished_) return ParseStatus::finished;
  if (status_ != ParseStatus::ok) return status_;
  // Fast path for small feeds inside a line (up to 64 bytes at a time): no line end,
  // nothing pending, within the limit: the bytes only extend the partial line.
  if (bytes.size() <= 64 && !bytes.empty() && bom_matched_ == kBomDecided && !cr_pending_ &&
      !skipping_line_ && line_.size() + bytes.size() <= options_.max_line_bytes) {
    if (!has_line_end_small(bytes.data(), bytes.size())) {
      if (line_.empty()) line_offset_ = offset_;
      line_.append(bytes);
      offset_ += bytes.size();
      return status_;
    }
  }
  const char* const begin = bytes.data();
  const char* const end = begin + bytes.size();
  const uint64_t base = offset_;
  const char* p = begin;
  offset_ += bytes.size();

  // Strip exactly one leading BOM, even when it arrives split across feeds.
  if (bom_matched_ != kBomDecided) {
    while (p < end && bom_matched_ < 3) {
      if (static_cast<unsigned char>(*p) != kBom[bom_matched_]) {
        line_.append(reinterpret_cast<const char*>(kBom), bom_matched_);  // not a BOM: content
        line_offset_ = 0;
        bom_matched_ = kBomDecided;
        break;
      }
      ++bom_matched_;
      ++p;
    }
    if (bom_matched_ == 3) bom_matched_ = kBomDecided;
    if (bom_matched_ != kBomDecided) return status_;  // input ended inside a possible BOM
  }

  if (cr_pending_ && p < end) {
    cr_pending_ = false;
    if (*p == '\n') ++p;  // the LF of a CRLF split across feeds
  }

  while (p < end) {
    const char* first_high = nullptr;
    // A blank line (every event ends with one) needs no scan; tiny feeds (a byte or a
    // few) skip the call through the function pointer.
    const char* eol = (*p == '\n' || *p == '\r')  ? p
                      : end - p >= 16 ? find_line_end(p, end, &first_high)
                                      : find_line_end_tail(p, end, nullptr, &first_high);
    const uint64_t here = base + static_cast<uint64_t>(p - begin);

    if (skipping_line_) {
      // Discarding the rest of an oversized line (skip policy).
      if (eol == end) break;
      skipping_line_ = false;
    } else if (eol == end) {
      // Unterminated: keep the partial line for the next feed.
      if (line_.empty()) line_offset_ = here;
      const size_t add = static_cast<size_t>(end - p);
      if (line_.size() + add > options_.max_line_bytes) {
        line_.clear();
        if (limit_exceeded(DiagCode::line_too_long, line_offset_)) return status_;
        skipping_line_ = true;
        break;
      }
      line_.append(p, add);
      break;
    } else {
      const size_t len = static_cast<size_t>(eol - p);
      const bool in_feed = line_.empty();
      const uint64_t line_offset = in_feed ? here : line_offset_;
      if ((in_feed ? 0 : line_.size()) + len > options_.max_line_bytes) {
        line_.clear();
        if (limit_exceeded(DiagCode::line_too_long, line_offset)) return status_;
      } else if (in_feed) {
        process_line(std::string_view(p, len), true, line_offset,
                     first_high ? static_cast<size_t>(first_high - p) : len);
      } else {
        line_.append(p, len);
        process_line(line_, false, line_offset, 0);
        line_.clear();
      }
      if (status_ != ParseStatus::ok) return status_;
    }

    // Consume the line ending: CRLF, LF, or CR (a CR at the end of the feed may be
    // followed by the LF of the same CRLF in the next feed).
    if (*eol == '\r') {
      if (eol + 1 == end) {
        cr_pending_ = true;
        p = end;
      } else {
        p = eol + (eol[1] == '\n' ? 2 : 1);
      }
    } else {
      p = eol + 1;
    }
  }

  if (data_in_view_) {
    // The event continues past this feed: its data must outlive the caller's buffer.
    data_.assign(data_view_);
    data_in_view_ = false;
  }
  return status_;
}

ParseStatus EventStreamParser::finish() {
  if (finished_) return ParseStatus::finished;
  finished_ = true;
  if (status_ != ParseStatus::ok) return status_;
  const bool partial_line = !line_.empty() || (bom_matched_ > 0 && bom_matched_ < 3);
  if (has_data_ || partial_line) {
    const uint64_t at = event_started_ ? event_offset_ : (line_.empty() ? 0 : line_offset_);
    sink_.on_diagnostic(DiagCode::incomplete_event, at);
  }
  line_.clear();
  clear_event();
  return status_;
}

void EventStreamParser::process_line(std::string_view line, bool in_feed, uint64_t line_offset,
                                     size_t ascii_prefix) {
  if (line.empty()) {
    if (skipping_event_) {
      skipping_event_ = false;
      clear_event();
    } else {
      dispatch();
    }
    return;
  }
  if (skipping_event_) return;

  if (ascii_prefix < line.size() && options_.utf8 == Utf8Mode::replace &&
      !utf8::is_valid(line.substr(ascii_prefix))) {
    sink_.on_diagnostic(DiagCode::invalid_utf8, line_offset);
    scratch_.clear();
    utf8::append_repaired(scratch_, line);
    line = scratch_;
    in_feed = false;
  }

  if (line.front() == ':') {
    sink_.on_comment(line.substr(1), line_offset);
    return;
  }
  if (!event_started_) {
    event_started_ = true;
    event_offset_ = line_offset;
  }
  std::string_view name = line;
  std::string_view value = line.substr(line.size());  // empty, but never a null pointer
  // Fast path for the line nearly every event has; the general split below agrees.
  if (line.size() >= 5 && std::memcmp(line.data(), "data:", 5) == 0) {
    name = line.substr(0, 4);
    value = line.substr(5);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    process_field(name, value, in_feed, line_offset);
    return;
  }
  const void* colon = std::memchr(line.data(), ':', line.size());
  if (colon != nullptr) {
    const size_t at = static_cast<size_t>(static_cast<const char*>(colon) - line.data());
    name = line.substr(0, at);
    value = line.substr(at + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  process_field(name, value, in_feed, line_offset);
}

void EventStreamParser::process_field(std::string_view name, std::string_view value, bool in_feed,
                                      uint64_t line_offset) {
  if (name == "data") {
    const size_t current = data_in_view_ ? data_view_.size() : data_.size();
    const size_t joined = has_data_ ? current + 1 + value.size() : value.size();
    if (joined > options_.max_event_bytes) {
      limit_exceeded(DiagCode::event_too_long, event_offset_);
      return;
    }
    if (!has_data_) {
      has_data_ = true;
      if (in_feed) {
        data_view_ = value;  // zero copy: the common one-line event
        data_in_view_ = true;
      } else {
        data_.assign(value);
      }
    } else {
      if (data_in_view_) {
        data_.assign(data_view_);
        data_in_view_ = false;
      }
      data_.push_back('\n');
      data_.append(value);
    }
  } else if (name == "event") {
    type_.assign(value);
  } else if (name == "id") {
    if (value.find('\0') != std::string_view::npos) {
      sink_.on_diagnostic(DiagCode::id_contains_nul, line_offset);
    } else {
      id_buffer_.assign(value);
    }
  } else if (name == "retry") {
    uint64_t ms = 0;
    if (parse_retry(value, &ms)) {
      sink_.on_retry(ms);
    } else {
      sink_.on_diagnostic(DiagCode::retry_invalid, line_offset);
    }
  } else {
    sink_.on_diagnostic(DiagCode::unknown_field, line_offset);
  }
}

void EventStreamParser::dispatch() {
  if (last_event_id_ != id_buffer_) last_event_id_ = id_buffer_;
  if (!has_data_) {
    type_.clear();
    event_started_ = false;
    return;
  }
  Event event;
  event.type = type_.empty() ? std::string_view("message") : std::string_view(type_);
  event.data = data_in_view_ ? data_view_ : std::string_view(data_);
  event.id = last_event_id_;
  event.index = events_++;
  event.offset = event_offset_;
  sink_.on_event(event);
  clear_event();
}

}  // namespace ssecheck
