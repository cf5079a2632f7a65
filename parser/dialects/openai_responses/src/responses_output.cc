// The Response snapshot: reading objects into members, comparing items, writing the
// SDK's final object, and the normalized result.
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "responses_dialect.h"
#include "ssecheck/json/out.h"

namespace ssecheck::openai_responses {

const Member* Members::find(std::string_view key) const {
  if (hint < list.size() && list[hint].key == key) return &list[hint];
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].key == key) {
      hint = i;
      return &list[i];
    }
  return nullptr;
}

Member* Members::find(std::string_view key) {
  return const_cast<Member*>(static_cast<const Members&>(*this).find(key));
}

std::string_view Members::str(std::string_view key) const {
  const Member* x = find(key);
  return x && x->kind == Kind::string ? std::string_view(x->value) : std::string_view{};
}

namespace {

// Objects with more members than this get a hash index while being read.
constexpr size_t kLinearMembers = 16;

std::string cat(std::string_view a, std::string_view b) {
  std::string s(a);
  s.append(b);
  return s;
}

// "response.output_item.added: item." -> "response.output_item.added: item"
std::string trim_dot(std::string_view where) {
  if (!where.empty() && where.back() == '.') where.remove_suffix(1);
  return std::string(where);
}

}  // namespace

void ResponsesDialect::out_of_range(std::string_view message) {
  overflowed_ = true;
  diag(DiagCode::response_index_out_of_range, message);
}

void ResponsesDialect::read_members(const json::Value& obj, std::string_view where, Members& out,
                                    std::vector<Item>* output, Item* item, Part* part) {
  out.list.clear();
  std::unordered_map<std::string, size_t> index;
  const bool hashed = obj.size() > kLinearMembers;
  obj.each_member([&](std::string_view key, const json::Value& v) {
    // A repeated key keeps its first position and takes the last value (JSON.parse).
    Member* slot = nullptr;
    if (hashed) {
      auto [it, fresh] = index.try_emplace(std::string(key), out.list.size());
      if (!fresh) slot = &out.list[it->second];
    } else {
      slot = out.find(key);
    }
    if (slot) {
      diag(DiagCode::duplicate_key, trim_dot(where) + " repeats the key '" + std::string(key) +
                                        "'; its first position and last value were used");
    } else {
      out.list.push_back(Member{std::string(key), Kind::raw, {}});
      slot = &out.list.back();
    }
    Member& m = *slot;
    m.value.clear();
    if (output && key == "output") {
      m.kind = Kind::output;
      output->clear();
      if (!v.is_array()) {
        mismatch(where, "output", "an array", v);
        return;
      }
      bool reported = false;
      v.each_element([&](const json::Value& e) {
        if (output->size() >= options().limits.max_outputs) {
          if (!std::exchange(reported, true))
            out_of_range(cat(where, "output has more than max_outputs (" +
                                        std::to_string(options().limits.max_outputs) +
                                        ") items; the rest were dropped"));
          return;
        }
        Item x;
        if (!read_item(e, cat(where, "output[" + std::to_string(output->size()) + "]."), x)) return;
        if (x.type == "function_call") {
          uint32_t calls = 0;
          for (const Item& o : *output) calls += o.type == "function_call";
          if (calls >= options().limits.max_tool_calls) {
            out_of_range(cat(where, "output has more than max_tool_calls function calls; the rest were skipped"));
            x = Item{};
            x.type = "function_call";
            x.skipped = true;
          } else {
            x.tool_index = calls;
          }
        }
        output->push_back(std::move(x));
      });
      return;
    }
    if (item && (key == "content" || key == "summary") && (item->type == "message" || item->type == "reasoning") &&
        (key == "content" || item->type == "reasoning")) {
      std::vector<Part>& parts = key == "content" ? item->content : item->summary;
      parts.clear();
      if (v.is_array()) {
        m.kind = key == "content" ? Kind::content : Kind::summary;
        read_parts(v, cat(where, std::string(key) + "."), parts);
        return;
      }
      // reasoning.content may be null or absent; the SDK creates it on the first part.
      if (!(item->type == "reasoning" && v.is_null())) mismatch(where, key, "an array", v);
      m.kind = Kind::raw;
      m.value = json::to_json(v);
      return;
    }
    if (part && key == "annotations" && v.is_array()) {
      m.kind = Kind::annotations;
      part->annotations.clear();
      v.each_element([&](const json::Value& e) { part->annotations.push_back(json::to_json(e)); });
      return;
    }
    if (v.is_string()) {
      m.kind = Kind::string;
      m.value.assign(v.str());
      return;
    }
    m.kind = Kind::raw;
    m.value = json::to_json(v);
  });
}

