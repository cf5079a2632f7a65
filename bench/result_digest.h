// A digest of an assembled result that any implementation can compute the same way:
// the generator while it writes a stream, ssecheck from a NormalizedResult, and the
// SDK peers in bench/peers/digest.mjs from the SDKs' final objects.
//
// Invariants (bench/peers/digest.mjs implements the same rules):
//  - Three FNV-1a 64 hashes over UTF-8 bytes: text (output 0's text, as one string),
//    reasoning (output 0's reasoning), tools (per tool call in order: name, NUL, the
//    canonical arguments, NUL).
//  - Canonical arguments = what JSON.stringify(JSON.parse(arguments)) prints: compact,
//    a repeated key keeps its first position and its last value, array-index keys
//    first in ascending order, JavaScript's number and string escaping. Arguments that
//    are not JSON are hashed as they are.
//  - digest() = hex(text) + hex(tools): the cross-check. reasoning_digest() is kept
//    apart because not every SDK accumulates reasoning (openai-node's chat stream
//    keeps only the last reasoning_content delta).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ssecheck {
struct NormalizedResult;
}

namespace ssecheck::bench {

struct Fnv64 {
  uint64_t h = 0xcbf29ce484222325ULL;
  void update(std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  }
};

struct ResultDigest {
  Fnv64 text, reasoning, tools;
  uint64_t text_bytes = 0, reasoning_bytes = 0, tool_calls = 0;

  void add_text(std::string_view s) {
    text.update(s);
    text_bytes += s.size();
  }
  void add_reasoning(std::string_view s) {
    reasoning.update(s);
    reasoning_bytes += s.size();
  }
  // A tool call: begin_tool(name), its canonical arguments in any number of pieces, end_tool().
  void begin_tool(std::string_view name) {
    ++tool_calls;
    tools.update(name);
    tools.update(std::string_view("\0", 1));
  }
  void add_tool_arguments(std::string_view canonical_piece) { tools.update(canonical_piece); }
  void end_tool() { tools.update(std::string_view("\0", 1)); }

  std::string digest() const;            // 32 hex digits: text then tools
  std::string reasoning_digest() const;  // 16 hex digits
  // "text_bytes":…,"reasoning_bytes":…,"tool_calls":…,"digest":"…","reasoning_digest":"…"
  std::string json_members() const;
  bool operator==(const ResultDigest& o) const {
    return text.h == o.text.h && reasoning.h == o.reasoning.h && tools.h == o.tools.h &&
           text_bytes == o.text_bytes && reasoning_bytes == o.reasoning_bytes && tool_calls == o.tool_calls;
  }
};

inline std::string hex64(uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<size_t>(i)] = kHex[v & 0xf];
  return out;
}

inline std::string ResultDigest::digest() const { return hex64(text.h) + hex64(tools.h); }
inline std::string ResultDigest::reasoning_digest() const { return hex64(reasoning.h); }
inline std::string ResultDigest::json_members() const {
  return "\"text_bytes\":" + std::to_string(text_bytes) + ",\"reasoning_bytes\":" + std::to_string(reasoning_bytes) +
         ",\"tool_calls\":" + std::to_string(tool_calls) + ",\"digest\":\"" + digest() + "\",\"reasoning_digest\":\"" +
         reasoning_digest() + "\"";
}

// The rest needs the parser library (ssecheck_bench_digest).

// JSON.stringify(JSON.parse(text)); text itself when it is not one JSON value.
std::string canonical_json(std::string_view text);

// Output 0 of the result (the first by index); an empty digest when there is none.
ResultDigest digest_of(const NormalizedResult& result);

}  // namespace ssecheck::bench
