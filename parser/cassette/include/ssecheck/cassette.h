// go-vcr cassette loader: format version 2 (go-vcr v2..v4) and version 1.
//
// Invariants:
//  - Never throws and never crashes on any input bytes: every failure is a
//    CassetteResult with a cassette_* code and a "NAME:LINE:COL: ..." message
//    (1-based; LINE:COL omitted when there is no position).
//  - Bodies are byte-exact: the YAML scalar as decoded (block |, |+, |- or quoted
//    with escapes), nothing trimmed or normalised.
//  - Input is bounded before yaml-cpp sees it: max_file_bytes, and a linear
//    pre-scan that rejects nesting deeper than max_nesting_depth (yaml-cpp
//    recurses per level).
//  - A response that is not text/event-stream is not a failure: its BodyKind says
//    what it is and a non_streaming_response note is added.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ssecheck/diagnostics.h"

namespace ssecheck {

enum class BodyKind : uint8_t { event_stream, json, other };
std::string_view body_kind_name(BodyKind kind);
// From a Content-Type value: text/event-stream, application/json or */*+json, else other.
BodyKind body_kind_from_content_type(std::string_view content_type);

// HTTP headers: name -> values, in file order. Lookups ignore ASCII case.
class Headers {
 public:
  using Entry = std::pair<std::string, std::vector<std::string>>;

  void add(std::string name, std::vector<std::string> values);
  // nullptr when absent. The first entry wins if a name repeats.
  const std::vector<std::string>* find(std::string_view name) const;
  // First value of the header, or "" when absent or empty.
  std::string_view first(std::string_view name) const;
  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<Entry> entries_;
};

struct Interaction {
  size_t index = 0;  // position in the file, from 0
  int64_t id = 0;    // the recorded id (version 1 has none: equals index)
  std::string method;
  std::string url;
  std::string request_body;
  Headers request_headers;
  int status_code = 0;   // response.code
  std::string status;    // response.status, e.g. "200 OK"
  std::string response_body;
  Headers response_headers;
  BodyKind body_kind = BodyKind::other;
  std::string duration;  // as written, e.g. "647.894459ms"
};

struct Cassette {
  std::string path;  // the name given for errors
  int version = 0;
  std::vector<Interaction> interactions;
};

struct CassetteOptions {
  uint64_t max_file_bytes = uint64_t{256} << 20;  // at most 2 GiB (yaml-cpp marks are int)
  size_t max_interactions = 100000;
  size_t max_nesting_depth = 128;
};

struct CassetteResult {
  std::optional<DiagCode> code;  // set on failure
  std::string message;           // set on failure
  Cassette cassette;             // complete only when ok()
  std::vector<Diagnostic> notes; // non-fatal findings (event_index = interaction index)

  bool ok() const { return !code.has_value(); }
};

CassetteResult load_cassette_file(const std::string& path, const CassetteOptions& options = {});
CassetteResult load_cassette_from_string(std::string_view yaml, std::string_view name_for_errors,
                                         const CassetteOptions& options = {});

// Linear pre-scan: an upper bound on the YAML nesting depth of `yaml`, stopping
// early once it passes `limit`. Block scalar content and quoted text are skipped.
// *line and *column (1-based) locate where the bound first exceeded `limit`.
size_t yaml_nesting_bound(std::string_view yaml, size_t limit, size_t* line, size_t* column);

}  // namespace ssecheck
