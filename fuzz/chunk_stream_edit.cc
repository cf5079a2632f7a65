#include "chunk_stream_edit.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace ssecheck_fuzz {
namespace {

constexpr std::string_view kSep = "\n\n";
constexpr size_t kTrailerFixed = 3;

// The JSON text of a one-line `data:` segment; false when the segment is not one.
bool chunk_json(std::string_view segment, std::string_view* json) {
  if (segment.starts_with("data: ")) segment.remove_prefix(6);
  else if (segment.starts_with("data:")) segment.remove_prefix(5);
  else return false;
  if (segment.find_first_of("\r\n") != std::string_view::npos) return false;
  *json = segment;
  return true;
}

bool has_duplicate_keys_or_depth(const rapidjson::Value& v, int depth) {
  if (depth > 16) return true;
  if (v.IsObject()) {
    for (auto a = v.MemberBegin(); a != v.MemberEnd(); ++a) {
      for (auto b = a + 1; b != v.MemberEnd(); ++b)
        if (a->name == b->name) return true;
      if (has_duplicate_keys_or_depth(a->value, depth + 1)) return true;
    }
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray())
      if (has_duplicate_keys_or_depth(e, depth + 1)) return true;
  }
  return false;
}

// A well-behaved chunk: valid UTF-8 JSON object, no duplicate keys, shallow,
// not an error, with a choices array.
bool parse_chunk(std::string_view segment, rapidjson::Document& doc) {
  std::string_view json;
  if (!chunk_json(segment, &json)) return false;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject() || has_duplicate_keys_or_depth(doc, 0)) return false;
  if (doc.HasMember("error")) return false;
  const rapidjson::Value& root = doc;  // const iterators: C++20 rewritten != is ambiguous otherwise
  auto choices = root.FindMember("choices");
  return choices != root.MemberEnd() && choices->value.IsArray();
}

