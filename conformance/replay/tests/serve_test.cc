// `ssecheck serve`'s case building over the corpus, and start_serve end to end.
#include "ssecheck/replay/serve.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {

using namespace ssecheck::replay;

const CaseSet& corpus_cases() {
  static const CaseSet set = [] {
    ServeConfig config;
    config.corpus = {std::filesystem::path(SSECHECK_CORPUS_DIR) / "cassettes"};
    CaseSet s;
    std::string error;
    EXPECT_TRUE(build_cases(config, &s, &error)) << error;
    return s;
  }();
  return set;
}

TEST(Serve, EveryCorpusStreamGetsItsCases) {
  const CaseSet& set = corpus_cases();
  EXPECT_GT(set.cases.size(), 1000u);
  std::set<std::string> tokens, dialects;
  for (const CaseEntry& e : set.cases) {
    EXPECT_TRUE(tokens.insert(e.token).second) << e.token;
    for (char c : e.token) ASSERT_TRUE(is_token_char(c)) << e.token;
    EXPECT_EQ(e.token, case_token(e.replay.id).substr(0, e.token.size()));
    EXPECT_FALSE(e.route.empty());
    dialects.insert(e.replay.dialect);
  }
  EXPECT_EQ(dialects.size(), 4u);
  // A schedule may not apply (no event to cut...), but never breaks a stream's meaning.
  for (const std::string& s : set.skipped) EXPECT_EQ(s.find("a bug in the schedule"), std::string::npos) << s;
}

TEST(Serve, ExpectationsFollowTheFault) {
  size_t faults = 0;
  for (const CaseEntry& e : corpus_cases().cases) {
    const ReplayCase& c = e.replay;
    switch (c.schedule.fault) {
      case Fault::rst_mid_event: EXPECT_EQ(c.expect.error, ErrorKind::connection); ++faults; break;
      case Fault::stall: EXPECT_EQ(c.expect.error, ErrorKind::timeout); ++faults; break;
      case Fault::http_429:
      case Fault::http_500:
      case Fault::http_529:
        EXPECT_EQ(c.expect.error, ErrorKind::http_status);
        EXPECT_EQ(c.expect.http_status, c.status);
        ++faults;
        break;
      case Fault::error_event: EXPECT_EQ(c.expect.error, ErrorKind::provider_error) << c.id; ++faults; break;
      default: break;
    }
    if (c.schedule.fault != Fault::none && c.schedule.fault != Fault::no_terminator) {
      EXPECT_FALSE(c.expect.ok) << c.id;
    }
  }
  EXPECT_GT(faults, 200u);
}

TEST(Serve, TokensAreReadable) {
  EXPECT_EQ(case_token("openai-chat/synthetic/refusal/0/bytes1+crlf"), "openai-chat~synthetic~refusal~0~bytes1_crlf");
  EXPECT_EQ(case_token("a/b/0/fault:rst-mid-event"), "a~b~0~fault_rst-mid-event");
  EXPECT_EQ(client_route("gemini", "m"), "/v1beta/models/m:streamGenerateContent?alt=sse");
}

TEST(Serve, ParseListen) {
  std::string host, error;
  uint16_t port = 1;
  ASSERT_TRUE(parse_listen("127.0.0.1:0", &host, &port, &error));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(parse_listen("[::1]:8080", &host, &port, &error));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8080);
  ASSERT_TRUE(parse_listen("9000", &host, &port, &error));
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 9000);
  ASSERT_TRUE(parse_listen("localhost:1", &host, &port, &error));
  for (std::string_view bad : {"127.0.0.1:", "127.0.0.1:70000", "::1:80", "[::1]80", "host:x"})
    EXPECT_FALSE(parse_listen(bad, &host, &port, &error)) << bad;
}

TEST(Serve, UsageErrors) {
  CaseSet set;
  std::string error;
  ServeConfig c;
  c.schedules = {"bytes9"};
  EXPECT_FALSE(build_cases(c, &set, &error));
  EXPECT_NE(error.find("bytes9"), std::string::npos);
  c = ServeConfig();
  c.corpus = {"/nonexistent/dir"};
  EXPECT_FALSE(build_cases(c, &set, &error));
  c = ServeConfig();
  c.dialects = {"cohere"};
  EXPECT_FALSE(build_cases(c, &set, &error));
  EXPECT_NE(error.find("openai-chat"), std::string::npos);

  std::ostringstream out, err;
  ServeConfig remote;
  remote.listen = "0.0.0.0:0";
  remote.corpus = {std::filesystem::path(SSECHECK_CORPUS_DIR) / "cassettes" / "gemini"};
  EXPECT_EQ(start_serve(remote, out, err), nullptr);
  EXPECT_NE(err.str().find("loopback"), std::string::npos) << err.str();
}

TEST(Serve, StartServeListsAndServes) {
  const std::filesystem::path json = std::filesystem::temp_directory_path() / "ssecheck-serve-test-cases.json";
  ServeConfig config;
  config.corpus = {std::filesystem::path(SSECHECK_CORPUS_DIR) / "cassettes" / "anthropic_messages"};
  config.schedules = {"whole", "bytes1+crlf", "fault:529"};
  config.match = "simple";
  config.cases_json = json.string();
  std::ostringstream out, err;
  auto server = start_serve(config, out, err);
  ASSERT_NE(server, nullptr) << err.str();
  EXPECT_TRUE(out.str().starts_with("listening on http://127.0.0.1:" + std::to_string(server->port()) + "\n"))
      << out.str();
  std::ifstream in(json);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_EQ(doc["cases"].Size(), 3u);
  const auto& first = doc["cases"][0];
  EXPECT_STREQ(first["schedule"].GetString(), "whole");
  EXPECT_STREQ(first["dialect"].GetString(), "anthropic-messages");
  EXPECT_TRUE(first["expect"].HasMember("result"));
  EXPECT_STREQ(doc["cases"][2]["expect"]["error"].GetString(), "http_status");
  EXPECT_EQ(server->case_count(), 3u);

  // One request through a listed URL.
  const std::string token = first["token"].GetString();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string req = "POST /c/" + token + "/v1/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                          "Content-Length: 2\r\n\r\n{}";
  ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) got.append(buf, static_cast<size_t>(n));
  ::close(fd);
  EXPECT_TRUE(got.starts_with("HTTP/1.1 200")) << got.substr(0, 200);
  EXPECT_NE(got.find("message_stop"), std::string::npos);
  std::filesystem::remove(json);
}

}  // namespace
