#include "sidecar/executor/operation_runner.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/core/text.h"
#include "common/model/fence_device.h"
#include "sidecar/executor/child_process.h"
#include "sidecar/executor/exit_code.h"
#include "sidecar/executor/process_supervisor.h"

namespace tandem::executor {
namespace {

OperationResult spawn_failure(int rc, std::string reason) {
  OperationResult result;
  result.rc = rc;
  result.exit_reason = std::move(reason);
  return result;
}

}  // namespace

int exit_code_for_spawn_error(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
    case ENOEXEC:
    case ELOOP:
      return ocf::kErrInstalled;
    case EACCES:
    case EPERM:
      return ocf::kErrPerm;
    default:
      return ocf::kErrGeneric;
  }
}

OperationResult run_to_completion(const SpawnSpec& spec, Duration timeout, Instant deadline,
                                  const Clock& clock, std::size_t output_limit) {
  const Instant started = clock.now();
  auto child = ChildProcess::spawn(spec);
  if (!child) {
    OperationResult result =
        spawn_failure(exit_code_for_spawn_error(child.error().error), child.error().message);
    result.duration = clock.now() - started;
    return result;
  }
  OutputTail output(output_limit);
  auto status = child->wait_until(deadline, clock, &output);
  OperationResult result;
  if (!status) {
    child->kill_and_reap(std::chrono::seconds(5));
    result.status = ExecStatus::kTimedOut;
    result.rc = ocf::kErrGeneric;
    result.exit_reason = "did not finish within its timeout (" + format_duration(timeout) +
                         "); killed its process group";
  } else if (!status->exited) {
    result.status = ExecStatus::kKilled;
    result.rc = ocf::kErrGeneric;
    result.exit_reason = "killed by signal " + std::to_string(status->code);
  } else {
    result.rc = status->code;
  }
  result.duration = clock.now() - started;
  result.output = output.text();
  result.output_bytes = output.total_bytes();
  if (std::string reason = exit_reason(result.output); !reason.empty()) result.exit_reason = reason;
  return result;
}

