// ssecheck serve: the replay server on loopback (conformance/replay/).
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.h"
#include "ssecheck/replay/serve.h"

namespace ssecheck::cli {

int run_serve(int argc, char** argv) {
  CLI::App app{
      "Serves every streamed interaction of the cassettes under the corpus directories, under\n"
      "every schedule (chunkings, SSE rewrites, noise, faults), at its own base URL\n"
      "http://HOST:PORT/c/<token>, answering the provider routes a client appends\n"
      "(/v1/chat/completions, /v1/responses, /v1/messages,\n"
      "/v1beta/models/<m>:streamGenerateContent?alt=sse). Prints the address and the case\n"
      "list, then serves until SIGINT or SIGTERM. GET /__ssecheck/journal shows what clients\n"
      "sent. Exit: 0 stopped by a signal, 2 usage, I/O or corpus error.",
      "ssecheck serve"};
  replay::ServeConfig config;
  std::vector<std::string> corpora;
  int stall_ms = 30000, header_ms = 10000, body_ms = 30000, write_ms = 60000;
  app.add_option("--corpus", corpora, "cassette directory or file (repeatable; default: the built-in corpus)");
  app.add_option("--listen", config.listen, "HOST:PORT, [V6]:PORT or PORT; port 0 picks one")->capture_default_str();
  app.add_flag("--allow-non-loopback", config.allow_non_loopback, "allow listening on an address other than loopback");
  app.add_option("--schedule", config.schedules, "a schedule name (repeatable; default: the dialect's standard set)");
  app.add_option("--dialect", config.dialects, "only this dialect (repeatable)");
  app.add_option("--match", config.match, "only case ids containing this text");
  app.add_option("--cases-json", config.cases_json, "write the case list as JSON to FILE (- for stdout)");
  app.add_option("--stall-ms", stall_ms, "fault:stall: the silence, longer than a client's read timeout")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  app.add_option("--retry-after", config.case_options.retry_after, "fault:429: the retry-after value (seconds)")
      ->capture_default_str();
  app.add_option("--max-header-bytes", config.server.limits.max_header_bytes, "request head limit (431 beyond)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 24))
      ->capture_default_str();
  app.add_option("--max-body-bytes", config.server.limits.max_body_bytes, "request body limit (413 beyond)")
      ->check(CLI::Range(size_t{0}, size_t{1} << 30))
      ->capture_default_str();
  app.add_option("--header-timeout-ms", header_ms, "time for a request head (408 beyond)")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  app.add_option("--body-timeout-ms", body_ms, "time for a request body")->check(CLI::Range(1, 3600000))->capture_default_str();
  app.add_option("--write-timeout-ms", write_ms, "time for a client to take one piece")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  app.add_option("--max-connections", config.server.max_connections, "connections served at once (503 beyond)")
      ->check(CLI::Range(size_t{1}, size_t{100000}))
      ->capture_default_str();
  app.add_option("--threads", config.server.threads, "server threads")->check(CLI::Range(1u, 64u))->capture_default_str();
  app.add_option("--journal-max-entries", config.server.journal_max_entries, "requests kept per case")
      ->check(CLI::Range(size_t{0}, size_t{1} << 20))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  for (const std::string& c : corpora) config.corpus.emplace_back(c);
  config.case_options.stall = std::chrono::milliseconds(stall_ms);
  config.server.header_timeout = std::chrono::milliseconds(header_ms);
  config.server.body_timeout = std::chrono::milliseconds(body_ms);
  config.server.write_timeout = std::chrono::milliseconds(write_ms);
  return replay::run_serve(config);
}

}  // namespace ssecheck::cli
