#pragma once

// Location rules over node attributes, evaluated as Pacemaker does.

#include "common/model/constraint.h"
#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// What rules with value-source param or meta compare node attributes with.
struct RuleSubject {
  const std::map<std::string, std::string>* params = nullptr;
  const std::map<std::string, std::string>* meta = nullptr;
};

// Whether `rule` holds on `node` at `now`.
bool rule_holds(const model::Rule& rule, const Node& node, const RuleSubject& subject,
                EpochSeconds now);

// The resource's parameters on `node`: its params, with the values of the
// first overrides whose rules hold there.
std::map<std::string, std::string> params_on(const Resource& rsc, const Node& node,
                                             EpochSeconds now);

// The score a top-level rule gives `node`: its score, or the value of its
// score attribute (-INFINITY when the node lacks it).
Score rule_score(const model::Rule& rule, const Node& node);

}  // namespace tandem::placement::detail
