#include "sidecar/transport/realtime.h"

#include <cstring>
#include <string>

#include <pthread.h>
#include <sched.h>

namespace tandem::transport {

Result<int> run_thread_at_realtime_priority() {
  const int priority = ::sched_get_priority_max(SCHED_RR);
  if (priority < 0) return fail("SCHED_RR is not available");
  sched_param param{};
  param.sched_priority = priority;
  // pthread_setschedparam acts on this thread alone (sched_setscheduler
  // with pid 0 does too on Linux, but says so less plainly).
  const int rc = ::pthread_setschedparam(::pthread_self(), SCHED_RR | SCHED_RESET_ON_FORK, &param);
  if (rc != 0) return fail(std::string("cannot use SCHED_RR: ") + std::strerror(rc));
  return priority;
}

}  // namespace tandem::transport
