// The Gemini state machine: folds GenerateContentResponse chunks into one native
// GenerateContentResponse and the normalized result (rules in ssecheck/gemini/gemini.h).
#include "gemini_dialect.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ssecheck/dialect_base.h"
#include "ssecheck/gemini/gemini.h"
#include "ssecheck/json/out.h"

namespace ssecheck::gemini {
namespace {

// Members a GenerateContentResponse may have on the wire (at least one makes a chunk).
constexpr std::string_view kResponseMembers[] = {"candidates", "promptFeedback", "usageMetadata", "modelVersion",
                                                 "responseId", "createTime",     "modelStatus"};
// Every Part field (google.ai.generativelanguage / aiplatform Part, @google/genai types.ts).
constexpr std::string_view kPartFields[] = {
    "text",         "inlineData",     "fileData",      "functionCall", "functionResponse", "executableCode",
    "codeExecutionResult", "thought", "thoughtSignature", "videoMetadata", "partMetadata",   "mediaResolution"};

template <size_t N>
bool one_of(std::string_view s, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), s) != std::end(set);
}

// Members in first-seen order, each holding compact JSON; set() keeps the position of the
// first occurrence and the last value.
class Fields {
 public:
  void set(std::string_view key, std::string json) {
    auto it = index_.find(key);
    if (it != index_.end()) {
      items_[it->second].second = std::move(json);
      return;
    }
    index_.emplace(std::string(key), items_.size());
    items_.emplace_back(std::string(key), std::move(json));
  }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
  std::map<std::string, size_t, std::less<>> index_;
};

struct Part {
  bool mergeable = false;  // a text fragment (only text, thought, thoughtSignature)
  bool has_text = false;   // text counts for the normalized result
  bool thought = false;
  bool closed = false;     // a thoughtSignature arrived: the next fragment starts a new part
  std::string text;        // merged text (mergeable), or the text of a kept-as-sent part
  std::string signature;   // mergeable only
  std::string raw;         // kept-as-sent part, compact JSON
};

struct Candidate {
  bool content_seen = false;
  bool parts_seen = false;
  std::string role;
  Fields content_fields;  // content members other than parts and role
  std::vector<Part> parts;
  std::vector<NormalizedToolCall> tool_calls;
  std::optional<std::string> finish_reason;
  Fields fields;  // candidate members other than content and index
  bool parts_dropped = false;
  bool calls_dropped = false;
};

struct Member {
  std::string_view key;
  json::Value value;
};

// Where a diagnostic points ("candidate 0 part"), worded only when one is filed.
struct Where {
  std::string_view prefix;
  uint64_t index;
  std::string_view suffix;
  std::string str() const {
    return std::string(prefix) + (index == kNone ? std::string() : std::to_string(index)) + std::string(suffix);
  }
  static constexpr uint64_t kNone = UINT64_MAX;
};

class GeminiDialect final : public DialectBase {
 public:
  explicit GeminiDialect(const DialectOptions& options) : DialectBase(kName, options) {}

 protected:
  void handle_event(const Event& event) override;
  void end_of_stream() override;
  void write_native(json::Out& out) const override;
  void normalize(NormalizedResult& out) const override;

 private:
  // The object's members, each key once with its last value, in first-seen order (what
  // JSON.parse makes of a repeated key); a repeated key is a duplicate_key deviation.
  std::vector<Member> members(const json::Value& obj, const Where& where);
  void error_object(const json::Value& error);
  void chunk(const json::Value& root);
  void candidates(const json::Value& list);
  void candidate(uint32_t index, const json::Value& c);
  void content(uint32_t index, Candidate& cand, const json::Value& content, bool finished_before);
  void part(uint32_t index, Candidate& cand, const json::Value& p);
  Part* new_part(uint32_t index, Candidate& cand);
  void function_call(uint32_t index, Candidate& cand, const json::Value& fc);
  void set_finish_reason(uint32_t index, Candidate& cand, const json::Value& v);
  void usage(const json::Value& u);
  void first_string(std::string_view key, const json::Value& v, std::optional<std::string>& slot,
                    std::optional<DiagCode> changed);
  void update_state();

