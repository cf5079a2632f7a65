#include "ssecheck/delta_accumulator.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "json_util.h"
#include "ssecheck/utf8.h"

namespace ssecheck {
namespace {

using Pool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using Doc = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;
using Value = Doc::ValueType;
using Reader = rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator>;

// UTF-8 is checked up front by utf8::is_valid (ASCII fast path), not per string.
constexpr unsigned kDomFlags =
    rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;
constexpr unsigned kCheckFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
constexpr size_t kQuoteMax = 200;

// A memory pool over one reusable buffer. Clearing keeps the buffer; a parse that
// overflowed it into extra chunks makes the next recycle() grow the buffer instead.
class PoolSlot {
 public:
  explicit PoolSlot(size_t bytes) { rebuild(bytes); }
  Pool* get() { return &*pool_; }
  size_t capacity() const { return size_; }
  void recycle() {
    if (pool_->Capacity() > base_capacity_)
      rebuild(std::max(size_ * 2, pool_->Capacity() * 2));
    else
      pool_->Clear();
  }

 private:
  void rebuild(size_t bytes) {
    pool_.reset();
    buffer_ = std::make_unique<char[]>(bytes);
    size_ = bytes;
    pool_.emplace(buffer_.get(), bytes);
    base_capacity_ = pool_->Capacity();
  }
  std::unique_ptr<char[]> buffer_;
  size_t size_ = 0;
  size_t base_capacity_ = 0;
  std::optional<Pool> pool_;
};

std::string_view sv(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

bool is_null(const Value* v) { return v == nullptr || v->IsNull(); }

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

const char* type_name(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "boolean";
    case rapidjson::kObjectType: return "object";
    case rapidjson::kArrayType: return "array";
    case rapidjson::kStringType: return "string";
    case rapidjson::kNumberType: return "number";
  }
  return "?";
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

AccumulatorObserver& no_observer() {
  static AccumulatorObserver none;
  return none;
}

}  // namespace

std::string_view state_name(StreamState s) {
  switch (s) {
    case StreamState::start: return "start";
    case StreamState::streaming: return "streaming";
    case StreamState::finished: return "finished";
    case StreamState::done: return "done";
    case StreamState::errored: return "errored";
    case StreamState::truncated: return "truncated";
  }
  return "?";
}

struct DeltaAccumulator::Impl {
  explicit Impl(const AccumulatorOptions& o)
      : opt(o), obs(o.observer ? *o.observer : no_observer()) {
    rep.dialect = "openai-chat";
    rep.strict = o.strict;
  }

  AccumulatorOptions opt;
  AccumulatorObserver& obs;
  AssemblyReport rep;
  std::vector<ChoiceExtra> extras;  // parallel to rep.completion.choices
  uint64_t ev_index = 0;
  uint64_t ev_offset = 0;
  bool any_finished = false;
  bool too_large = false;
  bool ended = false;

  std::string insitu;  // the current event's data, parsed in place
  std::string scratch;
  PoolSlot values{16 << 10};
  PoolSlot stack{8 << 10};
  Doc doc{values.get(), 1024, stack.get()};
  Reader reader;

  // ---- diagnostics ----
  void add(DiagCode code, uint64_t event, uint64_t offset, std::string_view message) {
    const DiagInfo& di = info(code);
    DiagnosticCounts& c = rep.counts;
    if (di.severity == Severity::note) ++c.note;
    if (di.severity == Severity::deviation) ++c.deviation;
    if (di.severity == Severity::fatal) ++c.fatal;
    ++c.by_code[static_cast<size_t>(code)];
    if (rep.diagnostics.size() >= opt.limits.max_diagnostics) {
      ++c.dropped;
      return;
    }
    rep.diagnostics.push_back(Diagnostic{code, di.severity, event, offset,
                                         std::string(message.empty() ? di.description : message)});
  }
  void diag(DiagCode code, std::string_view message) { add(code, ev_index, ev_offset, message); }
  void mismatch(const Where& w, std::string_view field, std::string_view expected, const Value& v) {
    diag(DiagCode::field_type_mismatch,
         w.prefix() + std::string(field) + " is " + type_name(v) + ", expected " + std::string(expected));
  }

