// go-vcr cassette loading with yaml-cpp. yaml-cpp throws: every call into it sits
// inside the try block of load_cassette_from_string.
#include "ssecheck/cassette.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>

namespace ssecheck {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// A failure found while walking the document: code, node position, text.
struct Failure {
  DiagCode code;
  YAML::Mark mark;
  std::string text;
};

std::string position(std::string_view name, const YAML::Mark& mark) {
  std::string out(name);
  if (!mark.is_null() && mark.line >= 0) {
    out += ':' + std::to_string(mark.line + 1) + ':' + std::to_string(mark.column + 1);
  }
  return out;
}

CassetteResult fail(DiagCode code, std::string message) {
  CassetteResult r;
  r.code = code;
  r.message = std::move(message);
  return r;
}

// Walks the parsed document. Methods return false after recording failure_.
class Reader {
 public:
  explicit Reader(const CassetteOptions& options) : options_(options) {}

  bool read(const YAML::Node& root, Cassette& out);
  const Failure& failure() const { return failure_; }

 private:
  bool shape(const YAML::Node& node, std::string text) { return error(DiagCode::cassette_shape_invalid, node, std::move(text)); }
  bool error(DiagCode code, const YAML::Node& node, std::string text) {
    failure_ = Failure{code, node.Mark(), std::move(text)};
    return false;
  }
  // A scalar (or null, read as "") into a string.
  bool text(const YAML::Node& node, std::string_view what, std::string& out);
  bool integer(const YAML::Node& node, std::string_view what, int64_t& out);
  bool headers(const YAML::Node& node, std::string_view what, Headers& out);
  bool interaction(const YAML::Node& node, size_t index, int version, Interaction& out);
  bool request(const YAML::Node& node, std::string_view where, Interaction& out);
  bool response(const YAML::Node& node, std::string_view where, Interaction& out);

  const CassetteOptions& options_;
  Failure failure_{DiagCode::cassette_shape_invalid, YAML::Mark::null_mark(), {}};
};

bool Reader::text(const YAML::Node& node, std::string_view what, std::string& out) {
  if (node.IsNull()) {
    out.clear();
    return true;
  }
  if (!node.IsScalar()) return shape(node, std::string(what) + " must be a string");
  out = node.Scalar();
  return true;
}

bool Reader::integer(const YAML::Node& node, std::string_view what, int64_t& out) {
  if (!node.IsScalar()) return shape(node, std::string(what) + " must be an integer");
  const std::string& s = node.Scalar();
  size_t k = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (k == s.size()) return shape(node, std::string(what) + " must be an integer");
  uint64_t value = 0;
  for (; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '9' || value >= uint64_t{922337203685477580})
      return shape(node, std::string(what) + " must be an integer, got '" + s + "'");
    value = value * 10 + static_cast<uint64_t>(s[k] - '0');
  }
  out = s[0] == '-' ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return true;
}

bool Reader::headers(const YAML::Node& node, std::string_view what, Headers& out) {
  if (node.IsNull()) return true;
  if (!node.IsMap()) return shape(node, std::string(what) + " must be a map of name to values");
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) return shape(kv.first, std::string(what) + ": header name must be a string");
    std::vector<std::string> values;
    const YAML::Node& v = kv.second;
    if (v.IsSequence()) {
      for (const YAML::Node& item : v) {
        std::string value;
        if (!text(item, std::string(what) + ": header value", value)) return false;
        values.push_back(std::move(value));
      }
    } else if (v.IsScalar()) {
      values.push_back(v.Scalar());
    } else if (!v.IsNull()) {
      return shape(v, std::string(what) + ": values of '" + kv.first.Scalar() + "' must be a list");
    }
    out.add(kv.first.Scalar(), std::move(values));
  }
  return true;
}

bool Reader::request(const YAML::Node& node, std::string_view where, Interaction& out) {
  if (!node.IsMap()) return shape(node, std::string(where) + ".request must be a map");
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) continue;
    const std::string& key = kv.first.Scalar();
    bool ok = true;
    if (key == "body") ok = text(kv.second, "request.body", out.request_body);
    else if (key == "headers") ok = headers(kv.second, "request.headers", out.request_headers);
    else if (key == "url") ok = text(kv.second, "request.url", out.url);
    else if (key == "method") ok = text(kv.second, "request.method", out.method);
    if (!ok) return false;
  }
  return true;
}

