#include "sidecar/executor/agent_environment.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>

#include "common/core/text.h"
#include "common/model/names.h"
#include "common/model/rule_eval.h"

namespace tandem::executor {
namespace {

std::string bool_text(bool value) {
  return value ? "true" : "false";
}

std::string milliseconds(Duration duration) {
  return std::to_string(duration.count());
}

// The lists Pacemaker passes with every notification, empty when unused.
constexpr std::array<std::string_view, 20> kNotifyLists{
    "start_resource",    "start_uname",    "stop_resource",       "stop_uname",
    "promote_resource",  "promote_uname",  "demote_resource",     "demote_uname",
    "active_resource",   "active_uname",   "inactive_resource",   "inactive_uname",
    "promoted_resource", "promoted_uname", "unpromoted_resource", "unpromoted_uname",
    "master_resource",   "master_uname",   "slave_resource",      "slave_uname",
};

void add_clone_meta(const model::CloneSpec& clone, std::optional<int> instance, Environment& env) {
  const std::string meta = "OCF_RESKEY_CRM_meta_";
  env[meta + "clone"] = std::to_string(instance.value_or(0));
  if (clone.max) env[meta + "clone_max"] = std::to_string(*clone.max);
  env[meta + "clone_node_max"] = std::to_string(clone.node_max);
  env[meta + "globally_unique"] = bool_text(clone.globally_unique);
  env[meta + "notify"] = bool_text(clone.notify);
  env[meta + "interleave"] = bool_text(clone.interleave);
  env[meta + "ordered"] = bool_text(clone.ordered);
  if (const auto& promotable = clone.promotable) {
    env[meta + "promotable"] = "true";
    env[meta + "promoted_max"] = std::to_string(promotable->promoted_max);
    env[meta + "promoted_node_max"] = std::to_string(promotable->promoted_node_max);
    // Older agents (drbd, pgsql) still read the pre-2.1 names.
    env[meta + "master_max"] = std::to_string(promotable->promoted_max);
    env[meta + "master_node_max"] = std::to_string(promotable->promoted_node_max);
  } else {
    env[meta + "promotable"] = "false";
  }
}

}  // namespace

Result<std::string> ocf_agent_path(std::string_view ocf_root, const model::OcfAgent& agent) {
  if (!model::is_path_component(agent.provider)) {
    return fail("OCF provider " + quote(agent.provider) +
                " is not a single directory name; refusing to build an agent path from it");
  }
  if (!model::is_path_component(agent.type)) {
    return fail("OCF agent type " + quote(agent.type) +
                " is not a single file name; refusing to build an agent path from it");
  }
  if (ocf_root.empty() || ocf_root.front() != '/') {
    return fail("the OCF root " + quote(ocf_root) + " is not an absolute path");
  }
  std::string path(ocf_root);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path + "/resource.d/" + agent.provider + "/" + agent.type;
}

std::string resource_instance(const model::HAResource& resource,
                              std::optional<int> clone_instance) {
  std::string name = resource.metadata.name;
  if (resource.spec.clone && resource.spec.clone->globally_unique)
    name += ":" + std::to_string(clone_instance.value_or(0));
  return name;
}

Environment ocf_environment(const model::HAResource& resource, const AgentInvocation& invocation,
                            const NodeContext& node) {
  Environment env;
  const OperationRequest& request = invocation.request;
  env["PATH"] = node.agent_bin_dir.empty() ? std::string(kSystemPath)
                                           : node.agent_bin_dir + ":" + std::string(kSystemPath);
  if (!node.agent_bin_dir.empty()) env["HA_SBIN_DIR"] = node.agent_bin_dir;
  env["OCF_ROOT"] = node.ocf_root;
  env["OCF_RA_VERSION_MAJOR"] = "1";
  env["OCF_RA_VERSION_MINOR"] = "1";
  env["OCF_EXIT_REASON_PREFIX"] = std::string(kExitReasonPrefix);
  env["OCF_RESOURCE_INSTANCE"] = resource_instance(resource, invocation.clone_instance);
  if (const auto& ocf = resource.spec.agent.ocf) {
    env["OCF_RESOURCE_TYPE"] = ocf->type;
    env["OCF_RESOURCE_PROVIDER"] = ocf->provider;
  }
  if (!node.attribute_dir.empty()) env["TANDEM_ATTRIBUTE_DIR"] = node.attribute_dir;
  if (!node.node_name.empty()) env["TANDEM_NODE_NAME"] = node.node_name;

  // Parameter overrides may test the time; the environment is built just
  // before the agent runs, so the wall clock here is the time they see.
  std::map<std::string, std::string> attributes = node.attributes;
  if (!node.node_name.empty()) attributes["#uname"] = node.node_name;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  for (const auto& [name, value] : model::resolve_params(resource.spec, attributes, now)) {
    env["OCF_RESKEY_" + name] = value;
  }
  env["OCF_RESKEY_crm_feature_set"] = std::string(kCrmFeatureSet);

  const std::string meta = "OCF_RESKEY_CRM_meta_";
  env[meta + "name"] = std::string(action_name(request.action));
  env[meta + "interval"] = milliseconds(request.interval);
  env[meta + "timeout"] = milliseconds(request.timeout);
  if (!node.node_name.empty()) env[meta + "on_node"] = node.node_name;
  if (request.role) env[meta + "role"] = std::string(model::to_string(*request.role));
  if (resource.spec.clone) add_clone_meta(*resource.spec.clone, invocation.clone_instance, env);
  if (const auto& n = invocation.notification) {
    env[meta + "notify_type"] = n->type;
    env[meta + "notify_operation"] = n->operation;
    for (std::string_view list : kNotifyLists) {
      std::string key(list);
      auto it = n->lists.find(key);
      env[meta + "notify_" + key] = it == n->lists.end() ? std::string() : it->second;
    }
  }
  return env;
}

Environment process_environment(const model::ProcessAgent& process) {
  Environment env;
  env["PATH"] = std::string(kSystemPath);
  env["HOME"] = "/";
  for (const auto& [name, value] : process.env) env[name] = value;
  return env;
}

std::vector<std::string> environment_strings(const Environment& environment) {
  std::vector<std::string> out;
  out.reserve(environment.size());
  for (const auto& [name, value] : environment) out.push_back(name + "=" + value);
  return out;
}

}  // namespace tandem::executor
