#include "json_backends.h"

namespace ssecheck::bench {

void Fold::clear() {
  content.clear();
  reasoning.clear();
  tools.clear();
  chunks = errors = 0;
}

void Fold::tool(uint64_t index, std::string_view id, std::string_view name, std::string_view arguments) {
  if (index >= kMaxTools) {
    ++errors;
    return;
  }
  if (index >= tools.size()) tools.resize(index + 1);
  Tool& t = tools[index];
  if (t.id.empty()) t.id = id;
  if (t.name.empty()) t.name = name;
  t.arguments += arguments;
}

uint64_t Fold::digest() const {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    h = (h ^ 0xff) * 0x100000001b3ULL;  // field separator
  };
  mix(content);
  mix(reasoning);
  for (const Tool& t : tools) {
    mix(t.id);
    mix(t.name);
    mix(t.arguments);
  }
  return h;
}

#if !SSECHECK_BENCH_HAVE_SIMDJSON
std::unique_ptr<JsonBackend> make_simdjson() { return nullptr; }
std::unique_ptr<JsonBackend> make_simdjson_validating() { return nullptr; }
std::unique_ptr<JsonBackend> make_simdjson_dom() { return nullptr; }
#endif

}  // namespace ssecheck::bench
