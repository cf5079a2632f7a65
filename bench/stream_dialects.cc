// The generated streams of openai-responses, anthropic-messages and gemini (the
// openai-chat one is in stream_generator.cc). Each is shaped like the recordings in
// corpus/cassettes/<dialect>/: the same events, members and member order, ids of the
// same form, Anthropic's padding after the JSON and ping events, Responses'
// obfuscation and sequence_number, Gemini's ": "-spaced JSON and whole-object
// chunks. A long stream is a run of segments (reasoning, text, a tool call, an idle
// stretch of keep-alives); segments grow with target_bytes so that the output items
// stay well below DialectLimits::max_outputs.
#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "stream_generator.h"

namespace ssecheck::bench {
namespace {

// Raw text tokens (escaped when written), sized like the recorded deltas.
constexpr std::array<std::string_view, 56> kWords = {
    " the",    " user",  " asks",    " for",      " weather", " in",       " Florence", ",",
    " Italy",  ".",      " I",       "'ll",       " call",    " the",      " tool",     " with",
    " a",      " location", " parameter", " and",  " then",    " answer",   " The",      " result",
    " is",     " 40",    "°C",       " (104°F)",  "\n",       "\n\n",      " \"",       "\"",
    " sum",    " of",    " 2",       " ×",        " 3",       " =",        " 6",        " Olá",
    "!",       " café",  " naïve",   " —",        " →",       " 🙂",        " 漢字",      " it’s",
    " very",   " hot",   " today",   ":",         " -",       " stream",   " parser",   " event"};
constexpr std::array<std::string_view, 8> kTitles = {
    "Getting weather info", "Planning the tool call", "Checking the arguments", "Summing up",
    "Reading the file",     "Choosing a function",    "Drafting the answer",    "Verifying the result"};
constexpr std::array<std::string_view, 6> kToolNames = {"weather", "add", "multiply", "read_file", "run_shell", "search"};
constexpr std::array<std::string_view, 12> kArgWords = {"src",   "main.cc", "include", "parser", "stream", "event",
                                                        "delta", "chunk",   "test",    "value",  "Florence", "Italy"};
constexpr std::array<std::string_view, 8> kArgKeys = {"location", "a", "b", "path", "query", "days", "unit", "verbose"};
constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr uint64_t kMaxOutputs = 100;  // output items / blocks / merged parts (max_outputs is 128)

void append_uint(std::string& out, uint64_t v) { out += std::to_string(v); }

void append_escaped(std::string& out, std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char ch : raw) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(ch);
    }
  }
}

void append_random(std::string& out, SplitMix64& rng, std::string_view alphabet, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) out.push_back(alphabet[rng.below(alphabet.size())]);
}

void append_hex(std::string& out, SplitMix64& rng, uint64_t n) { append_random(out, rng, "0123456789abcdef", n); }