std::string serialise(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

bool small_index(const rapidjson::Value& obj) {
  auto it = obj.FindMember("index");
  if (it == obj.MemberEnd()) return true;
  return it->value.IsUint() && it->value.GetUint() < 100;
}

void copy_member(const rapidjson::Value& from, rapidjson::Value& to, const char* key,
                 rapidjson::Document::AllocatorType& alloc) {
  auto it = from.FindMember(key);
  if (it == from.MemberEnd()) return;
  to.AddMember(rapidjson::Value(key, alloc), rapidjson::Value(it->value, alloc), alloc);
}

// A chunk carrying only the identity fields of `from`.
rapidjson::Value identity_chunk(const rapidjson::Value& from, rapidjson::Document::AllocatorType& alloc) {
  rapidjson::Value chunk(rapidjson::kObjectType);
  for (const char* key : {"id", "object", "created", "model", "system_fingerprint"}) copy_member(from, chunk, key, alloc);
  return chunk;
}

// Largest UTF-8 character boundary <= pos.
size_t utf8_boundary(std::string_view s, size_t pos) {
  while (pos > 0 && pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

// Where a string can be split: (choice, path) candidates inside one chunk.
struct SplitSite {
  size_t choice = 0;
  int kind = 0;      // 0 content, 1 reasoning_content, 2 reasoning, 3 refusal, 4 arguments
  size_t tool = 0;   // for arguments
};

const char* kStringFields[] = {"content", "reasoning_content", "reasoning", "refusal"};

// True when no other element of `array` could merge into the same target as element
// `at`: every other element is an object with an integer index different from its
// own. Splitting moves a string's prefix into an earlier chunk, ahead of the other
// elements of this array; that only preserves meaning when none of them shares the
// target (found by corpus/regressions/accumulator_fuzzer/split-beside-same-index).
bool sole_target(const rapidjson::Value& array, size_t at) {
  const auto& self = array[static_cast<rapidjson::SizeType>(at)];
  const auto own = self.FindMember("index");
  if (own == self.MemberEnd() || !own->value.IsUint()) return array.Size() == 1;
  for (size_t u = 0; u < array.Size(); ++u) {
    if (u == at) continue;
    const auto& other = array[static_cast<rapidjson::SizeType>(u)];
    if (!other.IsObject()) continue;  // ignored by the accumulator
    const auto idx = other.FindMember("index");
    if (idx == other.MemberEnd() || !idx->value.IsUint() || idx->value.GetUint() == own->value.GetUint())
      return false;
  }
  return true;
}

void find_split_sites(const rapidjson::Document& doc, std::vector<SplitSite>* sites) {
  const auto& choices = doc["choices"];
  for (size_t c = 0; c < choices.Size(); ++c) {
    const auto& choice = choices[static_cast<rapidjson::SizeType>(c)];
    if (!choice.IsObject() || !small_index(choice) || !sole_target(choices, c)) continue;
    auto delta = choice.FindMember("delta");
    if (delta == choice.MemberEnd() || !delta->value.IsObject()) continue;
    const auto& d = delta->value;
    for (int k = 0; k < 4; ++k) {
      auto f = d.FindMember(kStringFields[k]);
      if (f == d.MemberEnd() || !f->value.IsString() || f->value.GetStringLength() < 2) continue;
      if (k == 2 && d.HasMember("reasoning_content")) continue;  // reasoning_content wins
      sites->push_back({c, k, 0});
    }
    auto calls = d.FindMember("tool_calls");
    if (calls == d.MemberEnd() || !calls->value.IsArray()) continue;
    for (size_t t = 0; t < calls->value.Size(); ++t) {
      const auto& call = calls->value[static_cast<rapidjson::SizeType>(t)];
      if (!call.IsObject() || !call.HasMember("index") || !small_index(call) ||
          !sole_target(calls->value, t))
        continue;
      auto fn = call.FindMember("function");
      if (fn == call.MemberEnd() || !fn->value.IsObject()) continue;
      auto args = fn->value.FindMember("arguments");
      if (args == fn->value.MemberEnd() || !args->value.IsString() || args->value.GetStringLength() < 2) continue;
      sites->push_back({c, 4, t});
    }
  }
}

// Returns the segment index of every well-formed chunk segment.
std::vector<size_t> chunk_segments(const std::vector<std::string>& segments) {
  std::vector<size_t> found;
  // The last segment is not followed by "\n\n": an event there may never dispatch.
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    rapidjson::Document doc;
    if (parse_chunk(segments[i], doc)) found.push_back(i);
  }
  return found;
}

// Value extent after `key` (e.g. "\"index\":") at pos: [begin, end).
bool value_extent(std::string_view body, size_t pos, size_t* begin, size_t* end) {
  size_t b = pos;
  while (b < body.size() && body[b] == ' ') ++b;
  if (b >= body.size()) return false;
  size_t e = b;
  if (body[b] == '"') {
    ++e;
    while (e < body.size() && body[e] != '"' && body[e] != '\n') e += (body[e] == '\\') ? 2 : 1;
    e = std::min(e + 1, body.size());
  } else {
    while (e < body.size() && std::string_view(",}] \n").find(body[e]) == std::string_view::npos) ++e;
  }
  *begin = b;
  *end = e;
  return true;
}

bool replace_value(std::string& body, std::string_view key, std::minstd_rand& rng,
                   const std::vector<std::string_view>& choices) {
  std::vector<size_t> hits;
  for (size_t p = body.find(key); p != std::string::npos; p = body.find(key, p + 1)) hits.push_back(p + key.size());
  if (hits.empty()) return false;
  size_t b, e;
  if (!value_extent(body, hits[rng() % hits.size()], &b, &e)) return false;
  body.replace(b, e - b, choices[rng() % choices.size()]);
  return true;
}

}  // namespace

FuzzInput decode_input(std::string_view bytes) {
  FuzzInput in;
  if (bytes.size() < kTrailerFixed) {
    in.body = std::string(bytes);
    return in;
  }
  size_t n = static_cast<unsigned char>(bytes.back()) & 15;
  if (bytes.size() < kTrailerFixed + 2 * n) {
    in.body = std::string(bytes);
    return in;
  }
  uint8_t transform = static_cast<uint8_t>(bytes[bytes.size() - 2]);
  in.seed = static_cast<uint8_t>(bytes[bytes.size() - 3]);
  in.transform = static_cast<Transform>(transform < kTransformCount ? transform : 0);
  size_t body_size = bytes.size() - kTrailerFixed - 2 * n;
  in.body = std::string(bytes.substr(0, body_size));
  for (size_t i = 0; i < n; ++i) {
    size_t at = body_size + 2 * i;
    size_t cut = static_cast<unsigned char>(bytes[at]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[at + 1])) << 8);
    in.cuts.push_back(cut % (body_size + 1));
  }
  std::sort(in.cuts.begin(), in.cuts.end());
  return in;
}

std::string encode_input(std::string_view body, const std::vector<uint16_t>& cuts, uint8_t seed, uint8_t transform) {
  std::string out(body);
  size_t n = std::min<size_t>(cuts.size(), 15);
  for (size_t i = 0; i < n; ++i) {
    out += static_cast<char>(cuts[i] & 0xFF);
    out += static_cast<char>(cuts[i] >> 8);
  }
  out += static_cast<char>(seed);
  out += static_cast<char>(transform);
  out += static_cast<char>(n);
  return out;
}

