#include "sidecar/agent/resource_executor.h"

#include <chrono>

#include <sys/wait.h>

#include "common/core/assert.h"
#include "sidecar/agent/process_killer.h"
#include "sidecar/executor/child_process.h"
#include "sidecar/executor/executor_core.h"

namespace tandem::agent {
namespace {

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool informational(executor::Action action) {
  return action == executor::Action::kMetaData || action == executor::Action::kValidateAll;
}

}  // namespace

ResourceExecutor::ResourceExecutor(executor::PlannerOptions planner, executor::RunnerConfig runner,
                                   const executor::Clock& clock, executor::Rng& rng,
                                   std::function<void()> wake)
    : clock_(clock),
      runner_(std::move(runner), clock),
      planner_(planner, rng),
      wake_(std::move(wake)) {}

ResourceExecutor::~ResourceExecutor() {
  for (auto& [id, thread] : threads_) {
    if (thread.joinable()) thread.join();
  }
}

Result<void> ResourceExecutor::define(const std::string& instance, model::HAResource resource,
                                      std::optional<int> clone_instance) {
  auto shared = std::make_shared<const model::HAResource>(std::move(resource));
  auto it = instances_.find(instance);
  if (it != instances_.end()) {
    it->second.resource = std::move(shared);
    it->second.clone_instance = clone_instance;
    return {};
  }
  if (instances_.size() >= kMaxInstances)
    return fail("this node already has " + std::to_string(kMaxInstances) + " resource instances; " +
                instance + " refused");
  // Timeouts from the agent's meta-data are not asked for here: that would
  // run an agent on the agent loop's thread. The operator's actions carry
  // their timeouts; recurring monitors use the manifest's or 20 s.
  if (auto added = planner_.add_resource(instance, executor::recurring_monitors(*shared, {}));
      !added)
    return added;
  instances_.emplace(instance, Instance{std::move(shared), clone_instance, {}, false});
  return {};
}

const model::HAResource* ResourceExecutor::find(const std::string& instance) const {
  auto it = instances_.find(instance);
  return it == instances_.end() ? nullptr : it->second.resource.get();
}

std::vector<std::string> ResourceExecutor::instances() const {
  std::vector<std::string> out;
  for (const auto& [name, instance] : instances_) out.push_back(name);
  return out;
}

Result<void> ResourceExecutor::submit(const std::string& instance, Job job) {
  auto it = instances_.find(instance);
  TANDEM_ASSERT(it != instances_.end(), "a job for an instance that was never defined");
  if (it->second.queue.size() >= kMaxQueued)
    return fail(instance + " already has " + std::to_string(kMaxQueued) +
                " operations waiting; refused");
  it->second.queue.push_back(std::move(job));
  return {};
}

std::vector<Job> ResourceExecutor::withdraw(const std::string& instance,
                                            const std::function<bool(const Job&)>& drop) {
  std::vector<Job> out;
  auto it = instances_.find(instance);
  if (it == instances_.end()) return out;
  std::deque<Job> kept;
  for (Job& job : it->second.queue) {
    if (drop(job)) {
      out.push_back(std::move(job));
    } else {
      kept.push_back(std::move(job));
    }
  }
  it->second.queue = std::move(kept);
  return out;
}

void ResourceExecutor::dispatch(Instant now) {
  for (auto& [name, instance] : instances_) {
    if (instance.handed || instance.queue.empty()) continue;
    Job job = std::move(instance.queue.front());
    instance.queue.pop_front();
    auto id = planner_.request(name, job.request, now);
    // The planner holds at most one job per instance from here, far below
    // its queue bound.
    TANDEM_ASSERT(id.has_value(), "the planner refused the only job of an instance");
    handed_jobs_.emplace(*id, std::move(job));
    instance.handed = true;
  }
  for (executor::Dispatch& dispatch : planner_.dispatch(now)) launch(std::move(dispatch));
}

void ResourceExecutor::launch(executor::Dispatch dispatch) {
  const Instance& instance = instances_.at(dispatch.resource);
  executor::AgentInvocation invocation{dispatch.request, instance.clone_instance, std::nullopt};
  if (auto job = handed_jobs_.find(dispatch.id); job != handed_jobs_.end())
    invocation.notification = job->second.notification;
  dispatched_instance_.emplace(dispatch.id, dispatch.resource);
  const std::uint64_t id = dispatch.id;
  // The thread keeps its own reference to the manifest, so a redefinition
  // meanwhile does not pull it away.
  threads_.emplace(id, std::thread([this, resource = instance.resource, invocation,
                                    dispatch = std::move(dispatch)]() {
                     executor::OperationResult result =
                         runner_.run(*resource, invocation, dispatch.deadline);
                     {
                       std::lock_guard lock(mutex_);
                       finished_.push_back(Finished{dispatch, std::move(result)});
                     }
                     if (wake_) wake_();
                   }));
}

std::vector<JobDone> ResourceExecutor::collect(Instant now) {
  std::vector<Finished> finished;
  {
    std::lock_guard lock(mutex_);
    finished.swap(finished_);
  }
  std::vector<JobDone> out;
  for (Finished& f : finished) {
    if (auto thread = threads_.find(f.dispatch.id); thread != threads_.end()) {
      thread->second.join();
      threads_.erase(thread);
    }
    dispatched_instance_.erase(f.dispatch.id);
    JobDone done;
    done.instance = f.dispatch.resource;
    if (auto job = handed_jobs_.find(f.dispatch.id); job != handed_jobs_.end()) {
      done.job = std::move(job->second);
      handed_jobs_.erase(job);
      instances_.at(done.instance).handed = false;
    } else {
      done.job.request = f.dispatch.request;  // a recurring monitor the planner ran
    }
    done.verdict = executor::interpret(f.dispatch.request, f.result);
    const bool info = informational(f.dispatch.request.action);
    if (!info && done.verdict.failure != executor::FailureScope::kNone) {
      executor::FailKey key{done.instance, f.dispatch.request.action, f.dispatch.request.interval};
      fail_counts_.record(key, now);
      last_failure_unix_[key] = unix_seconds();
    }
    done.fail_count = fail_counts_.count(done.instance);
    planner_.finished(f.dispatch.id, info ? std::nullopt : std::optional(done.verdict.state), now);
    done.result = std::move(f.result);
    remember_supervised(done.instance);
    out.push_back(std::move(done));
  }
  reap_supervised();
  std::map<std::string, Duration> timeouts;
  for (const auto& [name, instance] : instances_)
    timeouts[name] = instance.resource->spec.meta.failure_timeout.value_or(Duration::zero());
  fail_counts_.expire(now, timeouts);
  return out;
}

void ResourceExecutor::remember_supervised(const std::string& instance) {
  const model::HAResource& resource = *instances_.at(instance).resource;
  if (!resource.spec.agent.process) return;
  executor::ProcessSupervisor supervisor(runner_.config().state_dir, runner_.config().output_limit,
                                         clock_);
  if (auto record = supervisor.running(
          executor::supervised_name(resource, instances_.at(instance).clone_instance)))
    supervised_[instance] = *record;
}

void ResourceExecutor::reap_supervised() {
  for (auto it = supervised_.begin(); it != supervised_.end();) {
    const executor::ProcessRecord& record = it->second;
    if (executor::process_alive(record.pid)) {
      ++it;
      continue;
    }
    // Only the recorded process: a reused pid has another start time, and
    // a child an operation thread waits for must not be taken from it.
    if (executor::process_start_time(record.pid) == record.start_time) {
      int status = 0;
      ::waitpid(record.pid, &status, WNOHANG);
    }
    it = supervised_.erase(it);
  }
}

std::set<std::string> ResourceExecutor::maybe_active() const {
  std::set<std::string> out;
  for (const auto& [name, instance] : instances_) {
    auto state = planner_.state_of(name);
    if (!state || *state != executor::ObservedState::kStopped || instance.handed) out.insert(name);
  }
  for (const auto& [id, name] : dispatched_instance_) out.insert(name);
  return out;
}

std::vector<protocol::FailCountReport> ResourceExecutor::fail_counts() const {
  std::vector<protocol::FailCountReport> out;
  for (const auto& [key, last] : last_failure_unix_) {
    const int count = fail_counts_.count(key);
    if (count == 0) continue;
    out.push_back(protocol::FailCountReport{key.resource,
                                            std::string(executor::action_name(key.action)),
                                            key.interval.count(), count, last});
  }
  return out;
}

Result<void> ResourceExecutor::cancel_monitor(const std::string& instance, Duration interval) {
  return planner_.cancel(instance, interval);
}

void ResourceExecutor::clear_failures(const std::string& instance) {
  fail_counts_.clear(instance);
  std::erase_if(last_failure_unix_,
                [&](const auto& entry) { return entry.first.resource == instance; });
}

std::string ResourceExecutor::kill(const std::string& instance) {
  auto it = instances_.find(instance);
  if (it == instances_.end()) return "unknown instance";
  return kill_resource(*it->second.resource, instance, it->second.clone_instance, runner_.config(),
                       clock_);
}

}  // namespace tandem::agent
