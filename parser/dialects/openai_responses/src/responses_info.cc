// The openai-responses registry entry: routes, detection from one event, noise.
#include <string>
#include <string_view>

#include "responses_dialect.h"
#include "ssecheck/json/value.h"
#include "ssecheck/openai_responses/openai_responses.h"

namespace ssecheck {
namespace {

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

// The query (without '?' and fragment), "" when none.
std::string_view request_query(std::string_view url) {
  const size_t q = url.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = url.substr(q + 1);
  return query.substr(0, query.find('#'));
}

// The path's segments from the end: last(0) is the last one; "" past the start.
std::string_view segment_from_end(std::string_view path, size_t n) {
  for (;;) {
    const size_t slash = path.rfind('/');
    const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
    if (n == 0) return last;
    if (slash == std::string_view::npos) return {};
    path = path.substr(0, slash);
    --n;
  }
}

bool has_stream_true(std::string_view query) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (pair == "stream=true") return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

// POST .../v1/responses under any prefix (api.openai.com, OpenRouter's /api/v1,
// Groq's /openai/v1, Azure's /openai/v1/responses, gateways' base paths), Azure's
// /openai/responses?api-version=..., and the retrieval stream GET
// .../v1/responses/{id}?stream=true. Not /responses/{id}/input_items, /cancel,
// /compact or /input_tokens, nor a retrieval without stream=true (plain JSON).
bool matches_request(std::string_view url) {
  const std::string_view path = request_path(url);
  auto api_root = [](std::string_view s) { return s == "v1" || s == "openai"; };
  if (segment_from_end(path, 0) == "responses" && api_root(segment_from_end(path, 1))) return true;
  if (segment_from_end(path, 1) == "responses" && api_root(segment_from_end(path, 2))) {
    const std::string_view id = segment_from_end(path, 0);
    if (id.empty() || id == "input_items" || id == "cancel" || id == "compact" || id == "input_tokens") return false;
    return has_stream_true(request_query(url));
  }
  return false;
}

// Yes for a "response.*" or "error" event carrying sequence_number (only this API
// numbers its events), or a "response.*" event with its defining member (response,
// item, output_index); maybe for a "response.*" event without them and for a flat
// {"type":"error","code"|"message"} object; no for anything with another dialect's
// markers (chat chunks' object/choices, Gemini's candidates/usageMetadata/
// promptFeedback/modelVersion, Anthropic's message/content_block/delta objects).
Recognition recognize(std::string_view type, std::string_view /*data*/, const json::Value& root) {
  if (!root.is_object()) return type.starts_with("response.") ? Recognition::maybe : Recognition::no;
  for (std::string_view foreign :
       {"object", "choices", "candidates", "usageMetadata", "promptFeedback", "modelVersion", "content_block"})
    if (!root[foreign].absent()) return Recognition::no;
  if (root["message"].is_object() || root["delta"].is_object()) return Recognition::no;
  const json::Value t = root["type"];
  if (!t.is_string()) return Recognition::no;
  const std::string_view kind = t.str();
  const bool numbered = root["sequence_number"].is_number();
  if (kind.starts_with("response.")) {
    if (numbered || root["response"].is_object() || root["item"].is_object() || root["output_index"].is_number())
      return Recognition::yes;
    return Recognition::maybe;
  }
  if (kind == "error") {
    if (root["error"].is_object()) return numbered ? Recognition::maybe : Recognition::no;
    if (numbered) return Recognition::yes;
    return root["code"].is_string() || root["message"].is_string() ? Recognition::maybe : Recognition::no;
  }
  if (kind == "keepalive" && numbered) return Recognition::maybe;
  return Recognition::no;
}

std::unique_ptr<StreamDialect> make(const DialectOptions& options) { return openai_responses::make_dialect(options); }

constexpr std::string_view kLimits[] = {"max_outputs",     "max_tool_calls",      "max_json_depth",
                                        "max_json_values", "max_assembled_bytes", "max_diagnostics"};

}  // namespace

const DialectInfo kOpenAiResponsesDialect = {
    openai_responses::kName,
    "OpenAI Responses (POST /v1/responses, Azure /openai/responses): response.* events with sequence_number",
    &matches_request,
    &recognize,
    &make,
    // No noise of its own: every event carries the next sequence_number, so no event can
    // be inserted without renumbering the rest (the caller's comments are the only noise).
    nullptr,
    kLimits,
};

}  // namespace ssecheck
