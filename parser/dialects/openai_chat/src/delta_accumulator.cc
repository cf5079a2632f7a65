#include "ssecheck/openai_chat/delta_accumulator.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "ssecheck/json/event_json.h"
#include "ssecheck/json/numbers.h"
#include "ssecheck/json/value.h"
#include "ssecheck/openai_chat/completion_json.h"

namespace ssecheck {
namespace {

using Reader = rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator>;
constexpr unsigned kCheckFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
constexpr size_t kQuoteMax = 200;

using RView = json::RapidView<json::RapidValue>;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::string quote(std::string_view s) {
  std::string q = "'";
  q.append(s.substr(0, kQuoteMax));
  if (s.size() > kQuoteMax) q.append("...");
  q.push_back('\'');
  return q;
}

// Where a field sits, for messages: "choice 0 tool call 1: ".
struct Where {
  int64_t choice = -1;
  int64_t tool = -1;
  std::string prefix() const {
    std::string p;
    if (choice >= 0) p += "choice " + std::to_string(choice) + " ";
    if (tool >= 0) p += "tool call " + std::to_string(tool) + " ";
    if (!p.empty()) p.back() = ':', p += ' ';
    return p;
  }
};

struct ChoiceExtra {
  int64_t last_tool = -1;  // index of the most recently touched tool call
  bool tools_closed = false;
};

StreamObserver& no_observer() {
  static StreamObserver none;
  return none;
}

}  // namespace

struct DeltaAccumulator::Impl {
  explicit Impl(const AccumulatorOptions& o)
      : opt(o),
        obs(o.observer ? *o.observer : no_observer()),
        chat_obs(dynamic_cast<AccumulatorObserver*>(o.observer)) {
    start_report();
  }

  void start_report() {
    rep = AssemblyReport{};
    rep.dialect = "openai-chat";
    rep.strict = opt.strict;
    rep.normalized.dialect = rep.dialect;
    rep.native = Completion{};
    completion = std::any_cast<Completion>(&rep.native);
  }

  AccumulatorOptions opt;
  StreamObserver& obs;
  AccumulatorObserver* chat_obs;  // chat's own callbacks, when the observer has them
  AssemblyReport rep;
  std::vector<ChoiceExtra> extras;  // parallel to completion->choices
  uint64_t ev_index = 0;
  uint64_t ev_offset = 0;
  bool any_finished = false;
  bool too_large = false;
  bool ended = false;

  std::string scratch;
  json::EventJson ej{opt.json_backend, json::Limits{opt.limits.max_json_depth, opt.limits.max_json_values}};
  Reader reader;
  Completion* completion = nullptr;  // lives in rep.native
  std::optional<NormalizedError> error;


  // ---- diagnostics ----
  void add(DiagCode code, uint64_t event, uint64_t offset, std::string_view message) {
    rep.add(code, event, offset, message, opt.limits.max_diagnostics);
  }
  void diag(DiagCode code, std::string_view message) { add(code, ev_index, ev_offset, message); }
  template <typename V>
  void mismatch(const Where& w, std::string_view field, std::string_view expected, V v) {
    diag(DiagCode::field_type_mismatch,
         w.prefix() + std::string(field) + " is " + v.type_name() + ", expected " + std::string(expected));
  }

  // ---- JSON ----
  // Parses data (json layer: simdjson first, RapidJSON behind it); false, with a
  // diagnostic unless quiet, when it is not JSON or over a limit.
  bool parse(std::string_view data, bool quiet = false) {
    const json::Status st = ej.parse(data);
    if (st == json::Status::ok) return true;
    if (quiet) return false;
    switch (st) {
      case json::Status::too_deep: diag(DiagCode::json_too_deep, ej.error()); break;
      case json::Status::too_large: diag(DiagCode::json_too_large, ej.error()); break;
      default: diag(DiagCode::invalid_json, ej.error()); break;
    }
    return false;
  }

