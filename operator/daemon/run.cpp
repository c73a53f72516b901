#include "operator/daemon/run.h"

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "common/io/log_line.h"
#include "common/manifest/encode.h"
#include "common/model/fence_device.h"
#include "operator/control/apply.h"
#include "operator/daemon/counters_file.h"
#include "operator/daemon/fencer.h"
#include "operator/daemon/state_dir.h"
#include "operator/reconcile/object_status.h"
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

// The control state tandemctl left; none yet is an empty one. A file that
// cannot be read is an error: starting without it would drop bans and
// standbys the user set.
Result<control::ControlState> load_control(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return control::ControlState{};
    return fail(path + ": cannot read it");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return control::decode_state(text.str(), path);
}

// Where the resource runs now, as the last status has it; for a group,
// where its first member runs.
std::vector<std::string> running_on(const reconcile::Status& status,
                                    const model::Manifests& manifests, const std::string& name) {
  std::string look_for = name;
  for (const model::HAGroup& group : manifests.groups) {
    if (group.metadata.name == name && !group.spec.resources.empty())
      look_for = group.spec.resources.front();
  }
  for (const reconcile::ResourceStatus& resource : status.resources) {
    if (resource.resource == look_for) return resource.running_on;
  }
  return {};
}

// How to fence `node`: the manifests' fencing levels for it (the topology,
// or each device that reaches it), then the fence command.
std::vector<FenceLevel> fence_levels(const model::Manifests& manifests, const std::string& node,
                                     const RunConfig& config) {
  std::vector<FenceLevel> levels;
  const std::string action =
      manifests.clusters.empty()
          ? "reboot"
          : std::string(model::to_string(manifests.clusters.front().spec.options.fencing_action));
  for (const model::FenceLevelPlan& plan : model::fence_levels_for(manifests, node)) {
    FenceLevel level{plan.index > 0 ? "level " + std::to_string(plan.index) : "", {}};
    for (const model::HAResource* device : plan.devices) {
      const std::string path =
          model::fence_agent_path(*device->spec.agent.fence, config.fence_agent_dir);
      level.steps.push_back(
          {"device " + device->metadata.name + " (" + device->spec.agent.fence->type + ")",
           {path},
           model::fence_agent_input(*device, action, node)});
    }
    for (const std::string& name : plan.missing)
      level.steps.push_back({"device " + name + " (not a fence device in the manifests)", {}, {}});
    levels.push_back(std::move(level));
  }
  if (config.fence_command) levels.push_back(command_level(*config.fence_command, node));
  return levels;
}

}  // namespace

int run_reconciler(const RunConfig& config, server::Hub& hub) {
  store::ManifestStore store(config.manifests_dir);
  reconcile::Reconciler core(config.options);
  const std::string control_path = config.state_dir + "/control.json";
  auto loaded = load_control(control_path);
  if (!loaded) {
    log_line("control: " + loaded.error().message +
             "; fix or remove it (it holds what tandemctl standby, ban and move set)");
    return 1;
  }
  control::ControlState control_state = std::move(*loaded);
  // Counters carry on from the last operator; a damaged file only costs
  // the count, never the start.
  const std::string counters_path = config.state_dir + "/counters.json";
  LoadedCounters counted = load_counters(counters_path);
  if (counted.warning) log_line(*counted.warning);
  core.restore_counters(counted.counters);
  reconcile::Counters saved_counters = std::move(counted.counters);
  // The manifests in force, with the control state laid over them.
  auto put_in_force = [&] {
    auto snapshot = store.snapshot();
    if (!snapshot) return;
    control::Overlay laid = control::overlay(snapshot->manifests, control_state);
    for (const std::string& line : laid.skipped) log_line(line);
    core.set_manifests(std::make_shared<const model::Manifests>(std::move(laid.manifests)),
                       snapshot->generation);
  };
  auto save_control = [&](const control::ControlState& state) {
    return write_atomically(control_path, control::encode(state));
  };
  auto carry_out = [&](const control::ControlCommand& command, std::int64_t now) {
    auto snapshot = store.snapshot();
    if (!snapshot) return server::CommandReply{503, "no valid manifests are in force yet"};
    if (command.verb == control::Verb::kCleanup) {
      auto asked = core.request_cleanup(command.resource, command.node);
      if (!asked) return server::CommandReply{400, asked.error().message};
      return server::CommandReply{200, *asked};
    }
    control::ControlState changed = control_state;
    auto done = control::apply_command(
        changed, command, snapshot->manifests,
        running_on(core.status(), snapshot->manifests, command.resource), now);
    if (!done) return server::CommandReply{400, done.error().message};
    if (changed != control_state) {
      if (auto saved = save_control(changed); !saved)
        return server::CommandReply{500, "not done: " + saved.error().message};
      control_state = std::move(changed);
      put_in_force();
    }
    return server::CommandReply{200, *done};
  };
  std::unique_ptr<Fencer> fencer;
  std::int64_t next_store_poll = 0;
  std::int64_t status_updated = now_unix_ms();
  std::string status_text = reconcile::status_json(core.status(), status_updated);
  const std::string status_path = config.state_dir + "/status.json";
  const std::string objects_path = config.state_dir + "/objects.yaml";
  model::Manifests objects;
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
        put_in_force();
        if (!fencer) fencer = std::make_unique<Fencer>(fence_timeout(snapshot.get()), hub);
      }
    }

    server::Inbox inbox = hub.take(kTick);
    now = now_unix_ms();
    if (auto expiry = control::next_expiry(control_state); expiry && *expiry <= now) {
      control::ControlState changed = control_state;
      const std::vector<std::string> lines = control::expire(changed, now);
      if (auto saved = save_control(changed); !saved) {
        log_line("control: " + saved.error().message + "; expired constraints stay until saved");
      } else {
        for (const std::string& line : lines) log_line(line);
        control_state = std::move(changed);
        put_in_force();
      }
    }
    for (server::PendingCommand& pending : inbox.commands) {
      server::CommandReply reply = carry_out(pending.command, now);
      log_line("control: " + std::string(control::to_string(pending.command.verb)) + " " +
               (!pending.command.resource.empty() ? pending.command.resource
                : pending.command.cluster         ? std::string("--cluster")
                                                  : pending.command.node) +
               ": " + reply.message);
      pending.reply.set_value(std::move(reply));
    }
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
      auto snapshot = store.snapshot();
      if (fencer && snapshot) {
        fencer->fence(fence.id, fence_levels(snapshot->manifests, fence.node, config));
      } else {
        hub.submit_fence_result({fence.id, false, "no manifests are in force"});
      }
    }
    if (reconcile::Counters now_counted = core.counters(); now_counted != saved_counters) {
      if (auto written = write_atomically(counters_path, reconcile::encode(now_counted)); !written)
        log_line("counters: " + written.error().message);
      saved_counters = std::move(now_counted);
    }
    if (step.status_changed || first_status) {
      first_status = false;
      status_updated = now;
      status_text = reconcile::status_json(core.status(), status_updated);
      if (auto written = write_atomically(status_path, status_text); !written)
        log_line("status: " + written.error().message);
      if (auto snapshot = store.snapshot()) {
        objects = reconcile::object_statuses(snapshot->manifests, core.status(), objects, now);
        std::string yaml = manifest::encode_yaml(objects);
        if (auto written = write_atomically(objects_path, yaml); !written)
          log_line("status: " + written.error().message);
        hub.publish_objects(std::move(yaml));
      }
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
