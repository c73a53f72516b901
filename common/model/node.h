#pragma once

// HANode: a cluster node's attributes, capacity and administrative state.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/core/score.h"
#include "common/model/object.h"

namespace tandem::model {

struct NodeSpec {
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::int64_t> utilization;
  // Added to every resource's score for this node (Pacemaker's node score).
  Score score;
  bool standby = false;
  bool maintenance = false;

  bool operator==(const NodeSpec&) const = default;
};

struct NodeStatus {
  std::optional<std::int64_t> observed_generation;
  std::optional<NodeState> state;
  std::optional<std::uint32_t> node_id;
  // Transient attributes that agents set at run time (pingd, master-*).
  std::map<std::string, std::string> attributes;
  std::optional<Timestamp> last_seen;
  std::optional<std::int64_t> clock_offset_ms;
  std::vector<Condition> conditions;

  bool operator==(const NodeStatus&) const = default;
};

struct HANode : Object<NodeSpec, NodeStatus> {
  static constexpr std::string_view kKind = "HANode";
};

}  // namespace tandem::model
