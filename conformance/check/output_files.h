// The files `check`, `repro`, `fuzz` and `bench` write.
//
// Invariants: a report path is opened before the run, so a bad path fails at once with
// the OS's reason; every failure is one line "<who>: cannot write PATH: reason".
#pragma once

#include <filesystem>
#include <fstream>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ssecheck::check {

class OutputFile {
 public:
  // An empty path is an output nobody asked for: open and write do nothing.
  bool open(const std::string& path, std::string_view who, std::ostream& err);
  bool write(std::string_view text, std::ostream& err);

 private:
  std::string path_, who_;
  std::ofstream file_;
};

// Writes each (file name, text) into dir, creating it when missing.
bool write_files(const std::filesystem::path& dir, const std::vector<std::pair<std::string, std::string>>& files,
                 std::string_view who, std::ostream& err);

}  // namespace ssecheck::check