  // Picks the members named in keys into slots in one pass. A repeated key is reported
  // and its last value kept, as JSON.parse and Python's json do.
  template <typename V, size_t N>
  void pick(V object, const std::array<std::string_view, N>& keys, const std::array<V*, N>& slots,
            const Where& w, std::string_view what) {
    static_assert(N <= 32);
    uint32_t seen = 0;
    object.each_member([&](std::string_view k, V v) {
      for (size_t i = 0; i < N; ++i) {
        if (!json::same_key(k, keys[i])) continue;
        if (seen & (uint32_t{1} << i))
          diag(DiagCode::duplicate_key, w.prefix() + std::string(what) + " repeats key " + quote(k) +
                                            "; the last value is used");
        seen |= uint32_t{1} << i;
        *slots[i] = v;
        return;
      }
    });
  }

  template <typename V>
  void serialize(V v, std::string& out) {
    json::StringOut stream{&out};
    rapidjson::Writer<json::StringOut> writer(stream);
    v.write(writer);
  }

  // ---- merging helpers ----
  bool budget(size_t n) {
    if (too_large) return false;
    const uint64_t used = rep.stats.assembled_bytes;
    if (n > opt.limits.max_assembled_bytes - std::min(used, opt.limits.max_assembled_bytes)) {
      too_large = true;
      diag(DiagCode::assembled_too_large, "assembled text would exceed " +
                                              std::to_string(opt.limits.max_assembled_bytes) +
                                              " bytes; later text is dropped");
      return false;
    }
    rep.stats.assembled_bytes += n;
    return true;
  }

  // Appends a string field; returns the appended text ("" when nothing was added).
  template <typename V>
  std::string_view append(std::optional<std::string>& slot, V v, const Where& w, std::string_view field) {
    if (v.absent_or_null()) return {};
    if (!v.is_string()) {
      mismatch(w, field, "a string", v);
      return {};
    }
    if (!slot) slot.emplace();
    const std::string_view s = v.str();
    if (s.empty() || !budget(s.size())) return {};
    slot->append(s);
    return s;
  }

  // First non-empty value wins; a differing later one is reported.
  template <typename V>
  void set_once(std::optional<std::string>& slot, V v, DiagCode changed, const Where& w, std::string_view field) {
    if (v.absent_or_null()) return;
    if (!v.is_string()) {
      mismatch(w, field, "a string", v);
      return;
    }
    const std::string_view s = v.str();
    if (s.empty()) return;
    if (!slot) {
      slot.emplace(s);
    } else if (slot->size() != s.size() || std::memcmp(slot->data(), s.data(), s.size()) != 0) {
      // (Not operator!=: the id, model and fingerprint of every chunk come here, and
      // the library's out-of-line compare was a tenth of the walk in the profile.)
      diag(changed, w.prefix() + std::string(field) + " changed from " + quote(*slot) + " to " + quote(s));
    }
  }

  size_t choice_pos(uint32_t index) {
    auto& choices = completion->choices;
    auto it = std::lower_bound(choices.begin(), choices.end(), index,
                               [](const Choice& c, uint32_t i) { return c.index < i; });
    const size_t pos = static_cast<size_t>(it - choices.begin());
    if (it == choices.end() || it->index != index) {
      Choice c;
      c.index = index;
      choices.insert(it, std::move(c));
      extras.insert(extras.begin() + static_cast<std::ptrdiff_t>(pos), ChoiceExtra{});
    }
    return pos;
  }

