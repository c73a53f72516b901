#include "operator/daemon/fencer.h"

#include <cerrno>
#include <cstring>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace tandem::operator_daemon {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);

}  // namespace

Fencer::Fencer(std::string command, std::chrono::milliseconds timeout, server::Hub& hub)
    : command_(std::move(command)), timeout_(timeout), hub_(hub) {}

Fencer::~Fencer() {
  stop();
}

void Fencer::fence(const std::string& id, const std::string& node) {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  threads_.emplace_back([this, id, node] { run(id, node); });
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

void Fencer::run(std::string id, std::string node) {
  // The node name is passed as "$1", never spliced into the shell text.
  const std::string script = command_ + " \"$1\"";
  std::vector<std::string> args{"/bin/sh", "-c", script, "tandem-fence", node};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  // The agent's output goes to the operator's log.
  posix_spawn_file_actions_adddup2(&files, STDERR_FILENO, STDOUT_FILENO);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, "/bin/sh", &files, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (spawned != 0) {
    hub_.submit_fence_result(
        {id, false, std::string("cannot run /bin/sh: ") + std::strerror(spawned)});
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  int status = 0;
  std::string failure;
  // Bounded by the timeout (or the operator stopping).
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) {
      failure = std::string("waitpid: ") + std::strerror(errno);
      break;
    }
    if (stopping_ || std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      failure = stopping_ ? "the operator is stopping"
                          : "the fence command timed out after " +
                                std::to_string(timeout_.count()) + "ms";
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  if (failure.empty()) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      hub_.submit_fence_result({id, true, "the fence command exited 0"});
      return;
    }
    failure = WIFEXITED(status)
                  ? "the fence command exited " + std::to_string(WEXITSTATUS(status))
                  : "the fence command was killed by signal " + std::to_string(WTERMSIG(status));
  }
  hub_.submit_fence_result({id, false, failure});
}

}  // namespace tandem::operator_daemon
