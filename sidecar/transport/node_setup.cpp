#include "sidecar/transport/node_setup.h"

#include <algorithm>

#include "sidecar/transport/authkey.h"

namespace tandem::transport {
namespace {

constexpr const char* kDefaultKeyFile = "/etc/corosync/authkey";

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

}  // namespace

Result<std::uint32_t> find_self(const std::map<std::uint32_t, Peer>& nodes,
                                const std::vector<Endpoint>& local) {
  std::vector<std::uint32_t> mine;
  for (const auto& [id, peer] : nodes)
    for (const Endpoint& address : local)
      if (peer.endpoint.same_host(address)) {
        mine.push_back(id);
        break;
      }
  if (mine.empty())
    return fail(
        "no ring0_addr of the nodelist is an address of this machine; give --node-id, or "
        "check the nodelist");
  if (mine.size() > 1) {
    std::string ids;
    for (std::uint32_t id : mine) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    return fail("several nodes of the nodelist have addresses of this machine (" + ids +
                "); give --node-id");
  }
  return mine.front();
}

Result<NodeSetup> prepare_node(const model::Membership& membership,
                               const model::QuorumOptions& quorum, const NodeOptions& options) {
  std::vector<std::string> errors;
  if (membership.port < 1 || membership.port > 65535)
    return fail("the port " + std::to_string(membership.port) + " is not between 1 and 65535");
  auto port = static_cast<std::uint16_t>(membership.port);

  std::map<std::uint32_t, Peer> nodes;
  for (const model::MemberNode& node : membership.nodes) {
    auto endpoint =
        resolve(node.address, port, "node " + std::to_string(node.node_id) + "'s ring0_addr");
    if (!endpoint) {
      errors.push_back(endpoint.error().message);
      continue;
    }
    nodes[node.node_id] = Peer{node.node_id, node.name, *endpoint};
  }
  if (!errors.empty()) return fail(join_lines(errors));
  if (nodes.empty()) return fail("the nodelist has no nodes");
  int family = nodes.begin()->second.endpoint.family();
  for (const auto& [id, peer] : nodes)
    if (peer.endpoint.family() != family)
      errors.push_back("node " + std::to_string(id) + "'s ring0_addr " + peer.endpoint.to_string() +
                       " is not of the same IP version as the others: a ring is all IPv4 or "
                       "all IPv6");
  if (!errors.empty()) return fail(join_lines(errors));

  std::uint32_t self = 0;
  if (options.node_id) {
    if (!nodes.contains(*options.node_id))
      return fail("--node-id " + std::to_string(*options.node_id) + " is not in the nodelist");
    self = *options.node_id;
  } else {
    auto local = local_addresses();
    if (!local) return fail(local.error().message);
    auto found = find_self(nodes, *local);
    if (!found) return fail(found.error().message);
    self = *found;
  }

  auto config = membership::make_membership_config(membership, quorum, self);
  if (!config) return fail(config.error().message);

  auto settings = crypto_settings(membership.crypto);
  if (!settings) return fail(settings.error().message);
  std::vector<std::string> notes;
  std::optional<LoadedKey> key;
  if (settings->needs_key()) {
    std::string path =
        options.authkey.value_or(membership.crypto.key_file.value_or(kDefaultKeyFile));
    auto loaded = load_authkey(path);
    if (!loaded) return fail(loaded.error().message);
    if (loaded->warning) notes.push_back(*loaded->warning);
    key = std::move(*loaded);
  } else {
    notes.push_back(
        "totem.crypto_hash is none: datagrams are not authenticated, and anyone who can reach "
        "the port can disturb the membership (set crypto_hash: sha256 and an authkey)");
  }
  std::string cluster_name = membership.cluster_name.value_or("");
  auto codec = FrameCodec::make(*settings, key ? &key->key : nullptr, cluster_name);
  if (!codec) return fail(codec.error().message);

  Endpoint local = nodes.at(self).endpoint;
  return NodeSetup{self,
                   std::move(cluster_name),
                   local,
                   std::move(nodes),
                   std::move(*config),
                   std::move(*codec),
                   std::move(notes)};
}

}  // namespace tandem::transport
