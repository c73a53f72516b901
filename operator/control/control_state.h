#pragma once

// What tandemctl changed at run time: nodes put in standby or maintenance,
// the cluster's maintenance mode, resources left unmanaged, and the ban and
// move constraints (Pacemaker's cli-ban and cli-prefer). The operator keeps
// it in STATE_DIR/control.json, apart from the manifests the user owns, and
// lays it over them before every pass, so a restart keeps it and
// `unstandby` or `clear` takes it back.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace tandem::control {

using UnixMs = std::int64_t;

enum class CliKind {
  kBan,     // never on `node` (-INFINITY)
  kPrefer,  // on `node` whenever it can (INFINITY)
};

struct CliConstraint {
  std::string name;  // "cli-ban-web-on-node2", "cli-prefer-web"
  CliKind kind = CliKind::kBan;
  std::string resource;
  std::string node;
  std::optional<UnixMs> expires_ms;
  UnixMs created_ms = 0;

  bool operator==(const CliConstraint&) const = default;
};

struct ControlState {
  std::set<std::string> standby;
  std::set<std::string> maintenance;       // nodes: Pacemaker's node attribute
  bool cluster_maintenance = false;        // Pacemaker's maintenance-mode
  std::set<std::string> unmanaged;         // resources and groups: is-managed=false
  std::vector<CliConstraint> constraints;  // by name

  bool operator==(const ControlState&) const = default;
};

std::string encode(const ControlState& state);
// `where` names the source in errors ("/var/lib/tandem/control.json").
Result<ControlState> decode_state(std::string_view json, const std::string& where);

}  // namespace tandem::control
