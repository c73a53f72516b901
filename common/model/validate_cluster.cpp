// Checks of HACluster and HANode objects.

#include <algorithm>
#include <map>
#include <string>

#include "common/core/text.h"
#include "common/model/names.h"
#include "common/model/validate_internal.h"

namespace tandem::model::detail {
namespace {

bool is_attribute_name(std::string_view name) {
  return !name.empty() && std::none_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
  });
}

void validate_membership_nodes(const HACluster& cluster, Diagnostics& d) {
  const auto& nodes = cluster.spec.membership.nodes;
  std::map<std::string, std::size_t> names, addresses;
  std::map<std::uint32_t, std::size_t> ids;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const MemberNode& node = nodes[i];
    std::string path = indexed("spec.membership.nodes", i);
    if (!is_node_name(node.name)) {
      d.error(cluster, path + ".name",
              quote(node.name) +
                  " is not a valid node name: use letters, digits, '-', '_' and "
                  "'.', starting with a letter or digit");
    } else if (auto [it, fresh] = names.emplace(node.name, i); !fresh) {
      d.error(
          cluster, path + ".name",
          quote(node.name) + " is already used by " + indexed("spec.membership.nodes", it->second));
    }
    if (auto [it, fresh] = ids.emplace(node.node_id, i); !fresh) {
      d.error(cluster, path + ".nodeId",
              std::to_string(node.node_id) + " is already used by " +
                  indexed("spec.membership.nodes", it->second));
    }
    if (!is_address(node.address)) {
      d.error(cluster, path + ".address",
              quote(node.address) + " is not an IPv4 address, IPv6 address or host name");
    } else if (auto [it, fresh] = addresses.emplace(node.address, i); !fresh) {
      d.error(cluster, path + ".address",
              quote(node.address) + " is already used by " +
                  indexed("spec.membership.nodes", it->second));
    }
  }
}

void validate_totem(const HACluster& cluster, Diagnostics& d) {
  const Membership& membership = cluster.spec.membership;
  const TotemTimings& totem = membership.totem;
  const std::string base = "spec.membership.totem.";
  auto at_least_minimum = [&](std::string_view name, Duration value) {
    if (value < kMinimumTotemTimeout) {
      d.error(cluster, base + std::string(name),
              "must be at least " + format_duration(kMinimumTotemTimeout) + ", got " +
                  format_duration(value));
      return false;
    }
    return true;
  };
  bool token_ok = at_least_minimum("token", totem.token);
  at_least_minimum("join", totem.join);
  at_least_minimum("merge", totem.merge);
  at_least_minimum("downcheck", totem.downcheck);
  at_least_minimum("maxNetworkDelay", totem.max_network_delay);

  const Duration token = effective_token(membership);
  const double divisor = totem.token_retransmits_before_loss_const + 0.2;
  if (totem.token_retransmit) {
    at_least_minimum("tokenRetransmit", *totem.token_retransmit);
  } else if (token_ok) {
    auto derived =
        Duration(static_cast<std::int64_t>(static_cast<double>(token.count()) / divisor));
    if (derived < kMinimumTotemTimeout) {
      d.error(cluster, base + "token",
              format_duration(token) + " is too short for " +
                  std::to_string(totem.token_retransmits_before_loss_const) +
                  " retransmits: the token retransmit timeout would be " +
                  format_duration(derived) + ", below the minimum of " +
                  format_duration(kMinimumTotemTimeout));
    }
  }
  // corosync 3 puts no floor under hold, explicit or derived.
  if (totem.consensus) {
    if (at_least_minimum("consensus", *totem.consensus) && *totem.consensus < totem.join) {
      d.error(cluster, base + "consensus",
              format_duration(*totem.consensus) + " is shorter than join (" +
                  format_duration(totem.join) + ")");
    }
    auto recommended = Duration(token.count() * 12 / 10);
    if (*totem.consensus < recommended) {
      d.warning(cluster, base + "consensus",
                format_duration(*totem.consensus) + " is less than 1.2 x the effective token (" +
                    format_duration(recommended) +
                    "): membership may change more often than it needs to");
    }
  }
}

