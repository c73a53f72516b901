#pragma once

// The last resort of self-fencing: SIGKILL for what a stop did not end in
// time. OCF agents and whatever daemons they start inherit the agent's
// environment, so a process whose environment names this sidecar's
// attribute directory and the resource instance belongs to that resource;
// supervised processes lead their own process group, recorded in their pid
// file. Both are found without any bookkeeping that a crash could lose.

#include <string>
#include <vector>

#include <sys/types.h>

#include "common/model/resource.h"
#include "sidecar/executor/operation_runner.h"

namespace tandem::agent {

// Kills every process whose environment holds each of `entries`
// ("NAME=value") exactly; returns their pids. Bounded by /proc.
std::vector<pid_t> kill_by_environment(const std::vector<std::string>& entries);

// Kills the resource instance's processes; returns a line for the log.
std::string kill_resource(const model::HAResource& resource, const std::string& instance,
                          std::optional<int> clone_instance, const executor::RunnerConfig& runner,
                          const executor::Clock& clock);

}  // namespace tandem::agent