  // ---- chunk ----
  template <typename V>
  void apply_chunk(V chunk) {
    static constexpr std::array<std::string_view, 8> kKeys = {
        "id", "object", "created", "model", "system_fingerprint", "choices", "usage", "error"};
    V id, object, created, model, fingerprint, choices, usage, error;
    pick(chunk, kKeys, std::array<V*, 8>{&id, &object, &created, &model, &fingerprint, &choices, &usage, &error},
         Where{}, "the chunk");
    if (!error.absent_or_null()) {
      provider_error(describe_error(error));
      return;
    }
    ++rep.stats.data_chunks;
    if (rep.state == StreamState::start) rep.state = StreamState::streaming;

    // A missing or "" object is absent (Azure's prompt-filter chunk); only a wrong one deviates.
    if (!object.absent_or_null() &&
        (!object.is_string() || (!object.str().empty() && object.str() != "chat.completion.chunk"))) {
      diag(DiagCode::not_a_chunk, std::string("object is ") +
                                      (object.is_string() ? quote(object.str()) : object.type_name()) +
                                      ", expected 'chat.completion.chunk'");
    }
    Completion& c = *completion;
    const Where top;
    set_once(c.id, id, DiagCode::id_changed, top, "id");
    set_once(c.model, model, DiagCode::model_changed, top, "model");
    set_once(c.system_fingerprint, fingerprint, DiagCode::system_fingerprint_changed, top, "system_fingerprint");
    if (!created.absent_or_null()) {
      if (!created.is_int64()) {
        mismatch(top, "created", "an integer", created);
      } else if (const int64_t t = created.int64(); t != 0) {
        if (!c.created) c.created = t;
        else if (*c.created != t && !rep.has(DiagCode::created_changed))
          diag(DiagCode::created_changed,
               "created changed from " + std::to_string(*c.created) + " to " + std::to_string(t));
      }
    }
    if (!choices.absent_or_null()) {
      if (!choices.is_array()) mismatch(top, "choices", "an array", choices);
      else
        choices.each_element([&](V ch) { apply_choice(ch); });
    }
    if (!usage.absent_or_null()) {
      if (!usage.is_object()) {
        mismatch(top, "usage", "an object", usage);
      } else {
        if (c.usage_json) diag(DiagCode::usage_repeated, "usage sent again; the last one is kept");
        c.usage_json.emplace();
        serialize(usage, *c.usage_json);
      }
    }
    if (any_finished && rep.state == StreamState::streaming) rep.state = StreamState::finished;
  }

  template <typename V>
  void apply_choice(V v) {
    const Where top;
    if (!v.is_object()) {
      mismatch(top, "choices[] entry", "an object", v);
      return;
    }
    static constexpr std::array<std::string_view, 4> kKeys = {"index", "delta", "finish_reason", "logprobs"};
    V index, delta, finish, logprobs;
    pick(v, kKeys, std::array<V*, 4>{&index, &delta, &finish, &logprobs}, top, "a choice");
    uint32_t i = 0;
    if (index.absent_or_null()) {
      diag(DiagCode::choice_index_missing, "choice has no index; 0 assumed");
    } else if (!index.is_uint64()) {
      mismatch(top, "choices[].index", "a non-negative integer", index);
      return;
    } else if (index.uint64() >= opt.limits.max_outputs) {
      diag(DiagCode::choice_index_out_of_range, "choice index " + std::to_string(index.uint64()) +
                                                     " is not below max_outputs " +
                                                     std::to_string(opt.limits.max_outputs));
      return;
    } else {
      i = static_cast<uint32_t>(index.uint64());
    }
    const size_t pos = choice_pos(i);
    Choice& ch = completion->choices[pos];
    ChoiceExtra& ex = extras[pos];
    const Where where{i, -1};

    const bool has_finish = finish.is_string() && !finish.str().empty();
    bool empty_delta = true;
    if (!delta.absent_or_null()) {
      if (!delta.is_object()) {
        mismatch(where, "delta", "an object", delta);
      } else if (delta.object_size() > 0) {
        empty_delta = false;
        apply_delta(ch, ex, delta, where);
      }
    }
    if (empty_delta && !has_finish) ++rep.stats.noise_events;
    if (!logprobs.absent_or_null()) apply_logprobs(ch, logprobs, where);
    if (has_finish) {
      const std::string_view reason = finish.str();
      if (!ch.finish_reason) {
        ch.finish_reason.emplace(reason);
        close_tools(ch, ex);
        obs.on_output_finished(i, reason);
        if (chat_obs) chat_obs->on_choice_finished(i, reason);
        any_finished = true;
      } else if (*ch.finish_reason != reason) {
        diag(DiagCode::finish_reason_changed, where.prefix() + "finish_reason changed from " +
                                                  quote(*ch.finish_reason) + " to " + quote(reason));
      }
    } else if (!finish.absent_or_null() && !finish.is_string()) {
      mismatch(where, "finish_reason", "a string", finish);
    }
  }