// Tool arguments generated as they are sent: an object whose "edits" array grows for
// as many fragments as the call lasts, so long calls never repeat a key. The wire text
// is compact (OpenAI) or spaced like the Anthropic recordings; the canonical form
// (result_digest.h) goes to the digest as it is generated.
class ArgsStream {
 public:
  void start(SplitMix64& rng, bool spaced, ResultDigest& digest) {
    rng_ = &rng;
    spaced_ = spaced;
    digest_ = &digest;
    pending_.clear();
    elements_ = 0;
    std::string path = "src/";
    path += kArgWords[rng.below(kArgWords.size())];
    path += ".cc";
    add(spaced_ ? R"({"path": ")" : R"({"path":")", R"({"path":")");
    add(path, path);
    add(spaced_ ? R"(", "edits": [)" : R"(","edits":[)", R"(","edits":[)");
  }

  // The next fragment of the arguments text; the last one closes the object.
  void take(bool last, std::string& fragment) {
    fragment.clear();
    if (last) {
      add(spaced_ ? R"(], "dry_run": false})" : R"(],"dry_run":false})", R"(],"dry_run":false})");
      fragment.swap(pending_);
      return;
    }
    while (pending_.size() < 48) add_element();
    size_t n = rng_->chance(80) ? rng_->between(1, 8) : rng_->between(9, 40);
    n = std::min(n, pending_.size());
    if (n < pending_.size() && pending_[n - 1] == '\\') ++n;  // keep escapes whole
    fragment.assign(pending_, 0, n);
    pending_.erase(0, n);
  }

 private:
  void add(std::string_view wire, std::string_view canonical) {
    pending_ += wire;
    digest_->add_tool_arguments(canonical);
  }
  void add_element() {
    std::string line = std::to_string(rng_->between(1, 5000));
    std::string text;
    uint64_t words = rng_->between(1, 6);
    for (uint64_t i = 0; i < words; ++i) {
      if (i != 0) text += rng_->chance(10) ? "\\n" : " ";  // already JSON-escaped
      text += kArgWords[rng_->below(kArgWords.size())];
    }
    std::string canonical = elements_ == 0 ? "" : ",";
    canonical += R"({"line":)" + line + R"(,"text":")" + text + R"("})";
    std::string wire = elements_ == 0 ? "" : (spaced_ ? ", " : ",");
    wire += (spaced_ ? R"({"line": )" : R"({"line":)") + line + (spaced_ ? R"(, "text": ")" : R"(,"text":")") + text + R"("})";
    add(wire, canonical);
    ++elements_;
  }

  SplitMix64* rng_ = nullptr;
  ResultDigest* digest_ = nullptr;
  bool spaced_ = false;
  std::string pending_;
  uint64_t elements_ = 0;
};

class WriterBase : public UnitWriter {
 protected:
  enum class Seg : uint8_t { reasoning, text, tool, idle };

  WriterBase(const StreamOptions& options, StreamStats& stats, uint64_t salt)
      : o_(options), stats_(stats), rng_(options.seed ^ salt), scale_(1 + options.target_bytes / (uint64_t{1} << 20)) {}

  std::string_view eol() const { return o_.crlf ? "\r\n" : "\n"; }
  bool target_reached() const { return produced_ >= o_.target_bytes; }
  bool agent() const { return o_.profile == StreamProfile::agent; }

  void pick_segment() {
    if (!agent()) {  // keepalive: long idle stretches, short bursts of text
      bool idle = rng_.chance(80);
      seg_ = idle ? Seg::idle : Seg::text;
      left_ = (idle ? rng_.between(50, 500) : rng_.between(5, 40)) * scale_;
      return;
    }
    uint64_t pick = rng_.below(100);
    if (pick < 25) {
      seg_ = Seg::reasoning;
      left_ = rng_.between(40, 400) * scale_;
    } else if (pick < 60) {
      seg_ = Seg::text;
      left_ = rng_.between(20, 300) * scale_;
    } else if (pick < 80) {
      seg_ = Seg::tool;
      left_ = rng_.between(10, 200) * scale_;
    } else {
      seg_ = Seg::idle;
      left_ = rng_.between(3, 120) * scale_;
    }
  }

  // One SSE event: an optional event line, one data line, the blank line.
  void event(std::string& out, std::string_view name, std::string_view data, std::string_view pad = {}) {
    size_t start = out.size();
    if (!name.empty()) {
      out += "event: ";
      out += name;
      out += eol();
    }
    out += "data: ";
    out += data;
    out += pad;
    out += eol();
    out += eol();
    stats_.largest_event = std::max<uint64_t>(stats_.largest_event, out.size() - start);
    produced_ += out.size() - start;
    ++stats_.events;
  }

  // A keep-alive comment; as its own block (comment + blank line) when blocks is set.
  void comment(std::string& out, bool block = false) {
    size_t start = out.size();
    out += rng_.chance(65) ? ": keep-alive" : ": ping";
    out += eol();
    if (block) out += eol();
    produced_ += out.size() - start;
    ++stats_.comments;
  }

  // Text of `tokens` words: JSON-escaped into json, raw into raw.
  void words(uint64_t tokens, std::string& json, std::string& raw) {
    for (uint64_t i = 0; i < tokens; ++i) {
      std::string_view w = kWords[rng_.below(kWords.size())];
      raw += w;
      append_escaped(json, w);
    }
  }
  uint64_t delta_tokens() {
    uint64_t pick = rng_.below(100);
    return pick < 80 ? 1 : pick < 97 ? rng_.between(2, 6) : rng_.between(20, 80);
  }