std::vector<std::string> split_segments(std::string_view body) {
  std::vector<std::string> segments;
  size_t pos = 0;
  while (true) {
    size_t sep = body.find(kSep, pos);
    if (sep == std::string_view::npos) {
      segments.emplace_back(body.substr(pos));
      return segments;
    }
    segments.emplace_back(body.substr(pos, sep - pos));
    pos = sep + kSep.size();
  }
}

std::string join_segments(const std::vector<std::string>& segments) {
  std::string out;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i) out += kSep;
    out += segments[i];
  }
  return out;
}

bool insert_empty_deltas(std::string_view body, uint32_t seed, std::string* out) {
  std::vector<std::string> segments = split_segments(body);
  std::vector<size_t> chunks = chunk_segments(segments);
  // Sites: consecutive chunk segments i, i+1 that both carry a choice object.
  std::vector<size_t> sites;
  for (size_t k = 0; k + 1 < chunks.size(); ++k) {
    if (chunks[k + 1] != chunks[k] + 1) continue;
    rapidjson::Document a, b;
    parse_chunk(segments[chunks[k]], a);
    parse_chunk(segments[chunks[k + 1]], b);
    if (a["choices"].Empty() || b["choices"].Empty()) continue;
    if (!b["choices"][0].IsObject() || !small_index(b["choices"][0])) continue;
    sites.push_back(chunks[k]);
  }
  if (sites.empty()) return false;
  size_t at = sites[seed % sites.size()];
  rapidjson::Document before, after;
  parse_chunk(segments[at], before);
  parse_chunk(segments[at + 1], after);
  auto& alloc = before.GetAllocator();
  rapidjson::Value chunk = identity_chunk(before, alloc);
  rapidjson::Value choice(rapidjson::kObjectType);
  copy_member(after["choices"][0], choice, "index", alloc);
  choice.AddMember("delta", rapidjson::Value(rapidjson::kObjectType), alloc);
  rapidjson::Value choices(rapidjson::kArrayType);
  choices.PushBack(choice, alloc);
  chunk.AddMember("choices", choices, alloc);
  std::string inserted = "data: " + serialise(chunk);
  size_t copies = 1 + (seed >> 8) % 3;
  segments.insert(segments.begin() + static_cast<ptrdiff_t>(at + 1), copies, inserted);
  *out = join_segments(segments);
  return true;
}

bool insert_keep_alives(std::string_view body, uint32_t seed, std::string* out) {
  std::vector<size_t> after_lf;
  for (size_t i = 0; i < body.size(); ++i)
    if (body[i] == '\n') after_lf.push_back(i + 1);
  if (after_lf.empty()) return false;
  static constexpr std::string_view kComments[] = {": keep-alive\n", ":\n", ": OPENROUTER PROCESSING\n"};
  std::string result(body);
  // Insert from the back so earlier positions stay valid.
  std::vector<size_t> picks;
  size_t count = 1 + seed % 3;
  for (size_t k = 0; k < count; ++k) picks.push_back(after_lf[(seed * 2654435761u + k * 40503u) % after_lf.size()]);
  std::sort(picks.rbegin(), picks.rend());
  for (size_t k = 0; k < picks.size(); ++k) result.insert(picks[k], kComments[(seed + k) % 3]);
  *out = std::move(result);
  return true;
}

bool split_string(std::string_view body, uint32_t seed, std::string* baseline, std::string* out) {
  std::vector<std::string> segments = split_segments(body);
  std::vector<std::pair<size_t, SplitSite>> sites;
  for (size_t i : chunk_segments(segments)) {
    rapidjson::Document doc;
    parse_chunk(segments[i], doc);
    std::vector<SplitSite> found;
    find_split_sites(doc, &found);
    for (const auto& s : found) sites.emplace_back(i, s);
  }
  if (sites.empty()) return false;
  const auto& [at, site] = sites[seed % sites.size()];
  rapidjson::Document doc;
  parse_chunk(segments[at], doc);
  auto& alloc = doc.GetAllocator();
  auto& choice = doc["choices"][static_cast<rapidjson::SizeType>(site.choice)];
  auto& delta = choice["delta"];
  rapidjson::Value* target;
  if (site.kind < 4) target = &delta[kStringFields[site.kind]];
  else target = &delta["tool_calls"][static_cast<rapidjson::SizeType>(site.tool)]["function"]["arguments"];
  std::string whole(target->GetString(), target->GetStringLength());
  size_t cut = utf8_boundary(whole, 1 + (seed * 7919u) % (whole.size() - 1));
  if (cut == 0) return false;

  // The first part travels alone in a chunk of its own, before the original.
  rapidjson::Value first_delta(rapidjson::kObjectType);
  rapidjson::Value prefix(whole.data(), static_cast<rapidjson::SizeType>(cut), alloc);
  if (site.kind < 4) {
    first_delta.AddMember(rapidjson::Value(kStringFields[site.kind], alloc), prefix, alloc);
  } else {
    rapidjson::Value function(rapidjson::kObjectType);
    function.AddMember("arguments", prefix, alloc);
    rapidjson::Value call(rapidjson::kObjectType);
    copy_member(delta["tool_calls"][static_cast<rapidjson::SizeType>(site.tool)], call, "index", alloc);
    call.AddMember("function", function, alloc);
    rapidjson::Value calls(rapidjson::kArrayType);
    calls.PushBack(call, alloc);
    first_delta.AddMember("tool_calls", calls, alloc);
  }
  rapidjson::Value first_choice(rapidjson::kObjectType);
  copy_member(choice, first_choice, "index", alloc);
  first_choice.AddMember("delta", first_delta, alloc);
  rapidjson::Value first_choices(rapidjson::kArrayType);
  first_choices.PushBack(first_choice, alloc);
  rapidjson::Value first = identity_chunk(doc, alloc);
  first.AddMember("choices", first_choices, alloc);

  std::vector<std::string> base = segments;
  base[at] = "data: " + serialise(doc);
  *baseline = join_segments(base);
  target->SetString(whole.data() + cut, static_cast<rapidjson::SizeType>(whole.size() - cut), alloc);
  segments[at] = "data: " + serialise(doc);
  segments.insert(segments.begin() + static_cast<ptrdiff_t>(at), "data: " + serialise(first));
  *out = join_segments(segments);
  return true;
}

