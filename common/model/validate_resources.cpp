// Checks of HAResource and HAGroup objects.

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/core/text.h"
#include "common/model/names.h"
#include "common/model/validate_internal.h"

namespace tandem::model::detail {
namespace {

bool is_promotion_role(Role role) {
  return role == Role::kPromoted || role == Role::kUnpromoted;
}

void validate_agent(const HAResource& r, Diagnostics& d) {
  const Agent& agent = r.spec.agent;
  if (agent.ocf) {
    auto check = [&](const std::string& value, const char* field) {
      if (!is_path_component(value)) {
        d.error(r, std::string("spec.agent.ocf.") + field,
                quote(value) + " is not a valid " + field +
                    ": use letters, digits, '-', '_', '.' and '+' (it names a directory under "
                    "/usr/lib/ocf/resource.d)");
      }
    };
    check(agent.ocf->provider, "provider");
    check(agent.ocf->type, "type");
  }
  if (agent.process) {
    const ProcessAgent& process = *agent.process;
    if (process.command.empty() || process.command.front().empty()) {
      d.error(r, "spec.agent.process.command", "must name a program");
    }
    for (const auto& [name, value] : process.env) {
      (void)value;
      if (!is_env_name(name)) {
        d.error(r, "spec.agent.process.env",
                quote(name) + " is not a valid environment variable name");
      }
    }
    if (process.working_dir &&
        (process.working_dir->empty() || process.working_dir->front() != '/')) {
      d.error(r, "spec.agent.process.workingDir",
              quote(*process.working_dir) + " must be an absolute path");
    }
    if (process.user && process.user->empty()) {
      d.error(r, "spec.agent.process.user", "must not be empty");
    }
    if (const auto& health = process.health) {
      if (health->exec &&
          (health->exec->command.empty() || health->exec->command.front().empty())) {
        d.error(r, "spec.agent.process.health.exec.command", "must name a program");
      }
      if (health->tcp_connect && !is_address(health->tcp_connect->host)) {
        d.error(r, "spec.agent.process.health.tcpConnect.host",
                quote(health->tcp_connect->host) + " is not an address or host name");
      }
      if (health->http_get) {
        if (!is_address(health->http_get->host)) {
          d.error(r, "spec.agent.process.health.httpGet.host",
                  quote(health->http_get->host) + " is not an address or host name");
        }
        if (health->http_get->path.empty() || health->http_get->path.front() != '/') {
          d.error(r, "spec.agent.process.health.httpGet.path",
                  quote(health->http_get->path) + " must start with /");
        }
      }
    }
  }
  if (agent.fence && !is_fence_agent_name(agent.fence->type)) {
    d.error(r, "spec.agent.fence.type",
            quote(agent.fence->type) +
                " is not a fence agent name: a name such as fence_ipmilan, or external/NAME");
  }
  if (agent.systemd && !is_unit_name(agent.systemd->unit)) {
    d.error(r, "spec.agent.systemd.unit", quote(agent.systemd->unit) + " is not a unit name");
  }
  if (!agent.ocf && !agent.fence) {
    if (!r.spec.params.empty()) {
      d.error(r, "spec.params",
              std::string("parameters are passed to OCF agents only; ") +
                  (agent.process ? "give a process its settings in spec.agent.process.env or "
                                   "its command"
                                 : "configure a systemd unit in its unit file"));
    }
  }
  auto check_names = [&](const std::map<std::string, std::string>& params,
                         const std::string& path) {
    for (const auto& [name, value] : params) {
      (void)value;
      if (!is_param_name(name)) {
        d.error(r, path,
                quote(name) +
                    " is not a valid parameter name: use letters, digits and '_' (the "
                    "agent reads it as OCF_RESKEY_" +
                    name + ")");
      }
    }
  };
  check_names(r.spec.params, "spec.params");
  for (std::size_t i = 0; i < r.spec.param_overrides.size(); ++i) {
    const ParamOverride& o = r.spec.param_overrides[i];
    const std::string path = "spec.paramOverrides[" + std::to_string(i) + "]";
    if (!agent.ocf && !agent.fence) {
      d.error(r, path, "parameters are passed to OCF agents and fence devices only");
    }
    if (o.params.empty()) d.error(r, path + ".params", "names no parameter");
    check_names(o.params, path + ".params");
    validate_rule(
        o.rule, path + ".rule", RuleUse::kParameters,
        [&](const std::string& where, std::string message) {
          d.error(r, where, std::move(message));
        },
        [](const std::string&, const std::optional<Role>&) {});
  }
}

void validate_operations(const HAResource& r, bool promotable, Diagnostics& d) {
  const auto& operations = r.spec.operations;
  const bool ocf = r.spec.agent.ocf.has_value();
  std::map<std::pair<OperationName, Duration>, std::size_t> seen;
  for (std::size_t i = 0; i < operations.size(); ++i) {
    const Operation& op = operations[i];
    const std::string path = indexed("spec.operations", i);
    const std::string name(to_string(op.name));
    if (auto [it, fresh] = seen.emplace(std::make_pair(op.name, op.interval), i); !fresh) {
      d.error(r, path,
              name + " with interval " + format_duration(op.interval) + " is already defined at " +
                  indexed("spec.operations", it->second));
    }
    if (op.name != OperationName::kMonitor && op.interval != Duration::zero()) {
      d.error(r, path + ".interval",
              "only monitor operations repeat; " + name + " must have interval 0s");
    }
    if (op.timeout && *op.timeout <= Duration::zero()) {
      d.error(r, path + ".timeout", "must be longer than 0s");
    }
    if (op.role) {
      if (op.name != OperationName::kMonitor) {
        d.error(r, path + ".role", "only monitor operations take a role");
      } else if (is_promotion_role(*op.role) && !promotable) {
        d.error(r, path + ".role",
                std::string(to_string(*op.role)) +
                    " monitors need a promotable clone (spec.clone.promotable)");
      }
    }
    if (op.on_fail == OnFail::kDemote) {
      bool promoted_monitor = op.name == OperationName::kMonitor && op.role == Role::kPromoted;
      if (op.name != OperationName::kPromote && !promoted_monitor) {
        d.error(r, path + ".onFail",
                "demote applies only to promote operations and monitors with role Promoted");
      }
    }
    bool needs_ocf = op.name != OperationName::kStart && op.name != OperationName::kStop &&
                     op.name != OperationName::kMonitor;
    if (needs_ocf && !ocf) {
      d.error(r, path + ".name",
              "only OCF agents implement " + name +
                  "; process, systemd and fence agents have start, stop and monitor");
    } else if ((op.name == OperationName::kPromote || op.name == OperationName::kDemote) &&
               !promotable) {
      d.error(r, path + ".name", name + " needs a promotable clone (spec.clone.promotable)");
    } else if ((op.name == OperationName::kMigrateTo || op.name == OperationName::kMigrateFrom) &&
               !r.spec.meta.allow_migrate.value_or(false)) {
      d.warning(r, path + ".name", name + " is only used when spec.meta.allowMigrate is true");
    } else if (op.name == OperationName::kNotify && !(r.spec.clone && r.spec.clone->notify)) {
      d.warning(r, path + ".name", "notify is only used by clones with spec.clone.notify: true");
    }
  }
}

}  // namespace

void validate_meta(const ResourceMeta& meta, const std::string& path, bool promotable,
                   const std::function<void(std::string, std::string)>& error) {
  if (meta.target_role && is_promotion_role(*meta.target_role) && !promotable) {
    error(path + ".targetRole", std::string(to_string(*meta.target_role)) +
                                    " needs a promotable clone (spec.clone.promotable)");
  }
  if (meta.migration_threshold && *meta.migration_threshold < Score::of(0)) {
    error(path + ".migrationThreshold", "must not be negative");
  }
  for (const auto& [name, value] : meta.utilization) {
    (void)value;
    if (name.empty() || std::any_of(name.begin(), name.end(),
                                    [](char c) { return static_cast<unsigned char>(c) <= ' '; })) {
      error(path + ".utilization", quote(name) + " is not a valid utilization name");
    }
  }
}

void validate_clone(const CloneSpec& clone, const std::string& path, const Namespace& ns,
                    const std::function<void(std::string, std::string)>& error,
                    const std::function<void(std::string, std::string)>& warning) {
  if (clone.max && clone.min > *clone.max) {
    error(path + ".min", std::to_string(clone.min) + " is more than " + path + ".max (" +
                             std::to_string(*clone.max) + ")");
  }
  if (const auto& promotable = clone.promotable) {
    if (clone.max && promotable->promoted_max > *clone.max) {
      error(path + ".promotable.promotedMax", std::to_string(promotable->promoted_max) +
                                                  " is more than " + path + ".max (" +
                                                  std::to_string(*clone.max) + ")");
    }
    if (promotable->promoted_node_max > clone.node_max) {
      error(path + ".promotable.promotedNodeMax", std::to_string(promotable->promoted_node_max) +
                                                      " is more than " + path + ".nodeMax (" +
                                                      std::to_string(clone.node_max) + ")");
    }
  }
  if (clone.max && ns.declares_nodes()) {
    auto capacity = static_cast<std::int64_t>(ns.node_names.size()) * clone.node_max;
    if (*clone.max > capacity) {
      warning(path + ".max", "only " + std::to_string(capacity) + " of " +
                                 std::to_string(*clone.max) + " instances can run on the " +
                                 std::to_string(ns.node_names.size()) +
                                 " declared nodes with nodeMax " + std::to_string(clone.node_max));
    }
  }
}

void validate_resource(const HAResource& r, const Namespace& ns, Diagnostics& d) {
  auto error = [&](std::string path, std::string message) {
    d.error(r, std::move(path), std::move(message));
  };
  auto warning = [&](std::string path, std::string message) {
    d.warning(r, std::move(path), std::move(message));
  };
  const bool promotable = r.spec.clone && r.spec.clone->promotable;
  // A group member is promoted when its group is.
  auto group = ns.group_of.find(r.metadata.name);
  const bool group_promotable = group != ns.group_of.end() && group->second->spec.clone &&
                                group->second->spec.clone->promotable;
  validate_agent(r, d);
  validate_operations(r, promotable || group_promotable, d);
  validate_meta(r.spec.meta, "spec.meta", promotable || group_promotable, error);
  if (const auto& container = r.spec.meta.container) {
    if (*container == r.metadata.name) {
      error("spec.meta.container", "a resource cannot run inside itself");
    } else if (!ns.resources.contains(*container)) {
      error("spec.meta.container", "resource " + quote(*container) + " does not exist");
    }
  }
  for (std::size_t i = 0; i < r.spec.operations.size(); ++i) {
    if (r.spec.operations[i].on_fail == OnFail::kRestartContainer && !r.spec.meta.container &&
        (group == ns.group_of.end() || !group->second->spec.meta.container)) {
      error("spec.operations[" + std::to_string(i) + "].onFail",
            "restart-container needs spec.meta.container");
    }
  }
  if (r.spec.agent.fence && r.spec.meta.requires_ == Requires::kUnfencing) {
    // The device is what unfences: it cannot wait for itself.
    error("spec.meta.requires", "a fence device cannot require unfencing (use quorum)");
  }
  if (r.spec.clone) {
    validate_clone(*r.spec.clone, "spec.clone", ns, error, warning);
    if (r.spec.agent.fence) {
      d.error(r, "spec.clone", "fence devices cannot be cloned");
    } else if (promotable && !r.spec.agent.ocf) {
      d.error(r, "spec.clone.promotable",
              "only OCF agents can be promoted (they implement promote and demote)");
    }
  }
}

void validate_group(const HAGroup& g, const Namespace& ns, Diagnostics& d) {
  auto error = [&](std::string path, std::string message) {
    d.error(g, std::move(path), std::move(message));
  };
  auto warning = [&](std::string path, std::string message) {
    d.warning(g, std::move(path), std::move(message));
  };
  const auto& members = g.spec.resources;
  if (members.empty()) d.error(g, "spec.resources", "a group needs at least one resource");
  const bool promotable = g.spec.clone && g.spec.clone->promotable;

  std::vector<std::string_view> candidates;
  for (const auto& [name, resource] : ns.resources) {
    (void)resource;
    candidates.push_back(name);
  }
  std::map<std::string_view, std::size_t> listed;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const std::string& member = members[i];
    const std::string path = indexed("spec.resources", i);
    if (auto [it, fresh] = listed.emplace(member, i); !fresh) {
      d.error(g, path,
              quote(member) + " is already listed at " + indexed("spec.resources", it->second));
      continue;
    }
    auto resource = ns.resources.find(member);
    if (resource == ns.resources.end()) {
      if (ns.groups.contains(member)) {
        d.error(g, path, quote(member) + " is a group; groups cannot contain groups");
        continue;
      }
      std::string message = "resource " + quote(member) + " does not exist";
      if (auto guess = closest_match(member, candidates)) {
        message += " (did you mean " + quote(*guess) + "?)";
      }
      d.error(g, path, std::move(message));
      continue;
    }
    if (auto owner = ns.group_of.find(member); owner != ns.group_of.end() && owner->second != &g) {
      d.error(g, path,
              "resource " + quote(member) + " is already a member of group " +
                  quote(owner->second->metadata.name));
    }
    if (resource->second->spec.clone) {
      d.error(g, path,
              "resource " + quote(member) +
                  " is cloned; a group's members cannot be clones (clone the group instead)");
    }
    if (promotable && !resource->second->spec.agent.ocf) {
      d.error(g, path,
              "resource " + quote(member) +
                  " is not an OCF agent; every member of a promotable group must be one");
    }
  }
  validate_meta(g.spec.meta, "spec.meta", promotable, error);
  if (const auto& container = g.spec.meta.container;
      container && !ns.resources.contains(*container)) {
    error("spec.meta.container", "resource " + quote(*container) + " does not exist");
  }
  if (!g.spec.meta.utilization.empty()) {
    d.error(g, "spec.meta.utilization", "set utilization on the member resources");
  }
  if (g.spec.meta.allow_migrate.value_or(false)) {
    d.error(g, "spec.meta.allowMigrate", "groups cannot be migrated live");
  }
  if (g.spec.clone) validate_clone(*g.spec.clone, "spec.clone", ns, error, warning);
}

}  // namespace tandem::model::detail
