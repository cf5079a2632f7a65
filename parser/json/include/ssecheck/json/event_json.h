// EventJson: parses one event's data with bounded depth and size, simdjson first and
// RapidJSON behind it, and hands out a read-only view of the result.
//
// Invariants:
//  - Never throws. A refusal is a JsonStatus plus a message worded by RapidJSON
//    ("data is not valid JSON: Invalid value. at byte 3"), whichever back end ran,
//    so reports are byte-identical with or without simdjson.
//  - Numbers convert exactly (numbers.h) in both back ends.
//  - Buffers are reused across parse() calls; a view is valid until the next parse().
//  - Data simdjson may read differently (over 1 MiB, NUL, "0e999", lone surrogates,
//    numbers past 64 bits) goes to RapidJSON.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ssecheck/json/value.h"

namespace ssecheck {

// Which JSON parser reads event data. Reports are the same; only speed differs.
enum class JsonBackend : uint8_t {
  fastest,    // simdjson when built with it, RapidJSON for what simdjson refuses
  rapidjson,  // RapidJSON only (the reference for cross-checks)
};

// True when this build parses with simdjson (libsimdjson-dev was found).
bool has_simdjson();

namespace json {

struct Limits {
  uint32_t max_depth = 64;          // nested arrays/objects
  uint64_t max_values = 1'000'000;  // values in one document
};

enum class Status : uint8_t { ok, invalid, too_deep, too_large };

class EventJson {
 public:
  explicit EventJson(JsonBackend backend = JsonBackend::fastest, Limits limits = {});
  ~EventJson();
  EventJson(const EventJson&) = delete;
  EventJson& operator=(const EventJson&) = delete;

  Status parse(std::string_view data);
  // Why the last parse() failed, worded for a diagnostic message.
  const std::string& error() const;
  // The last successful parse's root (absent after a failure).
  Value root() const;
  // The root as the back end's own view, for template walks: f(RapidView) or f(SimdView).
  template <typename F>
  decltype(auto) visit(F&& f) const;

  const Limits& limits() const;
  uint64_t simdjson_parses() const;
  size_t capacity() const;  // bytes held by buffers and pools

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  // Filled by parse() for visit().
  const RapidValue* rapid_root_ = nullptr;
#if SSECHECK_HAVE_SIMDJSON
  simdjson::dom::element simd_root_;
  bool simd_ = false;
#endif
};

template <typename F>
decltype(auto) EventJson::visit(F&& f) const {
#if SSECHECK_HAVE_SIMDJSON
  if (simd_) return f(SimdView(simd_root_));
#endif
  return f(RapidView<RapidValue>(rapid_root_));
}

// Validates text as JSON (RapidJSON, full grammar, UTF-8 checked) within limits.
bool is_valid_json(std::string_view text, Limits limits = {});

}  // namespace json
}  // namespace ssecheck
