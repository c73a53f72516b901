#include "operator/control/apply.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "common/core/duration.h"
#include "operator/reconcile/reports.h"
#include "operator/reconcile/status.h"

namespace tandem::control {
namespace {

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_resource(const model::Manifests& manifests, const std::string& name) {
  for (const model::HAResource& r : manifests.resources) {
    if (r.metadata.name == name) return true;
  }
  for (const model::HAGroup& g : manifests.groups) {
    if (g.metadata.name == name) return true;
  }
  return false;
}

bool node_standby_in_manifests(const model::Manifests& manifests, const std::string& node) {
  for (const model::HANode& n : manifests.nodes) {
    if (n.metadata.name == node && n.spec.standby) return true;
  }
  return false;
}

bool node_maintenance_in_manifests(const model::Manifests& manifests, const std::string& node) {
  for (const model::HANode& n : manifests.nodes) {
    if (n.metadata.name == node && n.spec.maintenance) return true;
  }
  return false;
}

bool cluster_maintenance_in_manifests(const model::Manifests& manifests) {
  return !manifests.clusters.empty() && manifests.clusters.front().spec.options.maintenance_mode;
}

// Where the manifests leave the resource (or group) unmanaged themselves.
std::string unmanaged_by_manifests(const model::Manifests& manifests, const std::string& name) {
  auto says = [](const model::ResourceMeta& meta, const model::Origin& origin,
                 std::string_view kind) -> std::string {
    const std::string file = origin.file.empty() ? "" : " (" + origin.file + ")";
    if (meta.maintenance.value_or(false))
      return "its " + std::string(kind) + " manifest" + file + " says meta.maintenance: true";
    if (!meta.is_managed.value_or(true))
      return "its " + std::string(kind) + " manifest" + file + " says meta.isManaged: false";
    return "";
  };
  for (const model::HAResource& r : manifests.resources) {
    if (r.metadata.name == name) return says(r.spec.meta, r.origin, "HAResource");
  }
  for (const model::HAGroup& g : manifests.groups) {
    if (g.metadata.name == name) return says(g.spec.meta, g.origin, "HAGroup");
  }
  return "";
}

std::string origin_of(const model::Manifests& manifests, const std::string& node) {
  for (const model::HANode& n : manifests.nodes) {
    if (n.metadata.name == node && !n.origin.file.empty()) return " (" + n.origin.file + ")";
  }
  return "";
}

std::string lifetime_text(const std::optional<std::int64_t>& lifetime_ms) {
  return lifetime_ms ? " for " + format_duration(Duration(*lifetime_ms)) : " until cleared";
}

void put(ControlState& state, CliConstraint constraint) {
  auto it = std::find_if(state.constraints.begin(), state.constraints.end(),
                         [&](const CliConstraint& c) { return c.name == constraint.name; });
  if (it != state.constraints.end()) {
    *it = std::move(constraint);
  } else {
    state.constraints.push_back(std::move(constraint));
  }
  std::sort(state.constraints.begin(), state.constraints.end(),
            [](const CliConstraint& a, const CliConstraint& b) { return a.name < b.name; });
}

std::string cluster_namespace(const model::Manifests& manifests) {
  if (!manifests.clusters.empty()) return manifests.clusters.front().metadata.namespace_;
  return std::string(model::kDefaultNamespace);
}

Result<std::string> set_node_maintenance(ControlState& state, const std::string& node, bool on,
                                         const model::Manifests& manifests) {
  if (on) {
    if (!state.maintenance.insert(node).second) return node + " is already in maintenance";
    return node +
           " is in maintenance: nothing is started, stopped or fenced there and its "
           "resources' monitors are cancelled until `tandemctl maintenance " +
           node + " off`";
  }
  const bool by_manifest = node_maintenance_in_manifests(manifests, node);
  if (state.maintenance.erase(node) == 0) {
    if (by_manifest)
      return fail(node + " is in maintenance by its HANode manifest" + origin_of(manifests, node) +
                  ", not by tandemctl; set spec.maintenance: false there");
    return node + " is not in maintenance";
  }
  if (by_manifest)
    return node + " is no longer in maintenance by tandemctl, but its HANode manifest" +
           origin_of(manifests, node) + " still says maintenance: true";
  return node + " is out of maintenance: its resources' monitors resume and they are managed again";
}

Result<std::string> set_cluster_maintenance(ControlState& state, bool on,
                                            const model::Manifests& manifests) {
  if (on) {
    if (state.cluster_maintenance) return std::string("the cluster is already in maintenance");
    state.cluster_maintenance = true;
    return std::string(
        "the cluster is in maintenance: nothing is started, stopped or fenced anywhere and "
        "monitors are cancelled until `tandemctl maintenance --cluster off`");
  }
  const bool by_manifest = cluster_maintenance_in_manifests(manifests);
  if (!state.cluster_maintenance) {
    if (by_manifest)
      return fail(
          "the cluster is in maintenance by its HACluster manifest, not by tandemctl; set "
          "spec.options.maintenanceMode: false there");
    return std::string("the cluster is not in maintenance");
  }
  state.cluster_maintenance = false;
  if (by_manifest)
    return std::string(
        "the cluster is no longer in maintenance by tandemctl, but its HACluster manifest "
        "still says maintenanceMode: true");
  return std::string(
      "the cluster is out of maintenance: monitors resume and resources are managed again");
}

}  // namespace

Result<std::string> apply_command(ControlState& state, const ControlCommand& command,
                                  const model::Manifests& manifests,
                                  const std::vector<std::string>& running_on, UnixMs now) {
  const std::vector<std::string> nodes = reconcile::configured_nodes(manifests);
  if (!command.node.empty() && !has(nodes, command.node))
    return fail("node " + command.node + " is not a node of the cluster");
  if (!command.resource.empty() && !is_resource(manifests, command.resource))
    return fail("resource " + command.resource + " is not in the manifests");

  const std::string& node = command.node;
  const std::string& resource = command.resource;
  switch (command.verb) {
    case Verb::kStandby:
      if (!state.standby.insert(node).second) return node + " is already in standby";
      return node + " is in standby: its resources move to other nodes";
    case Verb::kUnstandby:
      if (state.standby.erase(node) == 0) {
        if (node_standby_in_manifests(manifests, node))
          return fail(node + " is in standby by its HANode manifest" + origin_of(manifests, node) +
                      ", not by tandemctl; set spec.standby: false there");
        return node + " is not in standby";
      }
      if (node_standby_in_manifests(manifests, node))
        return node + " is no longer in standby by tandemctl, but its HANode manifest" +
               origin_of(manifests, node) + " still says standby: true";
      return node + " is out of standby: resources may run there again";
    case Verb::kBan:
    case Verb::kMove: {
      std::string target = node;
      if (command.verb == Verb::kBan && target.empty()) {
        if (running_on.empty())
          return fail(resource + " runs nowhere; name the node to ban it from");
        if (running_on.size() > 1)
          return fail(resource + " runs on more than one node; name the node to ban it from");
        target = running_on.front();
      }
      CliConstraint c;
      c.kind = command.verb == Verb::kBan ? CliKind::kBan : CliKind::kPrefer;
      c.name = c.kind == CliKind::kBan ? "cli-ban-" + resource + "-on-" + target
                                       : "cli-prefer-" + resource;
      c.resource = resource;
      c.node = target;
      c.created_ms = now;
      if (command.lifetime_ms) c.expires_ms = now + *command.lifetime_ms;
      const std::string what = c.kind == CliKind::kBan ? resource + " is banned from " + target
                                                       : resource + " prefers " + target;
      put(state, std::move(c));
      return what + lifetime_text(command.lifetime_ms) + "; `tandemctl clear " + resource +
             "` takes it back";
    }
    case Verb::kClear: {
      const auto removed = std::erase_if(state.constraints, [&](const CliConstraint& c) {
        return c.resource == resource && (node.empty() || c.node == node);
      });
      if (removed == 0) return resource + " has no ban or move constraints";
      return "removed " + std::to_string(removed) + " ban/move constraint(s) of " + resource;
    }
    case Verb::kMaintenance:
      if (command.cluster) return set_cluster_maintenance(state, command.on, manifests);
      return set_node_maintenance(state, node, command.on, manifests);
    case Verb::kUnmanage:
      if (!state.unmanaged.insert(resource).second) return resource + " is already unmanaged";
      return resource +
             " is unmanaged: nothing starts, stops or moves it; its monitors go on; "
             "`tandemctl manage " +
             resource + "` takes it back";
    case Verb::kManage: {
      const std::string manifest = unmanaged_by_manifests(manifests, resource);
      if (state.unmanaged.erase(resource) == 0) {
        if (!manifest.empty())
          return fail(resource + " is unmanaged by its manifest, not by tandemctl: " + manifest);
        return resource + " is not unmanaged";
      }
      if (!manifest.empty())
        return resource + " is no longer unmanaged by tandemctl, but " + manifest;
      return resource + " is managed again: the cluster starts, stops and recovers it";
    }
    case Verb::kCleanup:
      break;
  }
  return fail(std::string(to_string(command.verb)) + " does not change the control state");
}

std::vector<std::string> expire(ControlState& state, UnixMs now) {
  std::vector<std::string> lines;
  std::erase_if(state.constraints, [&](const CliConstraint& c) {
    if (!c.expires_ms || *c.expires_ms > now) return false;
    lines.push_back("control: " + c.name + " expired; removed");
    return true;
  });
  return lines;
}

std::optional<UnixMs> next_expiry(const ControlState& state) {
  std::optional<UnixMs> next;
  for (const CliConstraint& c : state.constraints) {
    if (c.expires_ms && (!next || *c.expires_ms < *next)) next = c.expires_ms;
  }
  return next;
}

Overlay overlay(const model::Manifests& manifests, const ControlState& state) {
  Overlay out{manifests, {}};
  const std::vector<std::string> nodes = reconcile::configured_nodes(manifests);
  const std::string space = cluster_namespace(manifests);
  // Standby and maintenance set on the node's HANode, made when it has none.
  auto set_on_nodes = [&](const std::set<std::string>& names, std::string_view what,
                          bool model::NodeSpec::*field) {
    for (const std::string& node : names) {
      if (!has(nodes, node)) {
        out.skipped.push_back("control: " + std::string(what) + " of " + node +
                              " left out: no such node in the manifests");
        continue;
      }
      auto it = std::find_if(out.manifests.nodes.begin(), out.manifests.nodes.end(),
                             [&](const model::HANode& n) { return n.metadata.name == node; });
      if (it == out.manifests.nodes.end()) {
        model::HANode made;
        made.metadata.name = node;
        made.metadata.namespace_ = space;
        made.metadata.annotations[std::string(reconcile::kCreatedByAnnotation)] =
            std::string(reconcile::kCreatedByTandemctl);
        out.manifests.nodes.push_back(std::move(made));
        it = std::prev(out.manifests.nodes.end());
      }
      it->spec.*field = true;
    }
  };
  set_on_nodes(state.standby, "standby", &model::NodeSpec::standby);
  set_on_nodes(state.maintenance, "maintenance", &model::NodeSpec::maintenance);
  if (state.cluster_maintenance) {
    if (out.manifests.clusters.empty()) {
      out.skipped.push_back("control: the cluster's maintenance left out: no HACluster");
    } else {
      out.manifests.clusters.front().spec.options.maintenance_mode = true;
    }
  }
  for (const std::string& name : state.unmanaged) {
    if (!is_resource(manifests, name)) {
      out.skipped.push_back("control: unmanage of " + name +
                            " left out: no such resource in the manifests");
      continue;
    }
    // A group's members take its meta attributes, as Pacemaker's do.
    std::vector<std::string> members{name};
    for (model::HAGroup& group : out.manifests.groups) {
      if (group.metadata.name != name) continue;
      group.spec.meta.is_managed = false;
      members = group.spec.resources;
    }
    for (model::HAResource& resource : out.manifests.resources) {
      if (has(members, resource.metadata.name)) resource.spec.meta.is_managed = false;
    }
  }
  for (const CliConstraint& c : state.constraints) {
    if (!has(nodes, c.node) || !is_resource(manifests, c.resource)) {
      out.skipped.push_back("control: " + c.name + " left out: " +
                            (has(nodes, c.node) ? "resource " + c.resource : "node " + c.node) +
                            " is no longer in the manifests");
      continue;
    }
    const bool clash =
        std::any_of(manifests.constraints.begin(), manifests.constraints.end(),
                    [&](const model::HAConstraint& mine) { return mine.metadata.name == c.name; });
    if (clash) {
      out.skipped.push_back("control: " + c.name +
                            " left out: the manifests have a constraint of that name");
      continue;
    }
    model::HAConstraint made;
    made.metadata.name = c.name;
    made.metadata.namespace_ = space;
    made.metadata.annotations[std::string(reconcile::kCreatedByAnnotation)] =
        std::string(reconcile::kCreatedByTandemctl);
    if (c.expires_ms)
      made.metadata.annotations[std::string(reconcile::kExpiresAnnotation)] =
          std::to_string(*c.expires_ms);
    model::LocationConstraint location;
    location.resource = c.resource;
    location.node = c.node;
    location.score = c.kind == CliKind::kBan ? Score::minus_infinity() : Score::infinity();
    made.spec.location = std::move(location);
    out.manifests.constraints.push_back(std::move(made));
  }
  return out;
}

}  // namespace tandem::control
