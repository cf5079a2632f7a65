#include "output_files.h"

#include <cerrno>
#include <cstring>
#include <ostream>

namespace ssecheck::check {
namespace {

std::string reason() { return std::strerror(errno ? errno : EIO); }

}  // namespace

bool OutputFile::open(const std::string& path, std::string_view who, std::ostream& err) {
  path_ = path;
  who_ = who;
  if (path.empty()) return true;
  errno = 0;
  file_.open(path, std::ios::binary | std::ios::trunc);
  if (!file_) err << who_ << ": cannot write " << path_ << ": " << reason() << "\n";
  return static_cast<bool>(file_);
}

bool OutputFile::write(std::string_view text, std::ostream& err) {
  if (path_.empty()) return true;
  errno = 0;
  file_.write(text.data(), static_cast<std::streamsize>(text.size()));
  file_.flush();
  if (!file_) err << who_ << ": cannot write " << path_ << ": " << reason() << "\n";
  return static_cast<bool>(file_);
}

bool write_files(const std::filesystem::path& dir, const std::vector<std::pair<std::string, std::string>>& files,
                 std::string_view who, std::ostream& err) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    err << who << ": cannot create " << dir.string() << ": " << ec.message() << "\n";
    return false;
  }
  for (const auto& [name, text] : files) {
    OutputFile f;
    if (!f.open((dir / name).string(), who, err) || !f.write(text, err)) return false;
  }
  return true;
}

}  // namespace ssecheck::check
