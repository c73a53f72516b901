#pragma once

// Why a node entered the Gather state. Corosync logs the same reasons
// ("entering GATHER state from 2(The token was lost in the OPERATIONAL
// state.)"); operators recognise them, so the texts stay close to its own.

#include <cstdint>

namespace tandem::membership {

enum class GatherReason : std::uint8_t {
  kStartup,
  kConsensusTimeout,
  kTokenLostInOperational,
  kTokenLostInCommit,
  kTokenLostInRecovery,
  kFailedToReceive,
  kForeignMessageInOperational,
  kForeignMessageInGather,
  kMergeDuringOperational,
  kMergeDuringGather,
  kMergeDuringJoin,
  kJoinDuringOperational,
  kJoinDuringCommit,
  kJoinDuringRecovery,
  kInterfaceChange,
};

// A sentence for the log, e.g. "the token was lost in the OPERATIONAL state".
const char* describe(GatherReason reason);
// A short stable name for traces and metrics, e.g. "token-lost-operational".
const char* name(GatherReason reason);

}  // namespace tandem::membership
