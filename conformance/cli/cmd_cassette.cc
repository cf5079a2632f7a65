// Placeholder until the subcommand lands.
#include <cstdio>

#include "commands.h"

namespace ssecheck::cli {

int run_cassette(int, char**) {
  std::fputs("ssecheck cassette: not implemented yet\n", stderr);
  return 2;
}

}  // namespace ssecheck::cli
