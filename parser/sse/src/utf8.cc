#include "ssecheck/utf8.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ssecheck::utf8 {
namespace {

// Length of the ASCII prefix, 16 (SSE2) or 8 bytes at a time.
size_t ascii_prefix(const unsigned char* p, size_t n) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const int hi = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (hi != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(hi)));
  }
#endif
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (word & 0x8080808080808080ull) break;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

// Decoder step shared by validation and repair. Given a lead byte at p[i], returns the
// length of the well-formed sequence starting there, or 0 if it is ill-formed; in that
// case *bad is set to the length of the maximal subpart to replace (at least 1).
size_t sequence_length(const unsigned char* p, size_t n, size_t i, size_t* bad) {
  const unsigned char lead = p[i];
  size_t needed;
  unsigned char lower = 0x80, upper = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 2;
    if (lead == 0xE0) lower = 0xA0;
    if (lead == 0xED) upper = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 3;
    if (lead == 0xF0) lower = 0x90;
    if (lead == 0xF4) upper = 0x8F;
  } else {
    *bad = 1;  // 80..C1, F5..FF: never a lead byte
    return 0;
  }
  size_t seen = 0;
  while (seen < needed) {
    const size_t j = i + 1 + seen;
    if (j >= n || p[j] < lower || p[j] > upper) {
      *bad = 1 + seen;  // the lead and the continuation bytes accepted so far
      return 0;
    }
    lower = 0x80;
    upper = 0xBF;
    ++seen;
  }
  return 1 + needed;
}

}  // namespace

bool is_valid(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = ascii_prefix(p, n);
  while (i < n) {
    if (p[i] < 0x80) {
      i += 1 + ascii_prefix(p + i + 1, n - i - 1);
      continue;
    }
    size_t bad = 0;
    const size_t len = sequence_length(p, n, i, &bad);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void append_repaired(std::string& out, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    const size_t run = ascii_prefix(p + i, n - i);
    out.append(bytes.data() + i, run);
    i += run;
    if (i >= n) break;
    size_t bad = 0;
    const size_t len = sequence_length(p, n, i, &bad);
    if (len != 0) {
      out.append(bytes.data() + i, len);
      i += len;
    } else {
      out.append(kReplacement);
      i += bad;
    }
  }
}

}  // namespace ssecheck::utf8
