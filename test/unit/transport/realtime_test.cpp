// The membership thread's real-time priority: it applies to that thread
// only, and what it starts runs at normal priority again.

#include "sidecar/transport/realtime.h"

#include <thread>

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tandem::transport {
namespace {

struct Observed {
  bool raised = false;
  std::string error;
  int thread_policy = -1;
  int child_policy = -1;
};

// Everything happens on a thread of its own, so the test runner's thread
// keeps its policy whatever happens.
Observed raise_and_fork() {
  Observed seen;
  std::thread worker([&seen] {
    auto raised = run_thread_at_realtime_priority();
    if (!raised) {
      seen.error = raised.error().message;
      return;
    }
    seen.raised = true;
    seen.thread_policy = ::sched_getscheduler(0);
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return;
    const pid_t child = ::fork();
    if (child == 0) {
      const int policy = ::sched_getscheduler(0);
      (void)!::write(pipe_fds[1], &policy, sizeof policy);
      ::_exit(0);
    }
    ::close(pipe_fds[1]);
    int policy = -1;
    if (::read(pipe_fds[0], &policy, sizeof policy) == sizeof policy) seen.child_policy = policy;
    ::close(pipe_fds[0]);
    ::waitpid(child, nullptr, 0);
  });
  worker.join();
  return seen;
}

TEST(Realtime, the_thread_runs_round_robin_and_its_children_at_normal_priority) {
  const Observed seen = raise_and_fork();
  if (!seen.raised) GTEST_SKIP() << "real-time priority not allowed here: " << seen.error;
  EXPECT_EQ(seen.thread_policy, SCHED_RR | SCHED_RESET_ON_FORK);
  EXPECT_EQ(seen.child_policy, SCHED_OTHER);
}

TEST(Realtime, other_threads_keep_their_policy) {
  const int before = ::sched_getscheduler(0);
  (void)raise_and_fork();
  EXPECT_EQ(::sched_getscheduler(0), before);
}

TEST(Realtime, a_refusal_says_why) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may always use SCHED_RR";
  const Observed seen = raise_and_fork();
  if (seen.raised) GTEST_SKIP() << "this process has CAP_SYS_NICE or an RLIMIT_RTPRIO";
  EXPECT_NE(seen.error.find("cannot use SCHED_RR"), std::string::npos) << seen.error;
}

}  // namespace
}  // namespace tandem::transport