bool Reader::response(const YAML::Node& node, std::string_view where, Interaction& out) {
  if (!node.IsMap()) return shape(node, std::string(where) + ".response must be a map");
  bool has_body = false;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) continue;
    const std::string& key = kv.first.Scalar();
    bool ok = true;
    if (key == "body") {
      has_body = true;
      ok = text(kv.second, "response.body", out.response_body);
    } else if (key == "headers") {
      ok = headers(kv.second, "response.headers", out.response_headers);
    } else if (key == "status") {
      ok = text(kv.second, "response.status", out.status);
    } else if (key == "code") {
      int64_t code = 0;
      ok = integer(kv.second, "response.code", code);
      if (ok && (code < 0 || code > 999)) ok = shape(kv.second, "response.code must be 0..999");
      out.status_code = static_cast<int>(code);
    } else if (key == "duration") {
      ok = text(kv.second, "response.duration", out.duration);
    }
    if (!ok) return false;
  }
  if (!has_body) {
    return error(DiagCode::cassette_body_missing, node, std::string(where) + ".response has no body");
  }
  out.body_kind = body_kind_from_content_type(out.response_headers.first("Content-Type"));
  return true;
}

bool Reader::interaction(const YAML::Node& node, size_t index, int version, Interaction& out) {
  const std::string where = "interactions[" + std::to_string(index) + "]";
  if (!node.IsMap()) return shape(node, where + " must be a map");
  out.index = index;
  out.id = static_cast<int64_t>(index);
  std::optional<YAML::Node> req, resp;  // emplace: Node::operator= would rebind the document
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) continue;
    const std::string& key = kv.first.Scalar();
    if (key == "id" && version >= 2) {
      if (!integer(kv.second, where + ".id", out.id)) return false;
    } else if (key == "request") {
      req.emplace(kv.second);
    } else if (key == "response") {
      resp.emplace(kv.second);
    }
  }
  if (!req) return shape(node, where + " has no request");
  if (!resp) return shape(node, where + " has no response");
  return request(*req, where, out) && response(*resp, where, out);
}

bool Reader::read(const YAML::Node& root, Cassette& out) {
  if (!root.IsMap()) return shape(root, "the top level must be a map with version and interactions");
  std::optional<YAML::Node> version_node, interactions_node;
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) continue;
    if (kv.first.Scalar() == "version") version_node.emplace(kv.second);
    else if (kv.first.Scalar() == "interactions") interactions_node.emplace(kv.second);
  }
  if (!version_node) return error(DiagCode::cassette_version_unsupported, root, "no version field");
  const YAML::Node& version = *version_node;
  int64_t v = 0;
  if (!version.IsScalar() || !integer(version, "version", v) || (v != 1 && v != 2)) {
    return error(DiagCode::cassette_version_unsupported, version,
                 "unsupported version '" + (version.IsScalar() ? version.Scalar() : std::string("?")) +
                     "' (supported: 1, 2)");
  }
  out.version = static_cast<int>(v);
  if (!interactions_node) return shape(root, "no interactions field");
  const YAML::Node& interactions = *interactions_node;
  if (interactions.IsNull()) return true;
  if (!interactions.IsSequence()) return shape(interactions, "interactions must be a sequence");
  if (interactions.size() > options_.max_interactions) {
    return error(DiagCode::cassette_too_many_interactions, interactions,
                 std::to_string(interactions.size()) + " interactions exceed max_interactions (" +
                     std::to_string(options_.max_interactions) + ")");
  }
  out.interactions.resize(interactions.size());
  size_t i = 0;
  for (const YAML::Node& item : interactions) {
    if (!interaction(item, i, out.version, out.interactions[i])) return false;
    ++i;
  }
  return true;
}

}  // namespace

