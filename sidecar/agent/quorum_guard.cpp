#include "sidecar/agent/quorum_guard.h"

#include <algorithm>
#include <utility>

#include "common/core/assert.h"

namespace tandem::agent {
namespace {

std::string ms_text(Duration d) {
  return std::to_string(d.count()) + " ms";
}

}  // namespace

QuorumGuard::QuorumGuard(GuardConfig config) : config_(config) {
  TANDEM_ASSERT(config_.self_fence_time > Duration::zero(), "the self-fence time must be positive");
  TANDEM_ASSERT(config_.pause_limit > Duration::zero(), "the pause limit must be positive");
  TANDEM_ASSERT(config_.ring_change_limit > Duration::zero(),
                "the ring change limit must be positive");
  // A node that has not yet seen a quorate ring may not start anything: it
  // begins fenced, with nothing to stop.
  fencing_ = true;
  pending_reason_ = "no quorate ring seen yet";
}

void QuorumGuard::fence(Instant now, std::string reason, std::optional<Instant> since) {
  // The others count the self-fence time from when they lost this node,
  // which for a paused node was before it noticed.
  const Instant deadline = std::max(now, since.value_or(now) + config_.self_fence_time);
  deadline_ = deadline_ ? std::min(*deadline_, deadline) : deadline;
  if (fencing_) return;
  fencing_ = true;
  pending_unfence_ = false;
  pending_reason_ = std::move(reason);
  ordered_.clear();
}

void QuorumGuard::on_membership(const QuorumSnapshot& snapshot, Instant now) {
  last_snapshot_ = now;
  latest_ = snapshot;
  const bool good = snapshot.quorate && snapshot.operational;
  if (good) last_quorate_ = now;
  if (!snapshot.quorate) {
    fence(now, "the partition is not quorate (ring " +
                   (snapshot.ring_id.empty() ? std::string("none") : snapshot.ring_id) + ")");
    return;
  }
  if (!fencing_ || !good || membership_gone_) return;
  if (trust_quorum_after_ && now < *trust_quorum_after_) return;
  fencing_ = false;
  pending_unfence_ = true;
  pending_reason_.reset();
  trust_quorum_after_.reset();
  ordered_.clear();
}

void QuorumGuard::on_membership_gone(Instant now) {
  membership_gone_ = true;
  fence(now, "the membership stopped running");
}

void QuorumGuard::on_stop_result(const std::string& resource, bool stopped) {
  if (stopped) owed_.erase(resource);
  if (owed_.empty()) deadline_.reset();
}

GuardOrders QuorumGuard::tick(Instant now, const std::set<std::string>& active) {
  // A gap between turns means this process was not running: the others
  // may have evicted it meanwhile, and its membership has not noticed yet.
  if (last_tick_ && now - *last_tick_ > config_.pause_limit) {
    fence(now,
          "this process did not run for " + ms_text(now - *last_tick_) +
              " (paused?); it may have been evicted",
          *last_tick_);
    trust_quorum_after_ = now + config_.pause_limit;
  }
  last_tick_ = now;
  if (!membership_gone_ && last_snapshot_ && now - *last_snapshot_ > config_.pause_limit) {
    fence(now, "the membership has not reported for " + ms_text(now - *last_snapshot_),
          *last_snapshot_);
    trust_quorum_after_ = now + config_.pause_limit;
  }
  if (latest_ && last_quorate_ && !(latest_->quorate && latest_->operational) &&
      now - *last_quorate_ > config_.ring_change_limit) {
    fence(now, "no quorate operational ring for " + ms_text(now - *last_quorate_));
  }

  GuardOrders orders;
  if (fencing_) {
    for (const std::string& resource : active) {
      if (!ordered_.insert(resource).second) continue;
      owed_.insert(resource);
      orders.stop.push_back(resource);
    }
    if (!owed_.empty() && !deadline_) deadline_ = now + config_.self_fence_time;
  }
  if (deadline_ && now >= *deadline_) {
    orders.kill.assign(owed_.begin(), owed_.end());
    owed_.clear();
  }
  if (owed_.empty()) deadline_.reset();
  orders.fenced_because = std::exchange(pending_reason_, std::nullopt);
  orders.unfenced = std::exchange(pending_unfence_, false);
  return orders;
}

bool QuorumGuard::allows(const std::string& task) const {
  if (!fencing_) return true;
  return task != "start" && task != "promote" && task != "migrate_from";
}

}  // namespace tandem::agent
