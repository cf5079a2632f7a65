// ssecheck_streamgen: writes a generated stream to stdout or a file.
//   ssecheck_streamgen [--dialect D] --seed S --size N[K|M|G] [--crlf|--lf] [--profile P] [--count N] [-o FILE]
// Dialects: openai-chat (default), openai-responses, anthropic-messages, gemini (CRLF
// unless --lf, as recorded). Profiles: agent (default), keepalive; openai-chat also
// tool_fragments and comments (these two use --count).
// Prints "bytes=… events=… comments=… largest_event=… digest=…" on stderr (the digest of
// the result the stream assembles to, as ssecheck_assemblefile prints it). Exit 2 on
// usage/I/O error.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "stream_generator.h"

namespace {

using ssecheck::bench::StreamProfile;

bool parse_size(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  uint64_t shift = 0;
  switch (text.back()) {
    case 'K': shift = 10; break;
    case 'M': shift = 20; break;
    case 'G': shift = 30; break;
    default: break;
  }
  if (shift != 0) text.remove_suffix(1);
  if (text.empty() || text.size() > 15) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  out = v << shift;
  return true;
}

bool parse_profile(std::string_view text, StreamProfile& out) {
  if (text == "agent") out = StreamProfile::agent;
  else if (text == "keepalive") out = StreamProfile::keepalive;
  else if (text == "tool_fragments") out = StreamProfile::tool_fragments;
  else if (text == "comments") out = StreamProfile::comments;
  else return false;
  return true;
}

int usage(const char* why = nullptr) {
  if (why != nullptr) std::fprintf(stderr, "ssecheck_streamgen: %s\n", why);
  std::fputs("usage: ssecheck_streamgen [--dialect openai-chat|openai-responses|anthropic-messages|gemini] "
             "--seed S --size N[K|M|G] [--crlf|--lf] "
             "[--profile agent|keepalive|tool_fragments|comments] [--count N] [-o FILE]\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ssecheck::bench::StreamOptions options;
  const char* path = nullptr;
  int crlf = -1;  // -1: the dialect's recorded line ending
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--crlf") {
      crlf = 1;
    } else if (arg == "--lf") {
      crlf = 0;
    } else if (arg == "--dialect" && has_value) {
      if (!ssecheck::bench::parse_wire(argv[++i], options.wire)) return usage("unknown dialect");
    } else if (arg == "--seed" && has_value) {
      if (!parse_size(argv[++i], options.seed)) return usage();
    } else if (arg == "--size" && has_value) {
      if (!parse_size(argv[++i], options.target_bytes)) return usage();
    } else if (arg == "--count" && has_value) {
      if (!parse_size(argv[++i], options.count)) return usage();
    } else if (arg == "--profile" && has_value) {
      if (!parse_profile(argv[++i], options.profile)) return usage();
    } else if (arg == "-o" && has_value) {
      path = argv[++i];
    } else {
      return usage();
    }
  }
  options.crlf = crlf == 1 || (crlf == -1 && options.wire == ssecheck::bench::WireFormat::gemini);
  if (!ssecheck::bench::profile_supported(options.wire, options.profile))
    return usage("profiles tool_fragments and comments are openai-chat only");
  std::FILE* out = path != nullptr ? std::fopen(path, "wb") : stdout;
  if (out == nullptr) {
    std::perror(path);
    return 2;
  }
  ssecheck::bench::StreamGenerator gen(options);
  std::vector<char> block(1 << 16);
  while (size_t n = gen.next_block(block)) {
    if (std::fwrite(block.data(), 1, n, out) != n) {
      std::perror("write");
      return 2;
    }
  }
  if ((path != nullptr ? std::fclose(out) : std::fflush(out)) != 0) {
    std::perror("close");
    return 2;
  }
  const auto& s = gen.stats();
  std::fprintf(stderr,
               "bytes=%llu events=%llu comments=%llu tool_fragments=%llu largest_event=%llu digest=%s "
               "reasoning_digest=%s\n",
               static_cast<unsigned long long>(s.bytes), static_cast<unsigned long long>(s.events),
               static_cast<unsigned long long>(s.comments), static_cast<unsigned long long>(s.tool_fragments),
               static_cast<unsigned long long>(s.largest_event), s.expected.digest().c_str(),
               s.expected.reasoning_digest().c_str());
  return 0;
}