  const StreamOptions o_;
  StreamStats& stats_;
  SplitMix64 rng_;
  const uint64_t scale_;
  uint64_t produced_ = 0;
  Seg seg_ = Seg::idle;
  uint64_t left_ = 0;
  std::string data_, json_, raw_;  // scratch
};

// ---- openai-responses -------------------------------------------------------------

class ResponsesWriter final : public WriterBase {
 public:
  ResponsesWriter(const StreamOptions& o, StreamStats& s) : WriterBase(o, s, 0x7265737030ULL) {
    id_ = "resp_0";
    append_hex(id_, rng_, 49);
    item_prefix_ = id_.substr(5, 25);
    created_at_ = 1782321745 + rng_.below(10000000);
    input_tokens_ = rng_.between(50, 5000);
  }

  bool next_unit(std::string& out) override {
    if (!started_) {
      started_ = true;
      lifecycle(out, "response.created", false);
      lifecycle(out, "response.in_progress", false);
      return false;
    }
    if (left_ == 0) {
      if (open_) {
        close_item(out);
        return false;
      }
      if (target_reached() || stats_.outputs >= kMaxOutputs) {
        lifecycle(out, "response.completed", true);
        return true;
      }
      pick_segment();
      if (seg_ != Seg::idle) {
        open_item(out);
        return false;
      }
    }
    if (seg_ != Seg::idle && agent() && rng_.chance(2)) {
      comment(out);
      return false;
    }
    step(out);
    --left_;
    return false;
  }

 private:
  void begin(std::string_view type) {
    data_ = R"({"type":")";
    data_ += type;
    data_ += '"';
  }
  void end(std::string& out, std::string_view type) {
    data_ += R"(,"sequence_number":)";
    append_uint(data_, seq_++);
    data_ += '}';
    event(out, type, data_);
  }
  void member(std::string_view key, std::string_view raw_json) {
    data_ += ",\"";
    data_ += key;
    data_ += "\":";
    data_ += raw_json;
  }
  void string_member(std::string_view key, std::string_view escaped) {
    data_ += ",\"";
    data_ += key;
    data_ += "\":\"";
    data_ += escaped;
    data_ += '"';
  }
  std::string obfuscation(size_t delta_bytes) {
    std::string o;
    append_random(o, rng_, kAlnum, delta_bytes < 16 ? 16 - delta_bytes : rng_.between(1, 4));
    return o;
  }

