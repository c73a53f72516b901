#pragma once

// The latest report of each node as the reconciler keeps it, and the
// quorate membership view chosen from them.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/model/manifests.h"
#include "common/protocol/messages.h"
#include "operator/reconcile/options.h"

namespace tandem::reconcile {

struct ReceivedReport {
  protocol::NodeReport report;
  UnixMs received_ms = 0;  // by the operator's clock: sidecars' clocks may differ
};

using Reports = std::map<std::string, ReceivedReport>;

// The ring a quorate sidecar reports: the cluster's current membership.
struct QuorateView {
  std::string reporter;
  protocol::MembershipView membership;
  std::vector<std::string> members;  // node names
};

// The configured nodes: HANode objects and the HACluster's membership nodes,
// sorted and without duplicates.
std::vector<std::string> configured_nodes(const model::Manifests& manifests);

// The sequence part of a corosync ring id ("1.1d" -> 0x1d); 0 when absent
// or malformed, which only makes a view lose ties.
std::uint64_t ring_sequence(const std::string& ring_id);

bool is_fresh(const ReceivedReport& report, UnixMs now, const Options& options);

// Of the fresh reports whose sidecar is quorate and not self-fencing, the
// one with the newest ring (the highest ring sequence; on a tie the larger
// ring, then the first reporter by name). Members without a name are named through the HACluster's
// node ids.
std::optional<QuorateView> choose_quorate_view(const Reports& reports,
                                               const model::Manifests& manifests, UnixMs now,
                                               const Options& options);

}  // namespace tandem::reconcile
