// The ssecheck commands. Each lives in its own cmd_<name>.cc file and is one line below.
//
// Adding a command: write cmd_<name>.cc defining
//
//   Command add_<name>_command(CLI::App& parent) {
//     auto args = std::make_shared<Args>();                // what the options fill
//     CLI::App* sub = parent.add_subcommand("<name>", "one-line summary");
//     sub->description(sub->get_description() + "\n\n" + "what it does, at length");
//     sub->footer(exit_footer("what 0 means", "what 1 means"));
//     sub->add_option("file", args->file, "...");          // a plain path: positional
//     add_count(*sub, "--chunk", args->chunk, 1, 64, "..."); // every number (cli_options.h)
//     return {sub, [args] { return run(*args); }};
//   }
//
// and add X(<name>) to SSECHECK_CLI_COMMANDS (the order of the top-level help). main.cc
// parses, prints usage errors (exit 2) and help (exit 0), then runs the chosen command.
// The top-level help lists each command with the first line of its description.
// --opt=value and --opt value both work; so do plain paths.
//
// Exit codes, in every command (cli_options.h): 0 pass, 1 a check failed,
// 2 usage, I/O or input (cassette) error.
#pragma once

#include <functional>
#include <string>

#include "cli_options.h"

namespace ssecheck::cli {

struct Command {
  CLI::App* app = nullptr;   // the subcommand, owned by the parent App
  std::function<int()> run;  // runs it once the command line parsed; returns the exit code
};

#define SSECHECK_CLI_COMMANDS(X) \
  X(events)                      \
  X(accumulate)                  \
  X(conform)                     \
  X(cassette)                    \
  X(serve)                       \
  X(check)                       \
  X(repro)                       \
  X(fuzz)                        \
  X(bench)

#define SSECHECK_CLI_DECLARE(name) Command add_##name##_command(CLI::App& parent);
SSECHECK_CLI_COMMANDS(SSECHECK_CLI_DECLARE)
#undef SSECHECK_CLI_DECLARE

// The footer every command's help ends with: its exit codes, one per line.
inline std::string exit_footer(const std::string& pass, const std::string& failed) {
  std::string out = "Exit codes:\n  0  " + pass + "\n";
  if (!failed.empty()) out += "  1  " + failed + "\n";
  out += "  2  usage, I/O or input error";
  return out;
}

}  // namespace ssecheck::cli