  // ---- JSON ----
  // Parses data into doc; false (with a diagnostic) when it is not JSON or too deep.
  bool parse(std::string_view data, bool quiet = false) {
    doc.SetNull();
    values.recycle();
    stack.recycle();
    if (data.find('\0') != std::string_view::npos) {
      if (!quiet) diag(DiagCode::invalid_json, "data is not valid JSON: it contains a NUL byte");
      return false;
    }
    if (!utf8::is_valid(data)) {
      if (!quiet) diag(DiagCode::invalid_json, "data is not valid JSON: it is not valid UTF-8");
      return false;
    }
    insitu.assign(data);
    rapidjson::InsituStringStream in(insitu.data());
    rapidjson::ParseResult result;
    bool too_deep = false;
    bool too_many = false;
    auto generate = [&](Doc& handler) {
      json::Bounded<Doc> bounded{handler, opt.limits.max_json_depth, opt.limits.max_json_values};
      result = reader.Parse<kDomFlags>(in, bounded);
      too_deep = bounded.too_deep;
      too_many = bounded.too_many;
      return !result.IsError();
    };
    doc.Populate(generate);
    if (!result.IsError()) return true;
    if (quiet) return false;
    if (too_deep) {
      diag(DiagCode::json_too_deep,
           "data nests deeper than " + std::to_string(opt.limits.max_json_depth) + " levels");
    } else if (too_many) {
      diag(DiagCode::json_too_large,
           "data holds more than " + std::to_string(opt.limits.max_json_values) + " JSON values");
    } else {
      diag(DiagCode::invalid_json, std::string("data is not valid JSON: ") +
                                       rapidjson::GetParseError_En(result.Code()) + " at byte " +
                                       std::to_string(result.Offset()));
    }
    return false;
  }