  std::map<uint32_t, Candidate> cands_;
  Fields top_;
  std::optional<std::string> response_id_;
  std::optional<std::string> model_version_;
  std::optional<std::string> create_time_;
  std::optional<std::string> block_reason_;
  std::string last_usage_json_;
  bool have_usage_ = false;
  std::vector<std::pair<std::string, uint64_t>> last_usage_counts_;
  std::optional<uint64_t> input_tokens_;
  std::optional<uint64_t> output_tokens_;
  std::optional<NormalizedError> error_;
  bool streamed_args_seen_ = false;
};

std::vector<Member> GeminiDialect::members(const json::Value& obj, const Where& where) {
  std::vector<Member> out;
  out.reserve(obj.size());
  constexpr size_t kLinear = 16;
  std::unordered_map<std::string_view, size_t> index;
  const bool hashed = obj.size() > kLinear;
  obj.each_member([&](std::string_view key, const json::Value& value) {
    size_t found = out.size();
    if (hashed) {
      auto [it, inserted] = index.emplace(key, out.size());
      if (!inserted) found = it->second;
    } else {
      for (size_t i = 0; i < out.size(); ++i)
        if (out[i].key == key) found = i;
    }
    if (found == out.size()) {
      out.push_back(Member{key, value});
      return;
    }
    out[found].value = value;
    diag(DiagCode::duplicate_key,
         where.str() + " repeats key " + quote(key) + "; the last value was used");
  });
  return out;
}

void GeminiDialect::handle_event(const Event& event) {
  if (rep_.state == StreamState::errored) return;
  if (event.type != "message") {
    diag(DiagCode::unexpected_event_type,
         "event type " + quote(event.type) + " is not part of a Gemini stream (data-only events); it was ignored");
    return;
  }
  const json::Value root = parse(event.data);
  if (root.absent()) return;
  if (!root.is_object()) {
    diag(DiagCode::not_a_generate_content_response,
         std::string("data is a JSON ") + root.type_name() + ", not a GenerateContentResponse object");
    return;
  }
  const json::Value error = root["error"];
  if (!error.absent_or_null()) {
    ++rep_.stats.data_chunks;
    error_object(error);
    return;
  }
  // {"usageMetadata":U} repeating the last U changes nothing: meaning-free.
  if (have_usage_ && root.size() == 1) {
    const json::Value u = root["usageMetadata"];
    if (u.is_object() && json::to_json(u) == last_usage_json_) {
      ++rep_.stats.noise_events;
      return;
    }
  }
  bool known = false;
  for (std::string_view m : kResponseMembers) known = known || !root[m].absent();
  if (!known) {
    diag(DiagCode::not_a_generate_content_response,
         "the object has none of candidates, promptFeedback, usageMetadata, modelVersion, responseId; it was ignored");
    return;
  }
  ++rep_.stats.data_chunks;
  chunk(root);
  update_state();
}

void GeminiDialect::error_object(const json::Value& error) {
  NormalizedError e;
  e.type = "error";
  if (error.is_object()) {
    const json::Value status = error["status"];
    const json::Value code = error["code"];
    const json::Value message = error["message"];
    if (status.is_string() && !status.str().empty()) e.type = std::string(status.str());
    else if (code.is_number()) e.type = json::to_json(code);
    e.message = message.is_string() ? std::string(message.str()) : json::to_json(error);
  } else {
    e.message = error.is_string() ? std::string(error.str()) : json::to_json(error);
  }
  std::string msg = "the provider sent an error: " + e.type;
  const json::Value code = error["code"];
  if (code.is_number()) msg += " (" + json::to_json(code) + ")";
  msg += ": " + quote(e.message);
  diag(DiagCode::provider_error, msg);
  top_.set("error", json::to_json(error));
  error_ = std::move(e);
  rep_.state = StreamState::errored;
}