  template <typename V>
  static bool non_empty(V v) {
    if (v.absent_or_null()) return false;
    if (v.is_string()) return !v.str().empty();
    if (v.is_array()) return v.array_size() > 0;
    return true;
  }

  template <typename V>
  void apply_delta(Choice& ch, ChoiceExtra& ex, V d, const Where& where) {
    static constexpr std::array<std::string_view, 7> kKeys = {
        "role", "content", "reasoning_content", "reasoning", "refusal", "tool_calls", "reasoning_details"};
    V role, content, reasoning_content, reasoning, refusal, tool_calls, details;
    pick(d, kKeys, std::array<V*, 7>{&role, &content, &reasoning_content, &reasoning, &refusal, &tool_calls, &details},
         where, "the delta");
    if (ch.finish_reason && (non_empty(content) || non_empty(reasoning_content) || non_empty(reasoning) ||
                             non_empty(refusal) || non_empty(tool_calls) || non_empty(details))) {
      diag(DiagCode::content_after_finish,
           where.prefix() + "delta after finish_reason " + quote(*ch.finish_reason));
    }
    Message& msg = ch.message;
    set_once(msg.role, role, DiagCode::role_changed, where, "role");
    if (auto s = append(msg.content, content, where, "content"); !s.empty()) obs.on_content(ch.index, s);
    // Prefer reasoning_content; some providers send reasoning instead (never add both).
    const bool use_rc = !reasoning_content.absent_or_null();
    const V r = use_rc ? reasoning_content : reasoning;
    if (auto s = append(msg.reasoning, r, where, use_rc ? "reasoning_content" : "reasoning"); !s.empty())
      obs.on_reasoning(ch.index, s);
    if (auto s = append(msg.refusal, refusal, where, "refusal"); !s.empty()) obs.on_refusal(ch.index, s);
    if (!tool_calls.absent_or_null()) {
      if (!tool_calls.is_array()) mismatch(where, "tool_calls", "an array", tool_calls);
      else
        tool_calls.each_element([&](V t) { apply_tool_call(ch, ex, t, where); });
    }
    if (!details.absent_or_null()) {
      if (!details.is_array()) mismatch(where, "reasoning_details", "an array", details);
      else
        details.each_element([&](V e) { apply_detail(ch, e, where); });
    }
  }

  // Position of the tool call with this index, inserting it when new.
  size_t tool_pos(Choice& ch, uint32_t index, bool& created) {
    auto& calls = ch.message.tool_calls;
    auto it = std::lower_bound(calls.begin(), calls.end(), index,
                               [](const ToolCall& c, uint32_t i) { return c.index < i; });
    created = it == calls.end() || it->index != index;
    if (created) {
      ToolCall c;
      c.index = index;
      it = calls.insert(it, std::move(c));
    }
    return static_cast<size_t>(it - calls.begin());
  }

  bool tool_index_ok(uint64_t index, const Where& where) {
    if (index < opt.limits.max_tool_calls) return true;
    diag(DiagCode::tool_index_out_of_range, where.prefix() + "tool call index " + std::to_string(index) +
                                                " is not below max_tool_calls " +
                                                std::to_string(opt.limits.max_tool_calls));
    return false;
  }

