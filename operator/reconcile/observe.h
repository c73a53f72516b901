#pragma once

// The placement engine's ObservedState, assembled from the whole state every
// time: the manifests, each node's latest report and what the liveness
// tracker says about the node. Also which resources an unclean node is
// presumed to run (holds): nothing may start them elsewhere.

#include <string>
#include <vector>

#include "common/model/manifests.h"
#include "operator/placement/observed.h"
#include "operator/reconcile/liveness.h"
#include "operator/reconcile/reports.h"

namespace tandem::reconcile {

// The hold of an unclean node that never reported: it may run anything.
inline constexpr std::string_view kAnyResource = "*";

// A resource presumed running on an unclean node.
struct Hold {
  std::string resource;  // the instance name ("web", "db:1"), or kAnyResource
  std::string node;
  bool promoted = false;
};

// Online nodes report their histories; unclean nodes keep their last report's
// (their resources are presumed running); offline (clean) nodes have none, as
// Pacemaker erases a fenced node's history. What maintenance covers
// (maintenance.h) shows no recurring monitors.
placement::ObservedState assemble_observed(const model::Manifests& manifests,
                                           const Reports& reports, const Liveness& liveness,
                                           bool have_quorum, UnixMs now);

placement::ResourceHistory to_history(const protocol::ResourceReport& report,
                                      const std::string& node);
placement::ExecStatus exec_status(std::string_view status);

// Whether a resource's history shows it active (anything but a successful
// stop or a probe that found it stopped, as the newest operation), and
// whether promoted.
struct Activity {
  bool active = false;
  bool promoted = false;
};
Activity activity(const protocol::ResourceReport& report);

std::vector<Hold> unclean_holds(const Reports& reports, const Liveness& liveness);

// Operations in progress on online nodes ("start of db on node2"), as the
// sidecars report them (status pending).
std::vector<std::string> operations_in_progress(const Reports& reports, const Liveness& liveness);

}  // namespace tandem::reconcile
