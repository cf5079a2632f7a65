// ssecheck: conformance, inspection and assembly of LLM Server-Sent Event streams.
// The commands are listed in commands.h; each adds its own CLI11 subcommand, so the
// help below is built from them.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"

int main(int argc, char** argv) {
  using namespace ssecheck::cli;
  CLI::App app{"Checks that LLM token streams sent as Server-Sent Events are parsed and assembled correctly.",
               "ssecheck"};
  app.formatter(std::make_shared<SummaryFormatter>());
  app.require_subcommand(1);
  app.footer(exit_footer("success", "the input failed a check") +
             "\n\nRun 'ssecheck COMMAND --help' for a command's options.");
  std::vector<Command> commands;
#define SSECHECK_CLI_ADD(name) commands.push_back(add_##name##_command(app));
  SSECHECK_CLI_COMMANDS(SSECHECK_CLI_ADD)
#undef SSECHECK_CLI_ADD

  if (argc < 2) {
    std::fputs(app.help().c_str(), stderr);
    return kExitError;
  }
  std::string known;
  bool found = false;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    known += (known.empty() ? "" : ", ") + sub->get_name();
    found = found || sub->get_name() == argv[1];
  }
  if (!found && !std::string_view(argv[1]).starts_with("-")) {
    std::fprintf(stderr, "ssecheck: unknown command '%s'; the commands are %s (see 'ssecheck --help')\n", argv[1],
                 known.c_str());
    return kExitError;
  }
  if (const int code = parse_command_line(app, argc, argv); code >= 0) return code;
  for (const Command& c : commands)
    if (c.app->parsed()) return c.run();
  std::fputs(app.help().c_str(), stderr);
  return kExitError;
}
