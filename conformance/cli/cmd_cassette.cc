// ssecheck cassette FILE|- [--interaction N] [--body]
// Lists a go-vcr cassette's interactions, or prints one raw response body.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "commands.h"
#include "ssecheck/cassette.h"

namespace ssecheck::cli {
namespace {

constexpr const char* kHelp =
    "usage: ssecheck cassette FILE|- [--interaction N] [--body]\n"
    "  FILE is a go-vcr cassette (v1 or v2); - reads it from stdin\n"
    "  without --body: one tab-separated line per interaction\n"
    "    (index, id, method, code, kind, body_bytes, data_lines, url)\n"
    "  --interaction N  only interaction N (from 0)\n"
    "  --body           print the raw response body byte-exact (interaction 0 by default)\n"
    "exit: 0 ok, 2 usage, I/O or cassette error\n";

int usage_error(const std::string& text) {
  std::fprintf(stderr, "ssecheck cassette: %s\n", text.c_str());
  return 2;
}

bool parse_index(std::string_view s, size_t& out) {
  if (s.empty() || s.size() > 9) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<size_t>(c - '0');
  }
  return true;
}

// Lines of the body that start with "data:" (LF, CRLF or CR line endings).
size_t count_data_lines(std::string_view body) {
  size_t count = 0;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = body.size();
    if (body.substr(start, end - start).starts_with("data:")) ++count;
    start = end + 1;
    if (end < body.size() && body[end] == '\r' && start < body.size() && body[start] == '\n') ++start;
  }
  return count;
}

void print_row(const Interaction& i) {
  std::printf("%zu\t%lld\t%s\t%d\t%.*s\t%zu\t%zu\t%s\n", i.index, static_cast<long long>(i.id),
              i.method.c_str(), i.status_code, static_cast<int>(body_kind_name(i.body_kind).size()),
              body_kind_name(i.body_kind).data(), i.response_body.size(),
              count_data_lines(i.response_body), i.url.c_str());
}

// All of stdin, up to limit bytes; false on a read error or when there is more.
bool read_stdin(std::string& out, uint64_t limit, bool& too_large) {
  char buffer[1 << 16];
  too_large = false;
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
    if (out.size() + n > limit) {
      too_large = true;
      return false;
    }
    out.append(buffer, n);
  }
  return std::ferror(stdin) == 0;
}

}  // namespace

int run_cassette(int argc, char** argv) {
  std::string file;
  bool body = false;
  bool has_index = false;
  size_t index = 0;
  for (int a = 1; a < argc; ++a) {
    const std::string_view arg = argv[a];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (arg == "--body") {
      body = true;
    } else if (arg == "--interaction") {
      if (a + 1 >= argc) return usage_error("--interaction needs a number");
      if (!parse_index(argv[++a], index)) return usage_error(std::string("bad interaction number '") + argv[a] + "'");
      has_index = true;
    } else if (arg.starts_with("-") && arg != "-") {
      return usage_error("unknown option '" + std::string(arg) + "' (see --help)");
    } else if (file.empty()) {
      file = arg;
    } else {
      return usage_error("only one FILE may be given");
    }
  }
  if (file.empty()) return usage_error("no cassette FILE given (see --help)");

  CassetteResult result;
  if (file == "-") {
    const CassetteOptions options;
    std::string yaml;
    bool too_large = false;
    if (!read_stdin(yaml, options.max_file_bytes, too_large)) {
      // Worded as load_cassette_file words the same failures.
      result.code = too_large ? DiagCode::cassette_too_large : DiagCode::cassette_io_error;
      result.message = too_large ? "<stdin>: larger than max_file_bytes (" + std::to_string(options.max_file_bytes) + ")"
                                 : std::string("<stdin>: read error");
    } else {
      result = load_cassette_from_string(yaml, "<stdin>", options);
    }
  } else {
    result = load_cassette_file(file);
  }
  if (!result.ok()) {
    std::fprintf(stderr, "ssecheck cassette: %s [%.*s]\n", result.message.c_str(),
                 static_cast<int>(name(*result.code).size()), name(*result.code).data());
    return 2;
  }
  const auto& interactions = result.cassette.interactions;
  if ((has_index || body) && index >= interactions.size()) {
    return usage_error(file + ": no interaction " + std::to_string(index) + " (the cassette has " +
                       std::to_string(interactions.size()) + ")");
  }
  if (body) {
    const std::string& bytes = interactions[index].response_body;
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
      return usage_error("cannot write to stdout");
    }
    return 0;
  }
  std::puts("index\tid\tmethod\tcode\tkind\tbody_bytes\tdata_lines\turl");
  if (has_index) {
    print_row(interactions[index]);
  } else {
    for (const Interaction& i : interactions) print_row(i);
  }
  return std::fflush(stdout) == 0 ? 0 : 2;
}

}  // namespace ssecheck::cli
