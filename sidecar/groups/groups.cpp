#include "sidecar/groups/groups.h"

#include <algorithm>

namespace tandem::groups {
namespace {

std::vector<Member> member_list(const std::map<MemberId, std::uint32_t>& view) {
  std::vector<Member> out;
  out.reserve(view.size());
  for (const auto& [id, pid] : view) out.push_back(Member{id, pid});
  return out;
}

RequestError error(RequestErrorCode code, std::string message) {
  return RequestError{code, std::move(message)};
}

}  // namespace

const char* to_string(RequestErrorCode code) {
  switch (code) {
    case RequestErrorCode::kInvalid:
      return "invalid";
    case RequestErrorCode::kNotJoined:
      return "not_joined";
    case RequestErrorCode::kAlreadyJoined:
      return "already_joined";
    case RequestErrorCode::kLimit:
      return "limit";
    case RequestErrorCode::kTryAgain:
      return "try_again";
    case RequestErrorCode::kUnknownClient:
      return "unknown_client";
  }
  return "?";
}

Groups::Groups(NodeId self, GroupsLimits limits) : self_(self), limits_(limits) {}

void Groups::connect(ClientId client, std::uint32_t pid) {
  clients_[client] = Client{pid, {}};
}

void Groups::disconnect(ClientId client) {
  auto it = clients_.find(client);
  if (it == clients_.end()) return;
  for (const std::string& group : it->second.groups)
    enqueue(it->second, client, MessageKind::kLeave, group, Reason::kProcDown, {});
  clients_.erase(it);
}

RequestResult Groups::check_client(ClientId client, std::string_view group) const {
  if (!clients_.contains(client))
    return tl::unexpected(error(RequestErrorCode::kUnknownClient,
                                "client " + std::to_string(client) + " is not connected"));
  if (std::optional<std::string> problem = check_group_name(group))
    return tl::unexpected(error(RequestErrorCode::kInvalid, *problem));
  return {};
}

std::size_t Groups::own_footprint() const {
  // Memberships in the view (some may be leaving) and joins on their way.
  std::set<std::pair<ClientId, std::string_view>> slots;
  for (const auto& [group, members] : view_)
    for (const auto& [id, pid] : members)
      if (id.node == self_) slots.emplace(id.client, group);
  for (const auto& [id, client] : clients_)
    for (const std::string& group : client.groups) slots.emplace(id, group);
  return slots.size();
}

RequestResult Groups::join(ClientId client, std::string_view group) {
  if (auto checked = check_client(client, group); !checked) return checked;
  Client& c = clients_.at(client);
  if (c.groups.contains(group))
    return tl::unexpected(error(RequestErrorCode::kAlreadyJoined,
                                "already joined group \"" + std::string(group) + "\""));
  if (own_footprint() >= limits_.max_local_memberships)
    return tl::unexpected(
        error(RequestErrorCode::kLimit, "this node's clients hold " +
                                            std::to_string(limits_.max_local_memberships) +
                                            " group memberships, the most a node may hold"));
  if (auto checked = room(0); !checked) return checked;
  c.groups.emplace(group);
  enqueue(c, client, MessageKind::kJoin, group, Reason::kJoin, {});
  return {};
}

RequestResult Groups::leave(ClientId client, std::string_view group) {
  if (auto checked = check_client(client, group); !checked) return checked;
  Client& c = clients_.at(client);
  auto it = c.groups.find(group);
  if (it == c.groups.end())
    return tl::unexpected(error(RequestErrorCode::kNotJoined,
                                "not a member of group \"" + std::string(group) + "\""));
  if (auto checked = room(0); !checked) return checked;
  c.groups.erase(it);
  enqueue(c, client, MessageKind::kLeave, group, Reason::kLeave, {});
  return {};
}

RequestResult Groups::mcast(ClientId client, std::string_view group, std::string data) {
  if (auto checked = check_client(client, group); !checked) return checked;
  if (data.size() > kMaxMessageData)
    return tl::unexpected(error(RequestErrorCode::kInvalid,
                                "data has " + std::to_string(data.size()) + " bytes, at most " +
                                    std::to_string(kMaxMessageData) + " allowed"));
  const Client& c = clients_.at(client);
  if (!c.groups.contains(group))
    return tl::unexpected(error(RequestErrorCode::kNotJoined,
                                "join group \"" + std::string(group) + "\" before sending to it"));
  if (auto checked = room(data.size()); !checked) return checked;
  enqueue(c, client, MessageKind::kMcast, group, Reason::kJoin, std::move(data));
  return {};
}

RequestResult Groups::room(std::size_t bytes) const {
  if (unsent_messages_ < limits_.max_unsent_messages &&
      unsent_bytes_ + bytes <= limits_.max_unsent_bytes)
    return {};
  return tl::unexpected(error(RequestErrorCode::kTryAgain,
                              "this node has " + std::to_string(unsent_messages_) + " messages (" +
                                  std::to_string(unsent_bytes_) +
                                  " bytes of data) waiting for the ring; try again later"));
}

void Groups::enqueue(const Client& client, ClientId id, MessageKind kind, std::string_view group,
                     Reason reason, std::string data) {
  AppMessage message;
  message.kind = kind;
  message.client = id;
  message.pid = client.pid;
  message.group = std::string(group);
  message.reason = kind == MessageKind::kLeave ? reason : Reason::kLeave;
  message.data = std::move(data);
  ++unsent_messages_;
  unsent_bytes_ += message.data.size();
  queue_.push_back(std::move(message));
}

std::vector<Member> Groups::members(std::string_view group) const {
  auto it = view_.find(group);
  if (it == view_.end()) return {};
  return member_list(it->second);
}

std::vector<std::pair<std::string, std::vector<Member>>> Groups::all_members() const {
  std::vector<std::pair<std::string, std::vector<Member>>> out;
  for (const auto& [name, view] : view_) {
    if (!view.empty()) out.emplace_back(name, member_list(view));
  }
  return out;
}

const Bytes* Groups::next_outgoing() {
  if (offered_) return &*offered_;
  if (sync_out_) {
    offered_ = *sync_out_;
    offered_sync_ = true;
    return &*offered_;
  }
  // Only once synchronized in the current ring: what is sent now is
  // delivered after every node's sync message, on every node.
  if (!synced_ || in_transition_ || queue_.empty()) return nullptr;
  AppMessage& message = queue_.front();
  message.ring = ring_;
  message.id = next_id_++;
  offered_ = encode(message);
  offered_sync_ = false;
  return &*offered_;
}

void Groups::sent() {
  if (!offered_) return;
  offered_.reset();
  if (offered_sync_) {
    sync_out_.reset();
    return;
  }
  AppMessage message = std::move(queue_.front());
  queue_.pop_front();
  std::uint64_t id = message.id;
  in_flight_.emplace(id, std::move(message));
}

std::vector<Delivery> Groups::take_deliveries() {
  return std::exchange(deliveries_, {});
}

void Groups::on_event(const membership::Event& event) {
  if (const auto* delivered = std::get_if<membership::Delivered>(&event)) {
    on_delivered(*delivered);
  } else if (const auto* change = std::get_if<membership::ConfigurationChanged>(&event)) {
    if (change->kind == membership::ConfigurationKind::kTransitional) {
      on_transitional(*change);
    } else {
      on_regular(*change);
    }
  }
}

void Groups::on_delivered(const membership::Delivered& delivered) {
  if (!is_group_message(delivered.payload)) return;
  Result<GroupMessage> decoded = decode(delivered.payload);
  if (!decoded) {
    ++stats_.malformed;
    stats_.last_malformed =
        "from node " + std::to_string(delivered.origin) + ": " + decoded.error().message;
    return;
  }
  if (auto* sync = std::get_if<SyncMessage>(&*decoded)) {
    on_sync(delivered, std::move(*sync));
  } else {
    on_app(delivered, std::get<AppMessage>(std::move(*decoded)));
  }
}

void Groups::on_sync(const membership::Delivered& delivered, SyncMessage sync) {
  // Only the current ring's, in its regular configuration: one left over
  // from a ring that is gone describes members as they were then.
  if (synced_ || !have_ring_ || in_transition_ || delivered.ring != ring_ || sync.ring != ring_ ||
      !ring_members_.contains(delivered.origin))
    return;
  sync_states_.emplace(delivered.origin, std::move(sync.entries));
  if (sync_states_.size() == ring_members_.size()) complete_sync();
}

void Groups::complete_sync() {
  std::map<std::string, GroupView, std::less<>> next;
  for (const auto& [node, entries] : sync_states_)
    for (const SyncEntry& entry : entries)
      next[entry.group][MemberId{node, entry.client}] = entry.pid;
  sync_states_.clear();
  std::set<std::string, std::less<>> names;
  for (const auto& [group, members] : view_) names.insert(group);
  for (const auto& [group, members] : next) names.insert(group);
  const GroupView none;
  for (const std::string& group : names) {
    auto before_it = view_.find(group);
    auto after_it = next.find(group);
    const GroupView& before = before_it == view_.end() ? none : before_it->second;
    const GroupView& after = after_it == next.end() ? none : after_it->second;
    std::vector<MemberChange> joined, left;
    for (const auto& [id, pid] : after)
      if (!before.contains(id)) joined.push_back(MemberChange{Member{id, pid}, Reason::kNodeUp});
    // Not expected: a node's own report agrees with what the nodes that
    // came along knew of it. Reported rather than hidden if it happens.
    for (const auto& [id, pid] : before)
      if (!after.contains(id)) left.push_back(MemberChange{Member{id, pid}, Reason::kNodeDown});
    if (!joined.empty() || !left.empty())
      emit_change(group, ring_, before, after, std::move(joined), std::move(left));
  }
  view_ = std::move(next);
  synced_ = true;
  ++stats_.syncs;
}

void Groups::on_app(const membership::Delivered& delivered, AppMessage message) {
  bool current = synced_ && delivered.ring == ring_ && message.ring == ring_;
  if (!current) {
    // Sent before this node knew the ring's membership: dropped on every
    // node alike. If it is this node's own, it is still in in_flight_ and
    // goes out again after the next synchronization.
    ++stats_.stale;
    return;
  }
  if (delivered.origin == self_) settle(message);
  MemberId id{delivered.origin, message.client};
  RingId ring = delivered.ring;
  switch (message.kind) {
    case MessageKind::kJoin: {
      GroupView before = view_[message.group];
      GroupView& after = view_[message.group];
      if (!after.emplace(id, message.pid).second) return;
      emit_change(message.group, ring, before, after,
                  {MemberChange{Member{id, message.pid}, Reason::kJoin}}, {});
      return;
    }
    case MessageKind::kLeave: {
      auto group = view_.find(message.group);
      if (group == view_.end() || !group->second.contains(id)) return;
      GroupView before = group->second;
      std::uint32_t pid = group->second.at(id);
      group->second.erase(id);
      GroupView after = group->second;
      if (after.empty()) view_.erase(group);
      emit_change(message.group, ring, before, after, {},
                  {MemberChange{Member{id, pid}, message.reason}});
      return;
    }
    case MessageKind::kMcast: {
      auto group = view_.find(message.group);
      if (group == view_.end() || !group->second.contains(id)) {
        ++stats_.not_member;
        return;
      }
      auto event = std::make_shared<const ClientEvent>(
          MessageEvent{message.group, ring, delivered.seq, Member{id, group->second.at(id)},
                       std::move(message.data)});
      std::size_t before = deliveries_.size();
      emit_to_local(group->second, event);
      if (deliveries_.size() > before) ++stats_.messages_delivered;
      return;
    }
    case MessageKind::kSync:
      return;
  }
}

void Groups::settle(const AppMessage& message) {
  auto it = in_flight_.find(message.id);
  if (it == in_flight_.end()) return;
  --unsent_messages_;
  unsent_bytes_ -= it->second.data.size();
  in_flight_.erase(it);
}

void Groups::on_transitional(const membership::ConfigurationChanged& change) {
  in_transition_ = true;
  offered_.reset();
  sync_states_.clear();
  remove_nodes_outside(change.members, change.ring);
}

void Groups::on_regular(const membership::ConfigurationChanged& change) {
  have_ring_ = true;
  ring_ = change.ring;
  ring_members_ = change.members;
  in_transition_ = false;
  synced_ = false;
  sync_states_.clear();
  offered_.reset();
  // The transitional configuration already did this; kept for a ring that
  // came without one.
  remove_nodes_outside(change.members, change.ring);

  SyncMessage sync{ring_, {}};
  for (const auto& [group, members] : view_)
    for (const auto& [id, pid] : members)
      if (id.node == self_) sync.entries.push_back(SyncEntry{group, id.client, pid});
  sync_out_ = encode(sync);

  // Whatever of this node's is still on its way will arrive stale: send it
  // again, in its order, ahead of what has not been sent yet.
  stats_.resent += in_flight_.size();
  std::vector<AppMessage> again;
  for (auto& [id, message] : in_flight_) again.push_back(std::move(message));
  in_flight_.clear();
  queue_.insert(queue_.begin(), std::make_move_iterator(again.begin()),
                std::make_move_iterator(again.end()));
}

void Groups::remove_nodes_outside(const membership::NodeSet& nodes, RingId ring) {
  for (auto group = view_.begin(); group != view_.end();) {
    std::vector<MemberChange> left;
    for (const auto& [id, pid] : group->second)
      if (!nodes.contains(id.node))
        left.push_back(MemberChange{Member{id, pid}, Reason::kNodeDown});
    if (left.empty()) {
      ++group;
      continue;
    }
    GroupView before = group->second;
    for (const MemberChange& change : left) group->second.erase(change.member.id);
    GroupView after = group->second;
    std::string name = group->first;
    group = after.empty() ? view_.erase(group) : std::next(group);
    emit_change(name, ring, before, after, {}, std::move(left));
  }
}

void Groups::emit_change(const std::string& group, RingId ring, const GroupView& before,
                         const GroupView& after, std::vector<MemberChange> joined,
                         std::vector<MemberChange> left) {
  ++view_changes_;
  auto event = std::make_shared<const ClientEvent>(
      MembershipEvent{group, ring, member_list(after), std::move(joined), std::move(left)});
  // Those who were members and those who are: a leaving client hears of
  // its own leave.
  GroupView recipients = before;
  recipients.insert(after.begin(), after.end());
  emit_to_local(recipients, event);
}

void Groups::emit_to_local(const GroupView& members,
                           const std::shared_ptr<const ClientEvent>& event) {
  auto first = members.lower_bound(MemberId{self_, 0});
  for (auto it = first; it != members.end() && it->first.node == self_; ++it)
    if (clients_.contains(it->first.client))
      deliveries_.push_back(Delivery{it->first.client, event});
}

}  // namespace tandem::groups
