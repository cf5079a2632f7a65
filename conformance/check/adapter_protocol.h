// The adapter protocol, v1 (conformance/ADAPTERS.md): commands ssecheck writes and the
// replies it accepts, as JSON lines.
//
// Invariants: commands are written with RapidJSON's Writer (always valid JSON, one
// line); a reply is accepted only when it is one JSON object carrying the command's
// id and exactly one of result / events / error of the documented shape. Anything
// else is a protocol error with a reason naming the offending member.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ssecheck::check {

inline constexpr int kProtocolVersion = 1;

// The normalized fields an adapter may declare it reports faithfully.
const std::vector<std::string>& normalized_fields();

struct Hello {
  std::string name, version;
  bool feed = false, http = false;
  std::set<std::string> dialects;
  bool events_output = false;  // "output": "events" (framing only)
  std::set<std::string> fields;
  std::map<std::string, std::set<std::string>> dialect_fields;  // per dialect, overriding fields
  const std::set<std::string>& fields_for(const std::string& dialect) const {
    const auto it = dialect_fields.find(dialect);
    return it == dialect_fields.end() ? fields : it->second;
  }
};

struct EventRecord {
  std::string type, data, id;
  bool operator==(const EventRecord&) const = default;
};

struct Answer {
  enum class Kind { result, events, error } kind = Kind::error;
  rapidjson::Document result;  // kind result: the normalized object
  std::vector<EventRecord> events;
  std::string error_kind, error_message;
  int status = 0;  // http_status errors
};

// The classified error kinds of the protocol.
const std::vector<std::string>& error_kinds();

std::string hello_command(std::string_view id);
std::string bye_command(std::string_view id);
struct HttpRequest;
// request (optional): the recorded call, so an SDK can assemble as it would for it.
std::string feed_command(std::string_view id, std::string_view dialect, const std::vector<std::string>& chunks,
                         const HttpRequest* request = nullptr);
struct HttpRequest {
  std::string method = "POST", path, query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // the recorded body; sent as JSON when it parses, else as a string
};
std::string http_command(std::string_view id, std::string_view dialect, std::string_view base_url,
                         const HttpRequest& request, int timeout_ms);

bool parse_hello(std::string_view line, Hello* out, std::string* error);
bool parse_answer(std::string_view line, std::string_view id, Answer* out, std::string* error);

std::string base64(std::string_view bytes);

}  // namespace ssecheck::check