void GeminiDialect::chunk(const json::Value& root) {
  for (const Member& m : members(root, Where{"the response", Where::kNone, ""})) {
    const std::string_view key = m.key;
    const json::Value& v = m.value;
    if (key == "candidates") {
      if (v.is_array()) {
        top_.set("candidates", {});
        candidates(v);
      } else if (!v.is_null()) {
        mismatch("", "candidates", "array", v);
      }
    } else if (key == "promptFeedback") {
      if (!v.is_object()) {
        if (!v.is_null()) mismatch("", "promptFeedback", "object", v);
        continue;
      }
      top_.set(key, json::to_json(v));
      const json::Value reason = v["blockReason"];
      if (reason.is_string() && !reason.str().empty()) {
        if (!block_reason_ || *block_reason_ != reason.str())
          diag(DiagCode::prompt_blocked, "promptFeedback.blockReason is " + std::string(reason.str()) +
                                             ": the prompt was blocked, no candidate follows");
        block_reason_ = std::string(reason.str());
      } else if (!reason.absent_or_null() && !reason.is_string()) {
        mismatch("promptFeedback.", "blockReason", "string", reason);
      }
    } else if (key == "usageMetadata") {
      if (v.is_object()) usage(v);
      else if (!v.is_null()) mismatch("", "usageMetadata", "object", v);
    } else if (key == "modelVersion") {
      first_string(key, v, model_version_, DiagCode::model_version_changed);
    } else if (key == "responseId") {
      first_string(key, v, response_id_, DiagCode::chunk_response_id_changed);
    } else if (key == "createTime") {
      first_string(key, v, create_time_, std::nullopt);
    } else if (key != "error") {  // a null error member says nothing
      top_.set(key, json::to_json(v));
    }
  }
}

void GeminiDialect::first_string(std::string_view key, const json::Value& v, std::optional<std::string>& slot,
                                 std::optional<DiagCode> changed) {
  if (!v.is_string()) {
    if (!v.is_null()) mismatch("", key, "string", v);
    return;
  }
  if (v.str().empty()) return;
  if (!slot) {
    slot = std::string(v.str());
    top_.set(key, json::to_json(v));
  } else if (changed && *slot != v.str()) {
    diag(*changed, std::string(key) + " " + quote(v.str()) + " differs from the first one " + quote(*slot) +
                       "; the first was kept");
  }
}

void GeminiDialect::candidates(const json::Value& list) {
  uint64_t position = 0;
  uint64_t skipped = 0, first_skipped = 0;
  list.each_element([&](const json::Value& c) {
    const uint64_t at = position++;
    const Where where{"candidates[", at, "]"};
    if (!c.is_object()) {
      mismatch("", where.str(), "object", c);
      return;
    }
    uint64_t index = at;  // proto3 JSON omits a zero index: the position stands in
    const json::Value iv = c["index"];
    if (iv.is_uint64()) index = iv.uint64();
    else if (!iv.absent_or_null()) mismatch(where.str() + ".", "index", "non-negative integer", iv);
    if (index >= options().limits.max_outputs) {
      if (skipped++ == 0) first_skipped = index;
      return;
    }
    candidate(static_cast<uint32_t>(index), c);
  });
  // Once per chunk, however many: a hostile array cannot multiply stored fatal diagnostics.
  if (skipped > 0)
    diag(DiagCode::candidate_index_out_of_range,
         "candidate index " + std::to_string(first_skipped) + " exceeds max_outputs (" +
             std::to_string(options().limits.max_outputs) + "); " +
             (skipped == 1 ? std::string("the candidate was") : std::to_string(skipped) + " candidates were") +
             " skipped");
}

void GeminiDialect::candidate(uint32_t index, const json::Value& c) {
  Candidate& cand = cands_[index];
  const bool finished_before = cand.finish_reason.has_value();
  const Where where{"candidate ", index, ""};
  for (const Member& m : members(c, where)) {
    if (m.key == "index") continue;
    if (m.key == "content") {
      if (m.value.is_object()) content(index, cand, m.value, finished_before);
      else if (!m.value.is_null()) mismatch(where.str() + ": ", "content", "object", m.value);
    } else if (m.key == "finishReason") {
      set_finish_reason(index, cand, m.value);
    } else {
      cand.fields.set(m.key, json::to_json(m.value));
    }
  }
}

void GeminiDialect::content(uint32_t index, Candidate& cand, const json::Value& content, bool finished_before) {
  cand.content_seen = true;
  const Where where{"candidate ", index, " content"};
  for (const Member& m : members(content, where)) {
    if (m.key == "role") {
      if (m.value.is_string()) {
        if (cand.role.empty()) cand.role = std::string(m.value.str());
      } else if (!m.value.is_null()) {
        mismatch(where.str() + ".", "role", "string", m.value);
      }
    } else if (m.key == "parts") {
      if (!m.value.is_array()) {
        if (!m.value.is_null()) mismatch(where.str() + ".", "parts", "array", m.value);
        continue;
      }
      cand.parts_seen = true;
      if (finished_before && m.value.size() > 0)
        diag(DiagCode::parts_after_finish_reason,
             "candidate " + std::to_string(index) + " received parts after its finishReason " +
                 quote(*cand.finish_reason) + "; they were merged");
      m.value.each_element([&](const json::Value& p) { part(index, cand, p); });
    } else {
      cand.content_fields.set(m.key, json::to_json(m.value));
    }
  }
}

