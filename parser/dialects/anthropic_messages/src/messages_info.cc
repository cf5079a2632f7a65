// The anthropic-messages registry entry: routes, detection from one event, noise.
#include <string>
#include <string_view>

#include "messages_dialect.h"
#include "ssecheck/anthropic_messages/anthropic_messages.h"
#include "ssecheck/json/value.h"

namespace ssecheck {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The request path: scheme and host dropped (when the URL has them), query and
// fragment dropped, trailing slashes dropped.
std::string_view request_path(std::string_view url) {
  if (const size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    const size_t slash = url.find('/', scheme + 3);
    url = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
  }
  std::string_view path = url.substr(0, url.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

// POST /v1/messages under any prefix (api.anthropic.com, Azure AI Foundry's
// /anthropic/v1/messages, proxies' base paths; ?beta=true and other queries allowed),
// and Vertex AI's .../publishers/anthropic/models/MODEL:streamRawPredict. Not
// /v1/messages/count_tokens or /v1/messages/batches (not streams).
bool matches_request(std::string_view url) {
  const std::string_view path = request_path(url);
  if (path == "v1/messages" || ends_with(path, "/v1/messages")) return true;
  const size_t slash = path.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return ends_with(last, ":streamRawPredict") && last.size() > std::string_view(":streamRawPredict").size() &&
         path.find("/publishers/anthropic/models/") != std::string_view::npos;
}

// Yes for the event types only this API defines (with their defining member), maybe
// for ping and an {"type":"error","error":{"type":...}} error, no for anything carrying
// another dialect's markers (chat chunks' object/choices, Responses' sequence_number,
// Gemini's candidates/usageMetadata/promptFeedback/modelVersion).
Recognition recognize(std::string_view /*type*/, std::string_view /*data*/, const json::Value& root) {
  if (!root.is_object()) return Recognition::no;
  for (std::string_view foreign : {"object", "choices", "sequence_number", "response", "candidates", "usageMetadata",
                                   "promptFeedback", "modelVersion"})
    if (!root[foreign].absent()) return Recognition::no;
  const json::Value t = root["type"];
  if (!t.is_string()) return Recognition::no;
  const std::string_view type = t.str();
  if (type == "message_start") return root["message"].is_object() ? Recognition::yes : Recognition::maybe;
  if (type == "content_block_start" || type == "content_block_delta" || type == "content_block_stop")
    return root["index"].is_number() ? Recognition::yes : Recognition::maybe;
  if (type == "message_delta") return root["delta"].is_object() ? Recognition::yes : Recognition::maybe;
  if (type == "message_stop") return Recognition::yes;
  if (type == "ping") return Recognition::maybe;
  if (type == "error") {
    const json::Value e = root["error"];
    return e.is_object() && e["type"].is_string() ? Recognition::maybe : Recognition::no;
  }
  return Recognition::no;
}

std::unique_ptr<StreamDialect> make(const DialectOptions& options) { return anthropic_messages::make_dialect(options); }

// A ping event, exactly as the API sends it, between two events of a stream that has
// not ended (pings are noise in every state, so this never changes a result). Needs
// no memo: it depends on the previous event's type only.
void noise(std::string_view prev_type, std::string_view /*prev_data*/, std::string_view next_type,
           std::string_view /*next_data*/, std::string_view eol, std::string& /*memo*/, std::string& out) {
  if (prev_type.empty() || next_type.empty() || prev_type == "message_stop" || prev_type == "error") return;
  out += "event: ping";
  out += eol;
  out += "data: {\"type\": \"ping\"}";
  out += eol;
  out += eol;
}

constexpr std::string_view kLimits[] = {"max_outputs",     "max_tool_calls",      "max_json_depth",
                                        "max_json_values", "max_assembled_bytes", "max_diagnostics"};

}  // namespace

const DialectInfo kAnthropicMessagesDialect = {
    anthropic_messages::kName,
    "Anthropic Messages (POST /v1/messages, Vertex AI :streamRawPredict): message_start, content_block_*, "
    "message_delta, message_stop events",
    &matches_request,
    &recognize,
    &make,
    &noise,
    kLimits,
};

}  // namespace ssecheck
