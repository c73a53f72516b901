#pragma once

// Where an OCF agent lives and the environment it runs with, built the way
// the OCF resource agent API 1.1 and Pacemaker's executor give it, so that
// agents written for Pacemaker run unchanged. Pure: the caller supplies every
// fact about the node.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/model/resource.h"
#include "sidecar/executor/operation.h"

namespace tandem::executor {

inline constexpr std::string_view kDefaultOcfRoot = "/usr/lib/ocf";
// The feature set Pacemaker 2.1.5 announces; some agents compare against it.
inline constexpr std::string_view kCrmFeatureSet = "3.16.2";
inline constexpr std::string_view kExitReasonPrefix = "ocf-exit-reason:";
inline constexpr std::string_view kSystemPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

struct NodeContext {
  std::string ocf_root{kDefaultOcfRoot};
  std::string node_name;
  // Holds crm_master, crm_attribute, attrd_updater and crm_node; first on the
  // agents' PATH and their HA_SBIN_DIR.
  std::string agent_bin_dir;
  // Where those commands keep node attributes (see attribute_store.h).
  std::string attribute_dir;
  // The node's attributes, which choose among a resource's parameter
  // overrides (#uname is the node name).
  std::map<std::string, std::string> attributes;
};

// A clone notification (OCF_RESKEY_CRM_meta_notify_*).
struct Notification {
  std::string type;       // "pre" or "post"
  std::string operation;  // "start", "stop", "promote" or "demote"
  // "start_resource", "active_uname", ...: space-separated lists, as Pacemaker
  // passes them; names missing here are passed empty.
  std::map<std::string, std::string> lists;
};

struct AgentInvocation {
  OperationRequest request;
  std::optional<int> clone_instance;  // set for clone instances: "name:N"
  std::optional<Notification> notification;
};

using Environment = std::map<std::string, std::string>;

// ROOT/resource.d/PROVIDER/TYPE; fails when provider or type is not a single
// path component (the model rejects those too, but this is where the path
// is built, so it checks again).
Result<std::string> ocf_agent_path(std::string_view ocf_root, const model::OcfAgent& agent);

// OCF_RESOURCE_INSTANCE: the resource's name, with ":N" for an instance of
// a globally unique clone. An anonymous clone's instances are all the
// clone's name, as Pacemaker's executor knows them: on one node they are one
// resource, with one history.
std::string resource_instance(const model::HAResource& resource, std::optional<int> clone_instance);

// The whole environment of an OCF agent. Nothing is inherited from the
// sidecar's own environment.
Environment ocf_environment(const model::HAResource& resource, const AgentInvocation& invocation,
                            const NodeContext& node);

// The environment of a supervised process: a plain PATH and HOME, then the
// manifest's env, which may override them.
Environment process_environment(const model::ProcessAgent& process);

// "NAME=value" strings for execve.
std::vector<std::string> environment_strings(const Environment& environment);

}  // namespace tandem::executor
