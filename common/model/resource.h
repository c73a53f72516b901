#pragma once

// HAResource: one service Tandem keeps available: how to run it (agent),
// how to watch it (operations), how to place it (meta), and optionally how
// many copies to run (clone) and whether one is promoted (promotable).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/core/duration.h"
#include "common/model/object.h"
#include "common/model/resource_meta.h"
#include "common/model/rule.h"

namespace tandem::model {

struct OcfAgent {
  std::string provider;
  std::string type;

  bool operator==(const OcfAgent&) const = default;
};

struct ExecProbe {
  std::vector<std::string> command;

  bool operator==(const ExecProbe&) const = default;
};

struct TcpProbe {
  std::string host = "127.0.0.1";
  std::int32_t port = 0;

  bool operator==(const TcpProbe&) const = default;
};

struct HttpProbe {
  std::string host = "127.0.0.1";
  std::int32_t port = 0;
  std::string path = "/";
  std::int32_t expect_status = 200;

  bool operator==(const HttpProbe&) const = default;
};

struct HealthProbe {
  std::optional<ExecProbe> exec;
  std::optional<TcpProbe> tcp_connect;
  std::optional<HttpProbe> http_get;

  bool operator==(const HealthProbe&) const = default;
};

struct ProcessAgent {
  std::vector<std::string> command;
  std::map<std::string, std::string> env;
  std::optional<std::string> working_dir;
  std::optional<std::string> user;
  std::optional<HealthProbe> health;

  bool operator==(const ProcessAgent&) const = default;
};

struct SystemdAgent {
  std::string unit;

  bool operator==(const SystemdAgent&) const = default;
};

// A fence device: the resource runs (and monitors) a fence agent on some
// node, and the cluster uses it to fence the nodes it can reach.
struct FenceAgent {
  std::string type;  // e.g. fence_ipmilan; Pacemaker's external/<name> plugins too
  // The device also unfences (fence_scsi, fence_mpath): a node must be
  // turned "on" through it before resources that need unfencing, and the
  // device itself, probe or start there (Pacemaker's provides=unfencing).
  std::optional<bool> unfencing;

  bool operator==(const FenceAgent&) const = default;
};

// Exactly one of the four is set.
struct Agent {
  std::optional<OcfAgent> ocf;
  std::optional<ProcessAgent> process;
  std::optional<SystemdAgent> systemd;
  std::optional<FenceAgent> fence;

  bool operator==(const Agent&) const = default;
};

struct Operation {
  OperationName name = OperationName::kMonitor;
  Duration interval{0};
  std::optional<Duration> timeout;
  std::optional<OnFail> on_fail;
  std::optional<Role> role;

  bool operator==(const Operation&) const = default;
};

struct PromotableSpec {
  std::int32_t promoted_max = 1;
  std::int32_t promoted_node_max = 1;

  bool operator==(const PromotableSpec&) const = default;
};

struct CloneSpec {
  std::optional<std::int32_t> max;  // unset: one instance per node
  std::int32_t node_max = 1;
  std::int32_t min = 0;
  bool interleave = false;
  bool ordered = false;
  bool globally_unique = false;
  bool notify = false;
  std::optional<PromotableSpec> promotable;

  bool operator==(const CloneSpec&) const = default;
};

// Parameters that replace `params` on the nodes (or at the times) where
// the rule holds. The first override that holds and sets a name wins.
struct ParamOverride {
  Rule rule;
  std::map<std::string, std::string> params;

  bool operator==(const ParamOverride&) const = default;
};

struct ResourceSpec {
  Agent agent;
  std::map<std::string, std::string> params;
  std::vector<ParamOverride> param_overrides;
  std::vector<Operation> operations;
  ResourceMeta meta;
  std::optional<CloneSpec> clone;

  bool operator==(const ResourceSpec&) const = default;
};

// One running copy of a resource (or of a clone instance).
struct ResourceInstance {
  std::string node;
  Role role = Role::kStarted;
  bool failed = false;
  bool managed = true;
  std::optional<Timestamp> since;

  bool operator==(const ResourceInstance&) const = default;
};

struct OperationFailure {
  std::string node;
  OperationName operation = OperationName::kMonitor;
  Duration interval{0};
  std::int32_t exit_code = 0;
  std::string exit_reason;
  bool timed_out = false;
  std::optional<Timestamp> time;

  bool operator==(const OperationFailure&) const = default;
};

struct FailCount {
  std::string node;
  std::int32_t count = 0;
  std::optional<Timestamp> last_failure;

  bool operator==(const FailCount&) const = default;
};

struct ResourceStatus {
  std::optional<std::int64_t> observed_generation;
  std::vector<ResourceInstance> instances;
  std::vector<OperationFailure> failures;
  std::vector<FailCount> fail_counts;
  std::vector<Condition> conditions;

  bool operator==(const ResourceStatus&) const = default;
};

struct HAResource : Object<ResourceSpec, ResourceStatus> {
  static constexpr std::string_view kKind = "HAResource";
};

}  // namespace tandem::model
