// One adapter process: the implementation under test, spoken to in JSON lines.
//
// Invariants:
//  - Never blocks past the deadline given to request(): writing the command, reading
//    the reply and draining stderr share one poll loop and one clock.
//  - A reply is one line of at most max_reply_bytes; anything else (EOF, a longer line,
//    the process dying) is reported, never waited for. stderr is kept as a bounded tail.
//  - The process runs in its own process group; stop() and the destructor kill the
//    whole group, so an adapter's own children do not outlive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace ssecheck::check {

struct AdapterLimits {
  std::chrono::milliseconds start_timeout{30000};  // for the hello reply
  std::chrono::milliseconds case_timeout{20000};   // per command
  size_t max_reply_bytes = size_t{64} << 20;
  size_t stderr_tail_bytes = 4096;
};

enum class ExchangeStatus { ok, crashed, timeout, too_large };

struct Exchange {
  ExchangeStatus status = ExchangeStatus::ok;
  std::string reply;   // the line, without its "\n" (ok only)
  std::string detail;  // what went wrong, readable
};

class AdapterProcess {
 public:
  AdapterProcess(std::string command, AdapterLimits limits);
  ~AdapterProcess();
  AdapterProcess(const AdapterProcess&) = delete;
  AdapterProcess& operator=(const AdapterProcess&) = delete;

  // Starts `sh -c command`. False with a reason when it cannot be started.
  bool start(std::string* error);
  // Writes line + "\n" and reads one reply line before timeout.
  Exchange request(std::string_view line, std::chrono::milliseconds timeout);
  // Kills the process group and reaps the child.
  void stop();
  bool running() const { return pid_ > 0; }
  std::string stderr_tail() const { return stderr_tail_; }
  const std::string& command() const { return command_; }

 private:
  void keep_stderr(const char* data, size_t n);
  std::string exit_description();

  std::string command_;
  AdapterLimits limits_;
  pid_t pid_ = -1;
  int in_fd_ = -1, out_fd_ = -1, err_fd_ = -1;
  std::string pending_;  // stdout bytes read past the last reply
  std::string stderr_tail_;
};

std::string_view exchange_status_name(ExchangeStatus s);

}  // namespace ssecheck::check
