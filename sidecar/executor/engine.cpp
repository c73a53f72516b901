#include "sidecar/executor/engine.h"

#include "common/core/assert.h"
#include "sidecar/executor/agent_metadata.h"
#include "sidecar/executor/attribute_store.h"

namespace tandem::executor {

std::map<Action, Duration> advised_timeouts(const model::HAResource& resource,
                                            const OperationRunner& runner, const Clock& clock) {
  std::map<Action, Duration> advised;
  if (!resource.spec.agent.ocf) return advised;
  AgentInvocation invocation{
      OperationRequest{Action::kMetaData, Duration::zero(), std::chrono::seconds(5), std::nullopt},
      std::nullopt, std::nullopt};
  OperationResult result =
      runner.run(resource, invocation, clock.now() + invocation.request.timeout);
  if (result.status != ExecStatus::kDone || result.rc != 0) return advised;
  auto metadata = parse_agent_metadata(result.output);
  if (!metadata) return advised;
  for (const AgentActionInfo& action : metadata->actions) {
    auto parsed = parse_action(action.name);
    if (parsed && action.timeout && !advised.contains(*parsed)) advised[*parsed] = *action.timeout;
  }
  return advised;
}

Engine::Engine(EngineConfig config, const Clock& clock, Rng& rng)
    : clock_(clock), runner_(std::move(config.runner), clock), core_(config.planner, rng) {}

Engine::~Engine() {
  for (auto& [id, thread] : threads_) {
    if (thread.joinable()) thread.join();
  }
}

Result<void> Engine::add(const model::HAResource& resource) {
  return core_.add(resource, advised_timeouts(resource, runner_, clock_));
}

Result<void> Engine::request(const std::string& resource, Action action) {
  auto queued = core_.request(resource, action, clock_.now());
  if (!queued) return tl::unexpected(queued.error());
  return {};
}

void Engine::probe_all() {
  core_.probe_all(clock_.now());
}

Result<std::map<std::string, std::string>> Engine::attributes() const {
  auto store = AttributeStore::open(runner_.config().node.attribute_dir, false);
  if (!store) return tl::unexpected(store.error());
  return store->all();
}

void Engine::launch(Dispatch dispatch) {
  const std::uint64_t id = dispatch.id;
  const model::HAResource* resource = core_.find(dispatch.resource);
  TANDEM_ASSERT(resource != nullptr, "the core dispatched an unknown resource");
  // The resource lives in the core, which outlives every thread (the
  // destructor joins them first), and is never modified after add().
  threads_.emplace(id, std::thread([this, resource, dispatch = std::move(dispatch)]() {
                     AgentInvocation invocation{dispatch.request, std::nullopt, std::nullopt};
                     OperationResult result = runner_.run(*resource, invocation, dispatch.deadline);
                     std::lock_guard lock(mutex_);
                     finished_.push_back(Finished{dispatch, std::move(result)});
                     done_threads_.push_back(dispatch.id);
                     changed_.notify_all();
                   }));
}

void Engine::join_finished_threads() {
  std::vector<std::uint64_t> done;
  {
    std::lock_guard lock(mutex_);
    done.swap(done_threads_);
  }
  for (std::uint64_t id : done) {
    auto it = threads_.find(id);
    if (it == threads_.end()) continue;
    it->second.join();
    threads_.erase(it);
  }
}

void Engine::run_until(Instant until, const std::function<bool(const Completion&)>& on_completion) {
  for (;;) {
    Instant now = clock_.now();
    core_.expire_failures(now);
    for (Dispatch& dispatch : core_.dispatch(now)) launch(std::move(dispatch));

    std::vector<Finished> finished;
    {
      std::unique_lock lock(mutex_);
      if (finished_.empty()) {
        if (now >= until) return;
        Instant wake = until;
        if (auto next = core_.next_wakeup(now); next && *next < wake) wake = *next;
        // The runner enforces deadlines itself; waking at one only lets
        // the loop look again.
        auto wait = std::max<Duration>(wake - now, std::chrono::milliseconds(1));
        changed_.wait_for(lock, wait, [&] { return !finished_.empty(); });
      }
      finished.swap(finished_);
    }
    join_finished_threads();
    bool stop = false;
    for (Finished& f : finished) {
      Completion completion = core_.complete(f.dispatch, std::move(f.result), clock_.now());
      if (on_completion && on_completion(completion)) stop = true;
    }
    if (stop) return;
  }
}

}  // namespace tandem::executor
