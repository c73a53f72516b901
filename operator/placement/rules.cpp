#include "operator/placement/rules.h"

#include "common/model/rule_eval.h"

namespace tandem::placement::detail {

bool rule_holds(const model::Rule& rule, const Node& node, const RuleSubject& subject,
                EpochSeconds now) {
  return model::rule_holds(rule, {.node_attributes = &node.attributes,
                                  .params = subject.params,
                                  .meta = subject.meta,
                                  .now = std::chrono::sys_seconds(std::chrono::seconds(now))});
}

std::map<std::string, std::string> params_on(const Resource& rsc, const Node& node,
                                             EpochSeconds now) {
  if (rsc.spec == nullptr) return {};
  return model::resolve_params(*rsc.spec, node.attributes,
                               std::chrono::sys_seconds(std::chrono::seconds(now)));
}

Score rule_score(const model::Rule& rule, const Node& node) {
  if (rule.score) return *rule.score;
  if (rule.score_attribute) {
    const std::string* value = node.attribute(*rule.score_attribute);
    if (value == nullptr) return Score::minus_infinity();
    return Score::parse(*value).value_or(Score::of(0));
  }
  return Score::of(0);
}

}  // namespace tandem::placement::detail