bool mutate_body(std::string& body, std::minstd_rand& rng) {
  std::vector<std::string> segments = split_segments(body);
  const size_t n = segments.size();
  switch (rng() % 12) {
    case 0:  // duplicate a segment
      segments.insert(segments.begin() + static_cast<ptrdiff_t>(rng() % n), segments[rng() % n]);
      break;
    case 1:  // drop a segment
      if (n < 2) return false;
      segments.erase(segments.begin() + static_cast<ptrdiff_t>(rng() % n));
      break;
    case 2:  // swap two segments
      if (n < 2) return false;
      std::swap(segments[rng() % n], segments[rng() % n]);
      break;
    case 3:
      return replace_value(body, "\"index\":", rng, {"0", "1", "2", "127", "128", "1023", "1024", "-1", "4294967296", "\"0\"", "null", "1.5"});
    case 4:
      return replace_value(body, "\"id\":", rng, {"\"call_1\"", "\"call_2\"", "\"\"", "null", "7", "\"chatcmpl-x\""});
    case 5:
      return replace_value(body, "\"finish_reason\":", rng, {"null", "\"stop\"", "\"length\"", "\"tool_calls\"", "\"\"", "0", "\"content_filter\""});
    case 6: {  // corrupt JSON: delete, insert or truncate
      size_t s = rng() % n;
      if (segments[s].empty()) return false;
      size_t p = rng() % segments[s].size();
      static constexpr std::string_view kJunk = "{}[]\",:\\0e-\xC3\xFF";
      switch (rng() % 3) {
        case 0: segments[s].erase(p, 1); break;
        case 1: segments[s].insert(p, 1, kJunk[rng() % kJunk.size()]); break;
        default: segments[s].resize(p); break;
      }
      break;
    }
    case 7: {
      std::string out;
      if (!insert_empty_deltas(body, static_cast<uint32_t>(rng()), &out)) return false;
      body = std::move(out);
      return true;
    }
    case 8: {
      std::string out;
      if (!insert_keep_alives(body, static_cast<uint32_t>(rng()), &out)) return false;
      body = std::move(out);
      return true;
    }
    case 9: {
      std::string base, out;
      if (!split_string(body, static_cast<uint32_t>(rng()), &base, &out)) return false;
      body = std::move(out);
      return true;
    }
    case 10: {  // insert a protocol-level segment
      static constexpr std::string_view kSegments[] = {
          "data: [DONE]", "event: error\ndata: {\"error\":{\"message\":\"x\"}}", "data: {\"error\":{\"message\":\"x\"}}",
          "event: ping\ndata: {}", "data: {\"choices\":[]}", "data: {\"choices\":[],\"usage\":{\"total_tokens\":3}}",
          "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}",
          "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}"};
      segments.insert(segments.begin() + static_cast<ptrdiff_t>(rng() % (n + 1)), std::string(kSegments[rng() % 8]));
      break;
    }
    default:  // change a string's content
      return replace_value(body, "\"content\":", rng, {"\"\"", "null", "\"a\\u0000b\"", "\"\\ud800\"", "\"\xF0\x9F\x98\x80\"", "[]", "\"x\""});
  }
  body = join_segments(segments);
  return true;
}

}  // namespace ssecheck_fuzz
