#include "ssecheck/json/event_json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstring>
#include <optional>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ssecheck/json/numbers.h"
#include "ssecheck/utf8.h"

namespace ssecheck {

bool has_simdjson() { return SSECHECK_HAVE_SIMDJSON != 0; }

namespace json {
namespace {

using Reader = rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator>;

// UTF-8 is checked up front by utf8::is_valid (ASCII fast path), not per string.
// Numbers come as text and are converted by ExactNumbers (correctly rounded).
constexpr unsigned kDomFlags =
    rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
constexpr unsigned kCheckFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
#if SSECHECK_HAVE_SIMDJSON
// Larger data goes to RapidJSON, so simdjson's buffers stay this size at most.
constexpr size_t kSimdMaxBytes = size_t{1} << 20;
constexpr size_t kSimdInitialBytes = size_t{4} << 10;
#endif

// A memory pool over one reusable buffer. Clearing keeps the buffer; a parse that
// overflowed it into extra chunks makes the next recycle() grow the buffer instead.
class PoolSlot {
 public:
  explicit PoolSlot(size_t bytes) { rebuild(bytes); }
  RapidPool* get() { return &*pool_; }
  size_t capacity() const { return size_; }
  void recycle() {
    if (pool_->Capacity() > base_capacity_)
      rebuild(std::max(size_ * 2, pool_->Capacity() * 2));
    else
      pool_->Clear();
  }

 private:
  void rebuild(size_t bytes) {
    pool_.reset();
    buffer_ = std::make_unique<char[]>(bytes);
    size_ = bytes;
    pool_.emplace(buffer_.get(), bytes);
    base_capacity_ = pool_->Capacity();
  }
  std::unique_ptr<char[]> buffer_;
  size_t size_ = 0;
  size_t base_capacity_ = 0;
  std::optional<RapidPool> pool_;
};

#if SSECHECK_HAVE_SIMDJSON
// RapidJSON refuses a number whose written exponent passes 308 plus its fraction
// digits. Such a number overflows (simdjson refuses it too) unless all its digits are
// 0 ("0e999", valid JSON for 0): only then would the two disagree. Its text holds
// "0e" or "0E" and a sign or digit, so data that might hold one goes to RapidJSON.
bool zero_exponent_at(const char* p) {
  const char c = p[2];
  return p[0] == '0' && (p[1] == 'e' || p[1] == 'E') && (c == '+' || c == '-' || (c >= '0' && c <= '9'));
}

// Scans data in place; padded holds data followed by SIMDJSON_PADDING zero bytes, so
// 16-byte blocks may run past the end (a zero byte is never '0', 'e' or a digit) and
// no byte-wise tail loop is needed (profile: that tail was most of parse()'s own time).
bool may_hold_zero_with_exponent(const char* padded, size_t n) {
  static_assert(simdjson::SIMDJSON_PADDING >= 18);
  const char* p = padded;
  size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time: a '0' followed by 'e' or 'E'. Blocks overlap by one byte so
  // no pair is split; the third byte is checked on a hit.
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i e = _mm_set1_epi8('e');
  const __m128i lower = _mm_set1_epi8(0x20);
  for (; i + 1 < n; i += 15) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const unsigned zeros = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, zero)));
    const unsigned es = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(b, lower), e)));
    unsigned pairs = zeros & (es >> 1) & 0x7fff;
    for (; pairs != 0; pairs &= pairs - 1)
      if (zero_exponent_at(p + i + static_cast<size_t>(__builtin_ctz(pairs)))) return true;
  }
#else
  for (; i + 1 < n; ++i)
    if (zero_exponent_at(p + i)) return true;
#endif
  return false;
}
#endif

}  // namespace

struct EventJson::Impl {
  Impl(JsonBackend b, Limits l) : backend(b), limits(l) {}

  JsonBackend backend;
  Limits limits;
  std::string error;
  std::string insitu;  // the current data, parsed in place by RapidJSON
  PoolSlot values{16 << 10};
  PoolSlot stack{8 << 10};
  RapidDoc doc{values.get(), 1024, stack.get()};
  Reader reader;
#if SSECHECK_HAVE_SIMDJSON
  simdjson::dom::parser simd{kSimdMaxBytes};
  simdjson::dom::element simd_root;
  std::unique_ptr<char[]> padded;  // the current data + SIMDJSON_PADDING
  size_t padded_size = 0;
  bool simd_ready = false;
  bool simd_broken = false;  // allocation failed once: RapidJSON from then on
#endif
  uint64_t simd_parses = 0;

#if SSECHECK_HAVE_SIMDJSON
  bool parse_simdjson(std::string_view data) {
    // Every JSON value takes at least one byte, so max_values cannot be passed.
    if (backend != JsonBackend::fastest || simd_broken || data.size() > kSimdMaxBytes ||
        data.size() > limits.max_values)
      return false;
    if (!simd_ready) {
      // simdjson needs max_depth n for n nested levels when the innermost is empty and
      // n + 1 otherwise, so this refuses all RapidJSON would (and a few it would take).
      if (simd.allocate(kSimdInitialBytes, limits.max_depth) != simdjson::SUCCESS) {
        simd_broken = true;
        return false;
      }
      simd_ready = true;
    }
    const size_t need = data.size() + simdjson::SIMDJSON_PADDING;
    if (padded_size < need) {
      padded_size = std::max(need, padded_size * 2);
      padded = std::make_unique<char[]>(padded_size);
    }
    std::memcpy(padded.get(), data.data(), data.size());
    std::memset(padded.get() + data.size(), 0, simdjson::SIMDJSON_PADDING);
    if (may_hold_zero_with_exponent(padded.get(), data.size())) return false;
    if (simd.parse(padded.get(), data.size(), false).get(simd_root) != simdjson::SUCCESS) return false;
    ++simd_parses;
    return true;
  }
#endif

