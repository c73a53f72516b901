#pragma once

// Which nodes are online, and the safety rule for the others. A node is
// online when it is in the ring a quorate sidecar reports, its own latest
// report is recent, and it is quorate and not stopping its resources. A node
// that is not online is unclean (its resources presumed running) until it
// has been fenced, or until it has been out of the quorate ring for the
// self-fence time plus the loss margin: by then the node's own sidecar,
// which lost quorum, has stopped everything. Only then is it offline and
// clean. A node that is in the quorate ring but silent is alive and keeps
// its resources: only fencing clears it.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "operator/reconcile/options.h"
#include "operator/reconcile/reports.h"

namespace tandem::reconcile {

enum class Health { kOnline, kUnclean, kOffline };

std::string_view to_string(Health health);

struct NodeLife {
  Health health = Health::kUnclean;
  bool in_ring = false;
  bool fresh = false;
  std::string reason;                       // why it is not online
  bool was_online = false;                  // this operator saw it online before it was lost
  std::optional<UnixMs> unclean_since;      // when the operator learned it is not online
  std::optional<UnixMs> out_of_ring_since;  // while a quorate ring without it is known
  std::optional<UnixMs> cleared_at;
  std::string cleared_by;  // "fencing" or "the self-fence time"
  // Fencing.
  std::optional<UnixMs> fenced_at;
  std::string fence_id;  // in flight when not empty
  std::optional<UnixMs> last_fence_attempt;
  std::string last_fence_error;
};

class Liveness {
 public:
  // Recomputes every configured node's state. Appends one line per change.
  void update(const std::vector<std::string>& nodes, const Reports& reports,
              const std::optional<QuorateView>& view, UnixMs now, const Options& options,
              std::vector<std::string>& events);

  // Unclean nodes due to be fenced now, among those `can_fence` says
  // something fences (a quorate view must be known).
  std::vector<std::string> due_for_fencing(
      const std::optional<QuorateView>& view, UnixMs now, const Options& options,
      const std::function<bool(const std::string&)>& can_fence) const;
  void fence_started(const std::string& node, const std::string& id, UnixMs now);
  // Returns the node the fence was for, empty when the id is unknown.
  std::string fence_finished(const std::string& id, bool ok, const std::string& detail, UnixMs now);

  const std::map<std::string, NodeLife>& nodes() const { return nodes_; }
  bool online(const std::string& node) const;
  // When an unclean node out of the quorate ring will be taken as clean.
  std::optional<UnixMs> clears_at(const NodeLife& life, const Options& options) const;

 private:
  std::map<std::string, NodeLife> nodes_;
};

}  // namespace tandem::reconcile
