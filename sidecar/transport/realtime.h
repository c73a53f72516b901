#pragma once

// Totem's timers are tight (a token lost after `token` ms ends the ring), so
// the membership must not wait behind other work on a busy machine.
// Corosync runs itself under SCHED_RR at the highest priority for the same
// reason; the sidecar does so for its membership thread only, and the
// threads and processes that thread creates (none today) start at normal
// priority again, so resource agents never inherit it.

#include "common/core/result.h"

namespace tandem::transport {

// Puts the calling thread under SCHED_RR at the highest priority, with
// SCHED_RESET_ON_FORK. Returns the priority, or why it was not allowed
// (no CAP_SYS_NICE, RLIMIT_RTPRIO 0, a container without the capability).
Result<int> run_thread_at_realtime_priority();

}  // namespace tandem::transport