void validate_quorum(const HACluster& cluster, Diagnostics& d) {
  const QuorumOptions& quorum = cluster.spec.quorum;
  const auto& nodes = cluster.spec.membership.nodes;
  if (quorum.two_node) {
    if (!nodes.empty() && nodes.size() != 2) {
      d.error(cluster, "spec.quorum.twoNode",
              "needs exactly two membership nodes, found " + std::to_string(nodes.size()));
    }
    if (quorum.expected_votes && *quorum.expected_votes != 2) {
      d.error(cluster, "spec.quorum.expectedVotes",
              "must be 2 with twoNode, got " + std::to_string(*quorum.expected_votes));
    }
    if (quorum.auto_tie_breaker) {
      d.error(cluster, "spec.quorum.autoTieBreaker",
              "cannot be combined with twoNode; use one or the other");
    }
    if (!quorum.wait_for_all.value_or(true) && !cluster.spec.options.fencing_enabled) {
      d.warning(cluster, "spec.quorum.waitForAll",
                "a two-node cluster without waitForAll or fencing can run resources on both "
                "nodes when they start apart");
    }
  }
  if (quorum.last_man_standing) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].quorum_votes != 1) {
        d.error(cluster, indexed("spec.membership.nodes", i) + ".quorumVotes",
                "must be 1 with lastManStanding, got " + std::to_string(nodes[i].quorum_votes));
      }
    }
  }
  bool is_list = quorum.auto_tie_breaker_node == TieBreaker::kList;
  if (is_list && quorum.auto_tie_breaker_nodes.empty()) {
    d.error(cluster, "spec.quorum.autoTieBreakerNodes",
            "must list node ids when autoTieBreakerNode is list");
  }
  if (!is_list && !quorum.auto_tie_breaker_nodes.empty()) {
    d.error(cluster, "spec.quorum.autoTieBreakerNodes",
            "is only used when autoTieBreakerNode is list");
  }
  if (!nodes.empty()) {
    for (std::size_t i = 0; i < quorum.auto_tie_breaker_nodes.size(); ++i) {
      std::uint32_t id = quorum.auto_tie_breaker_nodes[i];
      bool known = std::any_of(nodes.begin(), nodes.end(),
                               [&](const MemberNode& node) { return node.node_id == id; });
      if (!known) {
        d.error(cluster, indexed("spec.quorum.autoTieBreakerNodes", i),
                "node id " + std::to_string(id) + " is not in spec.membership.nodes");
      }
    }
  }
}

}  // namespace

void validate_cluster(const HACluster& cluster, Diagnostics& d) {
  const ClusterSpec& spec = cluster.spec;
  if (spec.options.fencing_timeout <= Duration::zero()) {
    d.error(cluster, "spec.options.fencingTimeout", "must be longer than 0s");
  }
  if (spec.options.no_quorum_policy == NoQuorumPolicy::kSuicide && !spec.options.fencing_enabled) {
    d.error(cluster, "spec.options.noQuorumPolicy",
            "suicide needs fencing: set spec.options.fencingEnabled to true");
  }
  auto error = [&](std::string path, std::string message) {
    d.error(cluster, std::move(path), std::move(message));
  };
  validate_meta(spec.resource_defaults, "spec.resourceDefaults", false, error);
  if (!spec.resource_defaults.utilization.empty()) {
    d.error(cluster, "spec.resourceDefaults.utilization",
            "cannot have a default: set utilization on each resource");
  }
  if (spec.operation_defaults.timeout <= Duration::zero()) {
    d.error(cluster, "spec.operationDefaults.timeout", "must be longer than 0s");
  }
  if (spec.operation_defaults.on_fail == OnFail::kDemote) {
    d.error(cluster, "spec.operationDefaults.onFail",
            "demote applies only to promote and Promoted monitor operations; set it on those");
  }
  if (const auto& name = spec.membership.cluster_name) {
    bool valid =
        !name->empty() && name->size() <= 64 && std::all_of(name->begin(), name->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.';
        });
    if (!valid) {
      d.error(cluster, "spec.membership.clusterName",
              quote(*name) +
                  " is not a valid cluster name: at most 64 letters, digits, '-', "
                  "'_' or '.'");
    }
  }
  const Crypto& crypto = spec.membership.crypto;
  if (crypto.cipher != CryptoCipher::kNone && crypto.hash == CryptoHash::kNone) {
    d.error(cluster, "spec.membership.crypto.cipher",
            "encryption needs authentication: set spec.membership.crypto.hash to sha256");
  }
  if (crypto.key_file && (crypto.key_file->empty() || crypto.key_file->front() != '/')) {
    d.error(cluster, "spec.membership.crypto.keyFile",
            quote(*crypto.key_file) + " must be an absolute path");
  }
  if (crypto.key_secret && !is_dns_subdomain(crypto.key_secret->name)) {
    d.error(cluster, "spec.membership.crypto.keySecret.name",
            quote(crypto.key_secret->name) + " is not a valid Secret name");
  }
  validate_membership_nodes(cluster, d);
  validate_totem(cluster, d);
  validate_quorum(cluster, d);
}

void validate_node(const HANode& node, const Namespace& ns, Diagnostics& d) {
  if (ns.cluster != nullptr && !ns.cluster->spec.membership.nodes.empty()) {
    const auto& members = ns.cluster->spec.membership.nodes;
    bool member = std::any_of(members.begin(), members.end(),
                              [&](const MemberNode& m) { return m.name == node.metadata.name; });
    if (!member) {
      d.error(node, "metadata.name",
              "node " + quote(node.metadata.name) + " is not in spec.membership.nodes of " +
                  object_label(HACluster::kKind, ns.cluster->metadata));
    }
  }
  for (const auto& [name, value] : node.spec.attributes) {
    (void)value;
    if (!is_attribute_name(name)) {
      d.error(node, "spec.attributes", quote(name) + " is not a valid attribute name");
    } else if (name.front() == '#') {
      d.error(node, "spec.attributes",
              quote(name) + ": names starting with # are built-in attributes (#uname, #id, ...)");
    }
  }
  for (const auto& [name, value] : node.spec.utilization) {
    (void)value;
    if (!is_attribute_name(name)) {
      d.error(node, "spec.utilization", quote(name) + " is not a valid utilization name");
    }
  }
}

}  // namespace tandem::model::detail