std::string_view body_kind_name(BodyKind kind) {
  switch (kind) {
    case BodyKind::event_stream: return "event-stream";
    case BodyKind::json: return "json";
    case BodyKind::other: return "other";
  }
  return "?";
}

BodyKind body_kind_from_content_type(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  if (iequals(media, "text/event-stream")) return BodyKind::event_stream;
  if (iequals(media, "application/json")) return BodyKind::json;
  if (media.size() > 5 && iequals(media.substr(media.size() - 5), "+json")) return BodyKind::json;
  return BodyKind::other;
}

void Headers::add(std::string name, std::vector<std::string> values) {
  entries_.emplace_back(std::move(name), std::move(values));
}

const std::vector<std::string>* Headers::find(std::string_view name) const {
  for (const Entry& e : entries_)
    if (iequals(e.first, name)) return &e.second;
  return nullptr;
}

std::string_view Headers::first(std::string_view name) const {
  const std::vector<std::string>* values = find(name);
  return (values == nullptr || values->empty()) ? std::string_view() : std::string_view(values->front());
}

CassetteResult load_cassette_from_string(std::string_view yaml, std::string_view name,
                                         const CassetteOptions& options) {
  if (yaml.size() > options.max_file_bytes) {
    return fail(DiagCode::cassette_too_large, std::string(name) + ": " + std::to_string(yaml.size()) +
                                                  " bytes exceed max_file_bytes (" +
                                                  std::to_string(options.max_file_bytes) + ")");
  }
  size_t line = 0, column = 0;
  if (yaml_nesting_bound(yaml, options.max_nesting_depth, &line, &column) > options.max_nesting_depth) {
    return fail(DiagCode::cassette_too_deep, std::string(name) + ":" + std::to_string(line) + ":" +
                                                 std::to_string(column) + ": nesting deeper than max_nesting_depth (" +
                                                 std::to_string(options.max_nesting_depth) + ")");
  }
  CassetteResult result;
  result.cassette.path = std::string(name);
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    Reader reader(options);
    if (!reader.read(root, result.cassette)) {
      const Failure& f = reader.failure();
      return fail(f.code, position(name, f.mark) + ": " + f.text);
    }
  } catch (const YAML::Exception& e) {
    return fail(DiagCode::cassette_yaml_invalid, position(name, e.mark) + ": " + e.msg);
  } catch (const std::bad_alloc&) {
    return fail(DiagCode::cassette_too_large, std::string(name) + ": out of memory while parsing");
  } catch (const std::exception& e) {
    return fail(DiagCode::cassette_yaml_invalid, std::string(name) + ": " + e.what());
  }
  for (const Interaction& i : result.cassette.interactions) {
    if (i.body_kind == BodyKind::event_stream) continue;
    std::string type(i.response_headers.first("Content-Type"));
    result.notes.push_back(Diagnostic{DiagCode::non_streaming_response, Severity::note, i.index, 0,
                                      std::string(name) + ": interactions[" + std::to_string(i.index) +
                                          "]: response is " + std::string(body_kind_name(i.body_kind)) +
                                          " (Content-Type '" + type + "'), not an event stream"});
  }
  return result;
}

CassetteResult load_cassette_file(const std::string& path, const CassetteOptions& options) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return fail(DiagCode::cassette_io_error, path + ": cannot open: " + std::strerror(errno));
  std::string data;
  char buffer[1 << 16];
  bool too_large = false;
  for (;;) {
    const size_t n = std::fread(buffer, 1, sizeof buffer, f);
    if (n == 0) break;
    if (data.size() + n > options.max_file_bytes) {
      too_large = true;
      break;
    }
    data.append(buffer, n);
  }
  const bool read_error = std::ferror(f) != 0;
  const int saved_errno = errno;
  std::fclose(f);
  if (too_large) {
    return fail(DiagCode::cassette_too_large,
                path + ": larger than max_file_bytes (" + std::to_string(options.max_file_bytes) + ")");
  }
  if (read_error) return fail(DiagCode::cassette_io_error, path + ": read error: " + std::strerror(saved_errno));
  return load_cassette_from_string(data, path, options);
}

}  // namespace ssecheck
