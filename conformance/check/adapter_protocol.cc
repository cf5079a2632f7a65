#include "adapter_protocol.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace ssecheck::check {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key(Writer& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
void str(Writer& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

bool parse_object(std::string_view line, rapidjson::Document& doc, std::string* error) {
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(line.data(), line.size());
  if (doc.HasParseError()) {
    *error = std::string("reply is not JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()) + " at byte " +
             std::to_string(doc.GetErrorOffset());
    return false;
  }
  if (!doc.IsObject()) {
    *error = "reply is not a JSON object";
    return false;
  }
  return true;
}

const rapidjson::Value* member(const rapidjson::Value& v, const char* k) {
  const auto it = v.FindMember(k);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

bool string_list(const rapidjson::Value* v, std::set<std::string>* out) {
  if (v == nullptr || !v->IsArray()) return false;
  for (const auto& e : v->GetArray()) {
    if (!e.IsString()) return false;
    out->emplace(e.GetString(), e.GetStringLength());
  }
  return true;
}

}  // namespace

const std::vector<std::string>& normalized_fields() {
  static const std::vector<std::string> k = {"id", "model", "text", "reasoning", "refusal",
                                             "tool_calls", "finish_reason", "usage", "error"};
  return k;
}

const std::vector<std::string>& error_kinds() {
  static const std::vector<std::string> k = {"http_status", "connection", "timeout", "parse",
                                             "provider_error", "unsupported", "internal"};
  return k;
}

std::string base64(std::string_view bytes) {
  static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += abc[v >> 18], out += abc[(v >> 12) & 63], out += abc[(v >> 6) & 63], out += abc[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = uint8_t(bytes[i]) << 16;
    out += abc[v >> 18], out += abc[(v >> 12) & 63], out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += abc[v >> 18], out += abc[(v >> 12) & 63], out += abc[(v >> 6) & 63], out += '=';
  }
  return out;
}

std::string hello_command(std::string_view id) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  key(w, "id"), str(w, id), key(w, "cmd"), str(w, "hello"), key(w, "protocol"), w.Int(kProtocolVersion);
  w.EndObject();
  return b.GetString();
}

std::string bye_command(std::string_view id) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  key(w, "id"), str(w, id), key(w, "cmd"), str(w, "bye");
  w.EndObject();
  return b.GetString();
}

namespace {
void write_request(Writer& w, const HttpRequest& request) {
  w.StartObject();
  key(w, "method"), str(w, request.method);
  key(w, "path"), str(w, request.path);
  key(w, "query"), str(w, request.query);
  key(w, "headers");
  w.StartObject();
  for (const auto& [k, v] : request.headers) key(w, k), str(w, v);
  w.EndObject();
  key(w, "body");
  rapidjson::Document body;
  body.Parse(request.body.data(), request.body.size());
  if (!body.HasParseError()) body.Accept(w);
  else str(w, request.body);
  w.EndObject();
}
}  // namespace

std::string feed_command(std::string_view id, std::string_view dialect, const std::vector<std::string>& chunks,
                         const HttpRequest* request) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  key(w, "id"), str(w, id), key(w, "cmd"), str(w, "feed");
  key(w, "dialect");
  if (dialect.empty()) w.Null();
  else str(w, dialect);
  key(w, "chunks");
  w.StartArray();
  for (const std::string& c : chunks) str(w, base64(c));
  w.EndArray();
  if (request != nullptr && !request->path.empty()) key(w, "request"), write_request(w, *request);
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

std::string http_command(std::string_view id, std::string_view dialect, std::string_view base_url,
                         const HttpRequest& request, int timeout_ms) {
  rapidjson::StringBuffer b;
  Writer w(b);
  w.StartObject();
  key(w, "id"), str(w, id), key(w, "cmd"), str(w, "http");
  key(w, "dialect"), str(w, dialect);
  key(w, "base_url"), str(w, base_url);
  key(w, "request"), write_request(w, request);
  key(w, "timeout_ms"), w.Int(timeout_ms);
  w.EndObject();
  return std::string(b.GetString(), b.GetSize());
}

