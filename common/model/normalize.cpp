#include "common/model/normalize.h"

#include <array>
#include <map>
#include <set>
#include <string>

namespace tandem::model {
namespace {

// The field's own value, else the group's, else the cluster default, else
// the built-in default.
template <class T>
void fill(std::optional<T>& field, const std::optional<T>* group, const std::optional<T>& defaults,
          T builtin) {
  if (field) return;
  if (group != nullptr && group->has_value()) {
    field = *group;
  } else if (defaults) {
    field = defaults;
  } else {
    field = builtin;
  }
}

// Pacemaker's default for "requires". Once any device unfences, everything
// else must wait for its node's unfencing; without fencing that cannot
// happen, and quorum is all that is left to ask for.
Requires default_requires(const ClusterSpec& cluster, bool fence_device, bool unfencing) {
  if (fence_device) return Requires::kQuorum;
  if (unfencing) return cluster.options.fencing_enabled ? Requires::kUnfencing : Requires::kQuorum;
  if (cluster.options.fencing_enabled) return Requires::kFencing;
  if (cluster.options.no_quorum_policy == NoQuorumPolicy::kIgnore) return Requires::kNothing;
  return Requires::kQuorum;
}

void fill_meta(ResourceMeta& meta, const ResourceMeta* group, const ResourceMeta& defaults,
               const ClusterSpec& cluster, bool cloned, bool fence_device, bool unfencing) {
  auto field = [&](auto member, auto builtin) {
    fill(meta.*member, group != nullptr ? &(group->*member) : nullptr, defaults.*member, builtin);
  };
  field(&ResourceMeta::stickiness, Score::of(cloned ? 1 : 0));
  field(&ResourceMeta::migration_threshold, Score::infinity());
  field(&ResourceMeta::failure_timeout, Duration::zero());
  field(&ResourceMeta::target_role, Role::kStarted);
  field(&ResourceMeta::priority, std::int32_t{0});
  field(&ResourceMeta::is_managed, true);
  field(&ResourceMeta::maintenance, false);
  field(&ResourceMeta::allow_migrate, false);
  field(&ResourceMeta::multiple_active, MultipleActive::kStopStart);
  field(&ResourceMeta::requires_, default_requires(cluster, fence_device, unfencing));
  field(&ResourceMeta::critical, true);
  if (!meta.container && group != nullptr) meta.container = group->container;
}

void fill_operations(std::vector<Operation>& operations, const ClusterSpec& cluster,
                     bool contained) {
  for (Operation& op : operations) {
    if (!op.timeout) op.timeout = cluster.operation_defaults.timeout;
    if (op.on_fail) continue;
    if (cluster.operation_defaults.on_fail) {
      op.on_fail = cluster.operation_defaults.on_fail;
    } else if (contained) {
      op.on_fail = OnFail::kRestartContainer;
    } else if (op.name == OperationName::kStop) {
      op.on_fail = cluster.options.fencing_enabled ? OnFail::kFence : OnFail::kBlock;
    } else {
      op.on_fail = OnFail::kRestart;
    }
  }
}

void fill_clone(std::optional<CloneSpec>& clone, std::size_t declared_nodes) {
  if (clone && !clone->max && declared_nodes > 0) {
    clone->max = static_cast<std::int32_t>(declared_nodes);
  }
}

void fill_unit(Agent& agent) {
  if (!agent.systemd) return;
  std::string& unit = agent.systemd->unit;
  constexpr std::array<std::string_view, 11> kSuffixes{".service",   ".socket", ".target", ".mount",
                                                       ".automount", ".timer",  ".path",   ".slice",
                                                       ".scope",     ".swap",   ".device"};
  for (std::string_view suffix : kSuffixes) {
    if (unit.ends_with(suffix)) return;
  }
  unit += ".service";
}

void fill_cluster(HACluster& cluster) {
  Membership& membership = cluster.spec.membership;
  if (!membership.cluster_name) membership.cluster_name = cluster.metadata.name;
  Crypto& crypto = membership.crypto;
  bool needs_key = crypto.hash != CryptoHash::kNone || crypto.cipher != CryptoCipher::kNone;
  if (needs_key && !crypto.key_file && !crypto.key_secret)
    crypto.key_file = "/etc/corosync/authkey";

  // Corosync's derivations, from the effective token.
  TotemTimings& totem = membership.totem;
  Duration token = effective_token(membership);
  if (!totem.consensus) totem.consensus = Duration(token.count() * 12 / 10);
  if (!totem.token_retransmit) {
    totem.token_retransmit = Duration(static_cast<std::int64_t>(
        static_cast<double>(token.count()) / (totem.token_retransmits_before_loss_const + 0.2)));
  }
  if (!totem.hold) {
    totem.hold = Duration(
        static_cast<std::int64_t>(static_cast<double>(totem.token_retransmit->count()) * 0.8 - 10));
  }

  QuorumOptions& quorum = cluster.spec.quorum;
  if (!quorum.wait_for_all) quorum.wait_for_all = quorum.two_node;
  if (!quorum.expected_votes && !membership.nodes.empty()) {
    std::uint32_t votes = 0;
    for (const MemberNode& node : membership.nodes) votes += node.quorum_votes;
    if (votes > 0) quorum.expected_votes = votes;
  }
}

struct NamespaceInfo {
  const ClusterSpec* cluster = nullptr;
  std::size_t declared_nodes = 0;
  std::map<std::string, const HAGroup*> group_of;
  // Some device unfences, or something asks for unfencing (Pacemaker's
  // enable-unfencing flag).
  bool unfencing = false;
};

}  // namespace

void normalize(Manifests& manifests) {
  static const ClusterSpec kDefaultCluster{};
  std::map<std::string, NamespaceInfo> namespaces;
  for (HACluster& cluster : manifests.clusters) {
    fill_cluster(cluster);
    NamespaceInfo& info = namespaces[cluster.metadata.namespace_];
    if (info.cluster == nullptr) info.cluster = &cluster.spec;
  }
  std::map<std::string, std::set<std::string>> node_names;
  for (const HACluster& cluster : manifests.clusters) {
    for (const MemberNode& node : cluster.spec.membership.nodes) {
      node_names[cluster.metadata.namespace_].insert(node.name);
    }
  }
  for (const HANode& node : manifests.nodes) {
    node_names[node.metadata.namespace_].insert(node.metadata.name);
  }
  for (const auto& [ns, names] : node_names) namespaces[ns].declared_nodes = names.size();
  for (const HACluster& cluster : manifests.clusters) {
    if (cluster.spec.resource_defaults.requires_ == Requires::kUnfencing)
      namespaces[cluster.metadata.namespace_].unfencing = true;
  }
  for (const HAResource& resource : manifests.resources) {
    const auto& fence = resource.spec.agent.fence;
    if ((fence && fence->unfencing.value_or(false)) ||
        resource.spec.meta.requires_ == Requires::kUnfencing)
      namespaces[resource.metadata.namespace_].unfencing = true;
  }
  for (const HAGroup& group : manifests.groups) {
    if (group.spec.meta.requires_ == Requires::kUnfencing)
      namespaces[group.metadata.namespace_].unfencing = true;
  }
  for (const HAGroup& group : manifests.groups) {
    for (const std::string& member : group.spec.resources) {
      namespaces[group.metadata.namespace_].group_of.try_emplace(member, &group);
    }
  }
  auto cluster_of = [&](const ObjectMeta& meta) -> const ClusterSpec& {
    const ClusterSpec* cluster = namespaces[meta.namespace_].cluster;
    return cluster != nullptr ? *cluster : kDefaultCluster;
  };

  // Groups before their members, which inherit the group's own meta only
  // (not the defaults already filled in), so normalize members from the
  // groups as written.
  std::map<const HAGroup*, ResourceMeta> written_group_meta;
  for (const HAGroup& group : manifests.groups) written_group_meta[&group] = group.spec.meta;

  for (HAResource& resource : manifests.resources) {
    const ClusterSpec& cluster = cluster_of(resource.metadata);
    NamespaceInfo& info = namespaces[resource.metadata.namespace_];
    const ResourceMeta* group_meta = nullptr;
    bool cloned = resource.spec.clone.has_value();
    if (auto it = info.group_of.find(resource.metadata.name); it != info.group_of.end()) {
      group_meta = &written_group_meta[it->second];
      cloned = cloned || it->second->spec.clone.has_value();
    }
    fill_meta(resource.spec.meta, group_meta, cluster.resource_defaults, cluster, cloned,
              resource.spec.agent.fence.has_value(), info.unfencing);
    // A group's container is its members' container, except its own.
    if (resource.spec.meta.container == resource.metadata.name)
      resource.spec.meta.container.reset();
    fill_operations(resource.spec.operations, cluster, resource.spec.meta.container.has_value());
    fill_clone(resource.spec.clone, info.declared_nodes);
    fill_unit(resource.spec.agent);
  }
  for (HAGroup& group : manifests.groups) {
    const ClusterSpec& cluster = cluster_of(group.metadata);
    fill_meta(group.spec.meta, nullptr, cluster.resource_defaults, cluster,
              group.spec.clone.has_value(), false, namespaces[group.metadata.namespace_].unfencing);
    fill_clone(group.spec.clone, namespaces[group.metadata.namespace_].declared_nodes);
  }

  std::map<std::pair<std::string, std::string>, bool> critical;
  for (const HAResource& resource : manifests.resources) {
    critical[{resource.metadata.namespace_, resource.metadata.name}] =
        resource.spec.meta.critical.value_or(true);
  }
  for (const HAGroup& group : manifests.groups) {
    critical.try_emplace({group.metadata.namespace_, group.metadata.name},
                         group.spec.meta.critical.value_or(true));
  }
  for (HAConstraint& constraint : manifests.constraints) {
    if (auto& order = constraint.spec.order) {
      if (order->first && !order->then_action) order->then_action = order->first_action;
      if (!order->symmetrical) order->symmetrical = order->kind != OrderKind::kSerialize;
      for (ResourceSet& set : order->sets) {
        if (!set.require_all) set.require_all = true;
        if (!set.action) set.action = OrderAction::kStart;
      }
    }
    if (auto& colocation = constraint.spec.colocation) {
      if (colocation->resource && !colocation->influence) {
        auto it = critical.find({constraint.metadata.namespace_, *colocation->resource});
        colocation->influence = it == critical.end() || it->second;
      }
    }
  }
}

}  // namespace tandem::model
