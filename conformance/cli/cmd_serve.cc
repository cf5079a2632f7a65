// ssecheck serve: the replay server on loopback (conformance/replay/).
#include <memory>

#include "commands.h"
#include "ssecheck/replay/serve.h"

namespace ssecheck::cli {

namespace {

struct ServeArgs {
  replay::ServeConfig config;
  std::vector<std::string> corpora;
  uint64_t stall_ms = 30000, header_ms = 10000, body_ms = 30000, write_ms = 60000;
};

int run(ServeArgs& a) {
  replay::ServeConfig& config = a.config;
  for (const std::string& c : a.corpora) config.corpus.emplace_back(c);
  config.case_options.stall = std::chrono::milliseconds(a.stall_ms);
  config.server.header_timeout = std::chrono::milliseconds(a.header_ms);
  config.server.body_timeout = std::chrono::milliseconds(a.body_ms);
  config.server.write_timeout = std::chrono::milliseconds(a.write_ms);
  return replay::run_serve(config);
}

}  // namespace

Command add_serve_command(CLI::App& parent) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* sub =
      parent.add_subcommand("serve", "serve recorded streams to a real client, under chosen chunkings and faults");
  sub->description(sub->get_description() + "\n\n" +
                   "Serves every streamed interaction of the cassettes under the corpus directories, under every\n"
                   "schedule (chunkings, SSE rewrites, noise, faults), at its own base URL\n"
                   "http://HOST:PORT/c/<token>, answering the provider routes a client appends\n"
                   "(/v1/chat/completions, /v1/responses, /v1/messages,\n"
                   "/v1beta/models/<m>:streamGenerateContent?alt=sse). Prints the address and the case list,\n"
                   "then serves until SIGINT or SIGTERM. GET /__ssecheck/journal shows what clients sent.");
  sub->footer(exit_footer("stopped by SIGINT or SIGTERM", ""));
  ServeArgs& a = *args;
  replay::ServeConfig& c = a.config;
  sub->add_option("--corpus", a.corpora, "cassette directory or file (repeatable; default: the built-in corpus)")
      ->type_name("DIR");
  sub->add_option("--listen", c.listen, "HOST:PORT, [V6]:PORT or PORT; port 0 picks one (default 127.0.0.1:0)");
  sub->add_flag("--allow-non-loopback", c.allow_non_loopback, "allow an address other than loopback");
  sub->add_option("--schedule", c.schedules, "a schedule name (repeatable; default: the dialect's standard set)");
  sub->add_option("--dialect", c.dialects, "only this dialect (repeatable)");
  sub->add_option("--match", c.match, "only case ids containing this text");
  sub->add_option("--cases-json", c.cases_json, "write the case list as JSON to FILE (- for stdout)")->type_name("FILE");
  add_count(*sub, "--stall-ms", a.stall_ms, 1, 3600000,
            "fault:stall: the silence, longer than a client's read timeout (default 30000)");
  sub->add_option("--retry-after", c.case_options.retry_after, "fault:429: the retry-after value in seconds (default 1)");
  add_count(*sub, "--max-header-bytes", c.server.limits.max_header_bytes, 1024, size_t{1} << 24,
            "request head limit, 431 beyond (default 16384)");
  add_count(*sub, "--max-body-bytes", c.server.limits.max_body_bytes, 0, size_t{1} << 30,
            "request body limit, 413 beyond (default 8 MiB)");
  add_count(*sub, "--header-timeout-ms", a.header_ms, 1, 3600000, "time for a request head, 408 beyond (default 10000)");
  add_count(*sub, "--body-timeout-ms", a.body_ms, 1, 3600000, "time for a request body (default 30000)");
  add_count(*sub, "--write-timeout-ms", a.write_ms, 1, 3600000, "time for a client to take one piece (default 60000)");
  add_count(*sub, "--max-connections", c.server.max_connections, 1, 100000,
            "connections served at once, 503 beyond (default 512)");
  add_count(*sub, "--threads", c.server.threads, 1, 64, "server threads (default 1)");
  add_count(*sub, "--journal-max-entries", c.server.journal_max_entries, 0, size_t{1} << 20,
            "requests kept per case (default 256)");
  return {sub, [args] { return run(*args); }};
}

}  // namespace ssecheck::cli
