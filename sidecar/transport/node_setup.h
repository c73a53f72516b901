#pragma once

// Everything a node needs before its loop starts, from a cluster's
// membership settings (a corosync.conf, or an HACluster manifest): which
// node of the nodelist this one is, every node's UDP endpoint, the state
// machine's configuration, and the frame codec with the authkey.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/model/cluster.h"
#include "sidecar/membership/config.h"
#include "sidecar/transport/endpoint.h"
#include "sidecar/transport/frame.h"

namespace tandem::transport {

struct NodeOptions {
  // This node; found by matching the nodelist against this machine's
  // addresses when not given.
  std::optional<std::uint32_t> node_id;
  // Overrides totem.keyfile (default /etc/corosync/authkey).
  std::optional<std::string> authkey;
};

struct Peer {
  std::uint32_t node_id = 0;
  std::string name;
  Endpoint endpoint;
};

struct NodeSetup {
  std::uint32_t self = 0;
  std::string cluster_name;
  Endpoint local;                       // this node's address and port
  std::map<std::uint32_t, Peer> nodes;  // every node of the nodelist, this one too
  membership::MembershipConfig config;
  FrameCodec codec;
  std::vector<std::string> notes;  // for the log: key warnings, crypto off, ...
};

// Which node of `nodes` has one of the `local` addresses; fails when none
// or several do.
Result<std::uint32_t> find_self(const std::map<std::uint32_t, Peer>& nodes,
                                const std::vector<Endpoint>& local);

// Fails with every problem found, one per line.
Result<NodeSetup> prepare_node(const model::Membership& membership,
                               const model::QuorumOptions& quorum, const NodeOptions& options);

}  // namespace tandem::transport
