// Replay driver for builds without libFuzzer: runs LLVMFuzzerTestOneInput once on
// every file named on the command line, and on every regular file under each
// directory named (recursively, in sorted order). Options starting with '-' are
// ignored so libFuzzer-style command lines still work, and the driver says so: this
// binary does not fuzz, and the user is told how to build one that does. Dotfiles in
// directories (.gitkeep) are skipped. Exit 0 when all inputs ran; exit 1 when there
// were none, so an emptied corpus cannot keep a replay test green; exit 2 for a path
// that does not exist or cannot be read.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

// Stand-in for libFuzzer's mutator, which custom mutators may call; never used here.
extern "C" size_t LLVMFuzzerMutate(uint8_t* /*data*/, size_t size, size_t /*max_size*/) { return size; }

namespace {

constexpr const char* kHowToFuzz =
    "replay: to fuzz, build the libFuzzer targets: cmake --preset fuzz && cmake --build --preset fuzz\n"
    "replay: (clang-14; binaries in build/fuzz/fuzz/), or run ci/fuzz-smoke.sh [SECONDS]; see fuzz/README.md\n";

bool read_file(const std::filesystem::path& path, std::vector<uint8_t>& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> inputs;
  std::string ignored;  // libFuzzer options, which mean nothing here
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!arg.empty() && arg[0] == '-') {
      ignored += (ignored.empty() ? "" : " ") + arg;
      continue;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg, ec))
        if (entry.is_regular_file() && entry.path().filename().string()[0] != '.')
          found.push_back(entry.path());
      std::sort(found.begin(), found.end());
      inputs.insert(inputs.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(arg, ec)) {
      inputs.emplace_back(arg);
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", arg.c_str());
      return 2;
    }
  }
  const std::string self = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "replay";
  if (!ignored.empty() || inputs.empty()) {
    std::fprintf(stderr,
                 "replay: %s is a replay build (no libFuzzer): it runs each input file once and does not fuzz\n",
                 self.c_str());
    if (!ignored.empty()) std::fprintf(stderr, "replay: ignored libFuzzer options: %s\n", ignored.c_str());
    std::fputs(kHowToFuzz, stderr);
  }
  std::vector<uint8_t> bytes;
  for (const auto& path : inputs) {
    if (!read_file(path, bytes)) {
      std::fprintf(stderr, "replay: cannot read %s: %s\n", path.c_str(), std::strerror(errno));
      return 2;
    }
    // A copy with no spare capacity lets ASan catch reads past the end.
    std::vector<uint8_t> exact(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(exact.data(), exact.size());
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs: name input files or corpus directories (an empty corpus is a failure)\n");
    return 1;
  }
  std::fprintf(stderr, "replay: %zu inputs ran once each (replay build, no fuzzing)\n", inputs.size());
  return 0;
}
