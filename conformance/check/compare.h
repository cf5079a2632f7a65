// Comparison of an implementation's normalized result with the expected one.
//
// Invariants: only the fields the adapter declared are compared (the output count and
// indices always are); every difference is one readable line naming its JSON path,
// with both values, so a FAIL explains itself.
#pragma once

#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

#include "adapter_protocol.h"

namespace ssecheck::check {

std::vector<std::string> compare_normalized(const rapidjson::Value& expected, const rapidjson::Value& got,
                                            const std::set<std::string>& fields);

std::vector<std::string> compare_events(const std::vector<EventRecord>& expected,
                                        const std::vector<EventRecord>& got);

// Compact JSON of a value, at most max_bytes (then "…").
std::string json_text(const rapidjson::Value& v, size_t max_bytes = 200);

}  // namespace ssecheck::check
