#include "sidecar/executor/child_process.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/core/text.h"

namespace tandem::executor {
namespace {

std::string errno_text(int error) {
  return std::strerror(error);
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  return fd < 0 ? -1 : static_cast<int>(fd);
#else
  (void)pid;
  return -1;
#endif
}

void close_if_open(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// In the child between fork and exec: only async-signal-safe calls. Reports
// a failure as errno through the close-on-exec pipe, then exits.
[[noreturn]] void child_fail(int error_fd) {
  int error = errno;
  ssize_t ignored = ::write(error_fd, &error, sizeof error);
  (void)ignored;
  ::_exit(127);
}

[[noreturn]] void exec_child(const SpawnSpec& spec, char* const* argv, char* const* envp,
                             int stdin_fd, int output_fd, int error_fd) {
  // A session of its own: its own process group (so a timeout can kill
  // everything it started) and no controlling terminal (so closing the
  // terminal that ran `run-op start` does not hang up a service).
  if (::setsid() < 0) child_fail(error_fd);
  sigset_t all;
  ::sigemptyset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &default_action, nullptr);

  if (::dup2(stdin_fd, 0) < 0) child_fail(error_fd);
  if (::dup2(output_fd, 1) < 0) child_fail(error_fd);
  if (::dup2(output_fd, 2) < 0) child_fail(error_fd);
  if (spec.working_dir && ::chdir(spec.working_dir->c_str()) < 0) child_fail(error_fd);
  if (spec.credentials) {
    const Credentials& c = *spec.credentials;
    if (::setgroups(c.groups.size(), c.groups.data()) < 0) child_fail(error_fd);
    if (::setgid(c.gid) < 0) child_fail(error_fd);
    if (::setuid(c.uid) < 0) child_fail(error_fd);
  }
  // Nothing of the sidecar's beyond stdio reaches the program. The error
  // pipe is close-on-exec already.
#ifdef SYS_close_range
  ::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
#endif
  ::execve(spec.program.c_str(), argv, envp);
  child_fail(error_fd);
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

ExitStatus decode(int status) {
  if (WIFEXITED(status)) return ExitStatus{true, WEXITSTATUS(status)};
  return ExitStatus{false, WIFSIGNALED(status) ? WTERMSIG(status) : 0};
}

// The fields of /proc/PID/stat after the command name, which may itself
// hold spaces and parentheses.
std::optional<std::vector<std::string>> stat_fields(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  std::size_t close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  std::string field;
  while (fields.size() < 64 && rest >> field) fields.push_back(field);
  return fields;
}

}  // namespace

Result<Credentials> lookup_user(const std::string& user) {
  std::array<char, 16384> buffer{};
  struct passwd pw {};
  struct passwd* found = nullptr;
  int error = ::getpwnam_r(user.c_str(), &pw, buffer.data(), buffer.size(), &found);
  if (found == nullptr) {
    uid_t uid = 0;
    auto [end, ec] = std::from_chars(user.data(), user.data() + user.size(), uid);
    if (ec == std::errc() && end == user.data() + user.size()) {
      error = ::getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found);
    }
  }
  if (found == nullptr) {
    return fail("user " + quote(user) + " does not exist on this node" +
                (error != 0 ? " (" + errno_text(error) + ")" : std::string()));
  }
  Credentials credentials{pw.pw_uid, pw.pw_gid, {}};
  std::vector<gid_t> groups(64);
  int count = static_cast<int>(groups.size());
  if (::getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &count) < 0 && count > 0 &&
      count <= 65536) {
    groups.resize(static_cast<std::size_t>(count));
    ::getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &count);
  }
  groups.resize(static_cast<std::size_t>(std::clamp(count, 0, static_cast<int>(groups.size()))));
  credentials.groups = std::move(groups);
  return credentials;
}

