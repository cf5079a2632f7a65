#include "ssecheck/dialect.h"

#include <array>

namespace ssecheck {
namespace {

class OpenAiChatDialect final : public StreamDialect {
 public:
  explicit OpenAiChatDialect(const DialectOptions& options) : accumulator_(options) {}
  std::string_view name() const override { return "openai-chat"; }
  void on_event(const Event& event) override { accumulator_.on_event(event); }
  void on_comment(std::string_view text, uint64_t offset) override { accumulator_.on_comment(text, offset); }
  void on_lower_diagnostic(DiagCode code, uint64_t event_index, uint64_t offset) override {
    accumulator_.add_diagnostic(code, event_index, offset);
  }
  void finish(uint64_t end_offset) override { accumulator_.finish(end_offset); }
  const AssemblyReport& report() const override { return accumulator_.report(); }
  AssemblyReport& mutable_report() override { return accumulator_.mutable_report(); }

 private:
  DeltaAccumulator accumulator_;
};

using Factory = std::unique_ptr<StreamDialect> (*)(const DialectOptions&);
struct Entry {
  std::string_view name;
  Factory make;
};

constexpr std::array kRegistry = {
    Entry{"openai-chat",
          [](const DialectOptions& o) -> std::unique_ptr<StreamDialect> {
            return std::make_unique<OpenAiChatDialect>(o);
          }},
};

constexpr std::array<std::string_view, kRegistry.size()> kNames = {kRegistry[0].name};

}  // namespace

std::unique_ptr<StreamDialect> make_dialect(std::string_view name, const DialectOptions& options) {
  for (const Entry& e : kRegistry)
    if (e.name == name) return e.make(options);
  return nullptr;
}

std::span<const std::string_view> dialect_names() { return kNames; }

}  // namespace ssecheck
