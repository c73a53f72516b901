#include "sidecar/agent/agent_loop.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include <sys/random.h>
#include <unistd.h>

#include "common/core/assert.h"
#include "common/protocol/codec.h"
#include "sidecar/agent/membership_view.h"
#include "sidecar/agent/op_history.h"
#include "sidecar/agent/prepared_action.h"
#include "sidecar/agent/resource_executor.h"
#include "sidecar/agent/seen_actions.h"
#include "sidecar/executor/attribute_store.h"
#include "sidecar/executor/executor_core.h"
#include "sidecar/executor/rng.h"

namespace tandem::agent {
namespace {

using executor::Action;

// The shortest time a stop ordered by self-fencing gets, even when the
// deadline is nearer: the guard's kill at the deadline covers the rest.
constexpr Duration kMinFenceStopTimeout{1000};
constexpr Duration kWatchdogFeedEvery{500};
// The membership reports at least every second; this long without news
// (or half the watchdog's timeout, if longer) means it is stuck.
constexpr Duration kMinMembershipSilence{2000};

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::uint64_t os_random() {
  std::uint64_t value = 0;
  if (::getrandom(&value, sizeof value, 0) != static_cast<ssize_t>(sizeof value))
    value = static_cast<std::uint64_t>(unix_ms()) ^ static_cast<std::uint64_t>(::getpid());
  return value;
}

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

std::string exec_status(executor::ExecStatus status) {
  switch (status) {
    case executor::ExecStatus::kDone:
      return "done";
    case executor::ExecStatus::kTimedOut:
      return "timeout";
    case executor::ExecStatus::kKilled:
      return "error";
  }
  return "error";
}

bool starts_something(Action action) {
  return action == Action::kStart || action == Action::kPromote || action == Action::kMigrateFrom;
}

std::string describe(const std::string& task, const std::string& instance,
                     std::int64_t interval_ms) {
  std::string text = task + " " + instance;
  if (interval_ms > 0) text += " every " + std::to_string(interval_ms) + " ms";
  return text;
}

// Everything one run of the loop keeps; lives on the loop's thread.
class Session {
 public:
  Session(const AgentConfig& config, const LogLine& log, std::function<void()> wake)
      : config_(config),
        log_(log),
        rng_(os_random()),
        executor_(config.planner, config.runner, clock_, rng_, std::move(wake)),
        guard_(config.guard),
        incarnation_(hex(os_random())) {}

  Instant now() const { return clock_.now(); }

  // Whether the membership's thread has been heard from within `window`.
  bool membership_heard(Instant now, Duration window) const {
    return last_status_ && now - *last_status_ <= window;
  }

  void on_status(const transport::MembershipStatus& status, Instant now) {
    last_status_ = now;
    QuorumSnapshot snapshot = quorum_snapshot(status);
    if (snapshot.quorate && snapshot.operational) quorate_seen_unix_ms_ = unix_ms();
    guard_.on_membership(snapshot, now);
    protocol::MembershipView view = membership_view(status, quorate_seen_unix_ms_);
    // Heartbeats repeat the same view; only a change is news (the ring id
    // changes with every new set of members).
    if (view.ring_id != view_.ring_id || view.state != view_.state ||
        view.quorate != view_.quorate || view.total_votes != view_.total_votes ||
        view.expected_votes != view_.expected_votes) {
      changed_ = true;
    }
    if (view.quorate != view_.quorate)
      log_(std::string("quorum: ") + (view.quorate ? "quorate" : "NOT quorate") + " (ring " +
           (view.ring_id.empty() ? "none" : view.ring_id) + ", " +
           std::to_string(view.members.size()) + " members)");
    view_ = std::move(view);
  }

  void on_gone(const std::string& why, Instant now) {
    if (gone_) return;
    gone_ = true;
    log_("agent: the membership stopped (" + why + "); stopping every resource");
    guard_.on_membership_gone(now);
    changed_ = true;
  }

