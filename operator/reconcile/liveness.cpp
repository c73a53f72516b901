#include "operator/reconcile/liveness.h"

#include <algorithm>

namespace tandem::reconcile {
namespace {

std::string seconds(std::int64_t ms) {
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + "s";
}

// Why a node is not online, for the status and the log.
std::string why_not_online(const std::string& node, const Reports& reports,
                           const std::optional<QuorateView>& view, bool in_ring, bool fresh) {
  auto it = reports.find(node);
  if (it == reports.end())
    return view && in_ring ? "in the ring but never reported" : "never reported";
  if (!view) return "no quorate partition reports to the operator";
  if (!in_ring) {
    const protocol::NodeReport& own = it->second.report;
    // A report from before the quorate ring formed (an older ring) is the
    // node's last word before it was lost, not a partition of its own.
    const bool newer_or_concurrent =
        ring_sequence(own.membership.ring_id) >= ring_sequence(view->membership.ring_id);
    if (fresh && own.membership.quorate && !own.self_fencing && newer_or_concurrent)
      return "it reports a quorate partition of its own (ring " + own.membership.ring_id +
             "): split brain, only fencing clears it";
    if (fresh && own.membership.quorate && !newer_or_concurrent)
      return "left the quorate ring; its last report is from the earlier ring " +
             own.membership.ring_id;
    return "not in the quorate ring";
  }
  if (!fresh) return "in the ring but its reports stopped";
  if (it->second.report.self_fencing) return "it is stopping its resources (self-fencing)";
  return "its own view is not quorate";
}

}  // namespace

std::string_view to_string(Health health) {
  switch (health) {
    case Health::kOnline:
      return "online";
    case Health::kUnclean:
      return "unclean";
    case Health::kOffline:
      return "offline";
  }
  return "unclean";
}

bool Liveness::online(const std::string& node) const {
  auto it = nodes_.find(node);
  return it != nodes_.end() && it->second.health == Health::kOnline;
}

std::optional<UnixMs> Liveness::clears_at(const NodeLife& life, const Options& options) const {
  if (life.health != Health::kUnclean || !life.out_of_ring_since) return std::nullopt;
  return *life.out_of_ring_since + options.self_fence_ms + options.loss_margin_ms;
}

void Liveness::update(const std::vector<std::string>& nodes, const Reports& reports,
                      const std::optional<QuorateView>& view, UnixMs now, const Options& options,
                      std::vector<std::string>& events) {
  // Nodes no longer configured are forgotten.
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    if (std::find(nodes.begin(), nodes.end(), it->first) == nodes.end()) {
      it = nodes_.erase(it);
    } else {
      ++it;
    }
  }
  for (const std::string& node : nodes) {
    NodeLife& life = nodes_[node];
    auto report = reports.find(node);
    life.fresh = report != reports.end() && is_fresh(report->second, now, options);
    life.in_ring =
        view && std::find(view->members.begin(), view->members.end(), node) != view->members.end();
    const bool online = life.in_ring && life.fresh && report->second.report.membership.quorate &&
                        !report->second.report.self_fencing;
    if (online) {
      if (life.health != Health::kOnline) events.push_back("node " + node + " is online");
      const bool fence_in_flight = !life.fence_id.empty();
      const std::string fence_id = life.fence_id;
      life = NodeLife{};
      life.health = Health::kOnline;
      life.in_ring = true;
      life.fresh = true;
      life.was_online = true;
      // A fence still running for it is remembered so that its result is
      // recognized; it no longer clears anything.
      if (fence_in_flight) life.fence_id = fence_id;
      continue;
    }
    life.reason = why_not_online(node, reports, view, life.in_ring, life.fresh);
    if (life.health == Health::kOnline) {
      life.health = Health::kUnclean;
      life.unclean_since = now;
      events.push_back("node " + node + " lost (" + life.reason +
                       "): unclean, its resources presumed running until it is fenced or " +
                       seconds(options.self_fence_ms + options.loss_margin_ms) +
                       " out of the quorate ring");
    } else if (!life.unclean_since && life.health == Health::kUnclean) {
      life.unclean_since = now;
    }
    if (life.health == Health::kOffline) {
      // Cleared by time means it stopped everything because it lost quorum;
      // back in a quorate ring it may start things again, so until it
      // reports it is unknown.
      if (life.cleared_by != "fencing" && life.in_ring) {
        life.health = Health::kUnclean;
        life.unclean_since = now;
        life.cleared_at.reset();
        life.cleared_by.clear();
        life.fenced_at.reset();
        life.out_of_ring_since.reset();
        events.push_back("node " + node + " is back in the quorate ring (" + life.reason +
                         "): unclean until it reports");
      }
      continue;
    }
    // Unclean. The self-fence clock runs only while a quorate ring without
    // the node is known (without one, nobody knows that it lost quorum), and
    // not while the node itself says it is quorate: then it does not stop
    // anything (two partitions of a twoNode cluster both keep quorum).
    // Only a report sent after the loss counts: the last one before it was
    // quorate too.
    const bool claims_quorum =
        life.fresh && life.unclean_since && report->second.received_ms > *life.unclean_since &&
        report->second.report.membership.quorate && !report->second.report.self_fencing;
    if (view && !life.in_ring && !claims_quorum) {
      if (!life.out_of_ring_since) life.out_of_ring_since = now;
    } else {
      life.out_of_ring_since.reset();
    }
    if (life.fenced_at) {
      life.health = Health::kOffline;
      life.cleared_at = now;
      life.cleared_by = "fencing";
      events.push_back("node " + node + " is offline and clean: fenced");
    } else if (auto at = clears_at(life, options); at && now >= *at) {
      life.health = Health::kOffline;
      life.cleared_at = now;
      life.cleared_by = "the self-fence time";
      events.push_back("node " + node + " is offline and clean: out of the quorate ring for " +
                       seconds(now - *life.out_of_ring_since) +
                       ", past the self-fence time and margin");
    }
  }
}

std::vector<std::string> Liveness::due_for_fencing(
    const std::optional<QuorateView>& view, UnixMs now, const Options& options,
    const std::function<bool(const std::string&)>& can_fence) const {
  std::vector<std::string> due;
  if (!view) return due;
  for (const auto& [node, life] : nodes_) {
    if (life.health != Health::kUnclean || !life.fence_id.empty() || !can_fence(node)) continue;
    if (life.last_fence_attempt && now - *life.last_fence_attempt < options.fence_retry_ms)
      continue;
    // A node seen leaving the ring is fenced at once; one that has not
    // reported since the operator started gets time to report first.
    const bool left_ring = life.was_online && !life.in_ring;
    const bool waited = life.unclean_since && now - *life.unclean_since >= options.report_stale_ms;
    if (left_ring || waited) due.push_back(node);
  }
  return due;
}

void Liveness::fence_started(const std::string& node, const std::string& id, UnixMs now) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return;
  it->second.fence_id = id;
  it->second.last_fence_attempt = now;
}

std::string Liveness::fence_finished(const std::string& id, bool ok, const std::string& detail,
                                     UnixMs now) {
  for (auto& [node, life] : nodes_) {
    if (life.fence_id != id) continue;
    life.fence_id.clear();
    life.last_fence_attempt = now;
    if (ok) {
      // Fencing clears an unclean node; an online one stays online (it
      // rebooted and reported again before the result came back).
      if (life.health == Health::kUnclean) life.fenced_at = now;
      life.last_fence_error.clear();
    } else {
      life.last_fence_error = detail;
    }
    return node;
  }
  return "";
}

}  // namespace tandem::reconcile
