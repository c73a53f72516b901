#include "sidecar/transport/receive_filter.h"

namespace tandem::transport {

std::uint64_t DropCounts::total() const {
  std::uint64_t sum = 0;
  for (std::uint64_t n : by_reason) sum += n;
  return sum;
}

ReceiveFilter::ReceiveFilter(FrameCodec codec, std::span<const std::uint32_t> nodes,
                             std::uint32_t self)
    : codec_(std::move(codec)) {
  for (std::uint32_t node : nodes)
    if (node != self) windows_.emplace(node, ReplayWindow{});
}

std::optional<Accepted> ReceiveFilter::drop(DropReason reason) {
  ++drops_.by_reason[static_cast<std::size_t>(reason)];
  last_drop_ = reason;
  return std::nullopt;
}

std::optional<Accepted> ReceiveFilter::accept(std::span<const std::uint8_t> frame,
                                              std::uint32_t from_node) {
  last_drop_.reset();
  auto opened = codec_.open(frame);
  if (!opened) return drop(opened.error());
  auto window = windows_.find(opened->sender);
  if (window == windows_.end()) return drop(DropReason::kUnknownNode);
  if (from_node != opened->sender) return drop(DropReason::kWrongAddress);
  if (!window->second.fresh(opened->counter)) return drop(DropReason::kReplayed);
  window->second.accept(opened->counter);
  ++accepted_;
  return Accepted{opened->sender, std::move(opened->payload)};
}

}  // namespace tandem::transport
