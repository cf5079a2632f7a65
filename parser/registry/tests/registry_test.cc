// The registry and the driver: names come from the table, URLs and first events pick
// the right dialect, an unknown name fails, and "auto" equals naming the dialect.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ssecheck/assemble.h"
#include "ssecheck/registry.h"

namespace ssecheck {
namespace {

TEST(Registry, NamesAreUniqueAndFound) {
  std::set<std::string_view> names;
  for (const DialectInfo* d : dialects()) {
    EXPECT_TRUE(names.insert(d->name).second) << d->name;
    EXPECT_EQ(find_dialect(d->name), d);
    auto made = make_dialect(d->name);
    ASSERT_NE(made, nullptr);
    EXPECT_EQ(made->name(), d->name);
    EXPECT_FALSE(d->title.empty());
    EXPECT_FALSE(d->limits.empty());
  }
  // The four the product ships (a fact of this release, not read from the table).
  EXPECT_EQ(names, (std::set<std::string_view>{"openai-chat", "openai-responses", "anthropic-messages", "gemini"}));
  EXPECT_EQ(find_dialect("openai"), nullptr);
  EXPECT_EQ(find_dialect("OpenAI-Chat"), nullptr);
  EXPECT_EQ(make_dialect("gemin"), nullptr);
  EXPECT_EQ(dialect_names_joined(), "openai-chat, openai-responses, anthropic-messages, gemini");
}

std::string_view by_url(std::string_view url) {
  const DialectInfo* d = dialect_for_request(url);
  return d ? d->name : "none";
}

TEST(Registry, RequestUrlsPickTheDialect) {
  EXPECT_EQ(by_url("https://api.openai.com/v1/chat/completions"), "openai-chat");
  EXPECT_EQ(by_url("https://x.openai.azure.com/openai/deployments/gpt4/chat/completions?api-version=2024-10-21"),
            "openai-chat");
  EXPECT_EQ(by_url("https://openrouter.ai/api/v1/chat/completions"), "openai-chat");
  EXPECT_EQ(by_url("https://api.openai.com/v1/responses"), "openai-responses");
  EXPECT_EQ(by_url("https://api.anthropic.com/v1/messages"), "anthropic-messages");
  EXPECT_EQ(by_url("https://api.anthropic.com/v1/messages?beta=true"), "anthropic-messages");
  EXPECT_EQ(by_url("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"),
            "gemini");
  EXPECT_EQ(by_url("https://api.openai.com/v1/embeddings"), "none");
  EXPECT_EQ(by_url("https://api.anthropic.com/v1/messages/count_tokens"), "none");
}

std::string_view by_event(std::string_view type, std::string_view data) {
  const DialectInfo* d = dialect_for_event(type, data);
  return d ? d->name : "none";
}

TEST(Registry, FirstEventsPickTheDialect) {
  EXPECT_EQ(by_event("message", R"({"id":"c","object":"chat.completion.chunk","choices":[]})"), "openai-chat");
  EXPECT_EQ(by_event("message", "[DONE]"), "openai-chat");
  EXPECT_EQ(by_event("response.created",
                     R"({"type":"response.created","sequence_number":0,"response":{"id":"r","object":"response"}})"),
            "openai-responses");
  EXPECT_EQ(by_event("message_start", R"({"type":"message_start","message":{"id":"m","type":"message"}})"),
            "anthropic-messages");
  EXPECT_EQ(by_event("message", R"({"candidates":[{"content":{"parts":[{"text":"hi"}]}}]})"), "gemini");
  EXPECT_EQ(by_event("message", "not json"), "none");
  EXPECT_EQ(by_event("message", "{}"), "none");
}

TEST(Driver, UnknownDialectFailsWithTheKnownNames) {
  AssembleOptions o;
  o.dialect = "anthropic";
  const AssembleResult r = assemble("event: ping\ndata: {}\n\n", {}, o);
  EXPECT_TRUE(r.failed());
  ASSERT_TRUE(r.report.first_fatal);
  const Diagnostic& d = r.report.diagnostics[*r.report.first_fatal];
  EXPECT_EQ(d.code, DiagCode::unknown_dialect);
  EXPECT_NE(d.message.find("anthropic-messages"), std::string::npos) << d.message;
}

TEST(Driver, AutoWithNothingToGoOnFallsBackWithANote) {
  const AssembleResult r = assemble(": only a comment\n\n", {});
  EXPECT_EQ(r.report.dialect, std::string(kFallbackDialect));
  EXPECT_TRUE(r.report.has(DiagCode::dialect_not_detected));
  EXPECT_EQ(r.report.stats.comments, 1u);
}

TEST(Driver, AutoHoldsBackCommentsAndDiagnosticsUntilAnEventDecides) {
  std::string body;
  for (int i = 0; i < 10000; ++i) body += ": keep-alive\n";
  body += "bogus: field\n\n";
  body += "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\","
          "\"role\":\"assistant\",\"model\":\"x\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n";
  AssembleOptions named;
  named.dialect = "anthropic-messages";
  const AssembleResult a = assemble(body, {}), n = assemble(body, {}, named);
  EXPECT_EQ(a.report.dialect, "anthropic-messages");
  EXPECT_EQ(a.json_compact, n.json_compact);
  EXPECT_EQ(a.report.stats.comments, 10000u);
  EXPECT_TRUE(a.report.has(DiagCode::unknown_field));
}

TEST(Driver, FatalDiagnosticsAreKeptPastTheCap) {
  AssembleOptions o;
  o.dialect = "openai-chat";
  o.limits.max_diagnostics = 3;
  std::string body;
  for (int i = 0; i < 10; ++i) body += "event: weird\ndata: x\n\n";  // deviations
  body += "data: {not json\n\n";                                    // fatal
  const AssembleResult r = assemble(body, {}, o);
  ASSERT_TRUE(r.report.first_fatal);
  EXPECT_EQ(r.report.diagnostics[*r.report.first_fatal].code, DiagCode::invalid_json);
  EXPECT_EQ(r.report.counts.dropped, 7u);
  EXPECT_EQ(r.report.counts.fatal, 2u);  // invalid_json, then truncated at the end
}

}  // namespace
}  // namespace ssecheck