bool ResponsesDialect::read_item(const json::Value& obj, std::string_view where, Item& out) {
  if (!obj.is_object()) {
    diag(DiagCode::field_type_mismatch,
         trim_dot(where) + " is " + obj.type_name() + ", expected an object; it was skipped");
    return false;
  }
  const json::Value type = obj["type"];
  if (!type.is_string()) mismatch(where, "type", "a string", type);
  out.type.assign(type.string_or());
  out.id.assign(obj["id"].string_or());
  read_members(obj, where, out.m, nullptr, &out, nullptr);
  return true;
}

void ResponsesDialect::read_parts(const json::Value& arr, std::string_view where, std::vector<Part>& out) {
  out.clear();
  size_t i = 0;
  bool reported = false;
  arr.each_element([&](const json::Value& e) {
    const size_t at = i++;
    if (out.size() >= options().limits.max_outputs) {
      if (!std::exchange(reported, true))
        out_of_range(cat(trim_dot(where), " has more than max_outputs (" + std::to_string(options().limits.max_outputs) +
                                    ") parts; the rest were dropped"));
      return;
    }
    if (!e.is_object()) {
      diag(DiagCode::field_type_mismatch, trim_dot(where) + "[" + std::to_string(at) + "] is " + e.type_name() +
                                              ", expected an object; it was skipped");
      return;
    }
    Part p;
    read_part(e, trim_dot(where) + "[" + std::to_string(at) + "].", p);
    out.push_back(std::move(p));
  });
}

void ResponsesDialect::read_part(const json::Value& obj, std::string_view where, Part& out) {
  const json::Value type = obj["type"];
  if (!type.is_string()) mismatch(where, "type", "a string", type);
  out.type.assign(type.string_or());
  read_members(obj, where, out.m, nullptr, nullptr, &out);
}

void ResponsesDialect::read_response(const json::Value& r, std::string_view where) {
  snap_.m.list.clear();
  snap_.output.clear();
  read_members(r, where, snap_.m, &snap_.output, nullptr, nullptr);
  if (!snap_.m.find("output")) snap_.m.list.push_back(Member{"output", Kind::output, {}});
  snap_.present = true;
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    const json::Value v = r[key];
    if (v.is_string()) return std::string(v.str());
    if (!v.absent_or_null()) mismatch(where, key, "a string", v);
    return std::nullopt;
  };
  snap_.id = text("id");
  snap_.model = text("model");
  snap_.status = text("status");
  snap_.input_tokens.reset();
  snap_.output_tokens.reset();
  const json::Value usage = r["usage"];
  if (usage.is_object()) {
    const json::Value in = usage["input_tokens"], out = usage["output_tokens"];
    if (in.is_uint64()) snap_.input_tokens = in.uint64();
    else if (!in.absent_or_null()) mismatch(std::string(where) + "usage.", "input_tokens", "an integer", in);
    if (out.is_uint64()) snap_.output_tokens = out.uint64();
    else if (!out.absent_or_null()) mismatch(std::string(where) + "usage.", "output_tokens", "an integer", out);
  } else if (!usage.absent_or_null()) {
    mismatch(where, "usage", "an object", usage);
  }
  snap_.error.reset();
  const json::Value error = r["error"];
  if (error.is_object()) {
    snap_.error = ErrorInfo{std::string(error["code"].string_or("error")), std::string(error["message"].string_or())};
  } else if (!error.absent_or_null()) {
    mismatch(where, "error", "an object", error);
  }
  snap_.incomplete_reason.clear();
  const json::Value details = r["incomplete_details"];
  if (details.is_object()) snap_.incomplete_reason.assign(details["reason"].string_or());
}