  template <typename V>
  void apply_tool_call(Choice& ch, ChoiceExtra& ex, V t, const Where& where) {
    if (!t.is_object()) {
      mismatch(where, "tool_calls[] entry", "an object", t);
      return;
    }
    static constexpr std::array<std::string_view, 4> kKeys = {"index", "id", "type", "function"};
    V index, id, type, function;
    pick(t, kKeys, std::array<V*, 4>{&index, &id, &type, &function}, where, "a tool call");
    auto& calls = ch.message.tool_calls;
    size_t pos = 0;
    bool created = false;
    if (index.is_uint64()) {
      if (!tool_index_ok(index.uint64(), where)) return;
      pos = tool_pos(ch, static_cast<uint32_t>(index.uint64()), created);
    } else {
      if (!index.absent_or_null()) {
        mismatch(where, "tool_calls[].index", "a non-negative integer", index);
        return;
      }
      const std::string_view want = id.is_string() ? id.str() : std::string_view{};
      auto by_id = std::find_if(calls.begin(), calls.end(),
                                [&](const ToolCall& c) { return !want.empty() && c.id == want; });
      std::string how;
      if (by_id != calls.end()) {
        pos = static_cast<size_t>(by_id - calls.begin());
        how = "matched by id";
      } else if (want.empty() && ex.last_tool >= 0) {
        pos = tool_pos(ch, static_cast<uint32_t>(ex.last_tool), created);
        how = "merged into the latest call";
      } else {
        const uint64_t next = calls.empty() ? 0 : uint64_t{calls.back().index} + 1;
        if (!tool_index_ok(next, where)) return;
        pos = tool_pos(ch, static_cast<uint32_t>(next), created);
        how = "started a new call";
      }
      diag(DiagCode::tool_index_missing, where.prefix() + "tool call delta has no index; " + how + " (index " +
                                             std::to_string(calls[pos].index) + ")");
    }
    ToolCall& call = calls[pos];
    ex.last_tool = call.index;
    const Where at{where.choice, call.index};
    set_once(call.id, id, DiagCode::tool_id_changed, at, "id");
    set_once(call.type, type, DiagCode::tool_type_changed, at, "type");
    std::string_view args;
    if (!function.absent_or_null()) {
      if (!function.is_object()) {
        mismatch(at, "function", "an object", function);
      } else {
        static constexpr std::array<std::string_view, 2> kKeys = {"name", "arguments"};
        V name, arguments;
        pick(function, kKeys, std::array<V*, 2>{&name, &arguments}, at, "function");
        set_once(call.name, name, DiagCode::tool_name_changed, at, "function.name");
        args = append(call.arguments, arguments, at, "function.arguments");
      }
    }
    if (created) obs.on_tool_call_started(ch.index, call.index, call.id.value_or(""), call.name.value_or(""));
    if (!args.empty()) obs.on_tool_arguments(ch.index, call.index, args);
  }

  template <typename V>
  void apply_detail(Choice& ch, V e, const Where& where) {
    if (!e.is_object()) {
      mismatch(where, "reasoning_details[] entry", "an object", e);
      return;
    }
    auto& details = ch.message.reasoning_details;
    uint64_t index = details.empty() ? 0 : details.back().index;  // no index: merge into the latest
    if (const V given = e.find("index"); !given.absent_or_null()) {
      if (!given.is_uint64()) {
        mismatch(where, "reasoning_details[].index", "a non-negative integer", given);
        return;
      }
      index = given.uint64();
    }
    if (index >= opt.limits.max_reasoning_details) {
      diag(DiagCode::detail_index_out_of_range, where.prefix() + "reasoning_details index " +
                                                    std::to_string(index) + " is not below max_reasoning_details " +
                                                    std::to_string(opt.limits.max_reasoning_details));
      return;
    }
    auto it = std::lower_bound(details.begin(), details.end(), index,
                               [](const ReasoningDetail& d, uint64_t i) { return d.index < i; });
    if (it == details.end() || it->index != index) {
      ReasoningDetail d;
      d.index = static_cast<uint32_t>(index);
      it = details.insert(it, std::move(d));
    }
    e.each_member([&](std::string_view key, V value) {
      if (key == "index" || value.absent_or_null()) return;
      auto field = std::find_if(it->fields.begin(), it->fields.end(),
                                [&](const DetailField& f) { return f.key == key; });
      if (field == it->fields.end()) {
        it->fields.push_back(DetailField{std::string(key), {}, false});
        field = it->fields.end() - 1;
      } else if (value.is_string() && !field->is_json && (key == "type" || key == "id" || key == "format")) {
        return;  // identity fields are set once
      }
      if (value.is_string()) {
        if (field->is_json) field->value.clear();
        field->is_json = false;
        const std::string_view s = value.str();
        if (budget(s.size())) field->value.append(s);
      } else {
        scratch.clear();
        serialize(value, scratch);
        if (budget(scratch.size())) {
          field->is_json = true;
          field->value = scratch;
        }
      }
    });
  }