  void lifecycle(std::string& out, std::string_view type, bool final) {
    begin(type);
    data_ += R"(,"response":{"id":")";
    data_ += id_;
    data_ += R"(","object":"response","created_at":)";
    append_uint(data_, created_at_);
    data_ += final ? R"(,"status":"completed")" : R"(,"status":"in_progress")";
    data_ += R"(,"background":false,"completed_at":)";
    if (final) append_uint(data_, created_at_ + 5 + produced_ / 100000);
    else data_ += "null";
    data_ += R"(,"error":null,"frequency_penalty":0.0,"incomplete_details":null,"instructions":null,)"
             R"("max_output_tokens":null,"max_tool_calls":null,"model":"gpt-5-2025-08-07","moderation":null,"output":[)";
    if (final) data_ += output_;
    data_ += R"(],"parallel_tool_calls":true,"presence_penalty":0.0,"previous_response_id":null,)"
             R"("prompt_cache_key":null,"prompt_cache_retention":"in_memory","reasoning":{"context":"current_turn",)"
             R"("effort":"high","summary":"detailed"},"safety_identifier":null,"service_tier":"auto","store":false,)"
             R"("temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto",)"
             R"("tools":[{"type":"function","description":"Get weather information for a location","name":"weather",)"
             R"("parameters":{"properties":{"location":{"description":"the city","type":"string"}},"required":)"
             R"(["location"],"type":"object"},"strict":false}],"top_logprobs":0,"top_p":1.0,"truncation":"disabled",)"
             R"("usage":)";
    if (final) {
      data_ += R"({"input_tokens":)";
      append_uint(data_, input_tokens_);
      data_ += R"(,"input_tokens_details":{"cached_tokens":0},"output_tokens":)";
      append_uint(data_, output_tokens_);
      data_ += R"(,"output_tokens_details":{"reasoning_tokens":)";
      append_uint(data_, reasoning_tokens_);
      data_ += R"(},"total_tokens":)";
      append_uint(data_, input_tokens_ + output_tokens_);
      data_ += '}';
    } else {
      data_ += "null";
    }
    data_ += R"(,"user":null,"metadata":{}})";
    end(out, type);
  }

  void open_item(std::string& out) {
    open_ = true;
    index_ = std::to_string(stats_.outputs++);
    item_id_ = seg_ == Seg::reasoning ? "rs_" : seg_ == Seg::text ? "msg_" : "fc_";
    item_id_ += item_prefix_;
    append_hex(item_id_, rng_, 24);
    text_.clear();
    parts_.clear();
    begin("response.output_item.added");
    if (seg_ == Seg::reasoning) {
      encrypted_ = "gAAAAAB";
      append_random(encrypted_, rng_, kAlnum, rng_.between(600, 1400));
      encrypted_ += "==";
      data_ += R"(,"item":{"id":")" + item_id_ + R"(","type":"reasoning","content":[],"encrypted_content":")" +
               encrypted_ + R"(","summary":[]})";
      member("output_index", index_);
      end(out, "response.output_item.added");
      part_added(out);
    } else if (seg_ == Seg::text) {
      data_ += R"(,"item":{"id":")" + item_id_ + R"(","type":"message","status":"in_progress","content":[],"role":"assistant"})";
      member("output_index", index_);
      end(out, "response.output_item.added");
      begin("response.content_part.added");
      member("content_index", "0");
      string_member("item_id", item_id_);
      member("output_index", index_);
      member("part", R"({"type":"output_text","annotations":[],"logprobs":[],"text":""})");
      end(out, "response.content_part.added");
    } else {
      call_id_ = "call_";
      append_random(call_id_, rng_, kAlnum, 24);
      name_ = kToolNames[rng_.below(kToolNames.size())];
      data_ += R"(,"item":{"id":")" + item_id_ + R"(","type":"function_call","status":"in_progress","arguments":"",)"
               R"("call_id":")" + call_id_ + R"(","name":")" + std::string(name_) + R"("})";
      member("output_index", index_);
      end(out, "response.output_item.added");
      stats_.expected.begin_tool(name_);
      args_.start(rng_, false, stats_.expected);
    }
  }

  void part_added(std::string& out) {
    if (reasoning_parts_++ != 0) stats_.expected.add_reasoning("\n\n");  // parts are joined with a blank line
    begin("response.reasoning_summary_part.added");
    string_member("item_id", item_id_);
    member("output_index", index_);
    member("part", R"({"type":"summary_text","text":""})");
    data_ += R"(,"sequence_number":)";
    append_uint(data_, seq_++);
    member("summary_index", std::to_string(parts_.size()));
    data_ += '}';
    event(out, "response.reasoning_summary_part.added", data_);
    text_.clear();
  }

  void part_done(std::string& out) {
    std::string summary_index = std::to_string(parts_.size());
    begin("response.reasoning_summary_text.done");
    string_member("item_id", item_id_);
    member("output_index", index_);
    data_ += R"(,"sequence_number":)";
    append_uint(data_, seq_++);
    member("summary_index", summary_index);
    string_member("text", text_);
    data_ += '}';
    event(out, "response.reasoning_summary_text.done", data_);
    std::string part = R"({"type":"summary_text","text":")" + text_ + R"("})";
    begin("response.reasoning_summary_part.done");
    string_member("item_id", item_id_);
    member("output_index", index_);
    member("part", part);
    data_ += R"(,"sequence_number":)";
    append_uint(data_, seq_++);
    member("summary_index", summary_index);
    data_ += '}';
    event(out, "response.reasoning_summary_part.done", data_);
    parts_.push_back(std::move(part));
  }

  void step(std::string& out) {
    json_.clear();
    raw_.clear();
    switch (seg_) {
      case Seg::reasoning: {
        if (!text_.empty() && parts_.size() < 3 && rng_.chance(1)) {  // a new summary part
          part_done(out);
          part_added(out);
          return;
        }
        if (text_.empty()) {
          raw_ = "**";
          raw_ += kTitles[rng_.below(kTitles.size())];
          raw_ += "**\n\n";
          append_escaped(json_, raw_);
        }
        words(delta_tokens(), json_, raw_);
        stats_.expected.add_reasoning(raw_);
        text_ += json_;
        ++reasoning_tokens_;
        ++output_tokens_;
        begin("response.reasoning_summary_text.delta");
        string_member("delta", json_);
        string_member("item_id", item_id_);
        string_member("obfuscation", obfuscation(raw_.size()));
        member("output_index", index_);
        data_ += R"(,"sequence_number":)";
        append_uint(data_, seq_++);
        member("summary_index", std::to_string(parts_.size()));
        data_ += '}';
        event(out, "response.reasoning_summary_text.delta", data_);
        return;
      }
      case Seg::text: {
        words(delta_tokens(), json_, raw_);
        stats_.expected.add_text(raw_);
        text_ += json_;
        ++output_tokens_;
        begin("response.output_text.delta");
        member("content_index", "0");
        string_member("delta", json_);
        string_member("item_id", item_id_);
        member("logprobs", "[]");
        string_member("obfuscation", obfuscation(raw_.size()));
        member("output_index", index_);
        end(out, "response.output_text.delta");
        return;
      }
      case Seg::tool: {
        args_.take(left_ == 1, raw_);
        append_escaped(json_, raw_);
        text_ += json_;
        ++output_tokens_;
        ++stats_.tool_fragments;
        begin("response.function_call_arguments.delta");
        string_member("delta", json_);
        string_member("item_id", item_id_);
        string_member("obfuscation", obfuscation(raw_.size()));
        member("output_index", index_);
        end(out, "response.function_call_arguments.delta");
        return;
      }
      case Seg::idle:
        comment(out);
        return;
    }
  }

  void close_item(std::string& out) {
    open_ = false;
    std::string item;
    if (seg_ == Seg::reasoning) {
      part_done(out);
      item = R"({"id":")" + item_id_ + R"(","type":"reasoning","content":[],"encrypted_content":")" + encrypted_ +
             R"(","summary":[)";
      for (size_t i = 0; i < parts_.size(); ++i) item += (i ? "," : "") + parts_[i];
      item += "]}";
    } else if (seg_ == Seg::text) {
      begin("response.output_text.done");
      member("content_index", "0");
      string_member("item_id", item_id_);
      member("logprobs", "[]");
      member("output_index", index_);
      data_ += R"(,"sequence_number":)";
      append_uint(data_, seq_++);
      string_member("text", text_);
      data_ += '}';
      event(out, "response.output_text.done", data_);
      std::string part = R"({"type":"output_text","annotations":[],"logprobs":[],"text":")" + text_ + R"("})";
      begin("response.content_part.done");
      member("content_index", "0");
      string_member("item_id", item_id_);
      member("output_index", index_);
      member("part", part);
      end(out, "response.content_part.done");
      item = R"({"id":")" + item_id_ + R"(","type":"message","status":"completed","content":[)" + part +
             R"(],"role":"assistant"})";
    } else {
      begin("response.function_call_arguments.done");
      string_member("arguments", text_);
      string_member("item_id", item_id_);
      member("output_index", index_);
      end(out, "response.function_call_arguments.done");
      item = R"({"id":")" + item_id_ + R"(","type":"function_call","status":"completed","arguments":")" + text_ +
             R"(","call_id":")" + call_id_ + R"(","name":")" + std::string(name_) + R"("})";
      stats_.expected.end_tool();
    }
    begin("response.output_item.done");
    member("item", item);
    member("output_index", index_);
    end(out, "response.output_item.done");
    if (!output_.empty()) output_ += ',';
    output_ += item;
  }

  std::string id_, item_prefix_, item_id_, index_, encrypted_, call_id_;
  std::string_view name_;
  uint64_t created_at_ = 0, input_tokens_ = 0, output_tokens_ = 0, reasoning_tokens_ = 0;
  uint64_t seq_ = 0, reasoning_parts_ = 0;
  bool started_ = false, open_ = false;
  std::string text_;                // the open part's text (or arguments), JSON-escaped
  std::vector<std::string> parts_;  // the open reasoning item's finished summary parts
  std::string output_;              // every finished item, for response.completed
  ArgsStream args_;
};

