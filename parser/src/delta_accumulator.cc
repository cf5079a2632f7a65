#include "ssecheck/delta_accumulator.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "json_util.h"
#include "json_view.h"
#include "ssecheck/utf8.h"

namespace ssecheck {
namespace {

using Pool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using Doc = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;
using Value = Doc::ValueType;
using Reader = rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator>;

// UTF-8 is checked up front by utf8::is_valid (ASCII fast path), not per string.
// Numbers come as text and are converted by json::ExactNumbers (correctly rounded).
constexpr unsigned kDomFlags =
    rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag;
constexpr unsigned kCheckFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
constexpr size_t kQuoteMax = 200;
#if SSECHECK_HAVE_SIMDJSON
// Larger event data goes to RapidJSON, so simdjson's buffers stay this size at most.
constexpr size_t kSimdMaxBytes = size_t{1} << 20;
constexpr size_t kSimdInitialBytes = size_t{4} << 10;
#endif

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

using RView = json::RapidView<Value>;

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

  std::string insitu;  // the current event's data, parsed in place by RapidJSON
  std::string scratch;
  PoolSlot values{16 << 10};
  PoolSlot stack{8 << 10};
  Doc doc{values.get(), 1024, stack.get()};
  Reader reader;
#if SSECHECK_HAVE_SIMDJSON
  simdjson::dom::parser simd{kSimdMaxBytes};
  simdjson::dom::element simd_root;
  std::unique_ptr<char[]> padded;  // the current event's data + SIMDJSON_PADDING
  size_t padded_size = 0;
  bool simd_ready = false;
  bool simd_broken = false;  // allocation failed once: RapidJSON from then on
#endif
  uint64_t simd_parses = 0;

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
  template <typename V>
  void mismatch(const Where& w, std::string_view field, std::string_view expected, V v) {
    diag(DiagCode::field_type_mismatch,
         w.prefix() + std::string(field) + " is " + v.type_name() + ", expected " + std::string(expected));
  }

  // ---- JSON ----
  enum class Parsed { none, rapidjson, simdjson };

  // Parses data into doc (RapidJSON) or simd_root (simdjson); none (with a diagnostic
  // unless quiet) when it is not JSON or over a limit. simdjson goes first when the
  // build has it and the options allow; whatever it refuses (errors, over-limit
  // depth, numbers past 64 bits, lone surrogates) goes to RapidJSON, which words the
  // diagnostics, so both orders give the same report.
  Parsed parse(std::string_view data, bool quiet = false) {
#if SSECHECK_HAVE_SIMDJSON
    // simdjson checks UTF-8 and refuses NUL bytes itself; RapidJSON words those errors.
    if (parse_simdjson(data)) return Parsed::simdjson;
#endif
    if (data.find('\0') != std::string_view::npos) {
      if (!quiet) diag(DiagCode::invalid_json, "data is not valid JSON: it contains a NUL byte");
      return Parsed::none;
    }
    if (!utf8::is_valid(data)) {
      if (!quiet) diag(DiagCode::invalid_json, "data is not valid JSON: it is not valid UTF-8");
      return Parsed::none;
    }
    return parse_rapidjson(data, quiet) ? Parsed::rapidjson : Parsed::none;
  }

#if SSECHECK_HAVE_SIMDJSON
  // RapidJSON refuses a number whose written exponent passes 308 plus its fraction
  // digits. Such a number overflows (simdjson refuses it too) unless all its digits are
  // 0 ("0e999", valid JSON for 0): only then would the two disagree. Its text holds
  // "0e" or "0E" and a sign or digit, so data that might hold one goes to RapidJSON.
  static bool zero_exponent_at(const char* p) {
    const char c = p[2];
    return p[0] == '0' && (p[1] == 'e' || p[1] == 'E') && (c == '+' || c == '-' || (c >= '0' && c <= '9'));
  }
  static bool may_hold_zero_with_exponent(std::string_view data) {
    const char* p = data.data();
    const size_t n = data.size();
    size_t i = 0;
#if defined(__SSE2__)
    // 16 bytes at a time: a '0' followed by 'e' or 'E'. Blocks overlap by one byte so
    // no pair is split; the third byte is checked on a hit.
    const __m128i zero = _mm_set1_epi8('0');
    const __m128i e = _mm_set1_epi8('e');
    const __m128i lower = _mm_set1_epi8(0x20);
    for (; i + 18 <= n; i += 15) {
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const unsigned zeros = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, zero)));
      const unsigned es =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(b, lower), e)));
      unsigned pairs = zeros & (es >> 1) & 0x7fff;
      for (; pairs != 0; pairs &= pairs - 1)
        if (zero_exponent_at(p + i + static_cast<size_t>(__builtin_ctz(pairs)))) return true;
    }
