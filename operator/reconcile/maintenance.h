#pragma once

// What maintenance leaves alone, as Pacemaker means it: a node whose
// `maintenance` attribute is on (its HANode spec, or the attribute its
// sidecar reports), a resource whose meta says `maintenance: true`, and
// everything while the cluster's maintenance-mode is on. Nothing is
// started, stopped or fenced for them and their recurring monitors are not
// asked for. A resource that is only unmanaged (isManaged: false) is not in
// maintenance: Pacemaker leaves its monitors running.

#include <string>

#include "common/model/manifests.h"
#include "operator/reconcile/reports.h"

namespace tandem::reconcile {

bool cluster_in_maintenance(const model::Manifests& manifests);

// The reported attribute, when there is one, decides over the HANode spec,
// as a transient node attribute does in Pacemaker.
bool node_in_maintenance(const model::Manifests& manifests, const Reports& reports,
                         const std::string& node);

// `resource` as the engine names it ("db:1" is the clone db's instance).
bool resource_in_maintenance(const model::Manifests& manifests, const std::string& resource);

bool is_true(const std::string& value);

}  // namespace tandem::reconcile
