// Cassette loader: scalar forms, headers, body kinds, errors and limits.
// Every expected body below is written out by hand from the YAML spec rules.
#include "ssecheck/cassette.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace ssecheck {
namespace {

// A one-interaction version 2 cassette whose response body is `body_yaml`
// (the text after "body:", already indented for a block scalar).
std::string cassette_with_body(const std::string& body_yaml, const std::string& content_type = "text/event-stream") {
  return "---\n"
         "version: 2\n"
         "interactions:\n"
         "- id: 0\n"
         "  request:\n"
         "    body: '{\"stream\":true}'\n"
         "    url: https://api.example.com/v1/chat/completions\n"
         "    method: POST\n"
         "  response:\n"
         "    body: " + body_yaml +
         "    headers:\n"
         "      Content-Type:\n"
         "      - " + content_type + "\n"
         "    status: 200 OK\n"
         "    code: 200\n"
         "    duration: 12ms\n";
}

std::string body_of(const std::string& yaml) {
  CassetteResult r = load_cassette_from_string(yaml, "t.yaml");
  EXPECT_TRUE(r.ok()) << r.message;
  if (!r.ok() || r.cassette.interactions.size() != 1) return "<failed>";
  return r.cassette.interactions[0].response_body;
}

TEST(CassetteBody, BlockKeepKeepsTrailingBlankLines) {
  EXPECT_EQ(body_of(cassette_with_body("|+\n      data: a\n\n      data: b\n\n\n")),
            "data: a\n\ndata: b\n\n\n");
}

TEST(CassetteBody, BlockClipKeepsOneFinalNewline) {
  EXPECT_EQ(body_of(cassette_with_body("|\n      data: a\n\n      data: b\n\n\n")), "data: a\n\ndata: b\n");
}

TEST(CassetteBody, BlockStripDropsFinalNewlines) {
  EXPECT_EQ(body_of(cassette_with_body("|-\n      data: a\n\n      data: b\n\n")), "data: a\n\ndata: b");
}

TEST(CassetteBody, BlockKeepsMoreIndentedSpaces) {
  EXPECT_EQ(body_of(cassette_with_body("|+\n      data: a\n        : indented comment\n\n")),
            "data: a\n  : indented comment\n\n");
}

TEST(CassetteBody, DoubleQuotedEscapes) {
  // YAML escapes: \" \\ \t \n \r \u00e9 (2 bytes) \U0001F600 (4 bytes) \x41 \0 (a NUL byte).
  const std::string yaml =
      cassette_with_body(R"("data: {\"c\":\"caf\u00e9 \U0001F600\"}\t\\\x41\0end\r\n\n")" "\n");
  const std::string expected = std::string("data: {\"c\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}\t\\A") +
                               std::string(1, '\0') + "end\r\n\n";
  EXPECT_EQ(body_of(yaml), expected);
}

TEST(CassetteBody, DoubleQuotedCrLfStream) {
  const std::string yaml =
      cassette_with_body(R"("data: {\"x\":1}\r\n\r\ndata: [DONE]\r\n\r\n")" "\n");
  EXPECT_EQ(body_of(yaml), "data: {\"x\":1}\r\n\r\ndata: [DONE]\r\n\r\n");
}

TEST(CassetteBody, DoubleQuotedFoldsAcrossLines) {
  // A line break inside a double-quoted scalar folds to one space; an escaped
  // line break (backslash at the end of the line) joins without a space.
  const std::string yaml = cassette_with_body("\"data: a\n      b\\\n      c\\n\\n\"\n");
  EXPECT_EQ(body_of(yaml), "data: a bc\n\n");
}

TEST(CassetteBody, SingleQuotedDoublesQuotes) {
  EXPECT_EQ(body_of(cassette_with_body("'data: {\"t\":\"it''s\"}'\n")), "data: {\"t\":\"it's\"}");
}

TEST(CassetteBody, EmptyQuotedBodyIsEmpty) {
  EXPECT_EQ(body_of(cassette_with_body("\"\"\n")), "");
}

TEST(CassetteFields, InteractionFields) {
  CassetteResult r = load_cassette_from_string(cassette_with_body("|+\n      data: a\n\n"), "t.yaml");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.cassette.version, 2);
  EXPECT_EQ(r.cassette.path, "t.yaml");
  ASSERT_EQ(r.cassette.interactions.size(), 1u);
  const Interaction& i = r.cassette.interactions[0];
  EXPECT_EQ(i.index, 0u);
  EXPECT_EQ(i.id, 0);
  EXPECT_EQ(i.method, "POST");
  EXPECT_EQ(i.url, "https://api.example.com/v1/chat/completions");
  EXPECT_EQ(i.request_body, "{\"stream\":true}");
  EXPECT_EQ(i.status_code, 200);
  EXPECT_EQ(i.status, "200 OK");
  EXPECT_EQ(i.duration, "12ms");
  EXPECT_EQ(i.body_kind, BodyKind::event_stream);
  EXPECT_TRUE(r.notes.empty());
}

TEST(CassetteHeaders, LookupIgnoresCaseAndKeepsAllValues) {
  const std::string yaml =
      "version: 2\n"
      "interactions:\n"
      "- id: 7\n"
      "  request:\n"
      "    headers:\n"
      "      X-Multi:\n"
      "      - one\n"
      "      - two\n"
      "  response:\n"
      "    body: ''\n"
      "    headers:\n"
      "      content-type:\n"
      "      - text/event-stream; charset=utf-8\n"
      "    code: 200\n";
  CassetteResult r = load_cassette_from_string(yaml, "h.yaml");
  ASSERT_TRUE(r.ok()) << r.message;
  const Interaction& i = r.cassette.interactions[0];
  EXPECT_EQ(i.id, 7);
  EXPECT_EQ(i.response_headers.first("Content-Type"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(i.response_headers.first("CONTENT-TYPE"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(i.body_kind, BodyKind::event_stream);
  const std::vector<std::string>* multi = i.request_headers.find("x-multi");
  ASSERT_NE(multi, nullptr);
  EXPECT_EQ(*multi, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(i.request_headers.find("X-Missing"), nullptr);
  EXPECT_EQ(i.request_headers.first("X-Missing"), "");
}

TEST(CassetteBodyKind, JsonResponseIsANoteNotAFailure) {
  CassetteResult r = load_cassette_from_string(
      cassette_with_body("'{\"object\":\"chat.completion\"}'\n", "application/json; charset=utf-8"), "j.yaml");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.cassette.interactions[0].body_kind, BodyKind::json);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0].code, DiagCode::non_streaming_response);
  EXPECT_EQ(r.notes[0].severity, Severity::note);
  EXPECT_NE(r.notes[0].message.find("application/json"), std::string::npos);
}

TEST(CassetteBodyKind, FromContentType) {
  EXPECT_EQ(body_kind_from_content_type("text/event-stream"), BodyKind::event_stream);
  EXPECT_EQ(body_kind_from_content_type("Text/Event-Stream ; charset=utf-8"), BodyKind::event_stream);
  EXPECT_EQ(body_kind_from_content_type("application/json"), BodyKind::json);
  EXPECT_EQ(body_kind_from_content_type("application/problem+json"), BodyKind::json);
  EXPECT_EQ(body_kind_from_content_type("text/plain"), BodyKind::other);
  EXPECT_EQ(body_kind_from_content_type(""), BodyKind::other);
  EXPECT_EQ(body_kind_from_content_type("+json"), BodyKind::other);
}

TEST(CassetteVersion, VersionOneHasNoIds) {
  const std::string yaml =
      "---\n"
      "version: 1\n"
      "interactions:\n"
      "- request:\n"
      "    body: \"\"\n"
      "    form: {}\n"
      "    headers: {}\n"
      "    url: http://localhost/a\n"
      "    method: GET\n"
      "  response:\n"
      "    body: \"data: 1\\n\\n\"\n"
      "    headers:\n"
      "      Content-Type:\n"
      "      - text/event-stream\n"
      "    status: 200 OK\n"
      "    code: 200\n"
      "    duration: \"\"\n"
      "- request:\n"
      "    url: http://localhost/b\n"
      "    method: GET\n"
      "  response:\n"
      "    body: \"\"\n"
      "    code: 404\n";
  CassetteResult r = load_cassette_from_string(yaml, "v1.yaml");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.cassette.version, 1);
  ASSERT_EQ(r.cassette.interactions.size(), 2u);
  EXPECT_EQ(r.cassette.interactions[0].response_body, "data: 1\n\n");
  EXPECT_EQ(r.cassette.interactions[1].id, 1);
  EXPECT_EQ(r.cassette.interactions[1].url, "http://localhost/b");
  EXPECT_EQ(r.cassette.interactions[1].status_code, 404);
  EXPECT_EQ(r.cassette.interactions[1].body_kind, BodyKind::other);
}

TEST(CassetteVersion, EmptyInteractionListIsFine) {
  CassetteResult r = load_cassette_from_string("version: 2\ninteractions: []\n", "e.yaml");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_TRUE(r.cassette.interactions.empty());
}

TEST(CassetteVersion, UnsupportedVersion) {
  CassetteResult r = load_cassette_from_string("version: 3\ninteractions: []\n", "v3.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_version_unsupported);
  EXPECT_EQ(r.message.rfind("v3.yaml:1:10: ", 0), 0u) << r.message;
  EXPECT_NE(r.message.find("'3'"), std::string::npos) << r.message;
}

TEST(CassetteVersion, MissingVersion) {
  CassetteResult r = load_cassette_from_string("interactions: []\n", "nov.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_version_unsupported);
}

TEST(CassetteErrors, MalformedYamlNamesFileAndLine) {
  // Line 4 has a second mapping indicator after a plain value.
  const std::string yaml = "version: 2\ninteractions:\n- id: 0\n  request: a: b\n";
  CassetteResult r = load_cassette_from_string(yaml, "bad.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_yaml_invalid);
  EXPECT_EQ(r.message.rfind("bad.yaml:4:", 0), 0u) << r.message;
}

TEST(CassetteErrors, UnterminatedQuoteIsInvalidYaml) {
  // The quote opened on line 3 is still open at the end of the input (line 3).
  CassetteResult r = load_cassette_from_string("version: 2\ninteractions:\n- id: \"0", "q.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_yaml_invalid);
  EXPECT_EQ(r.message.rfind("q.yaml:3:", 0), 0u) << r.message;
}

TEST(CassetteErrors, InteractionsNotASequence) {
  CassetteResult r = load_cassette_from_string("version: 2\ninteractions:\n  foo: bar\n", "shape.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_shape_invalid);
  EXPECT_EQ(r.message, "shape.yaml:3:3: interactions must be a sequence");
}

TEST(CassetteErrors, TopLevelNotAMap) {
  for (const char* doc : {"", "- a\n- b\n", "just text\n"}) {
    CassetteResult r = load_cassette_from_string(doc, "top.yaml");
    ASSERT_FALSE(r.ok()) << doc;
    EXPECT_EQ(r.code, DiagCode::cassette_shape_invalid) << doc;
  }
}

TEST(CassetteErrors, WrongFieldTypes) {
  struct Case {
    const char* yaml;
    const char* message_part;
  } cases[] = {
      {"version: 2\ninteractions:\n- 5\n", "interactions[0] must be a map"},
      {"version: 2\ninteractions:\n- id: x\n  request: {}\n  response: {body: ''}\n", "interactions[0].id must be an integer"},
      {"version: 2\ninteractions:\n- id: 0\n  response: {body: ''}\n", "interactions[0] has no request"},
      {"version: 2\ninteractions:\n- id: 0\n  request: {}\n", "interactions[0] has no response"},
      {"version: 2\ninteractions:\n- id: 0\n  request: []\n  response: {body: ''}\n", "interactions[0].request must be a map"},
      {"version: 2\ninteractions:\n- id: 0\n  request: {}\n  response: {body: [a]}\n", "response.body must be a string"},
      {"version: 2\ninteractions:\n- id: 0\n  request: {}\n  response: {body: '', code: OK}\n", "response.code must be an integer"},
      {"version: 2\ninteractions:\n- id: 0\n  request: {}\n  response: {body: '', headers: [a]}\n", "response.headers must be a map"},
      {"version: 2\ninteractions:\n- id: 0\n  request: {}\n  response: {body: '', headers: {A: {b: c}}}\n", "values of 'A' must be a list"},
  };
  for (const Case& c : cases) {
    CassetteResult r = load_cassette_from_string(c.yaml, "w.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_EQ(r.code, DiagCode::cassette_shape_invalid) << c.yaml;
    EXPECT_NE(r.message.find(c.message_part), std::string::npos) << r.message;
    EXPECT_EQ(r.message.rfind("w.yaml:", 0), 0u) << r.message;
  }
}

TEST(CassetteErrors, MissingResponseBody) {
  const std::string yaml =
      "version: 2\ninteractions:\n- id: 0\n  request: {}\n  response:\n    code: 200\n    status: 200 OK\n";
  CassetteResult r = load_cassette_from_string(yaml, "nobody.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_body_missing);
  EXPECT_EQ(r.message, "nobody.yaml:6:5: interactions[0].response has no body");
}

TEST(CassetteLimits, DeepFlowNestingIsRejectedWithoutCrashing) {
  CassetteResult r = load_cassette_from_string(std::string(100000, '['), "deep.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_too_deep);
  EXPECT_EQ(r.message.rfind("deep.yaml:1:", 0), 0u) << r.message;
}

TEST(CassetteLimits, DeepNestingOfEveryKindIsRejected) {
  std::string flow_maps;
  for (int i = 0; i < 50000; ++i) flow_maps += "{\"a\":";
  std::string compact_seq;
  for (int i = 0; i < 50000; ++i) compact_seq += "- ";
  std::string block_maps;
  for (int i = 0; i < 3000; ++i) block_maps += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  std::string mixed = "version: 2\ninteractions:\n- id: 0\n  request: {a: " + std::string(20000, '[') + "\n";
  for (const std::string* doc : {&flow_maps, &compact_seq, &block_maps, &mixed}) {
    CassetteResult r = load_cassette_from_string(*doc, "deep.yaml");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code, DiagCode::cassette_too_deep) << r.message;
  }
}

TEST(CassetteLimits, BracketsInsideBodiesAreNotNesting) {
  // 300 '[' inside a block scalar and inside quoted scalars are text, not structure.
  const std::string brackets(300, '[');
  const std::string block = cassette_with_body("|+\n      data: " + brackets + "\n\n");
  EXPECT_EQ(body_of(block), "data: " + brackets + "\n\n");
  const std::string dq = cassette_with_body("\"" + brackets + "\"\n");
  EXPECT_EQ(body_of(dq), brackets);
  const std::string sq = cassette_with_body("'it''s " + brackets + "'\n");
  EXPECT_EQ(body_of(sq), "it's " + brackets);
}

TEST(CassetteLimits, NestingLimitIsConfigurable) {
  const std::string yaml = "version: 2\ninteractions: [[[[[]]]]]\n";
  CassetteOptions tight;
  tight.max_nesting_depth = 3;
  EXPECT_EQ(load_cassette_from_string(yaml, "n.yaml", tight).code, DiagCode::cassette_too_deep);
  CassetteResult r = load_cassette_from_string(yaml, "n.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_shape_invalid);  // default limit: parses, then fails on shape
}

TEST(CassetteLimits, OversizedInputIsRejected) {
  CassetteOptions small;
  small.max_file_bytes = 100;
  const std::string yaml = "version: 2\ninteractions: []\n" + std::string(100, '#');
  CassetteResult r = load_cassette_from_string(yaml, "big.yaml", small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_too_large);

  const std::string path = ::testing::TempDir() + "ssecheck_cassette_big.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out << yaml;
  }
  r = load_cassette_file(path, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_too_large);
  EXPECT_NE(r.message.find(path), std::string::npos);
  small.max_file_bytes = 1000;
  r = load_cassette_file(path, small);
  EXPECT_TRUE(r.ok()) << r.message;
  std::remove(path.c_str());
}

TEST(CassetteLimits, TooManyInteractions) {
  CassetteOptions one;
  one.max_interactions = 1;
  const std::string yaml =
      "version: 2\ninteractions:\n- {request: {}, response: {body: ''}}\n- {request: {}, response: {body: ''}}\n";
  EXPECT_TRUE(load_cassette_from_string(yaml, "m.yaml").ok());
  EXPECT_EQ(load_cassette_from_string(yaml, "m.yaml", one).code, DiagCode::cassette_too_many_interactions);
}

TEST(CassetteFile, MissingFileIsAnIoError) {
  CassetteResult r = load_cassette_file("/nonexistent/dir/x.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code, DiagCode::cassette_io_error);
  EXPECT_EQ(r.message.rfind("/nonexistent/dir/x.yaml: ", 0), 0u) << r.message;
}

TEST(CassetteRobustness, ArbitraryBytesNeverCrash) {
  // Deterministic pseudo-random documents built from YAML-significant bytes.
  const char alphabet[] = "[]{}-:?|>+'\"\\#&*!%@ \n\r\t,.0aZ\x00\xff\xc3";
  uint32_t state = 12345;
  for (int n = 0; n < 3000; ++n) {
    std::string doc;
    const size_t len = n % 200;
    for (size_t k = 0; k < len; ++k) {
      state = state * 1664525u + 1013904223u;
      doc += alphabet[(state >> 16) % (sizeof alphabet - 1)];
    }
    CassetteResult r = load_cassette_from_string(doc, "fuzz.yaml");
    if (!r.ok()) {
      EXPECT_FALSE(r.message.empty());
    }
  }
}

}  // namespace
}  // namespace ssecheck
