#include "sidecar/membership/wire.h"

#include <string>

#include "sidecar/membership/wire_buffer.h"

namespace tandem::membership {
namespace {

using detail::WireReader;
using detail::WireWriter;

constexpr std::uint8_t kMagic0 = 'T';
constexpr std::uint8_t kMagic1 = 'N';
constexpr std::size_t kHeaderSize = 8;

constexpr std::uint8_t kTokenRotationPending = 1;
constexpr std::uint8_t kTokenPreviousPending = 2;
constexpr std::uint8_t kTokenInstall = 4;
constexpr std::uint8_t kMcastRecovered = 1;

// ---- encoding -------------------------------------------------------------

void put_ring(WireWriter& out, RingId ring) {
  out.u32(ring.representative);
  out.u64(ring.sequence);
}

void put_nodes(WireWriter& out, const NodeSet& nodes) {
  out.u16(static_cast<std::uint16_t>(nodes.size()));
  for (NodeId id : nodes) out.u32(id);
}

void put_header(WireWriter& out, MessageType type, NodeId sender) {
  out.u8(kMagic0);
  out.u8(kMagic1);
  out.u8(kWireVersion);
  out.u8(static_cast<std::uint8_t>(type));
  out.u32(sender);
}

void put_body(WireWriter& out, const JoinMessage& join) {
  put_header(out, MessageType::kJoin, join.sender);
  out.u64(join.ring_seq);
  put_nodes(out, join.proc);
  put_nodes(out, join.fail);
}

void put_body(WireWriter& out, const CommitToken& token) {
  put_header(out, MessageType::kCommitToken, token.sender);
  put_ring(out, token.ring);
  put_nodes(out, token.members);
  out.u16(static_cast<std::uint16_t>(token.entries.size()));
  for (const CommitEntry& entry : token.entries) {
    put_ring(out, entry.old_ring);
    out.u64(entry.aru);
    out.u64(entry.high_delivered);
    out.u64(entry.high_received);
    out.u8(static_cast<std::uint8_t>(entry.member_info.size()));
    out.bytes(entry.member_info);
  }
}

void put_body(WireWriter& out, const Token& token) {
  put_header(out, MessageType::kToken, token.sender);
  put_ring(out, token.ring);
  out.u64(token.token_seq);
  out.u64(token.seq);
  out.u64(token.aru);
  out.u32(token.aru_addr);
  out.u32(token.fcc);
  out.u64(token.rotation);
  out.u64(token.rotation_min_aru);
  out.u64(token.safe_aru);
  out.u64(token.install_seq);
  std::uint8_t flags = 0;
  if (token.rotation_pending) flags |= kTokenRotationPending;
  if (token.previous_pending) flags |= kTokenPreviousPending;
  if (token.install) flags |= kTokenInstall;
  out.u8(flags);
  out.u8(static_cast<std::uint8_t>(token.retransmit_requests.size()));
  for (std::uint64_t seq : token.retransmit_requests) out.u64(seq);
}

void put_body(WireWriter& out, const McastMessage& mcast) {
  put_header(out, MessageType::kMcast, mcast.sender);
  put_ring(out, mcast.ring);
  out.u64(mcast.seq);
  out.u32(mcast.origin);
  out.u8(static_cast<std::uint8_t>(mcast.guarantee));
  out.u8(mcast.recovered ? kMcastRecovered : 0);
  put_ring(out, mcast.old_ring);
  out.u64(mcast.old_seq);
  out.u32(static_cast<std::uint32_t>(mcast.payload.size()));
  out.bytes(mcast.payload);
}

void put_body(WireWriter& out, const MergeDetect& merge) {
  put_header(out, MessageType::kMergeDetect, merge.sender);
  put_ring(out, merge.ring);
}

void put_body(WireWriter& out, const TokenHoldCancel& cancel) {
  put_header(out, MessageType::kTokenHoldCancel, cancel.sender);
  put_ring(out, cancel.ring);
}

// ---- decoding -------------------------------------------------------------

std::string num(std::uint64_t value) {
  return std::to_string(value);
}

RingId get_ring(WireReader& in, const std::string& what) {
  RingId ring;
  ring.representative = in.u32("ring id representative");
  ring.sequence = in.u64("ring id sequence");
  if (in.ok() && ring.representative == kNoNode)
    in.fail(what + " has representative node id 0, which is reserved");
  return ring;
}

NodeSet get_nodes(WireReader& in, const std::string& what) {
  std::uint16_t count = in.u16("node list length");
  if (!in.ok()) return {};
  if (count > kMaxMembers) {
    in.fail(what + " has " + num(count) + " entries, at most " + num(kMaxMembers) + " allowed");
    return {};
  }
  std::vector<NodeId> ids;
  ids.reserve(count);
  for (std::uint16_t i = 0; i < count && in.ok(); ++i) {
    NodeId id = in.u32("node id");
    if (!in.ok()) break;
    if (id == kNoNode) {
      in.fail(what + " contains node id 0, which is reserved");
    } else if (!ids.empty() && id <= ids.back()) {
      in.fail(what + " is not strictly increasing (" + num(id) + " after " + num(ids.back()) + ")");
    }
    ids.push_back(id);
  }
  return NodeSet::from(std::move(ids));
}

JoinMessage get_join(WireReader& in, NodeId sender) {
  JoinMessage join;
  join.sender = sender;
  join.ring_seq = in.u64("join ring sequence");
  join.proc = get_nodes(in, "join proc list");
  join.fail = get_nodes(in, "join fail list");
  if (in.ok() && !join.proc.contains(sender))
    in.fail("join proc list does not contain its sender " + num(sender));
  return join;
}

CommitToken get_commit(WireReader& in, NodeId sender) {
  CommitToken token;
  token.sender = sender;
  token.ring = get_ring(in, "commit token ring id");
  token.members = get_nodes(in, "commit token member list");
  if (in.ok() && token.members.empty()) in.fail("commit token member list is empty");
  if (in.ok() && token.ring.representative != token.members.front())
    in.fail("commit token ring id representative " + num(token.ring.representative) +
            " is not the lowest member " + num(token.members.front()));
  std::uint16_t count = in.u16("commit token entry count");
  if (in.ok() && count > token.members.size())
    in.fail("commit token has " + num(count) + " entries for " + num(token.members.size()) +
            " members");
  for (std::uint16_t i = 0; i < count && in.ok(); ++i) {
    CommitEntry entry;
    entry.old_ring = get_ring(in, "commit token entry old ring id");
    entry.aru = in.u64("commit token entry aru");
    entry.high_delivered = in.u64("commit token entry high delivered");
    entry.high_received = in.u64("commit token entry high received");
    std::uint8_t info_size = in.u8("commit token entry member info length");
    if (in.ok() && info_size > kMaxMemberInfoSize)
      in.fail("commit token entry member info has " + num(info_size) + " bytes, at most " +
              num(kMaxMemberInfoSize) + " allowed");
    entry.member_info = in.bytes(info_size, "commit token entry member info");
    if (in.ok() && !(entry.high_delivered <= entry.aru && entry.aru <= entry.high_received))
      in.fail("commit token entry for member " + num(token.members[i]) +
              " breaks high delivered <= aru <= high received (" + num(entry.high_delivered) +
              ", " + num(entry.aru) + ", " + num(entry.high_received) + ")");
    token.entries.push_back(std::move(entry));
  }
  return token;
}

Token get_token(WireReader& in, NodeId sender) {
  Token token;
  token.sender = sender;
  token.ring = get_ring(in, "token ring id");
  token.token_seq = in.u64("token token_seq");
  token.seq = in.u64("token seq");
  token.aru = in.u64("token aru");
  token.aru_addr = in.u32("token aru_addr");
  token.fcc = in.u32("token fcc");
  token.rotation = in.u64("token rotation");
  token.rotation_min_aru = in.u64("token rotation minimum aru");
  token.safe_aru = in.u64("token safe aru");
  token.install_seq = in.u64("token install seq");
  std::uint8_t flags = in.u8("token flags");
  std::uint8_t count = in.u8("token retransmit request count");
  if (!in.ok()) return token;
  if ((flags & ~(kTokenRotationPending | kTokenPreviousPending | kTokenInstall)) != 0)
    in.fail("token flags " + num(flags) + " have unknown bits set");
  token.rotation_pending = (flags & kTokenRotationPending) != 0;
  token.previous_pending = (flags & kTokenPreviousPending) != 0;
  token.install = (flags & kTokenInstall) != 0;
  auto at_most_seq = [&](std::uint64_t value, const char* field) {
    if (in.ok() && value > token.seq)
      in.fail(std::string("token ") + field + " " + num(value) + " is past token seq " +
              num(token.seq));
  };
  at_most_seq(token.aru, "aru");
  at_most_seq(token.safe_aru, "safe aru");
  at_most_seq(token.install_seq, "install seq");
  if (token.rotation_min_aru != UINT64_MAX) at_most_seq(token.rotation_min_aru, "rotation aru");
  if (in.ok() && count > kMaxRetransmitRequests)
    in.fail("token has " + num(count) + " retransmit requests, at most " +
            num(kMaxRetransmitRequests) + " allowed");
  for (std::uint8_t i = 0; i < count && in.ok(); ++i) {
    std::uint64_t seq = in.u64("token retransmit request");
    if (!in.ok()) break;
    if (seq == 0 || seq > token.seq) {
      in.fail("token retransmit request " + num(seq) + " is outside 1.." + num(token.seq));
    } else if (!token.retransmit_requests.empty() && seq <= token.retransmit_requests.back()) {
      in.fail("token retransmit requests are not strictly increasing");
    }
    token.retransmit_requests.push_back(seq);
  }
  return token;
}

McastMessage get_mcast(WireReader& in, NodeId sender) {
  McastMessage mcast;
  mcast.sender = sender;
  mcast.ring = get_ring(in, "message ring id");
  mcast.seq = in.u64("message seq");
  mcast.origin = in.u32("message origin");
  std::uint8_t guarantee = in.u8("message guarantee");
  std::uint8_t flags = in.u8("message flags");
  mcast.old_ring.representative = in.u32("message old ring representative");
  mcast.old_ring.sequence = in.u64("message old ring sequence");
  mcast.old_seq = in.u64("message old seq");
  std::uint32_t size = in.u32("message payload length");
  if (!in.ok()) return mcast;
  if (mcast.seq == 0) in.fail("message seq is 0; sequence numbers start at 1");
  if (mcast.origin == kNoNode) in.fail("message origin is node id 0, which is reserved");
  if (guarantee != static_cast<std::uint8_t>(Guarantee::kAgreed) &&
      guarantee != static_cast<std::uint8_t>(Guarantee::kSafe))
    in.fail("message guarantee " + num(guarantee) + " is neither 1 (agreed) nor 2 (safe)");
  mcast.guarantee = static_cast<Guarantee>(guarantee);
  if ((flags & ~kMcastRecovered) != 0) in.fail("message flags have unknown bits set");
  mcast.recovered = (flags & kMcastRecovered) != 0;
  if (mcast.recovered) {
    if (mcast.old_ring.representative == kNoNode)
      in.fail("recovered message has old ring representative 0");
    if (mcast.old_seq == 0) in.fail("recovered message has old seq 0");
  } else {
    if (mcast.old_ring != RingId{} || mcast.old_seq != 0)
      in.fail("message that is not recovered carries an old ring id or seq");
    if (mcast.origin != sender)
      in.fail("message origin " + num(mcast.origin) + " differs from its sender " + num(sender));
  }
  if (in.ok() && size > kMaxPayloadSize)
    in.fail("message payload has " + num(size) + " bytes, at most " + num(kMaxPayloadSize) +
            " allowed");
  mcast.payload = in.bytes(size, "message payload");
  return mcast;
}

const char* type_name(MessageType type) {
  switch (type) {
    case MessageType::kJoin:
      return "join";
    case MessageType::kCommitToken:
      return "commit token";
    case MessageType::kToken:
      return "token";
    case MessageType::kMcast:
      return "message";
    case MessageType::kMergeDetect:
      return "merge detect";
    case MessageType::kTokenHoldCancel:
      return "token hold cancel";
  }
  return "?";
}

}  // namespace

NodeId sender_of(const Message& message) {
  return std::visit([](const auto& m) { return m.sender; }, message);
}

std::vector<std::uint8_t> encode(const Message& message) {
  WireWriter out;
  std::visit([&](const auto& m) { put_body(out, m); }, message);
  return out.take();
}

Result<Message> decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() > kMaxDatagramSize)
    return fail("datagram has " + num(bytes.size()) + " bytes, at most " + num(kMaxDatagramSize) +
                " allowed");
  if (bytes.size() < kHeaderSize)
    return fail("datagram has " + num(bytes.size()) + " bytes, shorter than the " +
                num(kHeaderSize) + "-byte header");
  if (bytes[0] != kMagic0 || bytes[1] != kMagic1)
    return fail("datagram does not start with the Tandem magic \"TN\"");
  if (bytes[2] != kWireVersion)
    return fail("datagram has wire version " + num(bytes[2]) + "; this node speaks version " +
                num(kWireVersion));
  WireReader in(bytes.subspan(4));
  NodeId sender = in.u32("sender");
  if (sender == kNoNode) return fail("datagram sender is node id 0, which is reserved");

  auto type = static_cast<MessageType>(bytes[3]);
  Message message;
  switch (type) {
    case MessageType::kJoin:
      message = get_join(in, sender);
      break;
    case MessageType::kCommitToken:
      message = get_commit(in, sender);
      break;
    case MessageType::kToken:
      message = get_token(in, sender);
      break;
    case MessageType::kMcast:
      message = get_mcast(in, sender);
      break;
    case MessageType::kMergeDetect:
      message = MergeDetect{sender, get_ring(in, "merge detect ring id")};
      break;
    case MessageType::kTokenHoldCancel:
      message = TokenHoldCancel{sender, get_ring(in, "token hold cancel ring id")};
      break;
    default:
      return fail("datagram has unknown message type " + num(bytes[3]));
  }
  if (in.ok() && in.remaining() != 0)
    in.fail(num(in.remaining()) + " unexpected bytes after the body");
  if (!in.ok())
    return fail(std::string(type_name(type)) + " from node " + num(sender) + ": " + in.error());
  return message;
}

}  // namespace tandem::membership