  void collect(Instant now) {
    for (JobDone& done : executor_.collect(now)) finish(done);
  }

  void guard(Instant now) {
    GuardOrders orders = guard_.tick(now, executor_.maybe_active());
    if (config_.metrics) config_.metrics->set_self_fencing(guard_.fencing());
    if (orders.fenced_because) {
      changed_ = true;
      log_("self-fence: " + *orders.fenced_because + "; stopping every resource" +
           (orders.stop.empty() ? " (none runs)" : "") + ", refusing start and promote");
      withdraw_all([](const Job& job) { return starts_something(job.request.action); });
    }
    if (orders.unfenced) {
      changed_ = true;
      log_("self-fence: over, the partition is quorate; start and promote allowed again");
    }
    for (const std::string& instance : orders.stop) fence_stop(instance, now);
    for (const std::string& instance : orders.kill) {
      changed_ = true;
      log_("self-fence: " + instance + " did not stop within the self-fence time (" +
           std::to_string(config_.guard.self_fence_time.count()) +
           " ms): " + executor_.kill(instance));
    }
  }

  void take_action(const protocol::ActionRequest& action) {
    if (!seen_.first_time(action.id)) return;
    log_("agent: action " + action.id +
         " received: " + describe(action.task, action.resource, action.interval_ms));
    received_[action.id] = now();
    if (action.task == "cleanup") {
      cleanup(action);
      return;
    }
    if (action.task == "cancel") {
      cancel(action);
      return;
    }
    if (auto stale = stale_ring(action.ring_id, view_.ring_id)) {
      reject(action.id, Rejection{"cancelled", executor::ocf::kErrGeneric, *stale});
      return;
    }
    if (!guard_.allows(action.task)) {
      reject(action.id, Rejection{"cancelled", executor::ocf::kErrGeneric,
                                  "refused: this node is self-fencing (its partition has no "
                                  "quorum)"});
      return;
    }
    auto prepared = prepare_action(action);
    if (!prepared) {
      reject(action.id, prepared.error());
      return;
    }
    if (auto defined =
            executor_.define(prepared->instance, prepared->resource, prepared->clone_instance);
        !defined) {
      reject(action.id, Rejection{"error", executor::ocf::kErrGeneric, defined.error().message});
      return;
    }
    history_.identify(prepared->instance, identity_of(prepared->resource));
    if (prepared->request.action == Action::kMonitor && action.interval_ms > 0)
      history_.resume_monitor(prepared->instance, action.interval_ms);
    const int expected = expected_rc(prepared->request);
    if (auto queued = executor_.submit(
            prepared->instance,
            Job{action.id, action.digest, prepared->request, std::move(prepared->notification)});
        !queued) {
      reject(action.id, Rejection{"error", executor::ocf::kErrGeneric, queued.error().message});
      return;
    }
    history_.begin_pending(prepared->instance, action.id, action.task, expected, unix_ms() / 1000);
  }

  void dispatch(Instant now) { executor_.dispatch(now); }

  // Sends a report when something changed or the heartbeat is due.
  void report(OperatorLink& link, Instant now) {
    if (!changed_ && last_report_ && now - *last_report_ < config_.heartbeat) return;
    changed_ = false;
    last_report_ = now;
    protocol::NodeReport report;
    report.node = config_.endpoint.node;
    report.incarnation = incarnation_;
    report.sequence = ++sequence_;
    report.sent_unix_ms = unix_ms();
    report.membership = view_;
    report.resources = history_.resources();
    report.fail_counts = executor_.fail_counts();
    if (auto store = executor::AttributeStore::open(config_.runner.node.attribute_dir, false)) {
      if (auto all = store->all()) report.attributes = std::move(*all);
    }
    report.outcomes = history_.outcomes();
    report.self_fencing = guard_.fencing();
    link.publish(protocol::encode(report));
  }

