#include "test/sim/trace.h"

#include "sidecar/membership/wire.h"
#include "test/sim/checker.h"

namespace tandem::sim {

std::string describe_event(const membership::Event& event) {
  using namespace membership;
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, StateChanged>) {
          std::string out = std::string(to_string(e.from)) + " -> " + to_string(e.to);
          if (e.reason) out += " (" + std::string(describe(*e.reason)) + ")";
          return out;
        } else if constexpr (std::is_same_v<T, Delivered>) {
          auto id = parse_payload(e.payload);
          return std::string(e.transitional ? "deliver (transitional) " : "deliver ") +
                 to_string(e.ring) + "#" + std::to_string(e.seq) + " " +
                 (id ? sim::to_string(*id) : "?") + " " + to_string(e.guarantee);
        } else if constexpr (std::is_same_v<T, ConfigurationChanged>) {
          std::string out = std::string(to_string(e.kind)) + " configuration " + to_string(e.ring) +
                            " members " + to_string(e.members);
          if (!e.left.empty()) out += " left " + to_string(e.left);
          if (!e.joined.empty()) out += " joined " + to_string(e.joined);
          return out;
        } else if constexpr (std::is_same_v<T, QuorumChanged>) {
          return std::string(e.quorate ? "quorate" : "not quorate") + " (votes " +
                 std::to_string(e.total_votes) + "/" + std::to_string(e.expected_votes) +
                 ", quorum " + std::to_string(e.quorum) + ") " + e.reason;
        } else if constexpr (std::is_same_v<T, DatagramRejected>) {
          return "rejected datagram: " + e.reason;
        } else {
          return "notice: " + e.text;
        }
      },
      event);
}

std::string describe_datagram(const membership::Datagram& datagram) {
  using namespace membership;
  Result<Message> decoded = decode(*datagram.bytes);
  if (!decoded) return "an undecodable datagram: " + decoded.error().message;
  std::string to =
      datagram.destination == kBroadcast ? "to all" : "to " + std::to_string(datagram.destination);
  if (const auto* join = std::get_if<JoinMessage>(&*decoded))
    return "join " + to + ": ring seq " + std::to_string(join->ring_seq) + " proc {" +
           to_string(join->proc) + "} fail {" + to_string(join->fail) + "}";
  if (const auto* commit = std::get_if<CommitToken>(&*decoded))
    return "commit token " + to + ": ring " + to_string(commit->ring) + " members {" +
           to_string(commit->members) + "}, " + std::to_string(commit->entries.size()) + " entries";
  if (const auto* merge = std::get_if<MergeDetect>(&*decoded))
    return "merge detect " + to + ": ring " + to_string(merge->ring);
  return "";
}

}  // namespace tandem::sim