Part* GeminiDialect::new_part(uint32_t index, Candidate& cand) {
  if (cand.parts.size() >= options().limits.max_outputs) {
    if (!cand.parts_dropped)
      diag(DiagCode::too_many_candidate_parts,
           "candidate " + std::to_string(index) + " has more than max_outputs (" +
               std::to_string(options().limits.max_outputs) + ") parts; later parts were dropped");
    cand.parts_dropped = true;
    return nullptr;
  }
  cand.parts.emplace_back();
  return &cand.parts.back();
}

void GeminiDialect::part(uint32_t index, Candidate& cand, const json::Value& p) {
  const Where where{"candidate ", index, " part"};
  if (!p.is_object()) {
    mismatch(where.str(), "", "object", p);
    return;
  }
  const std::vector<Member> ms = members(p, where);
  json::Value text, thought, signature, fc;
  bool only_text_fields = true;
  bool known = false;
  for (const Member& m : ms) {
    if (m.key == "text") text = m.value;
    else if (m.key == "thought") thought = m.value;
    else if (m.key == "thoughtSignature") signature = m.value;
    else only_text_fields = false;
    if (m.key == "functionCall") fc = m.value;
    known = known || one_of(m.key, kPartFields);
  }
  if (!text.absent_or_null() && !text.is_string()) mismatch(where.str() + ".", "text", "string", text);
  if (!thought.absent_or_null() && !thought.is_bool()) mismatch(where.str() + ".", "thought", "boolean", thought);
  if (!signature.absent_or_null() && !signature.is_string())
    mismatch(where.str() + ".", "thoughtSignature", "string", signature);
  const bool is_thought = thought.is_bool() && thought.boolean();
  const bool mergeable = only_text_fields && text.is_string() && (thought.absent_or_null() || thought.is_bool()) &&
                         (signature.absent_or_null() || signature.is_string());

  if (mergeable) {
    Part* target = cand.parts.empty() ? nullptr : &cand.parts.back();
    if (!target || !target->mergeable || target->thought != is_thought || target->closed) {
      target = new_part(index, cand);
      if (!target) return;
      target->mergeable = true;
      target->has_text = true;
      target->thought = is_thought;
    }
    const std::string_view t = text.str();
    append(target->text, t);
    if (signature.is_string() && !signature.str().empty()) {
      append(target->signature, signature.str());
      target->closed = true;
    }
    if (index == 0 && !t.empty()) {
      if (is_thought) observer().on_reasoning(0, t);
      else observer().on_content(0, t);
    }
    return;
  }

  if (!known)
    diag(DiagCode::part_without_known_field,
         where.str() + " has none of the Part fields (text, functionCall, inlineData...); it was kept as sent");
  Part* kept = new_part(index, cand);
  if (!kept) return;
  if (!append(kept->raw, json::to_json(p))) {
    cand.parts.pop_back();
    return;
  }
  if (text.is_string()) {
    kept->has_text = true;
    kept->thought = is_thought;
    append(kept->text, text.str());
    if (index == 0 && !text.str().empty()) {
      if (is_thought) observer().on_reasoning(0, text.str());
      else observer().on_content(0, text.str());
    }
  }
  if (fc.is_object()) function_call(index, cand, fc);
  else if (!fc.absent_or_null()) mismatch(where.str() + ".", "functionCall", "object", fc);
}