// ---- anthropic-messages -----------------------------------------------------------

class MessagesWriter final : public WriterBase {
 public:
  MessagesWriter(const StreamOptions& o, StreamStats& s) : WriterBase(o, s, 0x616e7468ULL) {
    id_ = "msg_01";
    append_random(id_, rng_, kAlnum, 22);
    input_tokens_ = rng_.between(16, 5000);
  }

  bool next_unit(std::string& out) override {
    if (!started_) {
      started_ = true;
      send(out, "message_start",
           R"({"type":"message_start","message":{"model":"claude-sonnet-4-20250514","id":")" + id_ +
               R"(","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,)"
               R"("usage":{"input_tokens":)" + std::to_string(input_tokens_) +
               R"(,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":)"
               R"({"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":5,)"
               R"("service_tier":"standard","inference_geo":"not_available"}}})");
      return false;
    }
    if (left_ == 0) {
      if (open_) {
        close_block(out);
        return false;
      }
      if (target_reached() || stats_.outputs >= kMaxOutputs) {
        send(out, "message_delta",
             std::string(R"({"type":"message_delta","delta":{"stop_reason":")") +
                 (last_was_tool_ ? "tool_use" : "end_turn") +
                 R"(","stop_sequence":null},"usage":{"input_tokens":)" + std::to_string(input_tokens_) +
                 R"(,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":)" +
                 std::to_string(output_tokens_ + 5) + "}}");
        send(out, "message_stop", R"({"type":"message_stop"})");
        return true;
      }
      pick_segment();
      if (seg_ != Seg::idle) {
        open_block(out);
        return false;
      }
    }
    if (seg_ != Seg::idle && agent() && rng_.chance(2)) {
      noise(out);
      return false;
    }
    if (seg_ == Seg::idle) noise(out);
    else delta(out);
    --left_;
    return false;
  }

 private:
  // The recorded events pad their JSON with up to 16 spaces, most of them.
  void send(std::string& out, std::string_view type, std::string_view data) {
    pad_.assign(rng_.chance(75) ? rng_.between(1, 16) : 0, ' ');
    event(out, type, data, pad_);
  }
  // Idle time: Anthropic's own ping events, and a proxy's keep-alive comments.
  void noise(std::string& out) {
    if (rng_.chance(70)) {
      event(out, "ping", R"({"type": "ping"})");
      ++stats_.noise_events;
    } else {
      comment(out);
    }
  }

  void open_block(std::string& out) {
    open_ = true;
    index_ = std::to_string(stats_.outputs++);
    last_was_tool_ = seg_ == Seg::tool;
    std::string data = R"({"type":"content_block_start","index":)" + index_ + R"(,"content_block":)";
    if (seg_ == Seg::reasoning) {
      data += R"({"type":"thinking","thinking":"","signature":""}})";
    } else if (seg_ == Seg::text) {
      data += R"({"type":"text","text":""}})";
    } else {
      std::string id = "toolu_01";
      append_random(id, rng_, kAlnum, 22);
      std::string_view name = kToolNames[rng_.below(kToolNames.size())];
      data += R"({"type":"tool_use","id":")" + id + R"(","name":")" + std::string(name) +
              R"(","input":{},"caller":{"type":"direct"}}})";
      stats_.expected.begin_tool(name);
      args_.start(rng_, true, stats_.expected);
    }
    send(out, "content_block_start", data);
    if (!pinged_) {  // as recorded: one ping right after the first block starts
      pinged_ = true;
      event(out, "ping", R"({"type": "ping"})");
      ++stats_.noise_events;
    }
    if (seg_ == Seg::tool) send(out, "content_block_delta", block_delta("input_json_delta", "partial_json", ""));
  }

  std::string block_delta(std::string_view type, std::string_view field, std::string_view escaped) const {
    return R"({"type":"content_block_delta","index":)" + index_ + R"(,"delta":{"type":")" + std::string(type) + R"(",")" +
           std::string(field) + R"(":")" + std::string(escaped) + R"("}})";
  }

  void delta(std::string& out) {
    json_.clear();
    raw_.clear();
    ++output_tokens_;
    if (seg_ == Seg::tool) {
      args_.take(left_ == 1, raw_);
      append_escaped(json_, raw_);
      ++stats_.tool_fragments;
      send(out, "content_block_delta", block_delta("input_json_delta", "partial_json", json_));
      return;
    }
    uint64_t pick = rng_.below(100);  // the recorded deltas are a few words each
    words(pick < 60 ? rng_.between(1, 3) : pick < 97 ? rng_.between(4, 8) : rng_.between(20, 60), json_, raw_);
    if (seg_ == Seg::reasoning) {
      stats_.expected.add_reasoning(raw_);
      send(out, "content_block_delta", block_delta("thinking_delta", "thinking", json_));
    } else {
      stats_.expected.add_text(raw_);
      send(out, "content_block_delta", block_delta("text_delta", "text", json_));
    }
  }

  void close_block(std::string& out) {
    open_ = false;
    if (seg_ == Seg::reasoning) {  // as recorded: an empty thinking delta, then the signature
      send(out, "content_block_delta", block_delta("thinking_delta", "thinking", ""));
      std::string signature = "Et";
      append_random(signature, rng_, kBase64, rng_.between(300, 700));
      signature += "==";
      send(out, "content_block_delta", block_delta("signature_delta", "signature", signature));
    }
    if (seg_ == Seg::tool) stats_.expected.end_tool();
    send(out, "content_block_stop", R"({"type":"content_block_stop","index":)" + index_ + "}");
  }

  std::string id_, index_, pad_;
  uint64_t input_tokens_ = 0, output_tokens_ = 0;
  bool started_ = false, open_ = false, pinged_ = false, last_was_tool_ = false;
  ArgsStream args_;
};

