#include "sidecar/groups/wire.h"

#include <tuple>

#include "sidecar/membership/wire_buffer.h"

namespace tandem::groups {
namespace {

using membership::detail::WireReader;
using membership::detail::WireWriter;

constexpr std::uint8_t kMagic0 = 'T';
constexpr std::uint8_t kMagic1 = 'G';
constexpr std::uint8_t kVersion = 1;

void put_text(WireWriter& out, const std::string& text, bool wide) {
  if (wide) {
    out.u32(static_cast<std::uint32_t>(text.size()));
  } else {
    out.u8(static_cast<std::uint8_t>(text.size()));
  }
  out.bytes(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::string get_text(WireReader& in, std::size_t size, const char* field) {
  Bytes bytes = in.bytes(size, field);
  return std::string(bytes.begin(), bytes.end());
}

std::string get_group(WireReader& in) {
  std::uint8_t size = in.u8("group length");
  std::string group = get_text(in, size, "group");
  if (!in.ok()) return group;
  if (std::optional<std::string> problem = check_group_name(group)) in.fail("group: " + *problem);
  return group;
}

RingId get_ring(WireReader& in) {
  RingId ring;
  ring.representative = in.u32("ring representative");
  ring.sequence = in.u64("ring sequence");
  return ring;
}

void encode_app(WireWriter& out, const AppMessage& m) {
  out.u32(m.ring.representative);
  out.u64(m.ring.sequence);
  out.u64(m.id);
  out.u64(m.client);
  out.u32(m.pid);
  put_text(out, m.group, false);
  if (m.kind == MessageKind::kLeave) out.u8(static_cast<std::uint8_t>(m.reason));
  if (m.kind == MessageKind::kMcast) put_text(out, m.data, true);
}

AppMessage decode_app(WireReader& in, MessageKind kind) {
  AppMessage m;
  m.kind = kind;
  m.ring = get_ring(in);
  m.id = in.u64("message id");
  m.client = in.u64("client");
  m.pid = in.u32("pid");
  m.group = get_group(in);
  if (kind == MessageKind::kLeave) {
    std::uint8_t reason = in.u8("leave reason");
    if (reason != static_cast<std::uint8_t>(Reason::kLeave) &&
        reason != static_cast<std::uint8_t>(Reason::kProcDown))
      in.fail("leave reason: " + std::to_string(reason) +
              " is neither leave (2) nor proc_down (5)");
    m.reason = static_cast<Reason>(reason);
  }
  if (kind == MessageKind::kMcast) {
    std::uint32_t size = in.u32("data length");
    if (size > kMaxMessageData) {
      in.fail("data length: " + std::to_string(size) + " bytes, at most " +
              std::to_string(kMaxMessageData) + " allowed");
      return m;
    }
    m.data = get_text(in, size, "data");
  }
  return m;
}

void encode_sync(WireWriter& out, const SyncMessage& m) {
  out.u32(m.ring.representative);
  out.u64(m.ring.sequence);
  out.u16(static_cast<std::uint16_t>(m.entries.size()));
  for (const SyncEntry& entry : m.entries) {
    put_text(out, entry.group, false);
    out.u64(entry.client);
    out.u32(entry.pid);
  }
}

SyncMessage decode_sync(WireReader& in) {
  SyncMessage m;
  m.ring = get_ring(in);
  std::uint16_t count = in.u16("entry count");
  if (count > kMaxLocalMemberships) {
    in.fail("entry count: " + std::to_string(count) + ", at most " +
            std::to_string(kMaxLocalMemberships) + " allowed");
    return m;
  }
  for (std::uint16_t i = 0; i < count && in.ok(); ++i) {
    SyncEntry entry;
    entry.group = get_group(in);
    entry.client = in.u64("client");
    entry.pid = in.u32("pid");
    if (!in.ok()) break;
    if (!m.entries.empty() && std::tie(m.entries.back().group, m.entries.back().client) >=
                                  std::tie(entry.group, entry.client))
      in.fail("entry " + std::to_string(i) +
              ": not after the one before it in (group, client) order");
    m.entries.push_back(std::move(entry));
  }
  return m;
}

}  // namespace

Bytes encode(const GroupMessage& message) {
  WireWriter out;
  out.u8(kMagic0);
  out.u8(kMagic1);
  out.u8(kVersion);
  if (const auto* app = std::get_if<AppMessage>(&message)) {
    out.u8(static_cast<std::uint8_t>(app->kind));
    encode_app(out, *app);
  } else {
    out.u8(static_cast<std::uint8_t>(MessageKind::kSync));
    encode_sync(out, std::get<SyncMessage>(message));
  }
  return out.take();
}

bool is_group_message(std::span<const std::uint8_t> payload) {
  return payload.size() >= 2 && payload[0] == kMagic0 && payload[1] == kMagic1;
}

Result<GroupMessage> decode(std::span<const std::uint8_t> payload) {
  WireReader in(payload);
  std::uint8_t magic0 = in.u8("magic");
  std::uint8_t magic1 = in.u8("magic");
  if (in.ok() && (magic0 != kMagic0 || magic1 != kMagic1))
    return fail("magic: not a group message");
  std::uint8_t version = in.u8("version");
  if (in.ok() && version != kVersion)
    return fail("version: " + std::to_string(version) + ", this node speaks " +
                std::to_string(kVersion));
  std::uint8_t kind = in.u8("kind");
  if (!in.ok()) return fail(in.error());
  GroupMessage message;
  switch (kind) {
    case static_cast<std::uint8_t>(MessageKind::kJoin):
    case static_cast<std::uint8_t>(MessageKind::kLeave):
    case static_cast<std::uint8_t>(MessageKind::kMcast):
      message = decode_app(in, static_cast<MessageKind>(kind));
      break;
    case static_cast<std::uint8_t>(MessageKind::kSync):
      message = decode_sync(in);
      break;
    default:
      return fail("kind: " + std::to_string(kind) + " is not a group message kind");
  }
  if (!in.ok()) return fail(in.error());
  if (in.remaining() != 0)
    return fail(std::to_string(in.remaining()) + " bytes follow the message");
  return message;
}

}  // namespace tandem::groups