  Status parse_rapidjson(std::string_view data) {
    doc.SetNull();
    values.recycle();
    stack.recycle();
    insitu.assign(data);
    rapidjson::InsituStringStream in(insitu.data());
    rapidjson::ParseResult result;
    bool too_deep = false, too_many = false, too_big = false;
    size_t too_big_at = 0;
    auto generate = [&](RapidDoc& handler) {
      Bounded<RapidDoc> bounded{handler, limits.max_depth, limits.max_values};
      ExactNumbers<Bounded<RapidDoc>> exact{bounded, insitu.data()};
      result = reader.Parse<kDomFlags>(in, exact);
      too_deep = bounded.too_deep;
      too_many = bounded.too_many;
      too_big = exact.too_big;
      too_big_at = exact.too_big_offset;
      return !result.IsError();
    };
    doc.Populate(generate);
    if (!result.IsError()) return Status::ok;
    if (too_deep) {
      error = "data nests deeper than " + std::to_string(limits.max_depth) + " levels";
      return Status::too_deep;
    }
    if (too_many) {
      error = "data holds more than " + std::to_string(limits.max_values) + " JSON values";
      return Status::too_large;
    }
    // A double out of range reads as RapidJSON words its own NumberTooBig.
    const auto code = too_big ? rapidjson::kParseErrorNumberTooBig : result.Code();
    error = std::string("data is not valid JSON: ") + rapidjson::GetParseError_En(code) + " at byte " +
            std::to_string(too_big ? too_big_at : result.Offset());
    return Status::invalid;
  }
};

EventJson::EventJson(JsonBackend backend, Limits limits) : impl_(std::make_unique<Impl>(backend, limits)) {}
EventJson::~EventJson() = default;

Status EventJson::parse(std::string_view data) {
  Impl& m = *impl_;
  rapid_root_ = nullptr;
#if SSECHECK_HAVE_SIMDJSON
  simd_ = false;
  // simdjson checks UTF-8 and refuses NUL bytes itself; RapidJSON words those errors.
  if (m.parse_simdjson(data)) {
    simd_root_ = m.simd_root;
    simd_ = true;
    return Status::ok;
  }
#endif
  if (data.find('\0') != std::string_view::npos) {
    m.error = "data is not valid JSON: it contains a NUL byte";
    return Status::invalid;
  }
  if (!utf8::is_valid(data)) {
    m.error = "data is not valid JSON: it is not valid UTF-8";
    return Status::invalid;
  }
  const Status s = m.parse_rapidjson(data);
  if (s == Status::ok) rapid_root_ = &m.doc;
  return s;
}

const std::string& EventJson::error() const { return impl_->error; }

Value EventJson::root() const {
#if SSECHECK_HAVE_SIMDJSON
  if (simd_) return Value(SimdView(simd_root_));
#endif
  if (rapid_root_) return Value(RapidView<RapidValue>(rapid_root_));
  return {};
}

const Limits& EventJson::limits() const { return impl_->limits; }
uint64_t EventJson::simdjson_parses() const { return impl_->simd_parses; }

size_t EventJson::capacity() const {
  size_t bytes = impl_->insitu.capacity() + impl_->values.capacity() + impl_->stack.capacity();
#if SSECHECK_HAVE_SIMDJSON
  // The tape (8 bytes per value slot) and string buffer (~input size) simdjson keeps.
  bytes += impl_->padded_size + impl_->simd.capacity() * 9;
#endif
  return bytes;
}

bool is_valid_json(std::string_view text, Limits limits) {
  if (text.find('\0') != std::string_view::npos) return false;
  NullHandler sink;
  Bounded<NullHandler> limited{sink, limits.max_depth, limits.max_values};
  std::string copy(text);  // NUL-terminated for the stream
  rapidjson::StringStream stream(copy.c_str());
  Reader reader;
  return !reader.Parse<kCheckFlags>(stream, limited).IsError();
}

}  // namespace json
}  // namespace ssecheck
