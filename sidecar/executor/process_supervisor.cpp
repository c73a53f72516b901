#include "sidecar/executor/process_supervisor.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/core/text.h"
#include "sidecar/executor/agent_environment.h"
#include "sidecar/executor/child_process.h"
#include "sidecar/executor/directories.h"
#include "sidecar/executor/exit_code.h"
#include "sidecar/executor/health_probe.h"
#include "sidecar/executor/operation_runner.h"
#include "sidecar/executor/output_tail.h"

namespace tandem::executor {

std::string supervised_name(const model::HAResource& resource, std::optional<int> clone_instance) {
  return resource_instance(resource, clone_instance);
}
namespace {

constexpr Duration kPollStep = std::chrono::milliseconds(100);
// A start waits for the health probe to pass: retried this often, because a
// failover waits for the start (a probe on this machine is cheap).
constexpr Duration kHealthRetryStep = std::chrono::milliseconds(10);

OperationResult result_of(int rc, std::string reason) {
  OperationResult result;
  result.rc = rc;
  result.exit_reason = std::move(reason);
  return result;
}

// Reaps the process if it is the sidecar's own child that has exited, so
// that it does not linger as a zombie. Harmless for other processes.
void reap_if_child(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, WNOHANG);
}

Result<void> write_record(const std::string& path, const ProcessRecord& record) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    if (!out) return fail("cannot write " + quote(temporary) + ": " + std::strerror(errno));
    out << record.pid << " " << record.start_time << "\n";
    if (!out.flush()) return fail("cannot write " + quote(temporary));
  }
  if (::rename(temporary.c_str(), path.c_str()) < 0) {
    return fail("cannot write " + quote(path) + ": " + std::strerror(errno));
  }
  return {};
}

std::optional<ProcessRecord> read_record(const std::string& path) {
  std::ifstream in(path);
  ProcessRecord record;
  long long pid = 0;
  if (!(in >> pid >> record.start_time) || pid <= 1 || pid > 1 << 30) return std::nullopt;
  record.pid = static_cast<pid_t>(pid);
  return record;
}

}  // namespace

ProcessSupervisor::ProcessSupervisor(std::string state_dir, std::size_t output_limit,
                                     const Clock& clock)
    : directory_(std::move(state_dir) + "/processes"), output_limit_(output_limit), clock_(clock) {}

std::string ProcessSupervisor::pid_file(const std::string& name) const {
  return directory_ + "/" + name + ".pid";
}

std::string ProcessSupervisor::log_file(const std::string& name) const {
  return directory_ + "/" + name + ".log";
}

std::optional<ProcessRecord> ProcessSupervisor::running(const std::string& name) const {
  auto record = read_record(pid_file(name));
  if (!record) return std::nullopt;
  reap_if_child(record->pid);
  if (!process_alive(record->pid)) return std::nullopt;
  if (process_start_time(record->pid) != record->start_time) return std::nullopt;
  return record;
}