void GeminiDialect::function_call(uint32_t index, Candidate& cand, const json::Value& fc) {
  const Where where{"candidate ", index, " functionCall"};
  json::Value id, name, args, partial, will_continue;
  for (const Member& m : members(fc, where)) {
    if (m.key == "id") id = m.value;
    else if (m.key == "name") name = m.value;
    else if (m.key == "args") args = m.value;
    else if (m.key == "partialArgs") partial = m.value;
    else if (m.key == "willContinue") will_continue = m.value;
  }
  if (!partial.absent_or_null() || !will_continue.absent_or_null()) {
    if (!streamed_args_seen_)
      diag(DiagCode::streamed_function_call_arguments,
           where.str() + " carries partialArgs/willContinue (Vertex AI streamFunctionCallArguments); the fragments are "
                   "kept as sent, not assembled into a tool call");
    streamed_args_seen_ = true;
    return;
  }
  if (streamed_args_seen_ && fc.size() == 0) return;  // the end marker of streamed arguments
  if (cand.tool_calls.size() >= options().limits.max_tool_calls) {
    if (!cand.calls_dropped)
      diag(DiagCode::too_many_function_calls,
           "candidate " + std::to_string(index) + " has more than max_tool_calls (" +
               std::to_string(options().limits.max_tool_calls) + ") function calls; later calls were dropped");
    cand.calls_dropped = true;
    return;
  }
  NormalizedToolCall call;
  if (id.is_string()) {
    if (!id.str().empty()) {
      std::string s;
      append(s, id.str());
      call.id = std::move(s);
    }
  } else if (!id.absent_or_null()) {
    mismatch(where.str() + ".", "id", "string", id);
  }
  if (name.is_string()) append(call.name, name.str());
  else if (!name.absent_or_null()) mismatch(where.str() + ".", "name", "string", name);
  if (call.name.empty()) diag(DiagCode::function_call_without_name, where.str() + " has no name");
  if (args.absent_or_null()) {
    append(call.arguments, "{}");
  } else {
    if (!args.is_object()) mismatch(where.str() + ".", "args", "object", args);
    append(call.arguments, json::to_json(args));
  }
  if (index == 0) {
    const uint32_t n = static_cast<uint32_t>(cand.tool_calls.size());
    observer().on_tool_call_started(0, n, call.id.value_or(std::string()), call.name);
    observer().on_tool_arguments(0, n, call.arguments);
  }
  cand.tool_calls.push_back(std::move(call));
}

void GeminiDialect::set_finish_reason(uint32_t index, Candidate& cand, const json::Value& v) {
  const Where where{"candidate ", index, ""};
  if (!v.is_string()) {
    if (!v.is_null()) mismatch(where.str() + ": ", "finishReason", "string", v);
    return;
  }
  const std::string_view reason = v.str();
  if (reason.empty()) return;  // not stopped yet
  cand.fields.set("finishReason", json::to_json(v));
  if (cand.finish_reason && *cand.finish_reason == reason) return;
  if (cand.finish_reason)
    diag(DiagCode::candidate_finish_reason_changed, where.str() + " finishReason " + quote(reason) +
                                                        " differs from the earlier " + quote(*cand.finish_reason) +
                                                        "; the last was kept");
  const bool first = !cand.finish_reason;
  cand.finish_reason = std::string(reason);
  if (reason != "STOP" && reason != "MAX_TOKENS")
    diag(DiagCode::abnormal_finish_reason,
         where.str() + " stopped with finishReason " + std::string(reason) + "; the stream is complete");
  if (index == 0 && first) observer().on_output_finished(0, reason);
}

void GeminiDialect::usage(const json::Value& u) {
  // Token counts compared across chunks: the *Count members, at most kMaxCounts of them
  // (UsageMetadata has six), so a hostile object cannot make the comparison quadratic.
  constexpr size_t kMaxCounts = 16;
  std::vector<std::pair<std::string, uint64_t>> counts;
  std::optional<uint64_t> input, output;
  std::string decreased;
  for (const Member& m : members(u, Where{"usageMetadata", Where::kNone, ""})) {
    const bool wanted = m.key == "promptTokenCount" || m.key == "candidatesTokenCount";
    if (!m.value.is_uint64()) {
      if (wanted && !m.value.is_null()) mismatch("usageMetadata.", m.key, "non-negative integer", m.value);
      continue;
    }
    const uint64_t n = m.value.uint64();
    if (m.key == "promptTokenCount") input = n;
    if (m.key == "candidatesTokenCount") output = n;
    if (counts.size() >= kMaxCounts || m.key.size() < 5 || m.key.substr(m.key.size() - 5) != "Count") continue;
    for (const auto& [key, before] : last_usage_counts_)
      if (key == m.key && n < before && decreased.empty())
        decreased = std::string(m.key) + " " + std::to_string(n) + " after " + std::to_string(before);
    counts.emplace_back(std::string(m.key), n);
  }
  if (!decreased.empty())
    diag(DiagCode::usage_metadata_decreased, "usageMetadata." + decreased + "; the last usageMetadata was kept");
  input_tokens_ = input;
  output_tokens_ = output;
  // Counts not repeated in this chunk keep their earlier value for the comparison.
  for (auto& old : last_usage_counts_) {
    if (counts.size() >= kMaxCounts) break;
    bool present = false;
    for (const auto& c : counts) present = present || c.first == old.first;
    if (!present) counts.push_back(std::move(old));
  }
  last_usage_counts_ = std::move(counts);
  last_usage_json_ = json::to_json(u);
  have_usage_ = true;
  top_.set("usageMetadata", last_usage_json_);
}

