#include "stream_generator.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace ssecheck::bench {
namespace {

// Tokens as they appear inside a JSON string (already escaped), sized like the
// recorded deltas: mostly one short word, some punctuation, some non-ASCII.
constexpr std::array<std::string_view, 48> kTokens = {
    " the",   " user",  " asks",   " to",     " generate", " information", " about", " a",
    " person", " named", " Alice",  ",",       ".",        " and",         " is",    " 30",
    " years", " old",   " lives",  " in",     " Paris",   " function",    " call",  " with",
    " JSON",  " tool",  " result", "\\n",     "\\n\\n",   " \\\"",        "\\\"",   " sum",
    " of",    " 2",     " +",      " 3",      " =",       " 5",           " Olá",   "!",
    " café",  " naïve", " —",      " →",      " 🙂",       " 漢字",         " Ok",    ":"};

constexpr std::array<std::string_view, 6> kToolNames = {"read_file", "write_file", "run_shell",
                                                        "search",    "Person",     "add"};
constexpr std::array<std::string_view, 10> kArgWords = {
    "src",   "main.cc", "include", "parser", "stream", "event", "delta", "chunk", "test", "value"};
constexpr std::string_view kFingerprint = "fp_9362061f30";

void append_uint(std::string& out, uint64_t v) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out.push_back(digits[--n]);
}

void append_hex(std::string& out, uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(kHex[(v >> (i * 4)) & 0xf]);
}

void append_json_escaped(std::string& out, std::string_view raw) {
  for (char c : raw) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
}