// ---- gemini -------------------------------------------------------------------------

class GeminiWriter final : public WriterBase {
 public:
  GeminiWriter(const StreamOptions& o, StreamStats& s) : WriterBase(o, s, 0x67656d69ULL) {
    append_random(response_id_, rng_, kAlnum, 23);
    prompt_tokens_ = rng_.between(11, 5000);
  }

  bool next_unit(std::string& out) override {
    if (left_ == 0) {
      if (started_ && (target_reached() || stats_.outputs >= kMaxOutputs)) {
        json_.clear();
        raw_.clear();
        words(rng_.between(2, 8), json_, raw_);
        stats_.expected.add_text(raw_);
        count_part(Kind::text);
        ++candidate_tokens_;
        chunk(out, R"({"text": ")" + json_ + R"("})", true);
        return true;
      }
      started_ = true;
      pick_segment();
      if (seg_ == Seg::tool) left_ = rng_.between(1, 3);  // function calls come whole: few chunks
    }
    if (seg_ != Seg::idle && agent() && rng_.chance(2)) {
      comment(out, true);
      return false;
    }
    step(out);
    --left_;
    return false;
  }

 private:
  enum class Kind : uint8_t { none, thought, text, call };

  // Merged parts, as the dialect counts them: a run of text of one kind is one part.
  void count_part(Kind k) {
    if (k == Kind::call || k != last_kind_) ++stats_.outputs;
    last_kind_ = k;
  }

