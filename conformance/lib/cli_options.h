// Command-line conventions shared by every ssecheck tool (the `ssecheck` commands and
// bench/framefile_main.cc), on top of CLI11 (Debian libcli11-dev, header-only).
//
// Invariants:
//  - Every number on a command line goes through add_count(): ASCII digits only (no sign,
//    no blanks, no 0x; leading zeros are fine), within a documented [min, max] range that
//    the option's help shows. Anything else is refused with one message:
//      "--chunk: expected an integer from 1 to 67108864, got 'abc'"
//  - A choice is checked with one_of(), which lists the choices in the error.
//  - parse_command_line() is the one place usage errors are printed: one line on stderr,
//    "PROGRAM: message (see 'PROGRAM --help')", exit code 2; --help prints on stdout,
//    exit code 0.
//  - Exit codes everywhere: 0 pass, 1 a check failed, 2 usage, I/O or input error.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ssecheck::cli {

inline constexpr int kExitPass = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitError = 2;  // usage, I/O or input (cassette) error

inline std::string count_range_error(uint64_t min, uint64_t max, std::string_view got) {
  return "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got '" +
         std::string(got) + "'";
}

// Parses `text` as a decimal integer in [min, max]; returns "" and sets *out, or the
// error message (count_range_error) and leaves *out alone.
inline std::string parse_count(std::string_view text, uint64_t min, uint64_t max, uint64_t* out) {
  if (text.empty()) return count_range_error(min, max, text);
  uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return count_range_error(min, max, text);
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return count_range_error(min, max, text);
    value = value * 10 + digit;
  }
  if (value < min || value > max) return count_range_error(min, max, text);
  *out = value;
  return {};
}

// A CLI11 validator that accepts exactly what parse_count() accepts.
inline CLI::Validator count_validator(uint64_t min, uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) {
        uint64_t ignored = 0;
        return parse_count(text, min, max, &ignored);
      },
      "", "count");
}

// Adds an integer option (`flags` as CLI11 takes them, e.g. "--chunk") stored in
// `target`, with " [min..max]" appended to the help. T must hold max.
template <class T>
CLI::Option* add_count(CLI::App& app, const std::string& flags, T& target, uint64_t min, uint64_t max,
                       const std::string& help) {
  static_assert(std::numeric_limits<T>::is_integer);
  return app.add_option(flags, target, help + " [" + std::to_string(min) + ".." + std::to_string(max) + "]")
      ->type_name("N")
      ->check(count_validator(min, max));
}

// Help layout: a subcommand's description is "one-line summary\n\nlonger text"; the
// parent's list shows the summary only, the subcommand's own help shows it all.
class SummaryFormatter : public CLI::Formatter {
 public:
  SummaryFormatter() { column_width(26); }
  std::string make_subcommand(const CLI::App* sub) const override {
    std::stringstream out;
    const std::string& d = sub->get_description();
    CLI::detail::format_help(out, sub->get_display_name(true), d.substr(0, d.find('\n')), column_width_);
    return out.str();
  }
};

// A validator for one of a fixed set of words (the help shows them in type_name).
inline CLI::Validator one_of(std::vector<std::string> choices) {
  CLI::Validator v = CLI::IsMember(std::move(choices));
  v.description("");
  return v;
}

// The name errors are reported under: the program, and the chosen subcommand if any.
inline std::string command_path(const CLI::App& app) {
  std::string path = app.get_name();
  const CLI::App* at = &app;
  for (;;) {
    const auto chosen = at->get_subcommands();
    if (chosen.empty()) break;
    at = chosen.front();
    path += " " + at->get_name();
  }
  return path;
}

// Parses the command line. Returns -1 when the program should go on; otherwise the exit
// code, after printing the help (stdout, 0) or the error (stderr, 2).
inline int parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return std::fflush(stdout) == 0 ? kExitPass : kExitError;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return std::fflush(stdout) == 0 ? kExitPass : kExitError;
  } catch (const CLI::ParseError& e) {
    const std::string who = command_path(app);
    std::string what = e.what();
    for (char& c : what)
      if (c == '\n') c = ' ';
    std::fprintf(stderr, "%s: %s (see '%s --help')\n", who.c_str(), what.c_str(), who.c_str());
    return kExitError;
  }
  return -1;
}

}  // namespace ssecheck::cli
