// Placeholder until the subcommand lands.
#include <cstdio>

#include "commands.h"

namespace ssecheck::cli {

int run_accumulate(int, char**) {
  std::fputs("ssecheck accumulate: not implemented yet\n", stderr);
  return 2;
}

}  // namespace ssecheck::cli
