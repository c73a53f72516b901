#pragma once

// Decides which arriving frames reach the membership machine: opened by the
// FrameCodec (cluster, crypto, MAC), from a node of the nodelist other than
// this one, from that node's own address, and not seen before. Everything
// else is dropped and counted by reason. Pure.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>

#include "sidecar/transport/frame.h"
#include "sidecar/transport/replay_window.h"

namespace tandem::transport {

struct DropCounts {
  std::array<std::uint64_t, kDropReasons> by_reason{};

  std::uint64_t total() const;
  std::uint64_t operator[](DropReason reason) const {
    return by_reason[static_cast<std::size_t>(reason)];
  }
  friend bool operator==(const DropCounts&, const DropCounts&) = default;
};

struct Accepted {
  std::uint32_t sender = 0;
  Bytes payload;
};

class ReceiveFilter {
 public:
  // `nodes`: every node id of the nodelist; `self`: this node.
  ReceiveFilter(FrameCodec codec, std::span<const std::uint32_t> nodes, std::uint32_t self);

  // `from_node`: the node whose configured address the datagram came from,
  // or 0 when the address belongs to no node.
  std::optional<Accepted> accept(std::span<const std::uint8_t> frame, std::uint32_t from_node);

  // The reason the last accept() returned nullopt.
  std::optional<DropReason> last_drop() const { return last_drop_; }
  const DropCounts& drops() const { return drops_; }
  std::uint64_t accepted() const { return accepted_; }
  const FrameCodec& codec() const { return codec_; }

 private:
  std::optional<Accepted> drop(DropReason reason);

  FrameCodec codec_;
  // One per node of the nodelist but this one: a frame claiming this node's
  // id is from an unknown node.
  std::map<std::uint32_t, ReplayWindow> windows_;
  DropCounts drops_;
  std::optional<DropReason> last_drop_;
  std::uint64_t accepted_ = 0;
};

}  // namespace tandem::transport