OperationRunner::OperationRunner(RunnerConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

OperationResult OperationRunner::run(const model::HAResource& resource,
                                     const AgentInvocation& invocation, Instant deadline) const {
  const model::Agent& agent = resource.spec.agent;
  const Action action = invocation.request.action;
  if (agent.ocf) return run_ocf(resource, invocation, deadline);
  if (!is_basic_action(action)) {
    return spawn_failure(ocf::kErrUnimplemented,
                         std::string(action_name(action)) +
                             " is implemented by OCF agents only; process and systemd resources "
                             "have start, stop and monitor");
  }
  if (agent.process) {
    ProcessSupervisor supervisor(config_.state_dir, config_.output_limit, clock_);
    return supervisor.run(supervised_name(resource, invocation.clone_instance), *agent.process,
                          invocation.request, deadline);
  }
  if (agent.systemd) return run_systemd(*agent.systemd, invocation.request, deadline);
  if (agent.fence) return run_fence(resource, invocation.request, deadline);
  return spawn_failure(ocf::kErrConfigured, "the resource names no agent");
}

OperationResult OperationRunner::run_ocf(const model::HAResource& resource,
                                         const AgentInvocation& invocation,
                                         Instant deadline) const {
  auto path = ocf_agent_path(config_.node.ocf_root, *resource.spec.agent.ocf);
  if (!path) return spawn_failure(ocf::kErrInstalled, path.error().message);
  struct stat st {};
  if (::stat(path->c_str(), &st) < 0 || !S_ISREG(st.st_mode)) {
    return spawn_failure(ocf::kErrInstalled, "the agent " + *path + " is not installed");
  }
  SpawnSpec spec;
  spec.program = *path;
  spec.argv = {*path, std::string(action_name(invocation.request.action))};
  spec.env = environment_strings(ocf_environment(resource, invocation, config_.node));
  spec.working_dir = "/";
  return run_to_completion(spec, invocation.request.timeout, deadline, clock_,
                           config_.output_limit);
}

// A fence device is "started" where it is registered, as Pacemaker's
// fencer registers one: the start checks the device with the agent's
// monitor action, a monitor checks it again while registered, and the stop
// unregisters it. The registration is a file in the state directory, so
// that it outlives a sidecar restart.
OperationResult OperationRunner::run_fence(const model::HAResource& resource,
                                           const OperationRequest& request,
                                           Instant deadline) const {
  const std::string directory = config_.state_dir + "/fence-devices";
  const std::string marker = directory + "/" + resource.metadata.name;
  struct stat st {};
  const bool registered = ::stat(marker.c_str(), &st) == 0;
  if (request.action == Action::kStop) {
    if (registered && ::unlink(marker.c_str()) < 0 && errno != ENOENT)
      return spawn_failure(ocf::kErrGeneric,
                           "cannot remove " + marker + ": " + std::strerror(errno));
    return spawn_failure(ocf::kSuccess, "");
  }
  if (request.action == Action::kMonitor && !registered) return spawn_failure(ocf::kNotRunning, "");
  const std::string path =
      model::fence_agent_path(*resource.spec.agent.fence, config_.fence_agent_dir);
  if (::stat(path.c_str(), &st) < 0 || !S_ISREG(st.st_mode))
    return spawn_failure(ocf::kErrInstalled, "the fence agent " + path + " is not installed");
  SpawnSpec spec;
  spec.program = path;
  spec.argv = {path};
  spec.env = environment_strings(Environment{{"PATH", std::string(kSystemPath)}});
  spec.working_dir = "/";
  spec.stdin_text = model::fence_agent_input(resource, "monitor", std::nullopt);
  OperationResult result =
      run_to_completion(spec, request.timeout, deadline, clock_, config_.output_limit);
  if (result.status != ExecStatus::kDone) return result;
  if (result.rc != 0) {
    // fence_* agents exit 1 on any failure: the device is not usable.
    result.rc = ocf::kErrGeneric;
    if (result.exit_reason.empty()) result.exit_reason = "the fence agent's monitor failed";
    return result;
  }
  if (request.action == Action::kStart && !registered) {
    ::mkdir(directory.c_str(), 0700);
    const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return spawn_failure(ocf::kErrGeneric,
                           "cannot create " + marker + ": " + std::strerror(errno));
    ::close(fd);
  }
  return result;
}

OperationResult OperationRunner::run_systemd(const model::SystemdAgent& agent,
                                             const OperationRequest& request,
                                             Instant deadline) const {
  struct stat st {};
  if (::stat(config_.systemd_marker.c_str(), &st) < 0) {
    return spawn_failure(ocf::kErrInstalled, "systemd is not running on this node (" +
                                                 config_.systemd_marker +
                                                 " is missing), so the systemd unit " +
                                                 quote(agent.unit) + " cannot be managed here");
  }
  SpawnSpec spec;
  spec.program = config_.systemctl;
  spec.env = environment_strings(Environment{{"PATH", std::string(kSystemPath)}});
  switch (request.action) {
    case Action::kStart:
      spec.argv = {"systemctl", "start", "--", agent.unit};
      break;
    case Action::kStop:
      spec.argv = {"systemctl", "stop", "--", agent.unit};
      break;
    default:
      spec.argv = {"systemctl", "show", "--property=ActiveState", "--value", "--", agent.unit};
      break;
  }
  OperationResult result =
      run_to_completion(spec, request.timeout, deadline, clock_, config_.output_limit);
  if (result.status != ExecStatus::kDone) return result;
  if (request.action != Action::kMonitor) {
    if (result.rc != 0) {
      result.exit_reason =
          "systemctl " + spec.argv[1] + " " + agent.unit + " exited " + std::to_string(result.rc);
      result.rc = result.rc == 5 ? ocf::kErrInstalled : ocf::kErrGeneric;  // 5: no such unit
    }
    return result;
  }
  if (result.rc != 0) {
    result.exit_reason = "systemctl show exited " + std::to_string(result.rc);
    result.rc = ocf::kErrGeneric;
    return result;
  }
  std::string state = result.output.substr(0, result.output.find('\n'));
  if (state == "active" || state == "reloading") {
    result.rc = ocf::kSuccess;
  } else if (state == "inactive" || state == "failed" || state == "deactivating") {
    result.rc = ocf::kNotRunning;
    result.exit_reason = "unit " + agent.unit + " is " + state;
  } else {
    result.rc = ocf::kErrGeneric;
    result.exit_reason = "unit " + agent.unit + " is " + quote(state);
  }
  return result;
}

}  // namespace tandem::executor
