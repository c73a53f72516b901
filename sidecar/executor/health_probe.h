#pragma once

// A supervised process's health probe: run a command (healthy on exit 0),
// connect to a TCP port, or GET an HTTP path and expect a status. Each gives
// up at the deadline.

#include <string>

#include "common/model/resource.h"
#include "sidecar/executor/time.h"

namespace tandem::executor {

struct ProbeOutcome {
  bool healthy = false;
  std::string detail;  // why not, or what answered
};

ProbeOutcome run_health_probe(const model::HealthProbe& probe, Instant deadline,
                              const Clock& clock);

ProbeOutcome probe_exec(const model::ExecProbe& probe, Instant deadline, const Clock& clock);
ProbeOutcome probe_tcp(const model::TcpProbe& probe, Instant deadline, const Clock& clock);
ProbeOutcome probe_http(const model::HttpProbe& probe, Instant deadline, const Clock& clock);

}  // namespace tandem::executor
