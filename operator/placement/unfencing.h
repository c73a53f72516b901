#pragma once

// Unfencing: devices such as fence_scsi cut a node off from shared storage
// when fencing it, and must let it back in ("on") before anything that
// needs the storage probes or starts there. Pacemaker's trigger_unfencing,
// pcmk__order_vs_unfence and pcmk__order_restart_vs_unfence.

#include <cstdint>
#include <string>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Whether the node was ever unfenced: its #node-unfenced attribute is set
// and not "0".
bool node_unfenced(const Node& node);

// A required unfencing of `node` (or, when it cannot run anything, of
// every node `device` may run on). Only fence devices' changes unfence;
// `device` is kNone when the cause is not a device.
void trigger_unfencing(WorkingSet& ws, int device, int node, const std::string& reason);

// Orders the unfencing of `node` before `action` (a probe or start of
// resource `r` there), where `r` waits for unfencing, and makes it
// required if the node was never unfenced.
void order_vs_unfence(WorkingSet& ws, int r, int node, int action, std::uint32_t flags);

// A resource waiting for unfencing stops before a node is unfenced and
// starts after it; an unfencing that has to happen restarts it there.
void order_restart_vs_unfence(WorkingSet& ws, int r);

}  // namespace tandem::placement::detail