#endif
    for (; i + 3 <= n; ++i)
      if (zero_exponent_at(p + i)) return true;
    return false;
  }

  bool parse_simdjson(std::string_view data) {
    // Every JSON value takes at least one byte, so max_json_values cannot be passed.
    if (opt.json_backend != JsonBackend::fastest || simd_broken || data.size() > kSimdMaxBytes ||
        data.size() > opt.limits.max_json_values || may_hold_zero_with_exponent(data))
      return false;
    if (!simd_ready) {
      // simdjson needs max_depth n for n nested levels when the innermost is empty and
      // n + 1 otherwise, so this refuses all RapidJSON would (and a few it would take).
      if (simd.allocate(kSimdInitialBytes, opt.limits.max_json_depth) != simdjson::SUCCESS) {
        simd_broken = true;
        return false;
      }
      simd_ready = true;
    }
    const size_t need = data.size() + simdjson::SIMDJSON_PADDING;
    if (padded_size < need) {
      padded_size = std::max(need, padded_size * 2);
      padded = std::make_unique<char[]>(padded_size);
    }
    std::memcpy(padded.get(), data.data(), data.size());
    std::memset(padded.get() + data.size(), 0, simdjson::SIMDJSON_PADDING);
    if (simd.parse(padded.get(), data.size(), false).get(simd_root) != simdjson::SUCCESS) return false;
    ++simd_parses;
    return true;
  }
#endif

  bool parse_rapidjson(std::string_view data, bool quiet) {
    doc.SetNull();
    values.recycle();
    stack.recycle();
    insitu.assign(data);
    rapidjson::InsituStringStream in(insitu.data());
    rapidjson::ParseResult result;
    bool too_deep = false;
    bool too_many = false;
    bool too_big = false;
    size_t too_big_at = 0;
    auto generate = [&](Doc& handler) {
      json::Bounded<Doc> bounded{handler, opt.limits.max_json_depth, opt.limits.max_json_values};
      json::ExactNumbers<json::Bounded<Doc>> exact{bounded, insitu.data()};
      result = reader.Parse<kDomFlags>(in, exact);
      too_deep = bounded.too_deep;
      too_many = bounded.too_many;
      too_big = exact.too_big;
      too_big_at = exact.too_big_offset;
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
      // A double out of range reads as RapidJSON words its own NumberTooBig.
      const auto code = too_big ? rapidjson::kParseErrorNumberTooBig : result.Code();
      diag(DiagCode::invalid_json, std::string("data is not valid JSON: ") + rapidjson::GetParseError_En(code) +
                                       " at byte " + std::to_string(too_big ? too_big_at : result.Offset()));
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
        if (k != keys[i]) continue;
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
    Completion& c = rep.completion;
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
    } else if (index.uint64() >= opt.limits.max_choices) {
      diag(DiagCode::choice_index_out_of_range, "choice index " + std::to_string(index.uint64()) +
                                                     " is not below max_choices " +
                                                     std::to_string(opt.limits.max_choices));
      return;
    } else {
      i = static_cast<uint32_t>(index.uint64());
    }
    const size_t pos = choice_pos(i);
    Choice& ch = rep.completion.choices[pos];
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
    if (empty_delta && !has_finish) ++rep.stats.empty_deltas;
    if (!logprobs.absent_or_null()) apply_logprobs(ch, logprobs, where);
    if (has_finish) {
      const std::string_view reason = finish.str();
      if (!ch.finish_reason) {
        ch.finish_reason.emplace(reason);
        close_tools(ch, ex);
        obs.on_choice_finished(i, reason);
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
    for (const ToolCall& call : ch.message.tool_calls) obs.on_tool_call_finished(ch.index, call);
  }

  // ---- errors ----
  template <typename V>
  std::string describe_error(V e) {
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

  void provider_error(const std::string& what) {
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

  // Calls f with a view of what parse() produced (nothing for Parsed::none).
  template <typename F>
  void with_root(Parsed parsed, F&& f) {
#if SSECHECK_HAVE_SIMDJSON
    if (parsed == Parsed::simdjson) return f(json::SimdView(simd_root));
#endif
    if (parsed == Parsed::rapidjson) f(RView(&doc));
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
  size_t bytes = impl_->insitu.capacity() + impl_->scratch.capacity() + impl_->values.capacity() +
                 impl_->stack.capacity();
#if SSECHECK_HAVE_SIMDJSON
  // The tape (8 bytes per value slot) and string buffer (~input size) simdjson keeps.
  bytes += impl_->padded_size + impl_->simd.capacity() * 9;
#endif
  return bytes;
}

uint64_t DeltaAccumulator::simdjson_parses() const { return impl_->simd_parses; }

bool has_simdjson() { return SSECHECK_HAVE_SIMDJSON != 0; }

}  // namespace ssecheck