// The decoded text of a JSON string's inside (only the escapes the tables use).
void append_unescaped(std::string& out, std::string_view escaped) {
  for (size_t i = 0; i < escaped.size(); ++i) {
    char c = escaped[i];
    if (c == '\\' && i + 1 < escaped.size()) {
      char e = escaped[++i];
      out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

std::string_view wire_name(WireFormat wire) {
  switch (wire) {
    case WireFormat::openai_chat: return "openai-chat";
    case WireFormat::openai_responses: return "openai-responses";
    case WireFormat::anthropic_messages: return "anthropic-messages";
    case WireFormat::gemini: return "gemini";
  }
  return "openai-chat";
}

bool parse_wire(std::string_view name, WireFormat& out) {
  for (WireFormat w : {WireFormat::openai_chat, WireFormat::openai_responses, WireFormat::anthropic_messages,
                       WireFormat::gemini}) {
    if (name == wire_name(w)) {
      out = w;
      return true;
    }
  }
  return false;
}

bool profile_supported(WireFormat wire, StreamProfile profile) {
  return wire == WireFormat::openai_chat || profile == StreamProfile::agent || profile == StreamProfile::keepalive;
}

StreamGenerator::StreamGenerator(const StreamOptions& options)
    : options_(options), rng_(options.seed) {
  if (options_.wire != WireFormat::openai_chat) {
    writer_ = make_unit_writer(options_, stats_);
    unit_.reserve(512);
    return;
  }
  append_hex(id_, rng_.next(), 8);
  id_ += '-';
  append_hex(id_, rng_.next(), 4);
  id_ += '-';
  append_hex(id_, rng_.next(), 4);
  id_ += '-';
  append_hex(id_, rng_.next(), 4);
  id_ += '-';
  append_hex(id_, rng_.next(), 12);
  bool grok4 = rng_.chance(50);
  if (grok4) id_ += "_us-east-1";
  model_ = grok4 ? "grok-4-fast-reasoning" : "grok-code-fast-1";
  created_ = 1758793108 + rng_.below(20000000);
  unit_.reserve(512);
}

StreamGenerator::~StreamGenerator() = default;

size_t StreamGenerator::next_block(std::span<char> buffer) {
  size_t written = 0;
  while (written < buffer.size()) {
    if (pos_ == unit_.size()) {
      if (finished_) break;
      unit_.clear();
      pos_ = 0;
      refill();
      continue;
    }
    size_t n = std::min(buffer.size() - written, unit_.size() - pos_);
    std::memcpy(buffer.data() + written, unit_.data() + pos_, n);
    pos_ += n;
    written += n;
  }
  stats_.bytes += written;
  return written;
}

bool StreamGenerator::stream_target_reached() const {
  switch (options_.profile) {
    case StreamProfile::agent:
    case StreamProfile::keepalive:
      return produced_ >= options_.target_bytes;
    case StreamProfile::tool_fragments:
    case StreamProfile::comments:
      return units_done_ >= options_.count;
  }
  return true;
}

void StreamGenerator::refill() {
  if (writer_) {
    finished_ = writer_->next_unit(unit_);
    return;
  }
  if (!started_) {
    started_ = true;
    emit_chunk(R"({"role":"assistant"})");
    if (options_.profile == StreamProfile::tool_fragments) {
      segment_ = Segment::tool_call;
      segment_left_ = std::max<uint64_t>(options_.count, 1);
    } else if (options_.profile == StreamProfile::comments) {
      segment_ = Segment::idle;
      segment_left_ = options_.count;
    } else if (model_.starts_with("grok-4")) {
      segment_ = Segment::empty_deltas;  // grok-4-fast sends empty deltas while it thinks
      segment_left_ = rng_.between(5, 60);
    }
    return;
  }
  if (segment_left_ == 0) {
    if (stream_target_reached()) {
      emit_closing();
      return;
    }
    start_segment();
  }
  // A stray keep-alive between events, as proxies send on a timer.
  if (segment_ != Segment::idle && options_.profile == StreamProfile::agent &&
      rng_.chance(2)) {
    emit_comment();
    return;
  }
  emit_segment_step();
}

void StreamGenerator::start_segment() {
  if (options_.profile == StreamProfile::keepalive) {
    bool idle = rng_.chance(80);
    segment_ = idle ? Segment::idle : Segment::content;
    segment_left_ = idle ? rng_.between(50, 500) : rng_.between(5, 40);
    return;
  }
  uint64_t pick = rng_.below(100);
  if (pick < 30) {
    segment_ = Segment::reasoning;
    segment_left_ = rng_.between(40, 400);
  } else if (pick < 60) {
    segment_ = Segment::content;
    segment_left_ = rng_.between(20, 300);
  } else if (pick < 75) {
    segment_ = Segment::tool_call;
    segment_left_ = rng_.between(10, 200);
  } else if (pick < 85) {
    segment_ = Segment::empty_deltas;
    segment_left_ = rng_.between(5, 60);
  } else {
    segment_ = Segment::idle;
    segment_left_ = rng_.between(3, 120);
  }
}

void StreamGenerator::emit_segment_step() {
  switch (segment_) {
    case Segment::reasoning:
    case Segment::content: {
      scratch_ = segment_ == Segment::reasoning ? R"({"reasoning_content":")" : R"({"content":")";
      size_t text_start = scratch_.size();
      append_text_delta(scratch_);
      std::string text;
      append_unescaped(text, std::string_view(scratch_).substr(text_start));
      if (segment_ == Segment::reasoning) stats_.expected.add_reasoning(text);
      else stats_.expected.add_text(text);
      scratch_ += "\"}";
      emit_chunk(scratch_);
      last_was_tool_ = false;
      --segment_left_;
      return;
    }
    case Segment::empty_deltas:
      emit_chunk("{}");
      --segment_left_;
      return;
    case Segment::idle:
      emit_comment();
      --segment_left_;
      if (options_.profile == StreamProfile::comments) ++units_done_;
      return;
    case Segment::tool_call:
      scratch_.clear();
      append_tool_fragment(scratch_);
      emit_chunk(scratch_);
      last_was_tool_ = true;
      return;
  }
}

void StreamGenerator::append_text_delta(std::string& out) {
  uint64_t pick = rng_.below(100);
  uint64_t tokens = pick < 85 ? 1 : pick < 97 ? rng_.between(2, 6) : rng_.between(20, 80);
  for (uint64_t i = 0; i < tokens; ++i) out += kTokens[rng_.below(kTokens.size())];
}

// OpenAI style: the first chunk of a call carries id, type and name with empty
// arguments; the following ones carry only index and an arguments fragment.
void StreamGenerator::append_tool_fragment(std::string& delta) {
  delta = R"({"tool_calls":[{"index":)";
  append_uint(delta, tool_index_);
  if (!tool_opened_) {
    tool_opened_ = true;
    delta += R"(,"id":"call_)";
    append_uint(delta, 10000000 + rng_.below(90000000));
    delta += R"(","type":"function","function":{"name":")";
    tool_name_ = kToolNames[rng_.below(kToolNames.size())];
    delta += tool_name_;
    delta += R"(","arguments":""}}]})";
    args_pending_.clear();
    args_pending_.push_back('{');
    return;
  }
  while (args_pending_.size() < 48 && segment_left_ > 1) {
    args_pending_ += '"';
    std::string_view key = kArgWords[rng_.below(kArgWords.size())];
    args_pending_ += key;
    args_pending_ += R"(":")";
    size_t value_start = args_pending_.size() - 1;  // from the opening quote
    uint64_t words = rng_.between(1, 6);
    for (uint64_t i = 0; i < words; ++i) {
      if (i != 0) args_pending_ += rng_.chance(10) ? "\\n" : " ";
      args_pending_ += kArgWords[rng_.below(kArgWords.size())];
    }
    args_pending_ += "\",";
    std::string value = args_pending_.substr(value_start, args_pending_.size() - 1 - value_start);
    auto same = std::find_if(tool_members_.begin(), tool_members_.end(), [&](const auto& m) { return m.first == key; });
    if (same != tool_members_.end()) same->second = std::move(value);
    else tool_members_.emplace_back(key, std::move(value));
  }
  size_t take;
  if (segment_left_ <= 1) {
    args_pending_ += R"("done":true})";
    tool_members_.emplace_back("done", "true");
    take = args_pending_.size();
  } else {
    take = rng_.chance(80) ? rng_.between(1, 8) : rng_.between(9, 40);
    take = std::min(take, args_pending_.size());
    // Never split an escape sequence of the raw arguments text across fragments.
    if (take < args_pending_.size() && args_pending_[take - 1] == '\\') ++take;
  }
  delta += R"(,"function":{"arguments":")";
  append_json_escaped(delta, std::string_view(args_pending_).substr(0, take));
  delta += R"("}}]})";
  args_pending_.erase(0, take);
  ++stats_.tool_fragments;
  if (options_.profile == StreamProfile::tool_fragments) ++units_done_;
  if (--segment_left_ == 0) {
    tool_opened_ = false;
    ++tool_index_;
    finish_tool_digest();
  }
}

