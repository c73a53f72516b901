#pragma once

// Runs a program directly (fork and execve, never a shell) in a session and
// process group of its own, so that a timeout can kill everything it started.
// ChildProcess owns the process: unless it was waited for or released, its
// destructor kills the whole group and reaps it, so no path leaks a process.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "common/core/result.h"
#include "sidecar/executor/output_tail.h"
#include "sidecar/executor/time.h"

namespace tandem::executor {

struct Credentials {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
};

// Looks up a user by name or number, with the user's primary and
// supplementary groups.
Result<Credentials> lookup_user(const std::string& user);

enum class OutputMode { kPipe, kAppendToFile, kDiscard };

// Fits a pipe's buffer, so it is written whole before the child runs.
inline constexpr std::size_t kMaxStdinBytes = 32 * 1024;

struct SpawnSpec {
  std::string program;            // absolute path, executed as is
  std::vector<std::string> argv;  // argv[0] first
  std::vector<std::string> env;   // "NAME=value"; nothing else is inherited
  std::optional<std::string> working_dir;
  std::optional<Credentials> credentials;
  OutputMode output = OutputMode::kPipe;
  // Given to the process as its stdin (fence agents read their settings
  // there); at most kMaxStdinBytes. Unset: /dev/null.
  std::optional<std::string> stdin_text;
  std::string output_file;  // for kAppendToFile
};

struct SpawnError {
  int error = 0;  // errno of the failed step (ENOENT: no such program)
  std::string message;
};

// How a waited-for process ended.
struct ExitStatus {
  bool exited = false;  // false: killed by a signal
  int code = 0;         // exit code, or the signal number
};

class ChildProcess {
 public:
  static tl::expected<ChildProcess, SpawnError> spawn(const SpawnSpec& spec);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }

  // Waits until the process exits or the clock reaches `deadline`, reading
  // its output (kPipe) into `output`. Unset on the deadline; the process is
  // then still running.
  std::optional<ExitStatus> wait_until(Instant deadline, const Clock& clock, OutputTail* output);

  // Sends `signal` to the whole process group.
  void signal_group(int signal) const;

  // Kills the whole group with SIGKILL and reaps the process, waiting at
  // most `grace` for it to die (a process stuck in the kernel can outlive
  // SIGKILL for a while). Returns whether it was reaped.
  bool kill_and_reap(Duration grace);

  // Stops owning the process: it keeps running (a supervised service).
  pid_t release();

 private:
  ChildProcess(pid_t pid, int pidfd, int output_fd)
      : pid_(pid), pidfd_(pidfd), output_fd_(output_fd) {}
  void drain(OutputTail* output, std::size_t max_bytes);
  void close_fds();

  pid_t pid_ = -1;
  int pidfd_ = -1;      // -1 where pidfd_open is not available
  int output_fd_ = -1;  // read end of the output pipe (kPipe)
};

// True when a process with this pid exists and is not a zombie.
bool process_alive(pid_t pid);
// The process's start time in clock ticks since boot (/proc/PID/stat field
// 22): with the pid it names one process even after pids are reused.
std::optional<unsigned long long> process_start_time(pid_t pid);
// Whether any process of the group is still alive (zombies do not count).
bool group_alive(pid_t pgid);

}  // namespace tandem::executor
