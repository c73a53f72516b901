#pragma once

// A resource's per-node scores ("allowed nodes").

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Adds `score` for `node` (every node when kNone) to `rsc` and its children
// (Pacemaker's resource_location). An entry that does not exist yet starts
// from the node's weight.
void add_location(WorkingSet& ws, int rsc, int node, Score score, std::string_view tag);

// Replaces every score of `rsc` (not its children) with -INFINITY on every
// node: how Pacemaker keeps a resource from starting anywhere.
void ban_everywhere(WorkingSet& ws, int rsc, std::string_view reason);

// Records why scores changed, for explanations (no-op unless recording).
void note_score(WorkingSet& ws, int rsc, int node, Score change, bool absolute, std::string reason);

// Fail counts of `rsc` on `node`: the sum over its operations, and the time
// of the last failure. With `effective`, failures older than the resource's
// failure-timeout are left out. A failure that blocks the resource
// (on-fail=block) never expires: finding one turns the resource's
// failure-timeout off, as in Pacemaker. `op`, when given, is the history
// entry being looked at; otherwise the node's whole history is checked.
struct FailInfo {
  int count = 0;
  EpochSeconds last = 0;
};
FailInfo fail_count(WorkingSet& ws, int rsc, int node, bool effective,
                    const OpRecord* op = nullptr);

}  // namespace tandem::placement::detail
