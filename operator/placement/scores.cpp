#include "operator/placement/scores.h"

#include "operator/placement/clone.h"

namespace tandem::placement::detail {
namespace {

std::string describe_tag(std::string_view t) {
  if (t == "stickiness") return "stickiness: it runs here";
  if (t == "__fail_limit__") return "failed here as often as migration-threshold allows";
  if (t == "target-role") return "target-role is Stopped";
  if (t == "not_managed_default") return "unmanaged: it stays where it runs";
  if (t == "__stop_fail__") return "its stop failed here";
  if (t == "hard-error") return "a hard error here: the agent cannot run on this node";
  if (t == "fatal-error") return "a fatal error: the agent's configuration is wrong";
  if (t == "masked-probe-failure") return "the agent is missing or misconfigured here";
  if (t == "__orphan_do_not_run__") return "no longer configured (orphan)";
  if (t == "__action_migration_auto__") return "on-fail=migrate after a failure here";
  return std::string(t);
}

void add_one(WorkingSet& ws, int rsc, int node, Score score, std::string_view tag) {
  Resource& resource = ws.rsc(rsc);
  for (int child : resource.children) add_one(ws, child, node, score, tag);
  auto [entry, fresh] = resource.allowed.try_emplace(node, AllowedNode{ws.node(node).weight});
  if (ws.record_scores) {
    if (fresh && ws.node(node).weight != Score::of(0)) {
      note_score(ws, rsc, node, ws.node(node).weight, true, "the node is offline or shutting down");
    }
    note_score(ws, rsc, node, score, false, describe_tag(tag));
  }
  entry->second.weight += score;
}

}  // namespace

void note_score(WorkingSet& ws, int rsc, int node, Score change, bool absolute,
                std::string reason) {
  if (!ws.record_scores) return;
  ws.score_events.push_back({rsc, node, change, absolute, std::move(reason)});
}

void add_location(WorkingSet& ws, int rsc, int node, Score score, std::string_view tag) {
  if (node != kNone) {
    add_one(ws, rsc, node, score, tag);
    return;
  }
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    add_one(ws, rsc, static_cast<int>(n), score, tag);
  }
  if (score.is_minus_infinity()) {
    ws.rsc(rsc).assigned = kNone;
    ++ws.assignment_changes;
  }
}

void ban_everywhere(WorkingSet& ws, int rsc, std::string_view reason) {
  Resource& resource = ws.rsc(rsc);
  resource.allowed.clear();
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    resource.allowed.emplace(static_cast<int>(n), AllowedNode{Score::minus_infinity()});
    note_score(ws, rsc, static_cast<int>(n), Score::minus_infinity(), true, std::string(reason));
  }
}

namespace {

// Whether history entry `op` is a failure of configured operation `config`.
bool is_matched_failure(const std::string& id, const OpConfig& config, const OpRecord& op) {
  if (config.interval_ms != op.interval_ms || config.name != op.task) return false;
  if (op.id == id + "_last_failure_0") return true;
  return op.id == id + "_" + config.name + "_" + std::to_string(config.interval_ms) &&
         op.rc != op.expected_rc;
}

bool block_failure(const WorkingSet& ws, int r, int node, const OpRecord* op) {
  const Resource& rsc = ws.rsc(r);
  const std::string& id = history_id(ws, r);
  for (const OpConfig& config : rsc.ops) {
    if (config.on_fail != model::OnFail::kBlock) continue;
    if (op != nullptr) {
      if (is_matched_failure(id, config, *op)) return true;
      continue;
    }
    for (const ResourceHistory& history : ws.observed->history) {
      if (history.resource != id || history.node != ws.node(node).name) continue;
      for (const OpRecord& entry : history.ops) {
        if (is_matched_failure(id, config, entry)) return true;
      }
    }
  }
  return false;
}

}  // namespace

FailInfo fail_count(WorkingSet& ws, int r, int node, bool effective, const OpRecord* op) {
  Resource& rsc = ws.rsc(r);
  FailInfo info;
  Score total;
  // An anonymous clone's fail counts name the primitive, with or without
  // an instance number.
  const bool anonymous = is_anonymous_instance(ws, r);
  auto counts_for = [&](const std::string& name) {
    if (name == rsc.id) return true;
    if (!anonymous || !name.starts_with(rsc.base_id)) return false;
    if (name.size() == rsc.base_id.size()) return true;
    if (name[rsc.base_id.size()] != ':' || name.size() == rsc.base_id.size() + 1) return false;
    for (std::size_t i = rsc.base_id.size() + 1; i < name.size(); ++i) {
      if (name[i] < '0' || name[i] > '9') return false;
    }
    return true;
  };
  for (const FailCount* count : ws.fail_counts_for(node)) {
    if (!counts_for(count->resource)) continue;
    total += Score::of(count->count);
    if (count->last_failure) info.last = std::max(info.last, *count->last_failure);
  }
  info.count = total.value();
  if (info.count > 0 && rsc.failure_timeout_s > 0 && block_failure(ws, r, node, op)) {
    rsc.failure_timeout_s = 0;
  }
  if (effective && info.count > 0 && info.last > 0 && rsc.failure_timeout_s > 0 &&
      ws.now > info.last + rsc.failure_timeout_s) {
    info.count = 0;
  }
  return info;
}

}  // namespace tandem::placement::detail
