// The Gemini dialect's registry entry: routes, detection from one event, noise.
#include <string>
#include <string_view>

#include "gemini_dialect.h"
#include "ssecheck/gemini/gemini.h"
#include "ssecheck/json/event_json.h"
#include "ssecheck/json/out.h"

namespace ssecheck {
namespace {

bool ends_with_ascii_nocase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char a = s[i], b = suffix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// A streamGenerateContent call: the path's last segment is RESOURCE:streamGenerateContent
// (models/M, tunedModels/M, .../publishers/google/models/M, .../endpoints/E), whatever
// comes before it (API version, Vertex project path, proxy prefix) and whatever the query
// says (without alt=sse the body is a JSON array, which callers skip by Content-Type).
bool matches_request(std::string_view url) {
  std::string_view path = url.substr(0, url.find_first_of("?#"));
  const size_t slash = path.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  constexpr std::string_view kMethod = "streamGenerateContent";
  if (last.size() <= kMethod.size() || last.substr(last.size() - kMethod.size()) != kMethod) return false;
  const std::string_view resource = last.substr(0, last.size() - kMethod.size());
  if (resource.size() >= 2 && resource.back() == ':') return true;
  return resource.size() >= 4 && ends_with_ascii_nocase(resource, "%3a");  // an encoded colon
}

// Yes for a GenerateContentResponse chunk, maybe for a Google-style error object, no for
// anything another dialect defines (object/choices, type, sequence_number...).
Recognition recognize(std::string_view type, std::string_view /*data*/, const json::Value& root) {
  if (type != "message" || !root.is_object()) return Recognition::no;
  for (std::string_view foreign : {"object", "choices", "type", "sequence_number", "delta", "message", "id"})
    if (!root[foreign].absent()) return Recognition::no;
  if (root["candidates"].is_array() || root["usageMetadata"].is_object() || root["promptFeedback"].is_object() ||
      root["modelVersion"].is_string() || root["responseId"].is_string())
    return Recognition::yes;
  const json::Value error = root["error"];
  if (error.is_object() && error["status"].is_string() && error["code"].is_number()) return Recognition::maybe;
  return Recognition::no;
}

std::unique_ptr<StreamDialect> make(const DialectOptions& options) { return gemini::make_dialect(options); }

// The one meaning-free chunk: {"usageMetadata":U} repeating the previous chunk's U (usage
// is last-wins and its place in the native object is already taken). Nothing when the
// previous event carried no usageMetadata or was not a plain chunk. Needs no memo: the
// previous event alone decides.
void noise(std::string_view prev_type, std::string_view prev_data, std::string_view /*next_type*/,
           std::string_view /*next_data*/, std::string_view eol, std::string& /*memo*/, std::string& out) {
  if (prev_type != "message") return;
  json::EventJson parser(JsonBackend::rapidjson);
  if (parser.parse(prev_data) != json::Status::ok) return;
  const json::Value root = parser.root();
  if (!root.is_object() || !root["error"].absent_or_null()) return;
  const json::Value usage = root["usageMetadata"];
  if (!usage.is_object()) return;
  out += "data: {\"usageMetadata\":";
  out += json::to_json(usage);
  out += '}';
  out += eol;
  out += eol;
}

constexpr std::string_view kLimits[] = {"max_outputs",     "max_tool_calls",      "max_json_depth",
                                        "max_json_values", "max_assembled_bytes", "max_diagnostics"};

}  // namespace

const DialectInfo kGeminiDialect = {
    gemini::kName,
    "Gemini streamGenerateContent?alt=sse (Gemini API and Vertex AI): one GenerateContentResponse per event",
    &matches_request,
    &recognize,
    &make,
    &noise,
    kLimits,
};

}  // namespace ssecheck
