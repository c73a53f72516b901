#include "operator/daemon/run.h"

#include <map>
#include <memory>

#include "common/io/log_line.h"
#include "operator/daemon/fencer.h"
#include "operator/daemon/state_dir.h"
#include "operator/reconcile/reconciler.h"
#include "operator/reconcile/status_json.h"
#include "operator/server/metrics_text.h"
#include "operator/store/store.h"

namespace tandem::operator_daemon {
namespace {

using io::log_line;
using io::now_unix_ms;

// Time-based decisions (a lost node cleared by the self-fence time, stale
// reports) are noticed within a tick; reports wake the loop at once.
constexpr auto kTick = std::chrono::milliseconds(200);
constexpr std::int64_t kStorePollMs = 1000;

std::chrono::milliseconds fence_timeout(const store::Snapshot* snapshot) {
  if (snapshot == nullptr || snapshot->manifests.clusters.empty())
    return std::chrono::milliseconds(60'000);
  return snapshot->manifests.clusters.front().spec.options.fencing_timeout;
}

}  // namespace

int run_reconciler(const RunConfig& config, server::Hub& hub) {
  store::ManifestStore store(config.manifests_dir);
  reconcile::Reconciler core(config.options);
  std::unique_ptr<Fencer> fencer;
  std::int64_t next_store_poll = 0;
  std::int64_t status_updated = now_unix_ms();
  std::string status_text = reconcile::status_json(core.status(), status_updated);
  const std::string status_path = config.state_dir + "/status.json";
  bool first_status = true;

  // Runs until the hub stops (SIGTERM or SIGINT).
  while (!hub.stopping()) {
    std::int64_t now = now_unix_ms();
    if (now >= next_store_poll) {
      next_store_poll = now + kStorePollMs;
      const store::RefreshResult refreshed = store.refresh();
      for (const std::string& message : refreshed.messages) log_line("manifests: " + message);
      if (refreshed.rejected) {
        log_line(store.snapshot()
                     ? "manifests: the edit is invalid; the last valid set (generation " +
                           std::to_string(store.snapshot()->generation) + ") stays in force"
                     : "manifests: invalid; waiting for a valid set in " + config.manifests_dir);
      }
      if (refreshed.changed) {
        auto snapshot = store.snapshot();
        log_line("manifests: generation " + std::to_string(snapshot->generation) + " in force (" +
                 std::to_string(snapshot->manifests.size()) + " objects)");
        core.set_manifests(std::shared_ptr<const model::Manifests>(snapshot, &snapshot->manifests),
                           snapshot->generation);
        if (config.fence_command && !fencer)
          fencer =
              std::make_unique<Fencer>(*config.fence_command, fence_timeout(snapshot.get()), hub);
      }
    }

    server::Inbox inbox = hub.take(kTick);
    now = now_unix_ms();
    for (protocol::NodeReport& report : inbox.reports) {
      for (const std::string& event : core.on_report(std::move(report), now)) log_line(event);
    }
    for (const server::FenceResult& result : inbox.fence_results) {
      for (const std::string& event :
           core.on_fence_result(result.id, result.ok, result.detail, now))
        log_line(event);
    }
    reconcile::StepResult step = core.step(now);
    for (const std::string& event : step.events) log_line(event);
    for (const reconcile::FenceRequest& fence : step.fences) {
      if (fencer) {
        fencer->fence(fence.id, fence.node);
      } else {
        hub.submit_fence_result({fence.id, false, "no --fence-command is configured"});
      }
    }
    if (step.status_changed || first_status) {
      first_status = false;
      status_updated = now;
      status_text = reconcile::status_json(core.status(), status_updated);
      if (auto written = write_atomically(status_path, status_text); !written)
        log_line("status: " + written.error().message);
    }
    std::map<std::string, std::vector<protocol::ActionRequest>> pending;
    for (const reconcile::NodeStatus& node : core.status().nodes) {
      if (core.has_pending(node.name)) pending[node.name] = core.pending_for(node.name);
    }
    hub.publish(std::move(pending), status_text, server::metrics_text(core.status()));
  }
  if (fencer) fencer->stop();
  return 0;
}

}  // namespace tandem::operator_daemon