bool parse_hello(std::string_view line, Hello* out, std::string* error) {
  rapidjson::Document doc;
  if (!parse_object(line, doc, error)) return false;
  const auto* name = member(doc, "name");
  if (name == nullptr || !name->IsString() || name->GetStringLength() == 0) {
    *error = "hello reply has no \"name\" string";
    return false;
  }
  out->name = name->GetString();
  if (const auto* v = member(doc, "version"); v && v->IsString()) out->version = v->GetString();
  const auto* protocol = member(doc, "protocol");
  if (protocol == nullptr || !protocol->IsInt() || protocol->GetInt() != kProtocolVersion) {
    *error = "hello reply must carry \"protocol\": " + std::to_string(kProtocolVersion);
    return false;
  }
  std::set<std::string> modes;
  if (!string_list(member(doc, "modes"), &modes) || modes.empty()) {
    *error = "hello reply needs \"modes\": a non-empty list of \"feed\" and/or \"http\"";
    return false;
  }
  for (const std::string& m : modes) {
    if (m == "feed") out->feed = true;
    else if (m == "http") out->http = true;
    else {
      *error = "hello reply names an unknown mode \"" + m + "\"";
      return false;
    }
  }
  const auto* output = member(doc, "output");
  const std::string out_kind = output && output->IsString() ? output->GetString() : "normalized";
  if (out_kind != "normalized" && out_kind != "events") {
    *error = "hello \"output\" must be \"normalized\" or \"events\"";
    return false;
  }
  out->events_output = out_kind == "events";
  if (!out->events_output && !string_list(member(doc, "dialects"), &out->dialects)) {
    *error = "hello reply needs \"dialects\": a list of dialect names";
    return false;
  }
  if (member(doc, "fields") != nullptr) {
    if (!string_list(member(doc, "fields"), &out->fields)) {
      *error = "hello \"fields\" must be a list of strings";
      return false;
    }
  } else {
    out->fields.insert(normalized_fields().begin(), normalized_fields().end());
  }
  if (const auto* df = member(doc, "dialect_fields"); df != nullptr) {
    if (!df->IsObject()) {
      *error = "hello \"dialect_fields\" must map dialect names to field lists";
      return false;
    }
    for (const auto& m : df->GetObject())
      if (!string_list(&m.value, &out->dialect_fields[m.name.GetString()])) {
        *error = std::string("hello \"dialect_fields\".") + m.name.GetString() + " must be a list of strings";
        return false;
      }
  }
  return true;
}

bool parse_answer(std::string_view line, std::string_view id, Answer* out, std::string* error) {
  rapidjson::Document doc;
  if (!parse_object(line, doc, error)) return false;
  const auto* rid = member(doc, "id");
  if (rid == nullptr || !rid->IsString() || std::string_view(rid->GetString(), rid->GetStringLength()) != id) {
    *error = "reply does not carry the command's id \"" + std::string(id) + "\"";
    return false;
  }
  const auto* result = member(doc, "result");
  const auto* events = member(doc, "events");
  const auto* err = member(doc, "error");
  if ((result != nullptr) + (events != nullptr) + (err != nullptr) != 1) {
    *error = "reply must carry exactly one of \"result\", \"events\", \"error\"";
    return false;
  }
  if (err != nullptr) {
    const auto* kind = err->IsObject() ? member(*err, "kind") : nullptr;
    if (kind == nullptr || !kind->IsString()) {
      *error = "\"error\" must be an object with a \"kind\" string";
      return false;
    }
    out->kind = Answer::Kind::error;
    out->error_kind = kind->GetString();
    bool known = false;
    for (const auto& k : error_kinds()) known |= k == out->error_kind;
    if (!known) {
      *error = "unknown error kind \"" + out->error_kind + "\"";
      return false;
    }
    if (const auto* m = member(*err, "message"); m && m->IsString()) out->error_message = m->GetString();
    if (const auto* s = member(*err, "status"); s && s->IsInt()) out->status = s->GetInt();
    return true;
  }
  if (events != nullptr) {
    if (!events->IsArray()) {
      *error = "\"events\" must be an array";
      return false;
    }
    for (const auto& e : events->GetArray()) {
      const rapidjson::Value* f[3] = {e.IsObject() ? member(e, "event") : nullptr,
                                      e.IsObject() ? member(e, "data") : nullptr,
                                      e.IsObject() ? member(e, "id") : nullptr};
      if (!f[0] || !f[1] || !f[0]->IsString() || !f[1]->IsString() || (f[2] && !f[2]->IsString())) {
        *error = "each event must be {\"event\": string, \"data\": string, \"id\": string}";
        return false;
      }
      out->events.push_back({std::string(f[0]->GetString(), f[0]->GetStringLength()),
                             std::string(f[1]->GetString(), f[1]->GetStringLength()),
                             f[2] ? std::string(f[2]->GetString(), f[2]->GetStringLength()) : std::string()});
    }
    out->kind = Answer::Kind::events;
    return true;
  }
  if (!result->IsObject()) {
    *error = "\"result\" must be a normalized result object";
    return false;
  }
  out->kind = Answer::Kind::result;
  out->result.CopyFrom(*result, out->result.GetAllocator());
  return true;
}

}  // namespace ssecheck::check