  template <typename V>
  void apply_logprobs(Choice& ch, V v, const Where& where) {
    if (!v.is_object()) {
      mismatch(where, "logprobs", "an object", v);
      return;
    }
    static constexpr std::array<std::string_view, 2> kKeys = {"content", "refusal"};
    V content, refusal;
    pick(v, kKeys, std::array<V*, 2>{&content, &refusal}, where, "logprobs");
    append_logprobs(ch.logprobs_content, content, where, "logprobs.content");
    append_logprobs(ch.logprobs_refusal, refusal, where, "logprobs.refusal");
  }

  // Appends a logprobs array's entries, as JSON, to slot (comma-separated).
  template <typename V>
  void append_logprobs(std::optional<std::string>& slot, V value, const Where& where, std::string_view field) {
    if (value.absent_or_null()) return;
    if (!value.is_array()) {
      mismatch(where, field, "an array", value);
      return;
    }
    if (!slot) slot.emplace();
    value.each_element([&](V entry) {
      scratch.clear();
      if (!slot->empty()) scratch.push_back(',');
      serialize(entry, scratch);
      if (budget(scratch.size())) slot->append(scratch);
    });
  }

  void close_tools(Choice& ch, ChoiceExtra& ex) {
    if (ex.tools_closed) return;
    ex.tools_closed = true;
    if (chat_obs)
      for (const ToolCall& call : ch.message.tool_calls) chat_obs->on_tool_call_finished(ch.index, call);
  }

  // ---- errors ----
  template <typename V>
  std::string describe_error(V e) {
    note_error(e);
    if (e.is_string()) return quote(e.str());
    if (e.is_object()) {
      std::string out;
      if (const V msg = e.find("message"); msg.is_string()) out = quote(msg.str());
      for (const char* key : {"type", "code"}) {
        const V it = e.find(key);
        if (it.absent_or_null()) continue;
        scratch.clear();
        serialize(it, scratch);
        out += (out.empty() ? "" : " ") + std::string(key) + "=" + scratch.substr(0, kQuoteMax);
      }
      if (!out.empty()) return out;
    }
    scratch.clear();
    serialize(e, scratch);
    return quote(scratch);
  }

  // The first error's type and message, for the normalized result.
  template <typename V>
  void note_error(V e) {
    if (error) return;
    error.emplace();
    if (e.is_string()) {
      error->type = "error";
      error->message = e.str();
      return;
    }
    if (!e.is_object()) return;
    if (const V msg = e.find("message"); msg.is_string()) error->message = msg.str();
    for (const char* key : {"type", "code", "status"}) {
      const V it = e.find(key);
      if (it.absent_or_null()) continue;
      if (it.is_string()) {
        error->type = it.str();
      } else {
        scratch.clear();
        serialize(it, scratch);
        error->type = scratch;
      }
      break;
    }
    if (error->type.empty()) error->type = "error";
  }

  void provider_error(const std::string& what) {
    if (!error) error = NormalizedError{"error", what};
    diag(DiagCode::provider_error, "provider error: " + what);
    rep.state = StreamState::errored;
  }

