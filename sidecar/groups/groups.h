#pragma once

// Process groups over the Totem total order, as corosync's CPG offers them:
// clients of any node join named groups, multicast to them, and receive
// each group's messages and membership changes in the same order on every
// node (virtual synchrony). A pure state machine: the adapter passes in the
// membership's events and its clients' requests, hands next_outgoing() to
// Membership::multicast, and takes the events for its clients.
//
// How every node sees the same membership at the same point:
//   - join, leave and mcast are messages in the total order, applied when
//     delivered;
//   - the transitional configuration removes the members of the nodes that
//     did not come along (reason node_down), at the same point for every
//     node that did;
//   - after each regular configuration, every node multicasts its own
//     members (a sync message); once every member node's has been
//     delivered, the group views are rebuilt from them, so nodes that come
//     from different partitions agree from then on (reason node_up for the
//     members this node did not know). Until then, this node's clients'
//     messages wait here.
//   - a message sent in one ring and delivered in another is stale: every
//     node drops it, and its sender sends it again once synchronized, in
//     its original order. So a sender's messages are delivered in the order
//     sent, each once, as long as its node stays in the ring.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

#include "sidecar/groups/types.h"
#include "sidecar/groups/wire.h"
#include "sidecar/membership/events.h"
#include "sidecar/membership/node_set.h"

namespace tandem::groups {

struct MemberChange {
  Member member;
  Reason reason = Reason::kJoin;

  friend bool operator==(const MemberChange&, const MemberChange&) = default;
};

struct MembershipEvent {
  std::string group;
  RingId ring;                  // the ring in which it happened
  std::vector<Member> members;  // after the change, in (node, client) order
  std::vector<MemberChange> joined;
  std::vector<MemberChange> left;
};

struct MessageEvent {
  std::string group;
  RingId ring;  // the ring it was delivered in, and its sequence number there
  std::uint64_t seq = 0;
  Member sender;
  std::string data;
};

using ClientEvent = std::variant<MessageEvent, MembershipEvent>;

// One event for one local client; clients of the same group share it.
struct Delivery {
  ClientId client = 0;
  std::shared_ptr<const ClientEvent> event;
};

enum class RequestErrorCode : std::uint8_t {
  kInvalid,        // the request itself is wrong (a bad group name, data too large)
  kNotJoined,      // leave or mcast for a group the client has not joined
  kAlreadyJoined,  // join of a group the client has joined
  kLimit,          // this node holds as many memberships as it may
  kTryAgain,       // too much of this node's traffic is waiting for the ring
  kUnknownClient,  // not connected (an adapter bug)
};
const char* to_string(RequestErrorCode code);

struct RequestError {
  RequestErrorCode code = RequestErrorCode::kInvalid;
  std::string message;
};
using RequestResult = tl::expected<void, RequestError>;

struct GroupsLimits {
  std::size_t max_local_memberships = kMaxLocalMemberships;
  // This node's requests not yet delivered (waiting here, or on the ring),
  // and their data: beyond either bound a join, leave or mcast is refused
  // with "try again". A disconnecting client's leaves always go.
  std::size_t max_unsent_messages = 512;
  std::size_t max_unsent_bytes = std::size_t{1} << 20;
};

struct GroupsStats {
  std::uint64_t messages_delivered = 0;  // group messages with at least one local recipient
  std::uint64_t stale = 0;               // dropped: sent in an earlier ring
  std::uint64_t resent = 0;              // this node's messages sent again after a ring change
  std::uint64_t not_member = 0;          // mcasts from a sender no longer in the group
  std::uint64_t malformed = 0;
  std::uint64_t syncs = 0;
  std::string last_malformed;
};

class Groups {
 public:
  explicit Groups(NodeId self, GroupsLimits limits = {});

