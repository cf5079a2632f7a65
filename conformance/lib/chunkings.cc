#include "chunkings.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "ssecheck/event_stream_parser.h"

namespace ssecheck::conformance {
namespace {

struct KindName {
  ChunkingKind kind;
  std::string_view name;
};
constexpr KindName kKinds[] = {
    {ChunkingKind::bytes1, "bytes1"},
    {ChunkingKind::every_split, "splits"},  {ChunkingKind::utf8_and_crlf, "utf8-crlf"},
    {ChunkingKind::random, "random"},       {ChunkingKind::injected, "inject"},
};

// splitmix64: small, fast, identical on every platform.
uint64_t next_random(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<size_t> tricky_offsets(std::string_view body) {
  std::vector<size_t> out;
  for (size_t i = 1; i < body.size(); ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    if ((c & 0xC0) == 0x80 && static_cast<unsigned char>(body[i - 1]) >= 0x80) out.push_back(i);
    else if (body[i] == '\n' && body[i - 1] == '\r') out.push_back(i);
  }
  return out;
}

std::string_view chunking_kind_name(ChunkingKind kind) {
  for (const auto& k : kKinds)
    if (k.kind == kind) return k.name;
  return "?";
}

std::vector<ChunkingKind> all_chunking_kinds() {
  std::vector<ChunkingKind> out;
  for (const auto& k : kKinds) out.push_back(k.kind);
  return out;
}

bool parse_chunking_list(std::string_view list, std::vector<ChunkingKind>* out,
                         std::string* error) {
  out->clear();
  bool whole = false;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item == "whole") {  // always checked: it is the reference
      whole = true;
      continue;
    }
    if (item == "all") {
      *out = all_chunking_kinds();
      continue;
    }
    bool found = false;
    for (const auto& k : kKinds) {
      if (k.name == item) {
        out->push_back(k.kind);
        found = true;
      }
    }
    if (!found) {
      *error = "unknown chunking '" + std::string(item) +
               "' (expected bytes1, splits, utf8-crlf, random, inject or all)";
      return false;
    }
  }
  if (out->empty() && !whole) {
    *error = "empty chunking list";
    return false;
  }
  return true;
}

size_t chunking_count(ChunkingKind kind, std::string_view body, int random_count) {
  switch (kind) {
    case ChunkingKind::whole: return 1;
    case ChunkingKind::bytes1: return 1;
    case ChunkingKind::every_split: return body.size() > 1 ? body.size() - 1 : 0;
    case ChunkingKind::utf8_and_crlf: return tricky_offsets(body).size();
    case ChunkingKind::random: return static_cast<size_t>(random_count);
    case ChunkingKind::injected: return 1;
  }
  return 0;
}

void for_each_chunking(ChunkingKind kind, std::string_view body, uint64_t seed, int random_count,
                       const std::function<bool(const Chunking&)>& visit) {
  Chunking c;
  switch (kind) {
    case ChunkingKind::whole:
    case ChunkingKind::injected:
      c.name = "whole";
      visit(c);
      return;
    case ChunkingKind::bytes1:
      c.name = "bytes1";
      for (size_t i = 1; i < body.size(); ++i) c.cuts.push_back(i);
      visit(c);
      return;
    case ChunkingKind::every_split:
      c.cuts.resize(1);
      for (size_t i = 1; i < body.size(); ++i) {
        c.cuts[0] = i;
        c.name = "split@" + std::to_string(i);
        if (!visit(c)) return;
      }
      return;
    case ChunkingKind::utf8_and_crlf:
      c.cuts.resize(1);
      for (size_t at : tricky_offsets(body)) {
        c.cuts[0] = at;
        c.name = "split@" + std::to_string(at);
        if (!visit(c)) return;
      }
      return;
    case ChunkingKind::random: {
      uint64_t state = seed;
      for (int r = 0; r < random_count; ++r) {
        c.cuts.clear();
        c.name = "random#" + std::to_string(r) + "(seed " + std::to_string(seed) + ")";
        // Alternate between tiny feeds (0..16 bytes) and network-sized ones.
        const uint64_t max_feed = (r % 2 == 0) ? 17 : 4097;
        size_t at = 0;
        while (at < body.size()) {
          at += static_cast<size_t>(next_random(&state) % max_feed);
          c.cuts.push_back(std::min(at, body.size()));
        }
        if (!visit(c)) return;
      }
      return;
    }
  }
}

uint64_t fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace ssecheck::conformance