  // The membership is gone and every stop it caused succeeded or was
  // followed by a kill. Called after guard(), which orders those stops.
  bool done_after_loss() const { return gone_ && guard_.owed().empty(); }

 private:
  void finish(JobDone& done) {
    changed_ = true;
    const executor::OperationRequest& request = done.job.request;
    const std::string task = task_name(request.action);
    const std::int64_t interval_ms = request.interval.count();
    const bool failed = done.verdict.failure != executor::FailureScope::kNone;
    OpEvent event;
    event.resource = done.instance;
    event.task = task;
    event.interval_ms = interval_ms;
    event.rc = done.result.rc;
    event.expected_rc = expected_rc(request);
    event.status = exec_status(done.result.status);
    event.failed = failed;
    event.exit_reason = done.result.exit_reason;
    event.digest = done.job.digest;
    event.exec_ms = done.result.duration.count();
    event.now_unix = unix_ms() / 1000;
    history_.record(event);
    if (config_.metrics)
      config_.metrics->on_operation(request.action, done.result.duration, failed);
    if (request.action == Action::kStop)
      guard_.on_stop_result(done.instance,
                            !failed && done.result.status == executor::ExecStatus::kDone);
    if (done.job.action_id) {
      const std::string& id = *done.job.action_id;
      history_.end_pending(id);
      history_.add_outcome(protocol::ActionOutcome{id, done.result.rc, event.status,
                                                   done.result.exit_reason, unix_ms()});
      std::string took;
      if (auto it = received_.find(id); it != received_.end()) {
        took = ", " + std::to_string((now() - it->second).count()) + " ms after it arrived";
        received_.erase(it);
      }
      log_("agent: action " + id + " finished: " + describe(task, done.instance, interval_ms) +
           ": rc " + std::to_string(done.result.rc) + " (" + done.verdict.summary + "), ran " +
           std::to_string(event.exec_ms) + " ms" + took);
    } else if (done.job.fence_stop) {
      log_("self-fence: stopped " + done.instance + ": " + done.verdict.summary);
    } else if (failed) {
      log_(
          "agent: " + describe(task, done.instance, interval_ms) +
          " failed: " + done.verdict.summary +
          (done.result.exit_reason.empty() ? std::string() : " (" + done.result.exit_reason + ")") +
          "; fail count " + std::to_string(done.fail_count));
    }
  }

  void reject(const std::string& id, const Rejection& rejection) {
    changed_ = true;
    received_.erase(id);
    history_.end_pending(id);
    history_.add_outcome(
        protocol::ActionOutcome{id, rejection.rc, rejection.status, rejection.reason, unix_ms()});
    log_("agent: action " + id + " not carried out: " + rejection.status + ": " + rejection.reason);
  }

  // Forgets the failures and the history of every instance of the
  // resource ("db" covers "db:0" and "db:1"); a resource without a history
  // entry has nothing to forget.
  void cleanup(const protocol::ActionRequest& action) {
    changed_ = true;
    received_.erase(action.id);
    std::set<std::string> instances;
    for (const std::string& name : history_.names()) instances.insert(name);
    for (const std::string& name : executor_.instances()) instances.insert(name);
    std::string cleaned;
    for (const std::string& instance : instances) {
      if (instance != action.resource && !instance.starts_with(action.resource + ":")) continue;
      executor_.clear_failures(instance);
      history_.forget(instance);
      cleaned += (cleaned.empty() ? "" : " ") + instance;
    }
    history_.add_outcome(protocol::ActionOutcome{action.id, 0, "done", "", unix_ms()});
    log_("agent: action " + action.id + " finished: cleanup of " +
         (cleaned.empty() ? action.resource + " (nothing recorded)" : cleaned));
  }

