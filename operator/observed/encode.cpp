// placement::ObservedState -> the observed-state file. Fields at their
// default are left out, so that a file reads like what is special about the
// cluster; the history and fail counts of each node are listed under it.

#include <chrono>
#include <limits>
#include <set>

#include <yaml-cpp/yaml.h>

#include "common/core/duration.h"
#include "common/core/score.h"
#include "common/core/text.h"
#include "common/core/timestamp.h"
#include "common/manifest/scalar.h"
#include "common/model/names.h"
#include "operator/observed/node_state.h"
#include "operator/observed/observed_file.h"
#include "operator/observed/reader.h"

namespace tandem::observed {
namespace {

// What the file cannot hold, collected so that every problem is reported.
class Problems {
 public:
  void add(std::string problem) { items_.push_back(std::move(problem)); }
  void text(const std::string& what, const std::string& value) {
    if (std::string problem = check_text(value); !problem.empty()) {
      add(what + " " + quote(value) + " " + problem);
    }
  }
  void time(const std::string& what, const std::optional<placement::EpochSeconds>& value) {
    if (value && (*value < 0 || *value > detail::kMaxEpochSeconds)) {
      add(what + " " + std::to_string(*value) + " is not between 1970 and 9999");
    }
  }
  void interval(const std::string& what, std::int64_t ms) {
    if (ms < 0 || ms > kMaxDuration.count()) {
      add(what + " " + std::to_string(ms) + "ms is not between 0 and 100 days");
    }
  }
  void rc(const std::string& what, int value) {
    if (value < -1 || value > 255) add(what + " " + std::to_string(value) + " is not in -1..255");
  }
  bool empty() const { return items_.empty(); }
  std::string joined() const {
    std::string out;
    for (const std::string& item : items_) out += (out.empty() ? "" : "\n") + item;
    return out;
  }

