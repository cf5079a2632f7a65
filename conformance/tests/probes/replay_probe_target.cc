// A fuzz target that does nothing, linked with fuzz/replay_main.cc so the replay
// driver's messages and exit codes are tested in every build (tests/cli/replay.sh),
// whether or not SSECHECK_BUILD_FUZZ is on.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* /*data*/, size_t /*size*/) { return 0; }
