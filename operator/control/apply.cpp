#include "operator/control/apply.h"

#include <algorithm>

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
  for (const std::string& node : state.standby) {
    if (!has(nodes, node)) {
      out.skipped.push_back("control: standby of " + node +
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
    it->spec.standby = true;
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