  // Stops a recurring monitor until the operator asks for it again
  // (maintenance), as Pacemaker's cancel does: its entry leaves the
  // history. An anonymous clone's instance ("db:1") runs here as the clone
  // ("db").
  void cancel(const protocol::ActionRequest& action) {
    changed_ = true;
    received_.erase(action.id);
    std::string instance = action.resource;
    if (executor_.find(instance) == nullptr) instance = instance.substr(0, instance.find(':'));
    const std::string what = describe("monitor", instance, action.interval_ms);
    if (action.interval_ms <= 0) {
      reject(action.id, Rejection{"error", executor::ocf::kErrConfigured,
                                  "cancel of " + what + ": only recurring monitors are cancelled"});
      return;
    }
    // A monitor never defined here has nothing running to stop.
    std::string detail = "not running here";
    if (executor_.find(instance) != nullptr) {
      if (auto stopped = executor_.cancel_monitor(instance, Duration(action.interval_ms));
          !stopped) {
        reject(action.id,
               Rejection{"error", executor::ocf::kErrConfigured, stopped.error().message});
        return;
      }
      detail = "stopped";
    }
    history_.cancel_monitor(instance, action.interval_ms);
    history_.add_outcome(protocol::ActionOutcome{action.id, 0, "done", "", unix_ms()});
    log_("agent: action " + action.id + " finished: cancel of " + what + " (" + detail + ")");
  }

  void withdraw_all(const std::function<bool(const Job&)>& drop) {
    for (const std::string& instance : executor_.instances()) {
      for (Job& job : executor_.withdraw(instance, drop)) {
        if (job.action_id)
          reject(*job.action_id,
                 Rejection{"cancelled", executor::ocf::kErrGeneric,
                           "withdrawn: this node began self-fencing before it ran"});
      }
    }
  }

  void fence_stop(const std::string& instance, Instant now) {
    const model::HAResource* resource = executor_.find(instance);
    if (resource == nullptr) return;
    // Nothing queued may run before the stop.
    for (Job& job : executor_.withdraw(instance, [](const Job&) { return true; })) {
      if (job.action_id)
        reject(*job.action_id, Rejection{"cancelled", executor::ocf::kErrGeneric,
                                         "withdrawn: this node is self-fencing"});
    }
    Duration timeout =
        executor::timeout_for(*resource, Action::kStop, Duration::zero(), /*advised=*/{});
    if (auto deadline = guard_.kill_deadline())
      timeout = std::clamp(std::chrono::duration_cast<Duration>(*deadline - now),
                           kMinFenceStopTimeout, std::max(timeout, kMinFenceStopTimeout));
    Job job;
    job.request =
        executor::OperationRequest{Action::kStop, Duration::zero(), timeout, std::nullopt};
    job.fence_stop = true;
    // Cannot fail: the queue was emptied just above.
    auto queued = executor_.submit(instance, std::move(job));
    TANDEM_ASSERT(queued.has_value(), "a fence stop goes into an empty queue");
    log_("self-fence: stopping " + instance + " (timeout " + std::to_string(timeout.count()) +
         " ms)");
  }

