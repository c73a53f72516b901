// rsc_defaults and op_defaults sets with rules. Tandem's defaults are
// cluster-wide, so a set that applies to some resources (rsc_expression) or
// operations (op_expression) is written into those resources and
// operations instead, where they do not set the value themselves. Pacemaker
// tries sets with rules first (their score is higher), so these win over
// the unconditional defaults, and lose to a resource's or group's own value.

#include "common/core/text.h"
#include "operator/cib/import_context.h"

namespace tandem::cib::detail {
namespace {

struct Subject {
  const AgentId* agent = nullptr;        // the resource's agent
  const model::Operation* op = nullptr;  // for op_defaults
};

// Whether `rule` holds for `subject`; problems for expressions other than
// rsc_expression and op_expression.
bool rule_matches(const pugi::xml_node& rule, const Subject& subject, const std::string& where,
                  ImportContext& ctx) {
  const bool any = std::string(rule.attribute("boolean-op").value()) == "or";
  bool result = !any;
  bool empty = true;
  for (pugi::xml_node expression : rule.children()) {
    const std::string_view name = expression.name();
    if (name.empty()) continue;
    empty = false;
    bool holds = false;
    if (name == "rsc_expression") {
      auto check = [&](const char* attribute, const std::string& actual) {
        const char* wanted = expression.attribute(attribute).value();
        return *wanted == '\0' || actual == wanted;
      };
      holds = check("class", subject.agent->agent_class) &&
              check("provider", subject.agent->provider) && check("type", subject.agent->type);
    } else if (name == "op_expression" && subject.op != nullptr) {
      holds =
          std::string(expression.attribute("name").value()) == model::to_string(subject.op->name);
      if (const char* interval = expression.attribute("interval").value(); *interval) {
        auto ms = parse_interval_ms(interval);
        holds = holds && ms && *ms == subject.op->interval.count();
      }
    } else if (name == "rule") {
      holds = rule_matches(expression, subject, where, ctx);
    } else {
      ctx.problems.add(where + ": <" + std::string(name) +
                       "> in a defaults rule is not supported (rsc_expression and op_expression "
                       "are)");
      return false;
    }
    result = any ? (result || holds) : (result && holds);
  }
  return !empty && result;
}

const model::HAGroup* group_of(const ImportContext& ctx, const std::string& resource) {
  for (const model::HAGroup& group : ctx.out.manifests.groups) {
    for (const std::string& member : group.spec.resources) {
      if (member == resource) return &group;
    }
  }
  return nullptr;
}

void resource_defaults(pugi::xml_node set, ImportContext& ctx) {
  const std::string where = "<rsc_defaults> " + describe(set);
  for (model::HAResource& resource : ctx.out.manifests.resources) {
    auto agent = ctx.agents.find(resource.metadata.name);
    if (agent == ctx.agents.end()) continue;
    if (!rule_matches(set.child("rule"), Subject{&agent->second, nullptr}, where, ctx)) continue;
    const model::HAGroup* group = group_of(ctx, resource.metadata.name);
    for (pugi::xml_node pair : set.children("nvpair")) {
      const std::string name = pair.attribute("name").value();
      model::ResourceMeta candidate;
      if (!apply_meta(candidate, name, pair.attribute("value").value(), where, ctx.problems)) {
        ctx.problems.add(where + ": " + quote(name) + " is not supported");
        continue;
      }
      // Fill only what neither the resource nor its group sets.
      auto fill = [&](auto member) {
        if (!(candidate.*member)) return;
        if (resource.spec.meta.*member) return;
        if (group != nullptr && group->spec.meta.*member) return;
        resource.spec.meta.*member = candidate.*member;
      };
      fill(&model::ResourceMeta::stickiness);
      fill(&model::ResourceMeta::migration_threshold);
      fill(&model::ResourceMeta::failure_timeout);
      fill(&model::ResourceMeta::target_role);
      fill(&model::ResourceMeta::priority);
      fill(&model::ResourceMeta::is_managed);
      fill(&model::ResourceMeta::maintenance);
      fill(&model::ResourceMeta::allow_migrate);
      fill(&model::ResourceMeta::multiple_active);
      fill(&model::ResourceMeta::requires_);
      fill(&model::ResourceMeta::critical);
    }
  }
}

void operation_defaults(pugi::xml_node set, ImportContext& ctx) {
  const std::string where = "<op_defaults> " + describe(set);
  for (pugi::xml_node pair : set.children("nvpair")) {
    const std::string name = pair.attribute("name").value();
    if (name != "timeout" && name != "record-pending" && name != "interval" &&
        name != "start-delay") {
      // Only configured operations could take it, not probes or implied
      // ones, which would change what the default means.
      ctx.problems.add(where + ": " + quote(name) +
                       " in op_defaults with rules is not supported (timeout is)");
    }
  }
  const char* timeout_text = nullptr;
  for (pugi::xml_node pair : set.children("nvpair")) {
    if (std::string(pair.attribute("name").value()) == "timeout") {
      timeout_text = pair.attribute("value").value();
    }
  }
  if (timeout_text == nullptr) return;
  auto timeout = parse_interval_ms(timeout_text);
  if (!timeout || *timeout <= 0) {
    ctx.problems.add(where + ": timeout " + quote(timeout_text) + " is not a duration");
    return;
  }
  for (model::HAResource& resource : ctx.out.manifests.resources) {
    auto agent = ctx.agents.find(resource.metadata.name);
    if (agent == ctx.agents.end()) continue;
    for (model::Operation& op : resource.spec.operations) {
      if (op.timeout) continue;
      if (rule_matches(set.child("rule"), Subject{&agent->second, &op}, where, ctx)) {
        op.timeout = Duration(*timeout);
      }
    }
  }
}

}  // namespace

void import_rule_defaults(ImportContext& ctx) {
  pugi::xml_node config = ctx.cib.child("configuration");
  for (pugi::xml_node set : config.child("rsc_defaults").children("meta_attributes")) {
    set = resolve(set);
    if (set.child("rule")) resource_defaults(set, ctx);
  }
  for (pugi::xml_node set : config.child("op_defaults").children("meta_attributes")) {
    set = resolve(set);
    if (set.child("rule")) operation_defaults(set, ctx);
  }
}

}  // namespace tandem::cib::detail
