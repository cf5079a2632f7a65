#include "adapter_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

extern char** environ;

namespace ssecheck::check {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

bool set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

}  // namespace

std::string_view exchange_status_name(ExchangeStatus s) {
  switch (s) {
    case ExchangeStatus::ok: return "ok";
    case ExchangeStatus::crashed: return "crashed";
    case ExchangeStatus::timeout: return "timeout";
    case ExchangeStatus::too_large: return "too_large";
  }
  return "?";
}

AdapterProcess::AdapterProcess(std::string command, AdapterLimits limits)
    : command_(std::move(command)), limits_(limits) {}

AdapterProcess::~AdapterProcess() { stop(); }

bool AdapterProcess::start(std::string* error) {
  stop();
  // A write to an adapter that died must be an error code, not a signal.
  ::signal(SIGPIPE, SIG_IGN);
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    ::close(in[0]), ::close(in[1]);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::string sh = "/bin/sh", dash_c = "-c";
  char* argv[] = {sh.data(), dash_c.data(), command_.data(), nullptr};
  const int rc = ::posix_spawn(&pid_, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in[0]), ::close(out[1]), ::close(err[1]);
  in_fd_ = in[1], out_fd_ = out[0], err_fd_ = err[0];
  if (rc != 0) {
    pid_ = -1;
    close_fd(in_fd_), close_fd(out_fd_), close_fd(err_fd_);
    *error = "cannot start /bin/sh: " + std::string(std::strerror(rc));
    return false;
  }
  set_nonblocking(in_fd_), set_nonblocking(out_fd_), set_nonblocking(err_fd_);
  pending_.clear();
  stderr_tail_.clear();
  return true;
}

void AdapterProcess::keep_stderr(const char* data, size_t n) {
  stderr_tail_.append(data, n);
  if (stderr_tail_.size() > limits_.stderr_tail_bytes)
    stderr_tail_.erase(0, stderr_tail_.size() - limits_.stderr_tail_bytes);
}

std::string AdapterProcess::exit_description() {
  if (pid_ <= 0) return "not running";
  int status = 0;
  // The child closed stdout; give it a moment to exit before calling it hung.
  for (int i = 0; i < 50; ++i) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
                                      strsignal(WTERMSIG(status)) + ")";
      return "exited with status " + std::to_string(WEXITSTATUS(status));
    }
    ::usleep(10000);
  }
  return "closed its stdout";
}

Exchange AdapterProcess::request(std::string_view line, std::chrono::milliseconds timeout) {
  Exchange ex;
  if (pid_ <= 0) {
    ex.status = ExchangeStatus::crashed;
    ex.detail = "adapter is not running";
    return ex;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string out(line);
  out.push_back('\n');
  size_t written = 0;
  char buf[65536];
  for (;;) {
    const size_t nl = pending_.find('\n');
    if (nl != std::string::npos) {
      if (nl > limits_.max_reply_bytes) break;  // reported below
      ex.reply = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return ex;
    }
    if (pending_.size() > limits_.max_reply_bytes) break;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      ex.status = ExchangeStatus::timeout;
      ex.detail = "no reply within " + std::to_string(timeout.count()) + " ms";
      return ex;
    }
    const int wait_ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1);
    pollfd fds[3] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}, {in_fd_, POLLOUT, 0}};
    const nfds_t nfds = written < out.size() && in_fd_ >= 0 ? 3 : 2;
    const int n = ::poll(fds, nfds, wait_ms);
    if (n < 0 && errno != EINTR) {
      ex.status = ExchangeStatus::crashed;
      ex.detail = std::string("poll: ") + std::strerror(errno);
      return ex;
    }
    if (n <= 0) continue;
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      const ssize_t r = ::read(err_fd_, buf, sizeof buf);
      if (r > 0) keep_stderr(buf, static_cast<size_t>(r));
      if (r == 0) {  // stderr closed; stop polling it
        ::close(err_fd_);
        err_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      }
    }
    if (nfds == 3 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t w = ::write(in_fd_, out.data() + written, out.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        ex.status = ExchangeStatus::crashed;
        ex.detail = "cannot write the command (" + std::string(std::strerror(errno)) + "): " + exit_description();
        return ex;
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t r = ::read(out_fd_, buf, sizeof buf);
      if (r > 0) {
        pending_.append(buf, static_cast<size_t>(r));
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        ex.status = ExchangeStatus::crashed;
        ex.detail = exit_description();
        if (!pending_.empty()) ex.detail += " after writing " + std::to_string(pending_.size()) + " bytes without a newline";
        return ex;
      }
    }
  }
  ex.status = ExchangeStatus::too_large;
  ex.detail = "reply longer than " + std::to_string(limits_.max_reply_bytes) + " bytes";
  return ex;
}

void AdapterProcess::stop() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  close_fd(in_fd_), close_fd(out_fd_), close_fd(err_fd_);
  pending_.clear();
}

}  // namespace ssecheck::check
