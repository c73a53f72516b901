#include "operator/reconcile/reports.h"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace tandem::reconcile {

std::uint64_t ring_sequence(const std::string& ring_id) {
  const std::size_t dot = ring_id.find('.');
  if (dot == std::string::npos) return 0;
  std::uint64_t value = 0;
  const char* first = ring_id.data() + dot + 1;
  const char* last = ring_id.data() + ring_id.size();
  auto [ptr, ec] = std::from_chars(first, last, value, 16);
  if (ec != std::errc() || ptr != last) return 0;
  return value;
}

std::vector<std::string> configured_nodes(const model::Manifests& manifests) {
  std::vector<std::string> names;
  for (const model::HANode& node : manifests.nodes) names.push_back(node.metadata.name);
  for (const model::HACluster& cluster : manifests.clusters) {
    for (const model::MemberNode& member : cluster.spec.membership.nodes)
      names.push_back(member.name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool is_fresh(const ReceivedReport& report, UnixMs now, const Options& options) {
  return now - report.received_ms <= options.report_stale_ms;
}

std::optional<QuorateView> choose_quorate_view(const Reports& reports,
                                               const model::Manifests& manifests, UnixMs now,
                                               const Options& options) {
  const ReceivedReport* best = nullptr;
  std::uint64_t best_sequence = 0;
  for (const auto& [node, received] : reports) {
    const protocol::NodeReport& report = received.report;
    if (!is_fresh(received, now, options) || !report.membership.quorate || report.self_fencing)
      continue;
    const std::uint64_t sequence = ring_sequence(report.membership.ring_id);
    // Newest ring first; then the larger one; then the first reporter by
    // name, so that two quorate partitions (a twoNode split) do not make the
    // choice flap with every report.
    const auto key = [](std::uint64_t seq, const protocol::NodeReport& r) {
      return std::tuple(seq, r.membership.members.size());
    };
    if (best == nullptr || key(sequence, report) > key(best_sequence, best->report)) {
      best = &received;
      best_sequence = sequence;
    }
  }
  if (best == nullptr) return std::nullopt;
  QuorateView view;
  view.reporter = best->report.node;
  view.membership = best->report.membership;
  for (const protocol::MemberView& member : view.membership.members) {
    std::string name = member.name;
    if (name.empty()) {
      for (const model::HACluster& cluster : manifests.clusters) {
        for (const model::MemberNode& configured : cluster.spec.membership.nodes) {
          if (configured.node_id == member.node_id) name = configured.name;
        }
      }
    }
    if (!name.empty()) view.members.push_back(std::move(name));
  }
  // The reporter is in its own ring even if its list says otherwise.
  if (std::find(view.members.begin(), view.members.end(), view.reporter) == view.members.end())
    view.members.push_back(view.reporter);
  return view;
}

}  // namespace tandem::reconcile