  const AgentConfig& config_;
  const LogLine& log_;
  executor::SteadyClock clock_;
  executor::SplitMix64 rng_;
  ResourceExecutor executor_;
  QuorumGuard guard_;
  OpHistory history_;
  SeenActions seen_;
  std::map<std::string, Instant> received_;  // actions in flight, for their durations
  protocol::MembershipView view_;
  std::int64_t quorate_seen_unix_ms_ = 0;
  std::string incarnation_;
  std::uint64_t sequence_ = 0;
  std::optional<Instant> last_report_;
  std::optional<Instant> last_status_;
  bool changed_ = true;
  bool gone_ = false;
};

}  // namespace

Agent::Agent(AgentConfig config, LogLine log, std::unique_ptr<Watchdog> watchdog)
    : config_(std::move(config)), log_(std::move(log)), watchdog_(std::move(watchdog)) {}

void Agent::on_membership(const transport::MembershipStatus& status) {
  {
    std::lock_guard lock(mutex_);
    // Bounded: the loop drains this every turn; a stuck loop keeps only the
    // newest statuses, which are all the guard needs.
    if (inbox_.statuses.size() >= 64) inbox_.statuses.erase(inbox_.statuses.begin());
    inbox_.statuses.push_back(status);
  }
  changed_.notify_all();
}

void Agent::on_membership_gone(std::string why) {
  {
    std::lock_guard lock(mutex_);
    inbox_.gone = std::move(why);
  }
  changed_.notify_all();
}

void Agent::request_stop() {
  {
    std::lock_guard lock(mutex_);
    inbox_.stop = true;
  }
  changed_.notify_all();
}

void Agent::wake() {
  {
    std::lock_guard lock(mutex_);
    inbox_.woken = true;
  }
  changed_.notify_all();
}

Agent::Inbox Agent::take(Duration wait) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, wait, [this] {
    return inbox_.woken || inbox_.stop || inbox_.gone || !inbox_.statuses.empty() ||
           !inbox_.batches.empty();
  });
  // Each news is taken once: the loop acts on a stop in the same turn, and
  // the session remembers that the membership is gone.
  Inbox out = std::move(inbox_);
  inbox_ = Inbox{};
  return out;
}

int Agent::run() {
  auto link = OperatorLink::start(
      config_.endpoint, config_.poll_wait_ms,
      [this](protocol::ActionBatch batch) {
        {
          std::lock_guard lock(mutex_);
          // Bounded: the operator repeats what was not reported done, so
          // batches beyond this can be dropped without losing an action.
          if (inbox_.batches.size() < 16) inbox_.batches.push_back(std::move(batch));
        }
        changed_.notify_all();
      },
      log_);
  if (!link) {
    log_("agent: " + link.error().message);
    return 1;
  }
  log_("agent: node " + config_.endpoint.node + " reporting to " + config_.endpoint.url +
       "; self-fence time " + std::to_string(config_.guard.self_fence_time.count()) + " ms");
  Session session(config_, log_, [this] { wake(); });
  // The watchdog is fed at most twice a second, and only while the
  // membership's thread reports: a stuck membership is a frozen node too.
  std::optional<Instant> last_feed;
  bool starving = false;
  auto feed_watchdog = [&](Instant now) {
    if (!watchdog_ || (last_feed && now - *last_feed < kWatchdogFeedEvery)) return;
    const Duration silence = std::max<Duration>(
        kMinMembershipSilence, std::chrono::duration_cast<Duration>(watchdog_->timeout()) / 2);
    if (!session.membership_heard(now, silence)) {
      if (!starving)
        log_("watchdog: not fed: no news from the membership for " +
             std::to_string(silence.count()) + " ms; the machine resets within " +
             std::to_string(watchdog_->timeout().count()) + " s unless it resumes");
      starving = true;
      return;
    }
    if (auto fed = watchdog_->feed(); !fed) {
      log_("watchdog: " + fed.error().message);
      return;
    }
    if (starving) log_("watchdog: fed again");
    starving = false;
    last_feed = now;
  };
  // Bounded per turn (each step handles what arrived); runs until stopped.
  while (true) {
    Inbox inbox = take(config_.turn);
    Instant now = session.now();
    for (const transport::MembershipStatus& status : inbox.statuses) session.on_status(status, now);
    if (inbox.gone) session.on_gone(*inbox.gone, now);
    session.collect(now);
    // The guard goes first: a node that finds it may have been evicted
    // stops everything before it looks at a single action.
    session.guard(now);
    for (const protocol::ActionBatch& batch : inbox.batches)
      for (const protocol::ActionRequest& action : batch.actions) session.take_action(action);
    session.dispatch(now);
    session.report(**link, now);
    feed_watchdog(now);
    if (inbox.stop) {
      log_("agent: stopping; resources keep running");
      return 0;
    }
    if (session.done_after_loss()) {
      log_("agent: every resource is stopped; exiting because the membership is gone");
      return 1;
    }
  }
}

}  // namespace tandem::agent