  void chunk(std::string& out, std::string_view parts, bool final) {
    data_ = R"({"candidates": [{"content": {"parts": [)";
    data_ += parts;
    data_ += R"(],"role": "model"},)";
    if (final) data_ += R"("finishReason": "STOP",)";
    data_ += R"("index": 0}],"usageMetadata": {"promptTokenCount": )";
    append_uint(data_, prompt_tokens_);
    data_ += R"(,"candidatesTokenCount": )";
    append_uint(data_, candidate_tokens_);
    data_ += R"(,"totalTokenCount": )";
    append_uint(data_, prompt_tokens_ + candidate_tokens_ + thought_tokens_);
    data_ += R"(,"promptTokensDetails": [{"modality": "TEXT","tokenCount": )";
    append_uint(data_, prompt_tokens_);
    data_ += R"(}],"thoughtsTokenCount": )";
    append_uint(data_, thought_tokens_);
    data_ += R"(},"modelVersion": "gemini-2.5-flash","responseId": ")";
    data_ += response_id_;
    data_ += "\"}";
    event(out, {}, data_);
  }

  // {"name": "add","args": {"a": 2,"b": 3}}: distinct keys, spaced like the recordings.
  std::string function_call(bool signed_part) {
    std::string_view name = kToolNames[rng_.below(kToolNames.size())];
    stats_.expected.begin_tool(name);
    std::string wire = R"({"functionCall": {"name": ")" + std::string(name) + R"(","args": {)";
    std::string canonical = "{";
    uint64_t members = rng_.between(1, 4);
    uint64_t first_key = rng_.below(kArgKeys.size());
    for (uint64_t i = 0; i < members; ++i) {
      std::string_view key = kArgKeys[(first_key + i) % kArgKeys.size()];
      std::string value;
      uint64_t kind = rng_.below(3);
      if (kind == 0) {
        value = std::to_string(rng_.between(0, 100000));
      } else if (kind == 1) {
        value = rng_.chance(50) ? "true" : "false";
      } else {
        value = "\"";
        uint64_t n = rng_.between(1, 5);
        for (uint64_t w = 0; w < n; ++w) {
          if (w != 0) value += rng_.chance(10) ? "\\n" : " ";
          value += kArgWords[rng_.below(kArgWords.size())];
        }
        value += '"';
      }
      if (i != 0) {
        wire += ',';
        canonical += ',';
      }
      wire += "\"" + std::string(key) + "\": " + value;
      canonical += "\"" + std::string(key) + "\":" + value;
    }
    wire += "}}";
    canonical += '}';
    if (signed_part) {
      wire += R"(,"thoughtSignature": ")";
      append_random(wire, rng_, kBase64, rng_.between(200, 500));
      wire += "=\"";
    }
    wire += '}';
    stats_.expected.add_tool_arguments(canonical);
    stats_.expected.end_tool();
    ++stats_.tool_fragments;
    count_part(Kind::call);
    return wire;
  }

  void step(std::string& out) {
    json_.clear();
    raw_.clear();
    switch (seg_) {
      case Seg::reasoning:
        words(rng_.between(8, 40), json_, raw_);
        stats_.expected.add_reasoning(raw_);
        count_part(Kind::thought);
        thought_tokens_ += 8;
        chunk(out, R"({"text": ")" + json_ + R"(","thought": true})", false);
        return;
      case Seg::text:
        words(rng_.between(2, 12), json_, raw_);
        stats_.expected.add_text(raw_);
        count_part(Kind::text);
        candidate_tokens_ += 3;
        chunk(out, R"({"text": ")" + json_ + R"("})", false);
        return;
      case Seg::tool: {
        std::string parts = function_call(true);
        if (rng_.chance(30)) parts += "," + function_call(false);
        candidate_tokens_ += 10;
        chunk(out, parts, false);
        return;
      }
      case Seg::idle:
        comment(out, true);  // its own block: @google/genai drops a chunk that shares one with a comment
        return;
    }
  }

  std::string response_id_;
  uint64_t prompt_tokens_ = 0, candidate_tokens_ = 0, thought_tokens_ = 0;
  bool started_ = false;
  Kind last_kind_ = Kind::none;
};

}  // namespace

std::unique_ptr<UnitWriter> make_unit_writer(const StreamOptions& options, StreamStats& stats) {
  switch (options.wire) {
    case WireFormat::openai_responses: return std::make_unique<ResponsesWriter>(options, stats);
    case WireFormat::anthropic_messages: return std::make_unique<MessagesWriter>(options, stats);
    case WireFormat::gemini: return std::make_unique<GeminiWriter>(options, stats);
    case WireFormat::openai_chat: break;
  }
  return nullptr;
}

}  // namespace ssecheck::bench
