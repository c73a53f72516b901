#pragma once

// Evaluates rules as Pacemaker does: attribute comparisons (string,
// integer, number, version), dates, and/or, nesting. Pure: the node's
// attributes and "now" are arguments.

#include <chrono>
#include <map>
#include <string>

#include "common/model/resource.h"
#include "common/model/rule.h"

namespace tandem::model {

struct RuleInputs {
  const std::map<std::string, std::string>* node_attributes = nullptr;
  // What expressions with value-source param or meta compare with.
  const std::map<std::string, std::string>* params = nullptr;
  const std::map<std::string, std::string>* meta = nullptr;
  std::chrono::sys_seconds now{};
};

bool rule_holds(const Rule& rule, const RuleInputs& inputs);

// A resource's parameters on a node with these attributes at `now`: its
// params, with the values of the first overrides whose rules hold.
std::map<std::string, std::string> resolve_params(const ResourceSpec& spec,
                                                  const std::map<std::string, std::string>& node,
                                                  std::chrono::sys_seconds now);

}  // namespace tandem::model