 private:
  std::vector<std::string> items_;
};

void emit_string(YAML::Emitter& out, const std::string& text) {
  if (manifest::classify_plain(text) != manifest::ScalarType::kString) out << YAML::DoubleQuoted;
  out << text;
}

void emit_key_string(YAML::Emitter& out, const char* key, const std::string& text) {
  out << YAML::Key << key << YAML::Value;
  emit_string(out, text);
}

void emit_time(YAML::Emitter& out, const char* key, placement::EpochSeconds seconds) {
  Timestamp stamp{std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::seconds(seconds))};
  out << YAML::Key << key << YAML::Value << stamp.to_string();
}

void emit_interval(YAML::Emitter& out, std::int64_t ms) {
  if (ms != 0) out << YAML::Key << "interval" << YAML::Value << format_duration(Duration(ms));
}

bool is_fail_count_attribute(std::string_view name) {
  return name.starts_with("fail-count-") || name.starts_with("last-failure-");
}

void emit_operation(YAML::Emitter& out, const placement::ResourceHistory& history,
                    const placement::OpRecord& op, Problems& problems) {
  const std::string where = "operation " + quote(op.id) + " of " + quote(history.resource) +
                            " on " + quote(history.node) + ":";
  if (op.task.empty()) problems.add(where + " no operation name");
  problems.text(where + " id", op.id);
  problems.text(where + " operation", op.task);
  problems.interval(where + " interval", op.interval_ms);
  problems.rc(where + " rc", op.rc);
  problems.rc(where + " expected rc", op.expected_rc);
  if (op.call_id < -1)
    problems.add(where + " call id " + std::to_string(op.call_id) + " is below -1");
  problems.time(where + " last rc change", op.last_rc_change);
  problems.time(where + " last run", op.last_run);
  problems.text(where + " exit reason", op.exit_reason);

  out << YAML::BeginMap;
  const std::string default_id =
      history.resource + "_" + op.task + "_" + std::to_string(op.interval_ms);
  if (op.id != default_id) emit_key_string(out, "id", op.id);
  emit_key_string(out, "operation", op.task);
  emit_interval(out, op.interval_ms);
  out << YAML::Key << "rc" << YAML::Value << op.rc;
  if (op.expected_rc != 0) out << YAML::Key << "expectedRc" << YAML::Value << op.expected_rc;
  if (op.status != placement::ExecStatus::kDone) {
    out << YAML::Key << "status" << YAML::Value << std::string(to_string(op.status));
  }
  if (op.call_id != 0) out << YAML::Key << "callId" << YAML::Value << op.call_id;
  if (op.last_rc_change) emit_time(out, "lastRcChange", *op.last_rc_change);
  if (op.last_run) emit_time(out, "lastRun", *op.last_run);
  if (!op.exit_reason.empty()) emit_key_string(out, "exitReason", op.exit_reason);
  auto optional = [&](const char* key, const std::optional<std::string>& value) {
    if (!value) return;
    problems.text(where + " " + key, *value);
    emit_key_string(out, key, *value);
  };
  optional("migrateSource", op.migrate_source);
  optional("migrateTarget", op.migrate_target);
  optional("digest", op.digest);
  optional("restartDigest", op.restart_digest);
  optional("forceRestart", op.force_restart);
  optional("secureDigest", op.secure_digest);
  optional("secureParams", op.secure_params);
  optional("featureSet", op.feature_set);
  out << YAML::EndMap;
}

void emit_resource(YAML::Emitter& out, const placement::ResourceHistory& history,
                   Problems& problems) {
  const std::string where = "history of " + quote(history.resource) + " on " + quote(history.node);
  if (history.resource.empty()) problems.add(where + ": no resource name");
  problems.text(where + ": resource", history.resource);
  out << YAML::BeginMap;
  emit_key_string(out, "name", history.resource);
  if (!history.agent_class.empty()) {
    problems.text(where + ": agent class", history.agent_class);
    problems.text(where + ": agent provider", history.provider);
    problems.text(where + ": agent type", history.type);
    out << YAML::Key << "agent" << YAML::Value << YAML::Flow << YAML::BeginMap;
    emit_key_string(out, "class", history.agent_class);
    if (!history.provider.empty()) emit_key_string(out, "provider", history.provider);
    if (!history.type.empty()) emit_key_string(out, "type", history.type);
    out << YAML::EndMap;
  } else if (!history.provider.empty() || !history.type.empty()) {
    problems.add(where + ": an agent provider or type without a class");
  }
  if (history.shutdown_lock) emit_time(out, "shutdownLock", *history.shutdown_lock);
  if (!history.ops.empty()) {
    out << YAML::Key << "operations" << YAML::Value << YAML::BeginSeq;
    for (const placement::OpRecord& op : history.ops) emit_operation(out, history, op, problems);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

void emit_fail_count(YAML::Emitter& out, const placement::FailCount& count, Problems& problems) {
  const std::string where = "fail count of " + quote(count.resource) + " on " + quote(count.node);
  if (count.resource.empty()) problems.add(where + ": no resource name");
  problems.text(where + ": resource", count.resource);
  problems.text(where + ": operation", count.operation);
  problems.interval(where + ": interval", count.interval_ms);
  problems.time(where + ": last failure", count.last_failure);
  if (count.count < 0) problems.add(where + ": " + std::to_string(count.count) + " is negative");
  out << YAML::BeginMap;
  emit_key_string(out, "resource", count.resource);
  if (!count.operation.empty()) emit_key_string(out, "operation", count.operation);
  emit_interval(out, count.interval_ms);
  out << YAML::Key << "count" << YAML::Value << Score::of(count.count).to_string();
  if (count.last_failure) emit_time(out, "lastFailure", *count.last_failure);
  out << YAML::EndMap;
}

void emit_node(YAML::Emitter& out, const placement::ObservedNode& node,
               const placement::ObservedState& state, Problems& problems) {
  const std::string where = "node " + quote(node.name);
  if (!model::is_node_name(node.name)) problems.add(where + ": not a node name");
  problems.text(where + ": id", node.id);
  problems.text(where + ": reason", node.unclean_reason);
  out << YAML::BeginMap;
  emit_key_string(out, "name", node.name);
  if (!node.id.empty() && node.id != node.name) emit_key_string(out, "id", node.id);
  auto node_state = state_of(node);
  if (!node_state) {
    problems.add(node_state.error().message);
  } else {
    out << YAML::Key << "state" << YAML::Value << std::string(to_string(*node_state));
    if (takes_online_field(*node_state) && node.online != default_online(*node_state)) {
      out << YAML::Key << "online" << YAML::Value << node.online;
    }
    if (*node_state == NodeState::kUnclean && !node.unclean_reason.empty()) {
      emit_key_string(out, "reason", node.unclean_reason);
    }
  }
  if (node.is_dc) out << YAML::Key << "dc" << YAML::Value << true;

  bool any_attribute = false;
  for (const auto& [name, value] : node.attributes) {
    if (is_fail_count_attribute(name)) continue;  // written as failCounts
    if (!any_attribute) out << YAML::Key << "attributes" << YAML::Value << YAML::BeginMap;
    any_attribute = true;
    problems.text(where + ": attribute", name);
    problems.text(where + ": attribute " + quote(name), value);
    if (name.empty()) problems.add(where + ": an attribute without a name");
    out << YAML::Key;
    emit_string(out, name);
    out << YAML::Value;
    emit_string(out, value);
  }
  if (any_attribute) out << YAML::EndMap;

  bool any_history = false;
  std::set<std::string> resources;
  for (const placement::ResourceHistory& history : state.history) {
    if (history.node != node.name) continue;
    if (!any_history) out << YAML::Key << "resources" << YAML::Value << YAML::BeginSeq;
    any_history = true;
    if (!resources.insert(history.resource).second) {
      problems.add(where + ": two histories of " + quote(history.resource));
    }
    emit_resource(out, history, problems);
  }
  if (any_history) out << YAML::EndSeq;

  bool any_count = false;
  for (const placement::FailCount& count : state.fail_counts) {
    if (count.node != node.name) continue;
    if (!any_count) out << YAML::Key << "failCounts" << YAML::Value << YAML::BeginSeq;
    any_count = true;
    emit_fail_count(out, count, problems);
  }
  if (any_count) out << YAML::EndSeq;
  out << YAML::EndMap;
}

}  // namespace

Result<std::string> encode_observed(const placement::ObservedState& state) {
  Problems problems;
  std::set<std::string> names;
  bool dc = false;
  for (const placement::ObservedNode& node : state.nodes) {
    if (!names.insert(node.name).second) problems.add("node " + quote(node.name) + " twice");
    if (node.is_dc && std::exchange(dc, true)) problems.add("more than one DC");
  }
  for (const placement::ResourceHistory& history : state.history) {
    if (!names.contains(history.node)) {
      problems.add("history of " + quote(history.resource) + " on node " + quote(history.node) +
                   ", which is not listed");
    }
  }
  for (const placement::FailCount& count : state.fail_counts) {
    if (!names.contains(count.node)) {
      problems.add("fail count of " + quote(count.resource) + " on node " + quote(count.node) +
                   ", which is not listed");
    }
  }
  problems.time("now", state.now);

  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << std::string(kApiVersion);
  out << YAML::Key << "kind" << YAML::Value << std::string(kKind);
  if (state.now) emit_time(out, "now", *state.now);
  out << YAML::Key << "quorum" << YAML::Value << state.have_quorum;
  if (!state.nodes.empty()) {
    out << YAML::Key << "nodes" << YAML::Value << YAML::BeginSeq;
    for (const placement::ObservedNode& node : state.nodes) emit_node(out, node, state, problems);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  if (!problems.empty()) return fail(problems.joined());
  if (!out.good()) return fail("cannot write YAML: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

void apply_startup_fencing(placement::ObservedState& state, bool startup_fencing) {
  for (placement::ObservedNode& node : state.nodes) {
    if (!node.unseen) continue;
    node.unclean = startup_fencing;
    node.unclean_reason = startup_fencing ? "node is unclean" : "";
  }
}

}  // namespace tandem::observed
