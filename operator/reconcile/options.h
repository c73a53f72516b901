#pragma once

// The reconciler's timing and safety settings (docs/operator.md).

#include <cstddef>
#include <cstdint>
#include <string>

namespace tandem::reconcile {

// Milliseconds since the Unix epoch: the reconciler reads no clock, the
// adapter passes "now" in.
using UnixMs = std::int64_t;

struct Options {
  // How long a sidecar whose partition lost quorum needs, at most, to stop
  // its resources on its own (the sidecar's self-fence time).
  std::int64_t self_fence_ms = 10'000;
  // Added to the self-fence time: the lost node may have noticed its loss
  // of quorum a little after the operator learned of it.
  std::int64_t loss_margin_ms = 2'000;
  // A node whose latest report is older than this is not online.
  std::int64_t report_stale_ms = 5'000;
  // A failed fence is tried again after this long.
  std::int64_t fence_retry_ms = 5'000;
  // An action whose outcome has not arrived this long after its operation
  // timeout is taken as failed (the sidecar lost it).
  std::int64_t action_grace_ms = 30'000;
  // Whether a fence command (--fence-command) fences every node; fence
  // devices in the manifests fence the nodes they reach besides.
  bool fencing_available = false;
  // Makes action ids unique across operator restarts ("op7" for the
  // operator's seventh start); ids are "<prefix>-<counter>".
  std::string id_prefix = "op";
  // How many completed failovers the status keeps.
  std::size_t failover_history = 20;
};

}  // namespace tandem::reconcile