tl::expected<ChildProcess, SpawnError> ChildProcess::spawn(const SpawnSpec& spec) {
  auto error = [](int e, std::string what) {
    return tl::unexpected(SpawnError{e, what + ": " + errno_text(e)});
  };
  if (spec.argv.empty())
    return tl::unexpected(SpawnError{EINVAL, "no argv[0] for " + spec.program});

  int stdin_fd = -1;
  if (spec.stdin_text) {
    if (spec.stdin_text->size() > kMaxStdinBytes)
      return tl::unexpected(SpawnError{EINVAL, "the input for " + spec.program + " is over " +
                                                   std::to_string(kMaxStdinBytes) + " bytes"});
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) < 0) return error(errno, "cannot create a pipe");
    // Written before the fork, while this process holds the read end: the
    // pipe's buffer takes it all, and no SIGPIPE can come of a child that
    // exits early.
    const std::string& text = *spec.stdin_text;
    const ssize_t written = ::write(fds[1], text.data(), text.size());
    const int e = errno;
    ::close(fds[1]);
    if (written != static_cast<ssize_t>(text.size())) {
      ::close(fds[0]);
      return error(written < 0 ? e : EIO, "cannot write the input of " + spec.program);
    }
    stdin_fd = fds[0];
  } else {
    stdin_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (stdin_fd < 0) return error(errno, "cannot open /dev/null");
  }
  int read_fd = -1;
  int output_fd = -1;
  if (spec.output == OutputMode::kPipe) {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) < 0) {
      int e = errno;
      ::close(stdin_fd);
      return error(e, "cannot create a pipe");
    }
    read_fd = fds[0];
    output_fd = fds[1];
  } else if (spec.output == OutputMode::kAppendToFile) {
    output_fd = ::open(spec.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  } else {
    output_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  }
  if (output_fd < 0) {
    int e = errno;
    ::close(stdin_fd);
    return error(e, "cannot open the output file " + quote(spec.output_file));
  }
  std::array<int, 2> status_pipe{};
  if (::pipe2(status_pipe.data(), O_CLOEXEC) < 0) {
    int e = errno;
    ::close(stdin_fd);
    ::close(output_fd);
    if (read_fd >= 0) ::close(read_fd);
    return error(e, "cannot create a pipe");
  }

  std::vector<char*> argv = c_strings(spec.argv);
  std::vector<char*> envp = c_strings(spec.env);
  pid_t pid = ::fork();
  if (pid == 0) exec_child(spec, argv.data(), envp.data(), stdin_fd, output_fd, status_pipe[1]);
  int fork_error = errno;
  ::close(stdin_fd);
  ::close(output_fd);
  ::close(status_pipe[1]);
  if (pid < 0) {
    ::close(status_pipe[0]);
    if (read_fd >= 0) ::close(read_fd);
    return error(fork_error, "cannot fork");
  }
  ChildProcess child(pid, open_pidfd(pid), read_fd);

  // The pipe closes on a successful exec; before that, the child reports
  // why it failed. Either way the child has called setsid() by then, so
  // the group exists before anyone can signal it.
  int child_error = 0;
  ssize_t n = 0;
  do {
    n = ::read(status_pipe[0], &child_error, sizeof child_error);
  } while (n < 0 && errno == EINTR);
  ::close(status_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof child_error)) {
    child.kill_and_reap(std::chrono::seconds(5));
    std::string what = "cannot run " + quote(spec.program);
    if (spec.working_dir && *spec.working_dir != "/" && child_error == ENOENT) {
      what += " (or its working directory " + quote(*spec.working_dir) + " is missing)";
    }
    return error(child_error, what);
  }
  if (read_fd >= 0) ::fcntl(read_fd, F_SETFL, ::fcntl(read_fd, F_GETFL) | O_NONBLOCK);
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::exchange(other.pidfd_, -1)),
      output_fd_(std::exchange(other.output_fd_, -1)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) kill_and_reap(std::chrono::seconds(5));
    close_fds();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::exchange(other.pidfd_, -1);
    output_fd_ = std::exchange(other.output_fd_, -1);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) kill_and_reap(std::chrono::seconds(5));
  close_fds();
}

