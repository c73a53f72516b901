// <status>: node states, transient attributes, fail counts and resource
// operation history.

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <set>

#include "common/core/text.h"
#include "operator/cib/import_context.h"

namespace tandem::cib::detail {
namespace {

using placement::ExecStatus;
using placement::ObservedNode;

bool attribute_is_true(const pugi::xml_node& xml, const char* name) {
  return is_true(xml.attribute(name).value());
}

void mark_unclean(ObservedNode& node, const char* reason) {
  if (node.unclean) return;  // the first reason is the one reported
  node.unclean = true;
  node.unclean_reason = reason;
}

// Whether a node is online, unclean or pending, from what the membership,
// the controller and the join protocol say (Pacemaker's
// determine_online_status with fencing enabled).
bool online_with_fencing(const pugi::xml_node& state, ObservedNode& node) {
  const std::string join = state.attribute("join").value();
  const std::string peer = state.attribute("crmd").value();
  const bool has_in_cluster = state.attribute("in_ccm");
  const bool in_cluster = attribute_is_true(state, "in_ccm");
  std::string expected = state.attribute("expected").value();
  if (expected.empty()) expected = "down";
  const bool controller_online = peer == "online";
  const std::string* terminate_value = nullptr;
  auto terminate = node.attributes.find("terminate");
  if (terminate != node.attributes.end()) terminate_value = &terminate->second;
  bool do_terminate = false;
  if (terminate_value != nullptr) {
    do_terminate = is_true(*terminate_value) ||
                   (!terminate_value->empty() &&
                    std::isdigit(static_cast<unsigned char>((*terminate_value)[0])) &&
                    (*terminate_value)[0] != '0');
  }

  if (node.shutdown) return controller_online;
  if (!has_in_cluster) {
    mark_unclean(node, "peer has not been seen by the cluster");
    return false;
  }
  if (join == "banned") {
    mark_unclean(node, "peer failed Pacemaker membership criteria");
    return in_cluster;
  }
  if (!do_terminate && expected == "down") {
    if (in_cluster || controller_online) node.pending = true;
    return in_cluster;
  }
  if (do_terminate && join == "down" && !in_cluster && !controller_online) return false;
  if (!in_cluster) {
    mark_unclean(node, "peer is no longer part of the cluster");
    return false;
  }
  if (!controller_online) {
    mark_unclean(node, "peer process is no longer available");
    return in_cluster;
  }
  if (do_terminate) {
    mark_unclean(node, "termination was requested");
    return in_cluster;
  }
  if (join == "member") return true;
  if (join == "pending" || join == "down") {
    node.pending = true;
    return true;
  }
  mark_unclean(node, "peer was in an unknown state");
  return in_cluster;
}

// The same when fencing is disabled: nodes are simply up or down.
bool online_without_fencing(const pugi::xml_node& state, ObservedNode& node, bool expected_up) {
  const bool in_cluster = attribute_is_true(state, "in_ccm");
  const std::string peer = state.attribute("crmd").value();
  const std::string join = state.attribute("join").value();
  if (!in_cluster) return false;
  if (peer == "online") return join == "member";
  if (!expected_up) return false;
  mark_unclean(node, "peer is unexpectedly down");
  return false;
}

ExecStatus exec_status(int value) {
  switch (value) {
    case -1:
      return ExecStatus::kPending;
    case 0:
      return ExecStatus::kDone;
    case 1:
      return ExecStatus::kCancelled;
    case 2:
      return ExecStatus::kTimeout;
    case 3:
      return ExecStatus::kNotSupported;
    case 4:
      return ExecStatus::kError;
    case 5:
      return ExecStatus::kErrorHard;
    case 6:
      return ExecStatus::kErrorFatal;
    case 7:
      return ExecStatus::kNotInstalled;
    case 8:
      return ExecStatus::kNotConnected;
    case 9:
      return ExecStatus::kInvalid;
    case 10:
      return ExecStatus::kNoFenceDevice;
    case 11:
      return ExecStatus::kNoSecrets;
    default:
      return ExecStatus::kError;
  }
}

// The expected exit code is the third field of the transition key
// "action:transition:expected_rc:uuid".
int expected_rc(std::string_view key) {
  std::size_t first = key.find(':');
  if (first == std::string_view::npos) return -1;
  std::size_t second = key.find(':', first + 1);
  if (second == std::string_view::npos) return -1;
  int rc = -1;
  std::from_chars(key.data() + second + 1, key.data() + key.size(), rc);
  return rc;
}

void import_history(const pugi::xml_node& state, const std::string& node_name, ImportContext& ctx) {
  pugi::xml_node resources = state.child("lrm").child("lrm_resources");
  for (pugi::xml_node entry : resources.children("lrm_resource")) {
    placement::ResourceHistory& history = ctx.out.observed.history.emplace_back();
    history.resource = entry.attribute("id").value();
    history.node = node_name;
    history.agent_class = entry.attribute("class").value();
    history.provider = entry.attribute("provider").value();
    history.type = entry.attribute("type").value();
    if (const char* lock = entry.attribute("shutdown-lock").value(); *lock) {
      if (const long long time = std::strtoll(lock, nullptr, 10); time != 0) {
        history.shutdown_lock = time;
      }
    }
    if (entry.attribute("container")) {
      ctx.problems.add(describe(entry) + ": resources in containers are not supported");
    }
    for (pugi::xml_node xml : entry.children("lrm_rsc_op")) {
      placement::OpRecord& op = history.ops.emplace_back();
      // One pass over the attributes: histories are most of a large CIB.
      for (pugi::xml_attribute attribute : xml.attributes()) {
        const std::string_view name = attribute.name();
        const char* value = attribute.value();
        auto epoch = [&] { return std::strtoll(value, nullptr, 10); };
        if (name == "id") {
          op.id = value;
        } else if (name == "operation") {
          op.task = value;
        } else if (name == "interval") {
          op.interval_ms = std::strtoll(value, nullptr, 10);
        } else if (name == "rc-code") {
          op.rc = std::atoi(value);
        } else if (name == "transition-key") {
          op.expected_rc = expected_rc(value);
        } else if (name == "op-status") {
          op.status = exec_status(std::atoi(value));
        } else if (name == "call-id") {
          op.call_id = std::atoi(value);
        } else if (name == "last-rc-change") {
          if (*value != '\0') op.last_rc_change = epoch();
        } else if (name == "last-run") {
          if (*value != '\0') op.last_run = epoch();
        } else if (name == "exit-reason") {
          op.exit_reason = value;
        } else if (name == "migrate_source") {
          op.migrate_source = value;
        } else if (name == "migrate_target") {
          op.migrate_target = value;
        } else if (name == "op-digest") {
          op.digest = value;
        } else if (name == "op-restart-digest") {
          op.restart_digest = value;
        } else if (name == "op-force-restart") {
          op.force_restart = value;
        } else if (name == "op-secure-digest") {
          op.secure_digest = value;
        } else if (name == "op-secure-params") {
          op.secure_params = value;
        } else if (name == "crm_feature_set") {
          op.feature_set = value;
        }
      }
      if (!xml.attribute("transition-key")) op.expected_rc = -1;
    }
  }
}

// fail-count-<rsc>#<op>_<interval> and last-failure-<rsc>#<op>_<interval>,
// or the older forms without the operation.
void import_fail_counts(const ObservedNode& node, ImportContext& ctx) {
  std::map<std::string, placement::FailCount> counts;
  auto parse = [&](const std::string& name, std::string_view prefix) -> placement::FailCount* {
    if (!name.starts_with(prefix)) return nullptr;
    std::string rest = name.substr(prefix.size());
    placement::FailCount& count = counts[rest];
    count.node = node.name;
    std::size_t hash = rest.rfind('#');
    if (hash == std::string::npos) {
      count.resource = rest;
      return &count;
    }
    count.resource = rest.substr(0, hash);
    std::string op = rest.substr(hash + 1);
    std::size_t underscore = op.rfind('_');
    if (underscore != std::string::npos) {
      count.operation = op.substr(0, underscore);
      count.interval_ms = std::strtoll(op.c_str() + underscore + 1, nullptr, 10);
    } else {
      count.operation = op;
    }
    return &count;
  };
  for (const auto& [name, value] : node.attributes) {
    if (placement::FailCount* count = parse(name, "fail-count-")) {
      Score score = Score::parse(value).value_or(Score::of(0));
      count->count = score.value();
    } else if (placement::FailCount* failure = parse(name, "last-failure-")) {
      failure->last_failure = std::strtoll(value.c_str(), nullptr, 10);
    }
  }
  for (auto& [key, count] : counts) ctx.out.observed.fail_counts.push_back(std::move(count));
}

}  // namespace

void import_status(ImportContext& ctx) {
  placement::ObservedState& observed = ctx.out.observed;
  if (const char* quorum = ctx.cib.attribute("have-quorum").value(); *quorum) {
    observed.have_quorum = is_true(quorum);
  }
  if (const char* date = ctx.cib.attribute("execution-date").value(); *date) {
    observed.now = std::strtoll(date, nullptr, 10);
  }
  // Pacemaker turns suicide into stop for a cluster that has never had
  // quorum: fencing everything at first start-up helps nobody.
  model::ClusterOptions& options = ctx.out.manifests.clusters.front().spec.options;
  if (options.no_quorum_policy == model::NoQuorumPolicy::kSuicide && !observed.have_quorum &&
      std::strtol(ctx.cib.attribute("no-quorum-panic").value(), nullptr, 10) == 0) {
    options.no_quorum_policy = model::NoQuorumPolicy::kStop;
    ctx.note("no-quorum-policy suicide acts as stop: the cluster has never had quorum");
  }
  const std::string dc_uuid = ctx.cib.attribute("dc-uuid").value();
  const bool fencing = ctx.out.manifests.clusters.front().spec.options.fencing_enabled;

  std::set<std::string> seen;
  for (pugi::xml_node state : ctx.cib.child("status").children("node_state")) {
    const std::string name = state.attribute("uname").value();
    const std::string id = state.attribute("id").value();
    auto configured = ctx.node_ids.find(name);
    if (configured == ctx.node_ids.end()) {
      // Pacemaker also finds nodes by id.
      for (auto it = ctx.node_ids.begin(); it != ctx.node_ids.end(); ++it) {
        if (it->second == id) configured = it;
      }
    }
    if (configured == ctx.node_ids.end()) {
      ctx.note(describe(state) +
               " is for a node that is not configured; ignored (as Pacemaker does)");
      continue;
    }
    if (!seen.insert(configured->first).second) continue;
    if (state.attribute("remote_node")) {
      ctx.problems.add(describe(state) + ": remote nodes are not supported");
      continue;
    }
    ObservedNode& node = observed.nodes.emplace_back();
    node.name = configured->first;
    node.id = configured->second;
    node.is_dc = !dc_uuid.empty() && dc_uuid == node.id;
    node.attributes =
        nvpairs(state.child("transient_attributes"), "instance_attributes", ctx.problems);
    auto shutdown = node.attributes.find("shutdown");
    node.shutdown = shutdown != node.attributes.end() && shutdown->second != "0";
    const bool expected_up = std::string(state.attribute("expected").value()) == "member";
    node.online = fencing ? online_with_fencing(state, node)
                          : online_without_fencing(state, node, expected_up && !node.shutdown);
    import_fail_counts(node, ctx);
    import_history(state, node.name, ctx);
  }
  // Configured nodes with no state have never been seen: presumed unclean
  // until fenced, unless startup fencing is off.
  const bool startup_fencing = ctx.out.manifests.clusters.front().spec.options.startup_fencing;
  for (const auto& [name, id] : ctx.node_ids) {
    if (seen.contains(name)) continue;
    ObservedNode& node = observed.nodes.emplace_back();
    node.name = name;
    node.id = id;
    node.online = false;
    node.unseen = true;
    if (startup_fencing) mark_unclean(node, "node is unclean");
    node.is_dc = !dc_uuid.empty() && dc_uuid == id;
  }
}

}  // namespace tandem::cib::detail