std::string ProcessSupervisor::log_tail(const std::string& name) const {
  std::ifstream in(log_file(name), std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  auto size = static_cast<long long>(in.tellg());
  auto keep = static_cast<long long>(output_limit_);
  in.seekg(size > keep ? size - keep : 0);
  std::string tail(static_cast<std::size_t>(std::min(size, keep)), '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  tail.resize(static_cast<std::size_t>(in.gcount()));
  return tail;
}

OperationResult ProcessSupervisor::run(const std::string& name, const model::ProcessAgent& process,
                                       const OperationRequest& request, Instant deadline) const {
  const Instant started = clock_.now();
  OperationResult result;
  // Names are Kubernetes object names, but the path is built here, so check.
  if (name.empty() || name.find('/') != std::string::npos || name.front() == '.') {
    result = result_of(ocf::kErrConfigured, "resource name " + quote(name) + " is not a file name");
  } else if (auto made = make_directories(directory_, 0700); !made) {
    result = result_of(ocf::kErrGeneric, made.error().message);
  } else if (request.action == Action::kStart) {
    result = start(name, process, deadline);
  } else if (request.action == Action::kStop) {
    result = stop(name, deadline);
  } else if (request.action == Action::kMonitor) {
    result = monitor(name, process, deadline);
  } else {
    result = result_of(ocf::kErrUnimplemented, std::string(action_name(request.action)) +
                                                   " is not implemented for processes");
  }
  result.duration = clock_.now() - started;
  return result;
}

OperationResult ProcessSupervisor::start(const std::string& name,
                                         const model::ProcessAgent& process,
                                         Instant deadline) const {
  if (auto record = running(name)) {
    return result_of(ocf::kSuccess, "already running as pid " + std::to_string(record->pid));
  }
  if (process.command.empty()) return result_of(ocf::kErrConfigured, "the command is empty");
  SpawnSpec spec;
  spec.program = process.command.front();
  spec.argv = process.command;
  spec.env = environment_strings(process_environment(process));
  spec.working_dir = process.working_dir.value_or("/");
  spec.output = OutputMode::kAppendToFile;
  spec.output_file = log_file(name);
  if (process.user) {
    auto credentials = lookup_user(*process.user);
    // The user missing is a property of this node: another may have it.
    if (!credentials) return result_of(ocf::kErrInstalled, credentials.error().message);
    spec.credentials = *credentials;
  }
  if (spec.program.empty() || spec.program.front() != '/') {
    return result_of(ocf::kErrConfigured,
                     "the command " + quote(spec.program) +
                         " must be an absolute path (no shell or PATH search runs it)");
  }
  auto child = ChildProcess::spawn(spec);
  if (!child) {
    return result_of(exit_code_for_spawn_error(child.error().error), child.error().message);
  }
  ProcessRecord record{child->pid(), process_start_time(child->pid()).value_or(0)};
  if (auto written = write_record(pid_file(name), record); !written) {
    return result_of(ocf::kErrGeneric, written.error().message);  // the child is killed here
  }
  const pid_t pid = child->release();

  // Healthy when the probe passes; without a probe, when it is still alive
  // a moment after exec (a command that exits at once is caught here rather
  // than by the first monitor).
  for (;;) {
    reap_if_child(pid);
    if (!process_alive(pid)) {
      OperationResult result = result_of(ocf::kErrGeneric, "the process exited right after start");
      result.output = log_tail(name);
      ::unlink(pid_file(name).c_str());
      return result;
    }
    if (!process.health) {
      std::this_thread::sleep_for(std::min<Duration>(
          kPollStep, std::max<Duration>(deadline - clock_.now(), Duration::zero())));
      reap_if_child(pid);
      if (process_alive(pid))
        return result_of(ocf::kSuccess, "started as pid " + std::to_string(pid));
      continue;
    }
    ProbeOutcome health = run_health_probe(*process.health, deadline, clock_);
    if (health.healthy) {
      return result_of(ocf::kSuccess,
                       "started as pid " + std::to_string(pid) + "; " + health.detail);
    }
    if (clock_.now() >= deadline) {
      // Leave it running: the stop that recovery issues cleans it up, and
      // killing it here would hide what state it was in.
      OperationResult result =
          result_of(ocf::kErrGeneric, "not healthy before the start timeout: " + health.detail);
      result.status = ExecStatus::kTimedOut;
      result.output = log_tail(name);
      return result;
    }
    std::this_thread::sleep_for(std::min<Duration>(kHealthRetryStep, deadline - clock_.now()));
  }
}

OperationResult ProcessSupervisor::monitor(const std::string& name,
                                           const model::ProcessAgent& process,
                                           Instant deadline) const {
  auto record = running(name);
  if (!record) {
    OperationResult result;
    bool recorded = read_record(pid_file(name)).has_value();
    result = result_of(ocf::kNotRunning, recorded ? "the process has exited" : "not started");
    if (recorded) result.output = log_tail(name);
    return result;
  }
  // Keep the log bounded: cut it back once it is over the limit.
  struct stat st {};
  if (::stat(log_file(name).c_str(), &st) == 0 &&
      static_cast<std::size_t>(st.st_size) > kProcessLogLimit) {
    ::truncate(log_file(name).c_str(), 0);
  }
  if (process.health) {
    ProbeOutcome health = run_health_probe(*process.health, deadline, clock_);
    if (!health.healthy) {
      OperationResult result = result_of(ocf::kErrGeneric, "health check failed: " + health.detail);
      result.output = log_tail(name);
      return result;
    }
  }
  return result_of(ocf::kSuccess, "running as pid " + std::to_string(record->pid));
}

OperationResult ProcessSupervisor::stop(const std::string& name, Instant deadline) const {
  auto record = running(name);
  if (!record) {
    ::unlink(pid_file(name).c_str());
    return result_of(ocf::kSuccess, "not running");
  }
  const pid_t pgid = record->pid;  // the process leads its own group
  ::kill(-pgid, SIGTERM);
  std::string how = "stopped with SIGTERM";
  auto wait_for_group = [&](Instant until) {
    for (;;) {
      reap_if_child(pgid);
      if (!group_alive(pgid)) return true;
      Instant now = clock_.now();
      if (now >= until) return false;
      std::this_thread::sleep_for(std::min<Duration>(kPollStep / 2, until - now));
    }
  };
  bool gone = wait_for_group(deadline);
  if (!gone) {
    ::kill(-pgid, SIGKILL);
    how = "did not stop on SIGTERM before the timeout; killed with SIGKILL";
    // SIGKILL takes effect at once unless a process is stuck in the kernel.
    gone = wait_for_group(clock_.now() + std::chrono::seconds(5));
  }
  if (!gone) {
    return result_of(ocf::kErrGeneric, "the process group " + std::to_string(pgid) +
                                           " survived SIGKILL (stuck in the kernel?)");
  }
  ::unlink(pid_file(name).c_str());
  return result_of(ocf::kSuccess, how);
}

}  // namespace tandem::executor
