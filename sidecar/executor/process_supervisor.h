#pragma once

// The process agent class: a command run directly (no shell) in a process
// group of its own, with its environment, working directory and user.
//
// The sidecar may restart while the process runs, so what it knows about
// the process lives in files, not in memory: STATE/processes/NAME.pid holds
// the pid and its start time (so a reused pid is never mistaken for it), and
// the process writes its output to STATE/processes/NAME.log. Then a probe
// after a restart finds the running process and start never runs a second
// copy.
//
//   start:   run it unless it runs; healthy once the health probe passes
//            (if there is one) before the timeout
//   monitor: the process is alive, and the health probe passes
//   stop:    SIGTERM to the group, SIGKILL when the timeout runs out

#include <cstddef>
#include <optional>
#include <string>

#include <sys/types.h>

#include "common/model/resource.h"
#include "sidecar/executor/operation.h"
#include "sidecar/executor/time.h"

namespace tandem::executor {

// The log of a process is cut back to nothing once a monitor finds it
// larger than this, so it cannot fill the disk.
inline constexpr std::size_t kProcessLogLimit = 1 << 20;

struct ProcessRecord {
  pid_t pid = 0;
  unsigned long long start_time = 0;
};

// The name a supervised instance's pid and log files go by: the name the
// instance runs under (resource_instance: "ip:1" for instance 1 of a
// globally unique clone, so that two instances on one node are two
// processes; "db" for every instance of an anonymous clone, which Pacemaker
// runs as one resource per node).
std::string supervised_name(const model::HAResource& resource, std::optional<int> clone_instance);

class ProcessSupervisor {
 public:
  ProcessSupervisor(std::string state_dir, std::size_t output_limit, const Clock& clock);

  OperationResult run(const std::string& name, const model::ProcessAgent& process,
                      const OperationRequest& request, Instant deadline) const;

  // The recorded process when it still runs.
  std::optional<ProcessRecord> running(const std::string& name) const;

  std::string pid_file(const std::string& name) const;
  std::string log_file(const std::string& name) const;

 private:
  OperationResult start(const std::string& name, const model::ProcessAgent& process,
                        Instant deadline) const;
  OperationResult monitor(const std::string& name, const model::ProcessAgent& process,
                          Instant deadline) const;
  OperationResult stop(const std::string& name, Instant deadline) const;
  std::string log_tail(const std::string& name) const;

  std::string directory_;
  std::size_t output_limit_;
  const Clock& clock_;
};

}  // namespace tandem::executor
