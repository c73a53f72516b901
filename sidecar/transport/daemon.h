#pragma once

// The membership on real sockets: one thread, one UDP socket, and the pure
// membership machine in between. The loop waits (ppoll) until a datagram
// arrives, the machine's next deadline (CLOCK_MONOTONIC), or a signal to
// stop; feeds the machine; persists the ring sequence before anything that
// carries it is sent; seals and sends the machine's datagrams; logs
// configuration and quorum changes; and rewrites the status file when they
// happen. Beside Totem it probes every other node's clock every few
// seconds (clock_probe.h), which also keeps the links' state current, and
// it serves the process groups' local socket (sidecar/groups), whose
// messages travel the ring.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "sidecar/transport/node_setup.h"
#include "sidecar/transport/state_dir.h"
#include "sidecar/transport/status.h"

namespace tandem::transport {

using LogLine = std::function<void(std::string_view)>;
// Gets the status on the daemon's thread whenever the status file is
// written, and at least every kObserverHeartbeat besides, so that the
// observer can tell a membership with nothing new from one that stopped
// running (a paused process, a stuck thread). Must return quickly.
using StatusObserver = std::function<void(const MembershipStatus&)>;
inline constexpr std::chrono::milliseconds kObserverHeartbeat{100};

struct DaemonOptions {
  // A warning is logged when a node's clock is estimated further than this
  // from this node's; 0 turns the warnings off.
  std::chrono::microseconds max_clock_offset = std::chrono::milliseconds(500);
  // Where applications reach the process groups (sidecar/groups/server.h);
  // empty: not served.
  std::string cpg_socket;
  // Run the loop's thread under SCHED_RR at the highest priority, as
  // corosync runs itself (realtime.h); when not allowed, the loop says so
  // and runs at normal priority.
  bool realtime = true;
};

class Daemon {
 public:
  // Reads the persisted ring sequence and send epoch, persists the new
  // epoch, binds the socket, and listens on the process groups' socket. `log` gets one line per
  // call; `observer`, when given, every status (see StatusObserver).
  static Result<std::unique_ptr<Daemon>> start(NodeSetup setup, StateDir state, LogLine log,
                                               DaemonOptions options = {},
                                               StatusObserver observer = {});
  virtual ~Daemon() = default;

  // Runs until `stop_fd` (a signalfd, or any descriptor) becomes readable.
  // Returns an error only for what makes going on unsafe: the ring
  // sequence or epoch cannot be persisted, or waiting on the socket fails.
  virtual Result<void> run(int stop_fd) = 0;
};

}  // namespace tandem::transport