std::string& ResponsesDialect::live_string(Members& m, std::string_view key, std::string_view where) {
  Member* x = m.find(key);
  if (!x) {
    // Absent: the SDK's `undefined + delta` is never what a provider means; start empty.
    m.list.push_back(Member{std::string(key), Kind::string, {}});
    return m.list.back().value;
  }
  if (x->kind != Kind::string) {
    // null (code_interpreter_call.code before its first delta) becomes "", as `?? ''`.
    if (x->value != "null")
      diag(DiagCode::field_type_mismatch,
           std::string(where) + ": the item's " + std::string(key) + " is not a string; it was restarted empty");
    x->kind = Kind::string;
    x->value.clear();
  }
  return x->value;
}

uint32_t ResponsesDialect::function_calls() const {
  uint32_t n = 0;
  for (const Item& x : snap_.output) n += x.type == "function_call";
  return n;
}

// ---- comparing ----

namespace {

std::string parts_difference(const char* what, const std::vector<Part>& a, const std::vector<Part>& b) {
  if (a.size() != b.size())
    return std::string(what) + ": " + std::to_string(a.size()) + " parts assembled, " + std::to_string(b.size()) +
           " sent";
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].type != b[i].type)
      return std::string(what) + "[" + std::to_string(i) + "] type " + quote(a[i].type) + " assembled, " +
             quote(b[i].type) + " sent";
    if (a[i].text() != b[i].text())
      return std::string(what) + "[" + std::to_string(i) + "]." + std::string(a[i].text_key()) + " " +
             quote(a[i].text()) + " assembled, " + quote(b[i].text()) + " sent";
  }
  return {};
}

}  // namespace

std::string item_difference(const Item& a, const Item& b) {
  if (a.type != b.type) return "type " + quote(a.type) + " assembled, " + quote(b.type) + " sent";
  if (a.id != b.id) return "id " + quote(a.id) + " assembled, " + quote(b.id) + " sent";
  for (std::string_view key : {"call_id", "name", "arguments", "input", "code"})
    if (a.m.str(key) != b.m.str(key))
      return std::string(key) + " " + quote(a.m.str(key)) + " assembled, " + quote(b.m.str(key)) + " sent";
  std::string d = parts_difference("content", a.content, b.content);
  if (d.empty()) d = parts_difference("summary", a.summary, b.summary);
  return d;
}

std::string output_difference(const std::vector<Item>& a, const std::vector<Item>& b) {
  if (a.size() != b.size())
    return std::to_string(a.size()) + " output items assembled, " + std::to_string(b.size()) + " in the response";
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].skipped || b[i].skipped) continue;
    std::string d = item_difference(a[i], b[i]);
    if (!d.empty()) return "output[" + std::to_string(i) + "] " + d;
  }
  return {};
}

// ---- writing ----

namespace {

std::string output_text(const Snapshot& s) {
  std::string t;
  for (const Item& x : s.output)
    if (!x.skipped && x.type == "message")
      for (const Part& p : x.content)
        if (p.type == "output_text") t.append(p.text());
  return t;
}

void write_parts(json::Out& out, const std::vector<Part>& parts, const Item& item, bool message) {
  out.begin_array();
  for (const Part& p : parts) write_members(out, p.m, nullptr, &item, &p, message);
  out.end_array();
}

}  // namespace

