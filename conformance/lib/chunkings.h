// The chunkings a body is checked under. A chunking is a sorted list of cut offsets:
// feed i covers [cuts[i-1], cuts[i]). Repeated offsets make empty feeds.
//
// Invariants: every chunking of a body feeds exactly the body's bytes, in order; the
// sets are deterministic (random ones are seeded), so a failure always reproduces.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/dialect.h"
#include "ssecheck/noise.h"

namespace ssecheck::conformance {

// The whole body in one feed is not a kind: it is the reference every kind is compared
// with (and what the golden holds), so it is always checked and never counted twice.
enum class ChunkingKind : uint8_t {
  whole,          // one feed (for_each_chunking only; not listed, not parsed)
  bytes1,         // one byte per feed
  every_split,    // two feeds, split at every position 1..n-1
  utf8_and_crlf,  // split inside every multibyte UTF-8 character and every CRLF
  random,         // seeded random feed sizes, empty feeds included
  injected,       // keep-alive comments and empty-delta chunks inserted between events
};

std::string_view chunking_kind_name(ChunkingKind kind);
// Parses "bytes1,splits,utf8-crlf,random,inject" (or "all"); false on an unknown name.
// "whole" is accepted and adds nothing: the whole body is always the reference.
bool parse_chunking_list(std::string_view list, std::vector<ChunkingKind>* out, std::string* error);
std::vector<ChunkingKind> all_chunking_kinds();

struct Chunking {
  std::string name;           // e.g. "split@1234", "random#3"
  std::vector<size_t> cuts;   // feed boundaries
};

// Calls visit for every chunking of the given kind over a body of the given bytes.
// Stops early when visit returns false. Not for `injected` (see inject_noise).
void for_each_chunking(ChunkingKind kind, std::string_view body, uint64_t seed,
                       int random_count, const std::function<bool(const Chunking&)>& visit);

// Offsets strictly inside a multibyte UTF-8 sequence or between the CR and LF of a CRLF:
// the cuts of the utf8-crlf chunking.
std::vector<size_t> tricky_offsets(std::string_view body);

// Number of chunkings for_each_chunking would produce.
size_t chunking_count(ChunkingKind kind, std::string_view body, int random_count);

// inject_noise (the `inject` kind) is the library's: ssecheck/noise.h.
using ssecheck::inject_noise;

// Stable 64-bit FNV-1a, for seeding from names.
uint64_t fnv1a(std::string_view text);

}  // namespace ssecheck::conformance
