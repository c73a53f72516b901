#include "sidecar/membership/types.h"

namespace tandem::membership {

std::string to_string(RingId ring) {
  return std::to_string(ring.representative) + "." + std::to_string(ring.sequence);
}

const char* to_string(Guarantee guarantee) {
  return guarantee == Guarantee::kSafe ? "safe" : "agreed";
}

const char* to_string(State state) {
  switch (state) {
    case State::kOperational:
      return "OPERATIONAL";
    case State::kGather:
      return "GATHER";
    case State::kCommit:
      return "COMMIT";
    case State::kRecovery:
      return "RECOVERY";
  }
  return "?";
}

}  // namespace tandem::membership