  void serialize(const Value& v, std::string& out) {
    json::StringOut stream{&out};
    rapidjson::Writer<json::StringOut> writer(stream);
    v.Accept(writer);
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
  std::string_view append(std::optional<std::string>& slot, const Value* v, const Where& w,
                          std::string_view field) {
    if (is_null(v)) return {};
    if (!v->IsString()) {
      mismatch(w, field, "a string", *v);
      return {};
    }
    if (!slot) slot.emplace();
    const std::string_view s = sv(*v);
    if (s.empty() || !budget(s.size())) return {};
    slot->append(s);
    return s;
  }

  // First non-empty value wins; a differing later one is reported.
  void set_once(std::optional<std::string>& slot, const Value* v, DiagCode changed, const Where& w,
                std::string_view field) {
    if (is_null(v)) return;
    if (!v->IsString()) {
      mismatch(w, field, "a string", *v);
      return;
    }
    const std::string_view s = sv(*v);
    if (s.empty()) return;
    if (!slot) {
      slot.emplace(s);
    } else if (*slot != s) {
      diag(changed, w.prefix() + std::string(field) + " changed from " + quote(*slot) + " to " + quote(s));
    }
  }

  size_t choice_pos(uint32_t index) {
    auto& choices = rep.completion.choices;
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
  void apply_chunk(const Value& chunk) {
    const Value *id = nullptr, *object = nullptr, *created = nullptr, *model = nullptr,
                *fingerprint = nullptr, *choices = nullptr, *usage = nullptr, *error = nullptr;
    for (const auto& m : chunk.GetObject()) {
      const std::string_view k = sv(m.name);
      if (k == "id") id = &m.value;
      else if (k == "object") object = &m.value;
      else if (k == "created") created = &m.value;
      else if (k == "model") model = &m.value;
      else if (k == "system_fingerprint") fingerprint = &m.value;
      else if (k == "choices") choices = &m.value;
      else if (k == "usage") usage = &m.value;
      else if (k == "error") error = &m.value;
    }
    if (!is_null(error)) {
      provider_error(describe_error(*error));
      return;
    }
    ++rep.stats.data_chunks;
    if (rep.state == StreamState::start) rep.state = StreamState::streaming;

    // A missing or "" object is absent (Azure's prompt-filter chunk); only a wrong one deviates.
    if (!is_null(object) && (!object->IsString() || (object->GetStringLength() > 0 &&
                                                     sv(*object) != "chat.completion.chunk"))) {
      diag(DiagCode::not_a_chunk, std::string("object is ") +
                                      (object->IsString() ? quote(sv(*object)) : type_name(*object)) +
                                      ", expected 'chat.completion.chunk'");
    }
    Completion& c = rep.completion;
    const Where top;
    set_once(c.id, id, DiagCode::id_changed, top, "id");
    set_once(c.model, model, DiagCode::model_changed, top, "model");
    set_once(c.system_fingerprint, fingerprint, DiagCode::system_fingerprint_changed, top, "system_fingerprint");
    if (!is_null(created)) {
      if (!created->IsInt64()) {
        mismatch(top, "created", "an integer", *created);
      } else if (const int64_t t = created->GetInt64(); t != 0) {
        if (!c.created) c.created = t;
        else if (*c.created != t && !rep.has(DiagCode::created_changed))
          diag(DiagCode::created_changed,
               "created changed from " + std::to_string(*c.created) + " to " + std::to_string(t));
      }
    }
    if (!is_null(choices)) {
      if (!choices->IsArray()) mismatch(top, "choices", "an array", *choices);
      else
        for (const Value& ch : choices->GetArray()) apply_choice(ch);
    }
    if (!is_null(usage)) {
      if (!usage->IsObject()) {
        mismatch(top, "usage", "an object", *usage);
      } else {
        if (c.usage_json) diag(DiagCode::usage_repeated, "usage sent again; the last one is kept");
        c.usage_json.emplace();
        serialize(*usage, *c.usage_json);
      }
    }
    if (any_finished && rep.state == StreamState::streaming) rep.state = StreamState::finished;
  }

  void apply_choice(const Value& v) {
    const Where top;
    if (!v.IsObject()) {
      mismatch(top, "choices[] entry", "an object", v);
      return;
    }
    const Value *index = nullptr, *delta = nullptr, *finish = nullptr, *logprobs = nullptr;
    for (const auto& m : v.GetObject()) {
      const std::string_view k = sv(m.name);
      if (k == "index") index = &m.value;
      else if (k == "delta") delta = &m.value;
      else if (k == "finish_reason") finish = &m.value;
      else if (k == "logprobs") logprobs = &m.value;
    }
    uint32_t i = 0;
    if (is_null(index)) {
      diag(DiagCode::choice_index_missing, "choice has no index; 0 assumed");
    } else if (!index->IsUint64()) {
      mismatch(top, "choices[].index", "a non-negative integer", *index);
      return;
    } else if (index->GetUint64() >= opt.limits.max_choices) {
      diag(DiagCode::choice_index_out_of_range, "choice index " + std::to_string(index->GetUint64()) +
                                                     " is not below max_choices " +
                                                     std::to_string(opt.limits.max_choices));
      return;
    } else {
      i = static_cast<uint32_t>(index->GetUint64());
    }
    const size_t pos = choice_pos(i);
    Choice& ch = rep.completion.choices[pos];
    ChoiceExtra& ex = extras[pos];
    const Where where{i, -1};

    const bool has_finish = finish != nullptr && finish->IsString() && finish->GetStringLength() > 0;
    bool empty_delta = true;
    if (!is_null(delta)) {
      if (!delta->IsObject()) {
        mismatch(where, "delta", "an object", *delta);
      } else if (delta->MemberCount() > 0) {
        empty_delta = false;
        apply_delta(ch, ex, *delta, where);
      }
    }
    if (empty_delta && !has_finish) ++rep.stats.empty_deltas;
    if (!is_null(logprobs)) apply_logprobs(ch, *logprobs, where);
    if (has_finish) {
      const std::string_view reason = sv(*finish);
      if (!ch.finish_reason) {
        ch.finish_reason.emplace(reason);
        close_tools(ch, ex);
        obs.on_choice_finished(i, reason);
        any_finished = true;
      } else if (*ch.finish_reason != reason) {
        diag(DiagCode::finish_reason_changed, where.prefix() + "finish_reason changed from " +
                                                  quote(*ch.finish_reason) + " to " + quote(reason));
      }
    } else if (!is_null(finish) && !finish->IsString()) {
      mismatch(where, "finish_reason", "a string", *finish);
    }
  }

  static bool non_empty(const Value* v) {
    if (is_null(v)) return false;
    if (v->IsString()) return v->GetStringLength() > 0;
    if (v->IsArray()) return !v->Empty();
    return true;
  }

  void apply_delta(Choice& ch, ChoiceExtra& ex, const Value& d, const Where& where) {
    const Value *role = nullptr, *content = nullptr, *reasoning_content = nullptr, *reasoning = nullptr,
                *refusal = nullptr, *tool_calls = nullptr, *details = nullptr;
    for (const auto& m : d.GetObject()) {
      const std::string_view k = sv(m.name);
      if (k == "role") role = &m.value;
      else if (k == "content") content = &m.value;
      else if (k == "reasoning_content") reasoning_content = &m.value;
      else if (k == "reasoning") reasoning = &m.value;
      else if (k == "refusal") refusal = &m.value;
      else if (k == "tool_calls") tool_calls = &m.value;
      else if (k == "reasoning_details") details = &m.value;
    }
    if (ch.finish_reason && (non_empty(content) || non_empty(reasoning_content) || non_empty(reasoning) ||
                             non_empty(refusal) || non_empty(tool_calls) || non_empty(details))) {
      diag(DiagCode::content_after_finish,
           where.prefix() + "delta after finish_reason " + quote(*ch.finish_reason));
    }
    Message& msg = ch.message;
    set_once(msg.role, role, DiagCode::role_changed, where, "role");
    if (auto s = append(msg.content, content, where, "content"); !s.empty()) obs.on_content(ch.index, s);
    // Prefer reasoning_content; some providers send reasoning instead (never add both).
    const bool use_rc = !is_null(reasoning_content);
    const Value* r = use_rc ? reasoning_content : reasoning;
    if (auto s = append(msg.reasoning, r, where, use_rc ? "reasoning_content" : "reasoning"); !s.empty())
      obs.on_reasoning(ch.index, s);
    if (auto s = append(msg.refusal, refusal, where, "refusal"); !s.empty()) obs.on_refusal(ch.index, s);
    if (!is_null(tool_calls)) {
      if (!tool_calls->IsArray()) mismatch(where, "tool_calls", "an array", *tool_calls);
      else
        for (const Value& t : tool_calls->GetArray()) apply_tool_call(ch, ex, t, where);
    }
    if (!is_null(details)) {
      if (!details->IsArray()) mismatch(where, "reasoning_details", "an array", *details);
      else
        for (const Value& e : details->GetArray()) apply_detail(ch, e, where);
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

  void apply_tool_call(Choice& ch, ChoiceExtra& ex, const Value& t, const Where& where) {
    if (!t.IsObject()) {
      mismatch(where, "tool_calls[] entry", "an object", t);
      return;
    }
    const Value *index = nullptr, *id = nullptr, *type = nullptr, *function = nullptr;
    for (const auto& m : t.GetObject()) {
      const std::string_view k = sv(m.name);
      if (k == "index") index = &m.value;
      else if (k == "id") id = &m.value;
      else if (k == "type") type = &m.value;
      else if (k == "function") function = &m.value;
    }
    auto& calls = ch.message.tool_calls;
    size_t pos = 0;
    bool created = false;
    if (!is_null(index) && index->IsUint64()) {
      if (!tool_index_ok(index->GetUint64(), where)) return;
      pos = tool_pos(ch, static_cast<uint32_t>(index->GetUint64()), created);
    } else {
      if (!is_null(index)) {
        mismatch(where, "tool_calls[].index", "a non-negative integer", *index);
        return;
      }
      const std::string_view want = (id != nullptr && id->IsString()) ? sv(*id) : std::string_view{};
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
    if (!is_null(function)) {
      if (!function->IsObject()) {
        mismatch(at, "function", "an object", *function);
      } else {
        const Value *name = nullptr, *arguments = nullptr;
        for (const auto& m : function->GetObject()) {
          const std::string_view k = sv(m.name);
          if (k == "name") name = &m.value;
          else if (k == "arguments") arguments = &m.value;
        }
        set_once(call.name, name, DiagCode::tool_name_changed, at, "function.name");
        args = append(call.arguments, arguments, at, "function.arguments");
      }
    }
    if (created) obs.on_tool_call_started(ch.index, call.index, call.id.value_or(""), call.name.value_or(""));
    if (!args.empty()) obs.on_tool_arguments(ch.index, call.index, args);
  }

  void apply_detail(Choice& ch, const Value& e, const Where& where) {
    if (!e.IsObject()) {
      mismatch(where, "reasoning_details[] entry", "an object", e);
      return;
    }
    auto& details = ch.message.reasoning_details;
    uint64_t index = details.empty() ? 0 : details.back().index;  // no index: merge into the latest
    if (const auto it = e.FindMember("index"); it != e.MemberEnd() && !it->value.IsNull()) {
      if (!it->value.IsUint64()) {
        mismatch(where, "reasoning_details[].index", "a non-negative integer", it->value);
        return;
      }
      index = it->value.GetUint64();
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
    for (const auto& m : e.GetObject()) {
      const std::string_view key = sv(m.name);
      if (key == "index" || m.value.IsNull()) continue;
      auto field = std::find_if(it->fields.begin(), it->fields.end(),
                                [&](const DetailField& f) { return f.key == key; });
      if (field == it->fields.end()) {
        it->fields.push_back(DetailField{std::string(key), {}, false});
        field = it->fields.end() - 1;
      } else if (m.value.IsString() && !field->is_json && (key == "type" || key == "id" || key == "format")) {
        continue;  // identity fields are set once
      }
      if (m.value.IsString()) {
        if (field->is_json) field->value.clear();
        field->is_json = false;
        const std::string_view s = sv(m.value);
        if (budget(s.size())) field->value.append(s);
      } else {
        scratch.clear();
        serialize(m.value, scratch);
        if (budget(scratch.size())) {
          field->is_json = true;
          field->value = scratch;
        }
      }
    }
  }

  void apply_logprobs(Choice& ch, const Value& v, const Where& where) {
    if (!v.IsObject()) {
      mismatch(where, "logprobs", "an object", v);
      return;
    }
    for (const auto& m : v.GetObject()) {
      const std::string_view k = sv(m.name);
      std::optional<std::string>* slot = k == "content"   ? &ch.logprobs_content
                                         : k == "refusal" ? &ch.logprobs_refusal
                                                          : nullptr;
      if (slot == nullptr || m.value.IsNull()) continue;
      if (!m.value.IsArray()) {
        mismatch(where, "logprobs." + std::string(k), "an array", m.value);
        continue;
      }
      if (!*slot) slot->emplace();
      for (const Value& entry : m.value.GetArray()) {
        scratch.clear();
        if (!(*slot)->empty()) scratch.push_back(',');
        serialize(entry, scratch);
        if (budget(scratch.size())) (*slot)->append(scratch);
      }
    }
  }

  void close_tools(Choice& ch, ChoiceExtra& ex) {
    if (ex.tools_closed) return;
    ex.tools_closed = true;
    for (const ToolCall& call : ch.message.tool_calls) obs.on_tool_call_finished(ch.index, call);
  }

  // ---- errors ----
  std::string describe_error(const Value& e) {
    if (e.IsString()) return quote(sv(e));
    if (e.IsObject()) {
      std::string out;
      const auto msg = e.FindMember("message");
      if (msg != e.MemberEnd() && msg->value.IsString()) out = quote(sv(msg->value));
      for (const char* key : {"type", "code"}) {
        const auto it = e.FindMember(key);
        if (it == e.MemberEnd() || it->value.IsNull()) continue;
        scratch.clear();
        serialize(it->value, scratch);
        out += (out.empty() ? "" : " ") + std::string(key) + "=" + scratch.substr(0, kQuoteMax);
      }
      if (!out.empty()) return out;
    }
    scratch.clear();
    serialize(e, scratch);
    return quote(scratch);
  }

  void provider_error(const std::string& what) {
    diag(DiagCode::provider_error, "provider error: " + what);
    rep.state = StreamState::errored;
  }

  void error_event(std::string_view data) {
    // The payload format is provider-specific: parse quietly, fall back to the raw text.
    std::string what = quote(data);
    if (parse(data, /*quiet=*/true) && doc.IsObject()) {
      const Value& root = doc;
      const auto err = root.FindMember("error");
      what = describe_error(err != root.MemberEnd() && !err->value.IsNull() ? err->value : root);
    }
    provider_error("event: error with data " + what);
  }

  // ---- inputs ----
  void on_event(const Event& e) {
    if (ended) return;
    ev_index = e.index;
    ev_offset = e.offset;
    ++rep.stats.events;
    if (rep.state == StreamState::errored) {
      if (e.type == "message" && trim(e.data) == "[DONE]") rep.stats.done_seen = true;
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
      rep.stats.done_seen = true;
      rep.state = StreamState::done;
      return;
    }
    if (data.empty()) {
      diag(DiagCode::not_a_chunk, "event data is empty");
      return;
    }
    if (!parse(e.data)) return;
    if (!doc.IsObject()) {
      diag(DiagCode::not_a_chunk, std::string("data is a JSON ") + type_name(doc) + ", not an object");
      return;
    }
    apply_chunk(doc);
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
        if (!any_finished && !rep.stats.done_seen)
          diag(DiagCode::truncated, "stream ended after the provider error without a finish_reason or [DONE]");
        break;
      default: break;
    }
    const bool completed = rep.state == StreamState::done || rep.state == StreamState::finished;
    auto& choices = rep.completion.choices;
    for (size_t i = 0; i < choices.size(); ++i) {
      close_tools(choices[i], extras[i]);
      if (rep.state == StreamState::errored) continue;
      if (completed && !choices[i].finish_reason)
        diag(DiagCode::finish_reason_missing, Where{choices[i].index, -1}.prefix() + "no finish_reason");
      for (const ToolCall& call : choices[i].message.tool_calls) check_arguments(choices[i], call);
    }
    if (completed && choices.empty()) diag(DiagCode::no_choices, "the stream carried no choice");
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
  m.rep = AssemblyReport{};
  m.rep.dialect = "openai-chat";
  m.rep.strict = m.opt.strict;
  m.extras.clear();
  m.ev_index = m.ev_offset = 0;
  m.any_finished = m.too_large = m.ended = false;
}

StreamState DeltaAccumulator::state() const { return impl_->rep.state; }
bool DeltaAccumulator::failed() const { return impl_->rep.failed(); }
const AssemblyReport& DeltaAccumulator::report() const { return impl_->rep; }
AssemblyReport& DeltaAccumulator::mutable_report() { return impl_->rep; }

size_t DeltaAccumulator::scratch_capacity() const {
  return impl_->insitu.capacity() + impl_->scratch.capacity() + impl_->values.capacity() +
         impl_->stack.capacity();
}

}  // namespace ssecheck
