#pragma once

// Location rules over node attributes, evaluated as Pacemaker does.

#include "common/model/constraint.h"
#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Whether `rule` holds on `node` at `now`. `params` supply values for
// expressions whose value-source is param.
bool rule_holds(const model::Rule& rule, const Node& node,
                const std::map<std::string, std::string>& params, EpochSeconds now);

// The score a top-level rule gives `node`: its score, or the value of its
// score attribute (-INFINITY when the node lacks it).
Score rule_score(const model::Rule& rule, const Node& node);

}  // namespace tandem::placement::detail