void ChildProcess::close_fds() {
  close_if_open(pidfd_);
  close_if_open(output_fd_);
}

void ChildProcess::drain(OutputTail* output, std::size_t max_bytes) {
  if (output_fd_ < 0) return;
  std::array<char, 4096> buffer{};
  std::size_t read_total = 0;
  while (read_total < max_bytes) {
    ssize_t n = ::read(output_fd_, buffer.data(), buffer.size());
    if (n > 0) {
      if (output != nullptr)
        output->append(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      read_total += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) close_if_open(output_fd_);  // every writer is gone
    return;
  }
}

std::optional<ExitStatus> ChildProcess::wait_until(Instant deadline, const Clock& clock,
                                                   OutputTail* output) {
  if (pid_ <= 0) return std::nullopt;
  // Each round waits at most this long, so the loop also ends where pidfds
  // do not exist, and reads output in bounded steps.
  constexpr Duration kStep = std::chrono::milliseconds(50);
  constexpr std::size_t kReadPerRound = 1 << 20;
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      // Daemons the agent started may hold the pipe open: take what is
      // there now and stop reading.
      drain(output, kReadPerRound);
      close_fds();
      pid_ = -1;
      return decode(status);
    }
    if (done < 0 && errno != EINTR) {
      close_fds();
      pid_ = -1;
      return ExitStatus{false, 0};
    }
    Instant now = clock.now();
    if (now >= deadline) return std::nullopt;
    Duration wait = std::min(kStep, deadline - now);
    std::array<pollfd, 2> fds{};
    nfds_t count = 0;
    if (pidfd_ >= 0) fds[count++] = pollfd{pidfd_, POLLIN, 0};
    if (output_fd_ >= 0) fds[count++] = pollfd{output_fd_, POLLIN, 0};
    ::poll(fds.data(), count, static_cast<int>(wait.count()));
    drain(output, kReadPerRound);
  }
}

void ChildProcess::signal_group(int signal) const {
  if (pid_ > 0) ::kill(-pid_, signal);
}

bool ChildProcess::kill_and_reap(Duration grace) {
  if (pid_ <= 0) return true;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);  // in case it left its group
  SteadyClock clock;
  Instant deadline = clock.now() + grace;
  auto status = wait_until(deadline, clock, nullptr);
  if (!status) {
    // Still not gone: give up on it rather than block the sidecar.
    pid_ = -1;
    close_fds();
    return false;
  }
  return true;
}

pid_t ChildProcess::release() {
  pid_t pid = std::exchange(pid_, -1);
  close_fds();
  return pid;
}

bool process_alive(pid_t pid) {
  if (pid <= 0) return false;
  auto fields = stat_fields(pid);
  if (!fields || fields->empty()) return false;
  return (*fields)[0] != "Z" && (*fields)[0] != "X";
}

std::optional<unsigned long long> process_start_time(pid_t pid) {
  auto fields = stat_fields(pid);
  // Field 22 of the whole line; the name is field 2, so index 19 after it.
  if (!fields || fields->size() < 20) return std::nullopt;
  unsigned long long value = 0;
  const std::string& text = (*fields)[19];
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool group_alive(pid_t pgid) {
  if (pgid <= 0) return false;
  if (::kill(-pgid, 0) < 0 && errno == ESRCH) return false;
  // kill() counts zombies; look at each process (bounded by /proc itself).
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return true;
  bool alive = false;
  while (dirent* entry = ::readdir(proc)) {
    pid_t pid = 0;
    std::string_view name(entry->d_name);
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc() || end != name.data() + name.size()) continue;
    auto fields = stat_fields(pid);
    // Field 5 (pgrp) is index 2 after the name.
    if (!fields || fields->size() < 3 || (*fields)[2] != std::to_string(pgid)) continue;
    if ((*fields)[0] != "Z" && (*fields)[0] != "X") {
      alive = true;
      break;
    }
  }
  ::closedir(proc);
  return alive;
}

}  // namespace tandem::executor