// The arguments as JSON.stringify(JSON.parse(arguments)) prints them (result_digest.h).
void StreamGenerator::finish_tool_digest() {
  stats_.expected.begin_tool(tool_name_);
  std::string canonical = "{";
  for (const auto& [key, value] : tool_members_) {
    if (canonical.size() > 1) canonical += ',';
    canonical += '"';
    canonical += key;
    canonical += "\":";
    canonical += value;
  }
  canonical += '}';
  stats_.expected.add_tool_arguments(canonical);
  stats_.expected.end_tool();
  tool_members_.clear();
}

void StreamGenerator::emit_closing() {
  std::string_view reason = last_was_tool_ ? "tool_calls" : "stop";
  emit_chunk("{}", reason);
  scratch_ = R"({"id":")";
  scratch_ += id_;
  scratch_ += R"(","object":"chat.completion.chunk","created":)";
  append_uint(scratch_, created_);
  scratch_ += R"(,"model":")";
  scratch_ += model_;
  scratch_ += R"(","choices":[],"usage":{"prompt_tokens":)";
  append_uint(scratch_, rng_.between(100, 5000));
  scratch_ += R"(,"completion_tokens":)";
  append_uint(scratch_, stats_.events);
  scratch_ += R"(,"total_tokens":)";
  append_uint(scratch_, stats_.events + 5000);
  scratch_ += R"(},"system_fingerprint":")";
  scratch_ += kFingerprint;
  scratch_ += "\"}";
  emit_raw_event(scratch_);
  emit_raw_event("[DONE]");
  finished_ = true;
}

void StreamGenerator::emit_chunk(std::string_view delta, std::string_view finish_reason) {
  if (rng_.chance(2)) ++created_;
  size_t start = unit_.size();
  unit_ += R"(data: {"id":")";
  unit_ += id_;
  unit_ += R"(","object":"chat.completion.chunk","created":)";
  append_uint(unit_, created_);
  unit_ += R"(,"model":")";
  unit_ += model_;
  unit_ += R"(","choices":[{"index":0,"delta":)";
  unit_ += delta;
  if (!finish_reason.empty()) {
    unit_ += R"(,"finish_reason":")";
    unit_ += finish_reason;
    unit_ += '"';
  }
  unit_ += R"(}],"system_fingerprint":")";
  unit_ += kFingerprint;
  unit_ += "\"}";
  unit_ += options_.crlf ? "\r\n\r\n" : "\n\n";
  stats_.largest_event = std::max<uint64_t>(stats_.largest_event, unit_.size() - start);
  produced_ += unit_.size() - start;
  ++stats_.events;
}

void StreamGenerator::emit_raw_event(std::string_view data) {
  size_t start = unit_.size();
  unit_ += "data: ";
  unit_ += data;
  unit_ += options_.crlf ? "\r\n\r\n" : "\n\n";
  stats_.largest_event = std::max<uint64_t>(stats_.largest_event, unit_.size() - start);
  produced_ += unit_.size() - start;
  ++stats_.events;
}

void StreamGenerator::emit_comment() {
  size_t start = unit_.size();
  unit_ += rng_.chance(65) ? ": keep-alive" : ": ping";
  unit_ += options_.crlf ? "\r\n" : "\n";
  produced_ += unit_.size() - start;
  ++stats_.comments;
}

std::string generate_stream(const StreamOptions& options, StreamStats* stats) {
  StreamGenerator gen(options);
  std::string out;
  char block[1 << 16];
  while (size_t n = gen.next_block(block)) out.append(block, n);
  if (stats != nullptr) *stats = gen.stats();
  return out;
}

std::string long_data_line_stream(size_t data_bytes, bool crlf) {
  std::string out = "data: ";
  out.reserve(data_bytes + 16);
  static constexpr std::string_view kPattern = "abcdefghijklmnopqrstuvwxyz0123456789 ,.{}[]\":";
  for (size_t i = 0; i < data_bytes; ++i) out.push_back(kPattern[i % kPattern.size()]);
  out += crlf ? "\r\n\r\n" : "\n\n";
  return out;
}

}  // namespace ssecheck::bench
