#pragma once

// The operator's view written back as Kubernetes-style status: every
// HANode and HAResource of the manifests with its `status` filled in (where
// and in which role each instance runs, failures, fail counts, conditions),
// as the status subresource would hold it. The embedded operator writes
// these to STATE_DIR/objects.yaml and serves them on GET /v1/objects.

#include "common/model/manifests.h"
#include "operator/reconcile/status.h"

namespace tandem::reconcile {

// Nodes configured only in the HACluster get an HANode of their own here.
// Conditions keep their lastTransitionTime from `previous` (the last call's
// result) while their status stays the same.
model::Manifests object_statuses(const model::Manifests& manifests, const Status& status,
                                 const model::Manifests& previous, UnixMs now);

}  // namespace tandem::reconcile