  // The clients of this node.
  void connect(ClientId client, std::uint32_t pid);
  // Leaves every group the client joined (reason proc_down).
  void disconnect(ClientId client);
  // Queue the request for the ring; its effect is the event it causes.
  RequestResult join(ClientId client, std::string_view group);
  RequestResult leave(ClientId client, std::string_view group);
  RequestResult mcast(ClientId client, std::string_view group, std::string data);
  // The group's members as of the last event handed out.
  std::vector<Member> members(std::string_view group) const;
  // Every group with members, by name, as corosync-cpgtool lists them.
  std::vector<std::pair<std::string, std::vector<Member>>> all_members() const;
  // Counts the membership changes handed out, so that a reader can tell
  // whether all_members() changed since it last looked.
  std::uint64_t view_changes() const { return view_changes_; }

  // The membership's events, in the order it emitted them.
  void on_event(const membership::Event& event);
  // What to multicast next (agreed), or nullptr when nothing may go now.
  // When the ring took it, call sent(); when it refused (its queue is
  // full), leave it: the same is offered again.
  const Bytes* next_outgoing();
  void sent();

  std::vector<Delivery> take_deliveries();

  // This node knows every member node's members for the current ring.
  bool synchronized() const { return synced_; }
  RingId ring() const { return ring_; }
  // This node's requests not yet delivered, and their data's bytes.
  std::size_t unsent_messages() const { return unsent_messages_; }
  std::size_t unsent_bytes() const { return unsent_bytes_; }
  const GroupsStats& stats() const { return stats_; }

 private:
  struct Client {
    std::uint32_t pid = 0;
    // Joined, or asked to join: what this client may send to and leave.
    std::set<std::string, std::less<>> groups;
  };
  using GroupView = std::map<MemberId, std::uint32_t>;  // member -> pid

  RequestResult check_client(ClientId client, std::string_view group) const;
  std::size_t own_footprint() const;
  // "Try again" when too much of this node's traffic waits for the ring.
  RequestResult room(std::size_t bytes) const;
  void enqueue(const Client& client, ClientId id, MessageKind kind, std::string_view group,
               Reason reason, std::string data);

  void on_delivered(const membership::Delivered& delivered);
  void on_sync(const membership::Delivered& delivered, SyncMessage sync);
  void on_app(const membership::Delivered& delivered, AppMessage message);
  void on_transitional(const membership::ConfigurationChanged& change);
  void on_regular(const membership::ConfigurationChanged& change);
  void complete_sync();
  void remove_nodes_outside(const membership::NodeSet& nodes, RingId ring);
  void settle(const AppMessage& message);

  void emit_change(const std::string& group, RingId ring, const GroupView& before,
                   const GroupView& after, std::vector<MemberChange> joined,
                   std::vector<MemberChange> left);
  void emit_to_local(const GroupView& members, const std::shared_ptr<const ClientEvent>& event);

  NodeId self_;
  GroupsLimits limits_;
  GroupsStats stats_;

  std::map<ClientId, Client> clients_;
  std::map<std::string, GroupView, std::less<>> view_;

  // The ring: the latest regular configuration, and whether this node has
  // every member node's sync message for it.
  bool have_ring_ = false;
  RingId ring_;
  membership::NodeSet ring_members_;
  bool in_transition_ = false;  // between a transitional and a regular configuration
  bool synced_ = false;
  std::map<NodeId, std::vector<SyncEntry>> sync_states_;

  // Outgoing: this node's sync message, then its clients' requests (their
  // ring and number are set when they are offered), then the ones on the
  // ring not yet delivered.
  std::optional<Bytes> sync_out_;
  std::deque<AppMessage> queue_;
  std::map<std::uint64_t, AppMessage> in_flight_;
  std::optional<Bytes> offered_;
  bool offered_sync_ = false;
  std::uint64_t next_id_ = 1;
  std::uint64_t view_changes_ = 0;
  std::size_t unsent_messages_ = 0;
  std::size_t unsent_bytes_ = 0;

  std::vector<Delivery> deliveries_;
};

}  // namespace tandem::groups