void GeminiDialect::update_state() {
  if (rep_.state == StreamState::errored) return;
  bool all_finished = !cands_.empty();
  for (const auto& [index, cand] : cands_) all_finished = all_finished && cand.finish_reason.has_value();
  rep_.state = (all_finished || block_reason_) ? StreamState::finished : StreamState::streaming;
}

void GeminiDialect::end_of_stream() {
  if (rep_.state == StreamState::errored || rep_.state == StreamState::finished) return;
  std::string msg = "the stream ended before ";
  std::optional<uint32_t> open;
  bool any_finished = false;
  for (const auto& [index, cand] : cands_) {
    if (cand.finish_reason) any_finished = true;
    else if (!open) open = index;
  }
  if (any_finished && open) msg += "candidate " + std::to_string(*open) + " had a finishReason";
  else msg += "a finishReason or a promptFeedback.blockReason (Gemini has no terminator event)";
  diag(DiagCode::truncated, msg);
  rep_.state = StreamState::truncated;
}

void write_candidate(json::Out& out, uint32_t index, const Candidate& c) {
  out.begin_object();
  if (c.content_seen) {
    out.key("content").begin_object();
    if (c.parts_seen) {
      out.key("parts").begin_array();
      for (const Part& p : c.parts) {
        if (!p.mergeable) {
          out.raw(p.raw);
          continue;
        }
        out.begin_object();
        out.key("text").string(p.text);
        if (p.thought) out.key("thought").boolean(true);
        if (!p.signature.empty()) out.key("thoughtSignature").string(p.signature);
        out.end_object();
      }
      out.end_array();
    }
    if (!c.role.empty()) out.key("role").string(c.role);
    for (const auto& [k, v] : c.content_fields.items()) out.key(k).raw(v);
    out.end_object();
  }
  for (const auto& [k, v] : c.fields.items()) out.key(k).raw(v);
  out.key("index").uint64(index);
  out.end_object();
}

void GeminiDialect::write_native(json::Out& out) const {
  out.begin_object();
  for (const auto& [k, v] : top_.items()) {
    out.key(k);
    if (k != "candidates") {
      out.raw(v);
      continue;
    }
    out.begin_array();
    for (const auto& [index, cand] : cands_) write_candidate(out, index, cand);
    out.end_array();
  }
  out.end_object();
}

void GeminiDialect::normalize(NormalizedResult& out) const {
  out.id = response_id_;
  out.model = model_version_;
  out.usage.input_tokens = input_tokens_;
  out.usage.output_tokens = output_tokens_;
  out.error = error_;
  const auto it = cands_.find(0);
  if (it == cands_.end() && !block_reason_) return;
  NormalizedOutput o;
  o.index = 0;
  if (it != cands_.end()) {
    const Candidate& c = it->second;
    for (const Part& p : c.parts)
      if (p.has_text) (p.thought ? o.reasoning : o.text) += p.text;
    o.tool_calls = c.tool_calls;
    o.finish_reason = c.finish_reason;
  }
  if (!o.finish_reason) o.finish_reason = block_reason_;
  out.outputs.push_back(std::move(o));
}

}  // namespace

std::unique_ptr<StreamDialect> make_dialect(const DialectOptions& options) {
  return std::make_unique<GeminiDialect>(options);
}

}  // namespace ssecheck::gemini
