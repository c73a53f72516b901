#include "operator/daemon/fencer.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace tandem::operator_daemon {
namespace {

// How often a running step is checked; a failover waits for the fence, so
// this is short.
constexpr auto kPollInterval = std::chrono::milliseconds(2);
// Fits a pipe's buffer, so it is written whole before the agent runs.
constexpr std::size_t kMaxInputBytes = 32 * 1024;

}  // namespace

FenceLevel command_level(const std::string& command, const std::string& node) {
  return {
      "",
      {{"the fence command", {"/bin/sh", "-c", command + " \"$1\"", "tandem-fence", node}, {}}}};
}

Fencer::Fencer(std::chrono::milliseconds timeout, server::Hub& hub)
    : timeout_(timeout), hub_(hub) {}

Fencer::~Fencer() {
  stop();
}

void Fencer::fence(const std::string& id, std::vector<FenceLevel> levels) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  threads_.emplace_back([this, id, levels = std::move(levels)] { run(id, levels); });
}

void Fencer::stop() {
  stopping_ = true;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (std::thread& t : threads) t.join();
}

void Fencer::run(const std::string& id, const std::vector<FenceLevel>& levels) {
  std::string failures;
  for (const FenceLevel& level : levels) {
    const std::string prefix = level.what.empty() ? "" : level.what + ": ";
    std::string done;
    std::string failure;
    // Every step of the level must succeed; the first that fails ends it.
    for (const FenceStep& step : level.steps) {
      failure = run_step(step);
      if (!failure.empty()) {
        failure = step.what + ": " + failure;
        break;
      }
      done += (done.empty() ? "" : ", ") + step.what;
    }
    if (failure.empty() && !level.steps.empty()) {
      // What failed first matters to whoever mends the devices.
      hub_.submit_fence_result(
          {id, true,
           prefix + done + " exited 0" + (failures.empty() ? "" : " (after " + failures + ")")});
      return;
    }
    if (level.steps.empty()) failure = "it has no device";
    failures += (failures.empty() ? "" : "; ") + prefix + failure;
    if (stopping_) break;
  }
  if (levels.empty()) failures = "no fence device reaches the node and no --fence-command is set";
  hub_.submit_fence_result({id, false, failures});
}

std::string Fencer::run_step(const FenceStep& step) {
  if (step.argv.empty()) return "nothing to run";
  int input_fd = -1;
  if (step.input) {
    if (step.input->size() > kMaxInputBytes) return "its settings are over 32 KiB";
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) return std::string("pipe: ") + std::strerror(errno);
    const ssize_t written = ::write(fds[1], step.input->data(), step.input->size());
    ::close(fds[1]);
    if (written != static_cast<ssize_t>(step.input->size())) {
      ::close(fds[0]);
      return "cannot write its settings";
    }
    input_fd = fds[0];
  }
  std::vector<std::string> args = step.argv;
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  if (input_fd >= 0) {
    posix_spawn_file_actions_adddup2(&files, input_fd, STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  // The agent's output goes to the operator's log.
  posix_spawn_file_actions_adddup2(&files, STDERR_FILENO, STDOUT_FILENO);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &files, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (input_fd >= 0) ::close(input_fd);
  if (spawned != 0) return "cannot run " + step.argv[0] + ": " + std::strerror(spawned);

  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  int status = 0;
  // Bounded by the timeout (or the operator stopping).
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return std::string("waitpid: ") + std::strerror(errno);
    if (stopping_ || std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return stopping_ ? "the operator is stopping"
                       : "timed out after " + std::to_string(timeout_.count()) + "ms";
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  return WIFEXITED(status) ? "exited " + std::to_string(WEXITSTATUS(status))
                           : "killed by signal " + std::to_string(WTERMSIG(status));
}

}  // namespace tandem::operator_daemon