  void error_event(std::string_view data) {
    // The payload format is provider-specific: parse quietly, fall back to the raw text.
    std::string what = quote(data);
    with_root(parse(data, /*quiet=*/true), [&](auto root) {
      if (!root.is_object()) return;
      const auto err = root.find("error");
      what = describe_error(err.absent_or_null() ? root : err);
    });
    provider_error("event: error with data " + what);
  }

  // Calls f with the root view when parse() succeeded.
  template <typename F>
  void with_root(bool parsed, F&& f) {
    if (parsed) ej.visit([&](auto root) { f(root); });
  }

  // ---- inputs ----
  void on_event(const Event& e) {
    if (ended) return;
    ev_index = e.index;
    ev_offset = e.offset;
    ++rep.stats.events;
    if (rep.state == StreamState::errored) {
      if (e.type == "message" && trim(e.data) == "[DONE]") rep.stats.terminator_seen = true;
      return;
    }
    if (rep.state == StreamState::done) {
      diag(DiagCode::data_after_done, "event after [DONE] ignored");
      return;
    }
    const std::string_view data = trim(e.data);
    if (e.type == "error") {
      error_event(data);
      return;
    }
    if (e.type != "message") {
      diag(DiagCode::unexpected_event_type, "event type " + quote(e.type) + " ignored");
      return;
    }
    if (data == "[DONE]") {
      rep.stats.terminator_seen = true;
      rep.state = StreamState::done;
      return;
    }
    if (data.empty()) {
      diag(DiagCode::not_a_chunk, "event data is empty");
      return;
    }
    with_root(parse(e.data), [&](auto root) {
      if (!root.is_object()) {
        diag(DiagCode::not_a_chunk, std::string("data is a JSON ") + root.type_name() + ", not an object");
        return;
      }
      apply_chunk(root);
    });
  }

  void check_arguments(const Choice& ch, const ToolCall& call) {
    const Where at{ch.index, call.index};
    if (!call.id || !call.name)
      diag(DiagCode::tool_call_incomplete, at.prefix() + (call.id ? "no function name" : "no id"));
    const std::string_view args = call.arguments ? std::string_view(*call.arguments) : std::string_view{};
    if (trim(args).empty()) {
      diag(DiagCode::tool_arguments_empty, at.prefix() + "arguments are empty");
      return;
    }
    std::string why;
    if (args.find('\0') != std::string_view::npos) {
      why = "contains a NUL character";
    } else {
      json::NullHandler sink;
      json::Bounded<json::NullHandler> limited{sink, opt.limits.max_json_depth, UINT64_MAX};
      scratch.assign(args);  // NUL-terminated copy for the stream
      rapidjson::StringStream stream(scratch.c_str());
      const rapidjson::ParseResult r = reader.Parse<kCheckFlags>(stream, limited);
      if (limited.too_deep) {
        diag(DiagCode::json_too_deep, at.prefix() + "arguments nest deeper than " +
                                          std::to_string(opt.limits.max_json_depth) + " levels");
        return;
      }
      if (r.IsError())
        why = std::string(rapidjson::GetParseError_En(r.Code())) + " at byte " + std::to_string(r.Offset());
    }
    if (!why.empty()) {
      diag(DiagCode::tool_arguments_invalid_json, at.prefix() + "arguments are not valid JSON: " + why);
    } else if (trim(args).front() != '{') {
      diag(DiagCode::tool_arguments_not_object, at.prefix() + "arguments are valid JSON but not an object");
    }
  }

