// Structure-aware editing of SSE chat.completion.chunk bodies, shared by the
// accumulator fuzz target (meaning-preserving transforms) and its custom mutator.
//
// Serialised fuzz input: [body...][cuts: n x uint16 LE][seed:1][transform:1][n:1].
// Inputs shorter than the trailer are all body, with no cuts and no transform.
//
// A body is handled as segments separated by "\n\n". After "\n\n" the parser is at
// the start of a line with empty event buffers, so whole segments can be inserted,
// dropped or replaced. A "chunk segment" is one line `data: {...}` (no CR/LF).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ssecheck_fuzz {

enum class Transform : uint8_t {
  none = 0,
  empty_deltas = 1,  // insert {"delta":{}} chunks between two choice chunks
  keep_alives = 2,   // insert ": keep-alive" comment lines after LFs
  split_string = 3,  // split one content/reasoning/arguments string over two chunks
};
inline constexpr uint8_t kTransformCount = 4;

struct FuzzInput {
  std::string body;
  std::vector<size_t> cuts;  // sorted, each <= body.size()
  uint8_t seed = 0;
  Transform transform = Transform::none;
};

FuzzInput decode_input(std::string_view bytes);
std::string encode_input(std::string_view body, const std::vector<uint16_t>& cuts, uint8_t seed, uint8_t transform);

std::vector<std::string> split_segments(std::string_view body);
std::string join_segments(const std::vector<std::string>& segments);

// Meaning-preserving transforms. Each returns false (and leaves out alone) when
// the body offers no place to apply it. For split_string, *baseline receives the
// body with the chosen chunk re-serialised but unsplit, the fair comparison.
bool insert_empty_deltas(std::string_view body, uint32_t seed, std::string* out);
bool insert_keep_alives(std::string_view body, uint32_t seed, std::string* out);
bool split_string(std::string_view body, uint32_t seed, std::string* baseline, std::string* out);

// Structural mutations for the custom mutator (any meaning). Return false when
// not applicable.
bool mutate_body(std::string& body, std::minstd_rand& rng);

}  // namespace ssecheck_fuzz
