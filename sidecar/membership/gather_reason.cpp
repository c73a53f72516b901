#include "sidecar/membership/gather_reason.h"

namespace tandem::membership {

const char* describe(GatherReason reason) {
  switch (reason) {
    case GatherReason::kStartup:
      return "the node started";
    case GatherReason::kConsensusTimeout:
      return "the consensus timeout expired";
    case GatherReason::kTokenLostInOperational:
      return "the token was lost in the OPERATIONAL state";
    case GatherReason::kTokenLostInCommit:
      return "the token was lost in the COMMIT state";
    case GatherReason::kTokenLostInRecovery:
      return "the token was lost in the RECOVERY state";
    case GatherReason::kFailedToReceive:
      return "this node failed to receive messages the ring kept sending";
    case GatherReason::kForeignMessageInOperational:
      return "a message from another ring arrived in the OPERATIONAL state";
    case GatherReason::kForeignMessageInGather:
      return "a message from a node not yet gathered arrived in the GATHER state";
    case GatherReason::kMergeDuringOperational:
      return "another ring announced itself (merge) in the OPERATIONAL state";
    case GatherReason::kMergeDuringGather:
      return "another ring announced itself (merge) in the GATHER state";
    case GatherReason::kMergeDuringJoin:
      return "a join message named nodes or failures this node did not know";
    case GatherReason::kJoinDuringOperational:
      return "a join message arrived in the OPERATIONAL state";
    case GatherReason::kJoinDuringCommit:
      return "a join message arrived in the COMMIT state";
    case GatherReason::kJoinDuringRecovery:
      return "a join message arrived in the RECOVERY state";
    case GatherReason::kInterfaceChange:
      return "the network interface went down or came back";
  }
  return "unknown reason";
}

const char* name(GatherReason reason) {
  switch (reason) {
    case GatherReason::kStartup:
      return "startup";
    case GatherReason::kConsensusTimeout:
      return "consensus-timeout";
    case GatherReason::kTokenLostInOperational:
      return "token-lost-operational";
    case GatherReason::kTokenLostInCommit:
      return "token-lost-commit";
    case GatherReason::kTokenLostInRecovery:
      return "token-lost-recovery";
    case GatherReason::kFailedToReceive:
      return "failed-to-receive";
    case GatherReason::kForeignMessageInOperational:
      return "foreign-message-operational";
    case GatherReason::kForeignMessageInGather:
      return "foreign-message-gather";
    case GatherReason::kMergeDuringOperational:
      return "merge-operational";
    case GatherReason::kMergeDuringGather:
      return "merge-gather";
    case GatherReason::kMergeDuringJoin:
      return "merge-during-join";
    case GatherReason::kJoinDuringOperational:
      return "join-operational";
    case GatherReason::kJoinDuringCommit:
      return "join-commit";
    case GatherReason::kJoinDuringRecovery:
      return "join-recovery";
    case GatherReason::kInterfaceChange:
      return "interface-change";
  }
  return "unknown";
}

}  // namespace tandem::membership
