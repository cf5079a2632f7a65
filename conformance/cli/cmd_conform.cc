// Placeholder until the subcommand lands.
#include <cstdio>

#include "commands.h"

namespace ssecheck::cli {

int run_conform(int, char**) {
  std::fputs("ssecheck conform: not implemented yet\n", stderr);
  return 2;
}

}  // namespace ssecheck::cli
