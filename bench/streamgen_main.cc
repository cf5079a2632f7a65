// ssecheck_streamgen: writes a generated stream to stdout or a file.
//   ssecheck_streamgen --seed S --size N[K|M|G] [--crlf] [--profile P] [--count N] [-o FILE]
// Profiles: agent (default), keepalive, tool_fragments, comments (these two use --count).
// Prints "bytes=… events=… comments=… largest_event=…" on stderr. Exit 2 on usage/I/O error.
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

int usage() {
  std::fputs("usage: ssecheck_streamgen --seed S --size N[K|M|G] [--crlf] "
             "[--profile agent|keepalive|tool_fragments|comments] [--count N] [-o FILE]\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ssecheck::bench::StreamOptions options;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--crlf") {
      options.crlf = true;
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
  std::fprintf(stderr, "bytes=%llu events=%llu comments=%llu tool_fragments=%llu largest_event=%llu\n",
               static_cast<unsigned long long>(s.bytes), static_cast<unsigned long long>(s.events),
               static_cast<unsigned long long>(s.comments), static_cast<unsigned long long>(s.tool_fragments),
               static_cast<unsigned long long>(s.largest_event));
  return 0;
}