// One object: snap (the response), item (an item, or the item of part) or part.
void write_members(json::Out& out, const Members& m, const Snapshot* snap, const Item* item, const Part* part,
                   bool message_part) {
  // Keys the SDK's finalResponse() sets to null (maybeParseResponse, no parse params).
  std::string_view nulled;
  if (snap) nulled = "output_parsed";
  else if (part && message_part) nulled = "parsed";
  else if (!part && item && item->type == "function_call") nulled = "parsed_arguments";
  bool has_nulled = false, has_output = false, has_text = false;
  out.begin_object();
  for (const Member& x : m.list) {
    out.key(x.key);
    if (!nulled.empty() && x.key == nulled) {
      out.null();
      has_nulled = true;
      continue;
    }
    if (snap && x.key == "output_text") {
      out.string(output_text(*snap));
      has_text = true;
      continue;
    }
    switch (x.kind) {
      case Kind::raw: out.raw(x.value); break;
      case Kind::string: out.string(x.value); break;
      case Kind::content: write_parts(out, item->content, *item, item->type == "message"); break;
      case Kind::summary: write_parts(out, item->summary, *item, false); break;
      case Kind::annotations:
        out.begin_array();
        for (const std::string& a : part->annotations) out.raw(a);
        out.end_array();
        break;
      case Kind::output:
        has_output = true;
        out.begin_array();
        for (const Item& i : snap->output)
          if (!i.skipped) write_members(out, i.m, nullptr, &i, nullptr, false);
        out.end_array();
        break;
    }
  }
  if (snap && !has_output) {
    out.key("output").begin_array();
    for (const Item& i : snap->output)
      if (!i.skipped) write_members(out, i.m, nullptr, &i, nullptr, false);
    out.end_array();
  }
  if (snap && !has_text) out.key("output_text").string(output_text(*snap));
  if (!nulled.empty() && !has_nulled) out.key(nulled).null();
  out.end_object();
}

void ResponsesDialect::write_native(json::Out& out) const {
  if (!snap_.present) {
    if (!error_event_json_.empty()) out.raw(error_event_json_);
    else out.null();
    return;
  }
  write_members(out, snap_.m, &snap_, nullptr, nullptr, false);
}

void ResponsesDialect::normalize(NormalizedResult& r) const {
  r.id = snap_.id;
  r.model = snap_.model;
  r.usage.input_tokens = snap_.input_tokens;
  r.usage.output_tokens = snap_.output_tokens;
  if (error_) r.error = NormalizedError{error_->type, error_->message};
  if (!snap_.present && snap_.output.empty()) return;
  NormalizedOutput o;
  o.index = 0;
  bool first_reasoning = true;
  auto reasoning = [&](std::string_view t) {
    if (!first_reasoning) o.reasoning.append("\n\n");
    first_reasoning = false;
    o.reasoning.append(t);
  };
  for (const Item& x : snap_.output) {
    if (x.skipped) continue;
    if (x.type == "message") {
      for (const Part& p : x.content) {
        if (p.type == "output_text") o.text.append(p.text());
        else if (p.type == "refusal") o.refusal.append(p.text());
      }
    } else if (x.type == "reasoning") {
      if (!x.summary.empty()) {
        for (const Part& p : x.summary) reasoning(p.text());
      } else {
        for (const Part& p : x.content)
          if (p.type == "reasoning_text") reasoning(p.text());
      }
    } else if (x.type == "function_call") {
      NormalizedToolCall t;
      if (const Member* c = x.m.find("call_id"); c && c->kind == Kind::string) t.id = c->value;
      t.name.assign(x.m.str("name"));
      t.arguments.assign(x.m.str("arguments"));
      o.tool_calls.push_back(std::move(t));
    }
  }
  if (terminal_) o.finish_reason = terminal_status_;
  r.outputs.push_back(std::move(o));
}

}  // namespace ssecheck::openai_responses