  void finish(uint64_t end_offset) {
    if (ended) return;
    ended = true;
    ev_index = rep.stats.events;
    ev_offset = end_offset;
    switch (rep.state) {
      case StreamState::start:
      case StreamState::streaming:
        diag(DiagCode::truncated, "stream ended after " + std::to_string(rep.stats.events) +
                                      " events without a finish_reason or [DONE]");
        rep.state = StreamState::truncated;
        break;
      case StreamState::finished:
        diag(DiagCode::done_missing, "stream ended after a finish_reason without [DONE]");
        break;
      case StreamState::errored:
        if (!any_finished && !rep.stats.terminator_seen)
          diag(DiagCode::truncated, "stream ended after the provider error without a finish_reason or [DONE]");
        break;
      default: break;
    }
    const bool completed = rep.state == StreamState::done || rep.state == StreamState::finished;
    auto& choices = completion->choices;
    for (size_t i = 0; i < choices.size(); ++i) {
      close_tools(choices[i], extras[i]);
      if (rep.state == StreamState::errored) continue;
      if (completed && !choices[i].finish_reason)
        diag(DiagCode::finish_reason_missing, Where{choices[i].index, -1}.prefix() + "no finish_reason");
      for (const ToolCall& call : choices[i].message.tool_calls) check_arguments(choices[i], call);
    }
    if (completed && choices.empty()) diag(DiagCode::no_choices, "the stream carried no choice");
    rep.native_json = completion_to_json(*completion);
    normalize(rep.normalized);
  }

  // Usage field as a count, when it is a non-negative integer.
  static std::optional<uint64_t> usage_count(const rapidjson::Document& u, const char* key) {
    if (!u.IsObject()) return std::nullopt;
    const auto it = u.FindMember(key);
    if (it == u.MemberEnd() || !it->value.IsUint64()) return std::nullopt;
    return it->value.GetUint64();
  }

  void normalize(NormalizedResult& n) const {
    const Completion& c = *completion;
    n.dialect = rep.dialect;
    n.id = c.id;
    n.model = c.model;
    for (const Choice& ch : c.choices) {
      NormalizedOutput& o = n.outputs.emplace_back();
      o.index = ch.index;
      o.text = ch.message.content.value_or("");
      o.reasoning = ch.message.reasoning.value_or("");
      o.refusal = ch.message.refusal.value_or("");
      for (const ToolCall& t : ch.message.tool_calls)
        o.tool_calls.push_back(NormalizedToolCall{t.id, t.name.value_or(""), t.arguments.value_or("")});
      o.finish_reason = ch.finish_reason;
    }
    if (c.usage_json) {
      rapidjson::Document u;
      u.Parse(c.usage_json->c_str());
      n.usage.input_tokens = usage_count(u, "prompt_tokens");
      n.usage.output_tokens = usage_count(u, "completion_tokens");
    }
    n.error = error;
  }
};

DeltaAccumulator::DeltaAccumulator(const AccumulatorOptions& options) : impl_(std::make_unique<Impl>(options)) {}
DeltaAccumulator::~DeltaAccumulator() = default;

void DeltaAccumulator::on_event(const Event& event) { impl_->on_event(event); }

void DeltaAccumulator::on_comment(std::string_view, uint64_t) {
  if (!impl_->ended) ++impl_->rep.stats.comments;
}

void DeltaAccumulator::add_diagnostic(DiagCode code, uint64_t event_index, uint64_t offset,
                                      std::string_view message) {
  impl_->add(code, event_index, offset, message);
}

void DeltaAccumulator::finish(uint64_t end_offset) { impl_->finish(end_offset); }

void DeltaAccumulator::reset() {
  Impl& m = *impl_;
  m.start_report();
  m.error.reset();
  m.extras.clear();
  m.ev_index = m.ev_offset = 0;
  m.any_finished = m.too_large = m.ended = false;
}

StreamState DeltaAccumulator::state() const { return impl_->rep.state; }
bool DeltaAccumulator::failed() const { return impl_->rep.failed(); }
const AssemblyReport& DeltaAccumulator::report() const { return impl_->rep; }
AssemblyReport& DeltaAccumulator::mutable_report() { return impl_->rep; }
const Completion& DeltaAccumulator::completion() const { return *impl_->completion; }

size_t DeltaAccumulator::scratch_capacity() const { return impl_->scratch.capacity() + impl_->ej.capacity(); }

uint64_t DeltaAccumulator::simdjson_parses() const { return impl_->ej.simdjson_parses(); }

}  // namespace ssecheck
