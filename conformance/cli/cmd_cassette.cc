// ssecheck cassette FILE|- [--interaction N] [--body]
// Lists a go-vcr cassette's interactions, or prints one raw response body.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "commands.h"
#include "display_text.h"
#include "ssecheck/cassette.h"

namespace ssecheck::cli {
namespace {

struct Args {
  std::string file;
  bool body = false;
  size_t index = 0;
  bool has_index = false;
};

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

int run(const Args& args) {
  const std::string& file = args.file;
  CassetteResult result;
  if (file == "-") {
    const CassetteOptions options;
    std::string yaml;
    bool too_large = false;
    if (!read_stdin(yaml, options.max_file_bytes, too_large)) {
      // Worded as load_cassette_file words the same failures.
      result.code = too_large ? DiagCode::cassette_too_large : DiagCode::cassette_io_error;
      result.message = too_large ? "<stdin>: larger than max_file_bytes (" + std::to_string(options.max_file_bytes) + ")"
                                 : std::string("<stdin>: read error: ") + std::strerror(errno);
    } else {
      result = load_cassette_from_string(yaml, "<stdin>", options);
    }
  } else {
    result = load_cassette_file(file);
  }
  if (!result.ok()) {
    std::fprintf(stderr, "ssecheck cassette: %s [%.*s]\n", conformance::printable(result.message).c_str(),
                 static_cast<int>(name(*result.code).size()), name(*result.code).data());
    return kExitError;
  }
  const auto& interactions = result.cassette.interactions;
  const size_t index = args.index;
  if ((args.has_index || args.body) && index >= interactions.size()) {
    std::fprintf(stderr, "ssecheck cassette: %s: no interaction %zu (the cassette has %zu)\n", file.c_str(), index,
                 interactions.size());
    return kExitError;
  }
  if (args.body) {
    const std::string& bytes = interactions[index].response_body;
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
      std::fprintf(stderr, "ssecheck cassette: cannot write standard output: %s\n", std::strerror(errno));
      return kExitError;
    }
    return kExitPass;
  }
  std::puts("index\tid\tmethod\tcode\tkind\tbody_bytes\tdata_lines\turl");
  if (args.has_index) {
    print_row(interactions[index]);
  } else {
    for (const Interaction& i : interactions) print_row(i);
  }
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "ssecheck cassette: cannot write standard output: %s\n", std::strerror(errno));
    return kExitError;
  }
  return kExitPass;
}

}  // namespace

Command add_cassette_command(CLI::App& parent) {
  auto args = std::make_shared<Args>();
  CLI::App* sub = parent.add_subcommand("cassette", "list a go-vcr cassette's interactions, or print one raw body");
  sub->description(sub->get_description() + "\n\n" +
      "Lists a go-vcr cassette's (format v1 or v2) interactions, one tab-separated line each:\n"
      "index, id, method, code, kind, body_bytes, data_lines, url. With --body, prints one raw\n"
      "response body byte-exact (interaction 0 unless --interaction says).");
  sub->add_option("FILE", args->file, "the cassette; - reads it from standard input")->type_name("")->required();
  add_count(*sub, "--interaction", args->index, 0, 999999999, "only interaction N (from 0)")
      ->each([args](const std::string&) { args->has_index = true; });
  sub->add_flag("--body", args->body, "print the raw response body byte-exact");
  sub->footer(exit_footer("listed or printed", ""));
  return {sub, [args] { return run(*args); }};
}

}  // namespace ssecheck::cli
