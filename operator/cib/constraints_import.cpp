// <constraints>: rsc_location, rsc_colocation and rsc_order.

#include <iterator>
#include <set>

#include "common/core/assert.h"
#include "common/core/text.h"
#include "operator/cib/import_context.h"
#include "operator/cib/pacemaker_time.h"

namespace tandem::cib::detail {
namespace {

struct Known {
  std::set<std::string> placeables;
  std::set<std::string> nodes;
};

// What a name in a constraint stands for: a resource or group itself, or
// the resources of a template or tag; nullopt when it is none of these.
std::optional<std::vector<std::string>> expand(const std::string& name, const Known& known,
                                               const ImportContext& ctx) {
  if (known.placeables.contains(name)) return std::vector<std::string>{name};
  if (auto tpl = ctx.templates.find(name); tpl != ctx.templates.end()) return tpl->second;
  if (auto tag = ctx.tags.find(name); tag != ctx.tags.end()) return tag->second;
  return std::nullopt;
}

bool is_template_or_tag(const std::string& name, const ImportContext& ctx) {
  return ctx.templates.contains(name) || ctx.tags.contains(name);
}

// A constraint name not used yet, for the constraints one CIB constraint
// turns into.
std::string fresh_name(const std::string& base, const ImportContext& ctx) {
  auto taken = [&](const std::string& name) {
    for (const auto& c : ctx.out.manifests.constraints) {
      if (c.metadata.name == name) return true;
    }
    for (pugi::xml_node c : ctx.cib.child("configuration").child("constraints").children()) {
      if (name == c.attribute("id").value()) return true;
    }
    return false;
  };
  if (!taken(base)) return base;
  // One of these many numbers is free: there are fewer constraints.
  const std::size_t limit = ctx.out.manifests.constraints.size() +
                            static_cast<std::size_t>(std::distance(
                                ctx.cib.child("configuration").child("constraints").begin(),
                                ctx.cib.child("configuration").child("constraints").end())) +
                            2;
  for (std::size_t n = 2; n <= limit; ++n) {
    std::string name = base + "-" + std::to_string(n);
    if (!taken(name)) return name;
  }
  TANDEM_ASSERT(false, "fewer constraints than numbers tried");
  return base;
}

// The <resource_set> children of a constraint as the model's sets, with
// templates and tags replaced by what they stand for (in place, as
// Pacemaker expands them). `order` says which kind of constraint: order
// sets take an action and require-all, colocation sets a role. nullopt
// when a member does not exist: Pacemaker then ignores the constraint.
std::optional<std::vector<model::ResourceSet>> import_sets(const pugi::xml_node& xml, bool order,
                                                           const Known& known, ImportContext& ctx) {
  std::vector<model::ResourceSet> sets;
  bool complete = true;
  for (pugi::xml_node set_xml : xml.children("resource_set")) {
    set_xml = resolve(set_xml);
    if (!set_xml) {
      ctx.problems.add(describe(xml) + ": a <resource_set> refers to an id that does not exist");
      return std::nullopt;
    }
    const std::string where = describe(xml) + " " + describe(set_xml);
    model::ResourceSet& set = sets.emplace_back();
    if (const char* sequential = set_xml.attribute("sequential").value(); *sequential) {
      set.sequential = is_true(sequential);
    }
    for (const char* unsupported : {"score", "kind", "ordering", "symmetrical"}) {
      if (set_xml.attribute(unsupported)) {
        ctx.problems.add(where + ": " + unsupported + " on a resource set is not supported");
      }
    }
    if (order) {
      if (const char* all = set_xml.attribute("require-all").value(); *all) {
        set.require_all = is_true(all);
      }
      if (const char* action = set_xml.attribute("action").value(); *action) {
        if (auto a = model::parse_enum<model::OrderAction>(action)) {
          set.action = *a;
        } else {
          ctx.problems.add(where + ": action " + quote(action) + " is not supported");
        }
      }
    } else if (const char* role = set_xml.attribute("role").value(); *role) {
      set.role = parse_role(role);
      if (!set.role) ctx.problems.add(where + ": role " + quote(role) + " is not a role");
    }
    for (pugi::xml_node ref : set_xml.children("resource_ref")) {
      const std::string name = resolve(ref).attribute("id").value();
      auto members = expand(name, known, ctx);
      if (!members) {
        ctx.note(where + " names resource " + quote(name) +
                 ", which does not exist; constraint ignored (as Pacemaker does)");
        complete = false;
        continue;
      }
      set.resources.insert(set.resources.end(), members->begin(), members->end());
    }
  }
  if (!complete) return std::nullopt;
  return sets;
}

// A template or tag named by a constraint attribute, as a set of what it
// stands for; a plain resource as a set of one (Pacemaker's
// pcmk__tag_to_set with convert_rsc).
model::ResourceSet set_for(const std::string& name, const Known& known, const ImportContext& ctx) {
  model::ResourceSet set;
  set.resources = expand(name, known, ctx).value_or(std::vector<std::string>{});
  set.sequential = !is_template_or_tag(name, ctx);
  return set;
}

std::optional<Score> score_of(const pugi::xml_node& xml, const char* attribute,
                              ImportContext& ctx) {
  const char* text = xml.attribute(attribute).value();
  if (*text == '\0') return std::nullopt;
  auto score = Score::parse(text);
  if (!score) {
    ctx.problems.add(describe(xml) + ": " + score.error().message);
    return std::nullopt;
  }
  return *score;
}

bool import_expression(const pugi::xml_node& xml, model::Expression& out, ImportContext& ctx) {
  out.attribute = xml.attribute("attribute").value();
  const std::string operation = xml.attribute("operation").value();
  if (auto op = model::parse_enum<model::ExpressionOperation>(operation)) {
    out.operation = *op;
  } else {
    ctx.problems.add(describe(xml) + ": operation " + quote(operation) + " is not supported");
    return false;
  }
  if (xml.attribute("value")) out.value = xml.attribute("value").value();
  if (const char* type = xml.attribute("type").value(); *type) {
    if (auto t = model::parse_enum<model::ExpressionType>(type)) {
      out.type = *t;
    } else {
      ctx.problems.add(describe(xml) + ": type " + quote(type) + " is not supported");
    }
  }
  if (const char* source = xml.attribute("value-source").value(); *source) {
    if (auto s = model::parse_enum<model::ValueSource>(source)) {
      out.value_source = *s;
    } else {
      ctx.problems.add(describe(xml) + ": value-source " + quote(source) + " is not supported");
    }
  }
  return true;
}

std::optional<Timestamp> time_of(const pugi::xml_node& xml, const char* attribute,
                                 ImportContext& ctx) {
  const char* text = xml.attribute(attribute).value();
  if (*text == '\0') return std::nullopt;
  auto time = parse_pacemaker_time(text);
  if (!time) {
    ctx.problems.add(describe(xml) + ": " + attribute + " " + time.error().message);
    return std::nullopt;
  }
  return *time;
}

// Pacemaker reads unparsable counts as absent; so does the import, aloud.
std::int64_t count_of(const pugi::xml_node& xml, const char* attribute, ImportContext& ctx) {
  const char* text = xml.attribute(attribute).value();
  if (*text == '\0') return 0;
  char* end = nullptr;
  long long value = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || value < 0) {
    ctx.problems.add(describe(xml) + ": " + attribute + " " + quote(text) + " is not a count");
    return 0;
  }
  return value;
}

bool import_date_expression(const pugi::xml_node& xml, model::DateExpression& out,
                            ImportContext& ctx) {
  const char* operation = xml.attribute("operation").value();
  if (*operation == '\0') operation = "in_range";  // Pacemaker's default
  auto op = model::parse_enum<model::DateOperation>(operation);
  if (!op) {
    ctx.problems.add(describe(xml) + ": operation " + quote(operation) + " is not supported");
    return false;
  }
  out.operation = *op;
  out.start = time_of(xml, "start", ctx);
  out.end = time_of(xml, "end", ctx);
  if (pugi::xml_node duration = resolve(xml.child("duration"))) {
    model::CalendarDuration d;
    d.years = count_of(duration, "years", ctx);
    d.months = count_of(duration, "months", ctx);
    d.weeks = count_of(duration, "weeks", ctx);
    d.days = count_of(duration, "days", ctx);
    d.hours = count_of(duration, "hours", ctx);
    d.minutes = count_of(duration, "minutes", ctx);
    d.seconds = count_of(duration, "seconds", ctx);
    // Pacemaker ignores a duration beside an end.
    if (!out.end) out.duration = d;
  }
  if (pugi::xml_node spec_xml = resolve(xml.child("date_spec"))) {
    if (*spec_xml.attribute("moon").value() != '\0') {
      ctx.problems.add(describe(spec_xml) + ": moon phases are not supported");
    }
    model::DateSpec spec;
    auto field = [&](const char* name, std::optional<std::string>& to) {
      if (const char* value = spec_xml.attribute(name).value(); *value) to = value;
    };
    field("years", spec.years);
    field("months", spec.months);
    field("monthdays", spec.monthdays);
    field("hours", spec.hours);
    field("minutes", spec.minutes);
    field("seconds", spec.seconds);
    field("yeardays", spec.yeardays);
    field("weekyears", spec.weekyears);
    field("weeks", spec.weeks);
    field("weekdays", spec.weekdays);
    out.spec = spec;
  }
  // What an operation does not use, Pacemaker ignores: so does the import.
  switch (out.operation) {
    case model::DateOperation::kInRange:
      out.spec.reset();
      break;
    case model::DateOperation::kGt:
      out.end.reset(), out.duration.reset(), out.spec.reset();
      break;
    case model::DateOperation::kLt:
      out.start.reset(), out.duration.reset(), out.spec.reset();
      break;
    case model::DateOperation::kDateSpec:
      out.start.reset(), out.end.reset(), out.duration.reset();
      if (!out.spec) out.spec = model::DateSpec{};
      break;
  }
  return true;
}

}  // namespace

void import_rule(const pugi::xml_node& xml, model::Rule& out, bool top, ImportContext& ctx) {
  if (top) {
    if (xml.attribute("score-attribute")) {
      out.score_attribute = xml.attribute("score-attribute").value();
    } else {
      // Pacemaker reads a missing score as 0.
      out.score = score_of(xml, "score", ctx).value_or(Score::of(0));
    }
  }
  if (const char* op = xml.attribute("boolean-op").value(); *op) {
    if (auto boolean = model::parse_enum<model::BooleanOp>(op)) {
      out.boolean_op = *boolean;
    } else {
      ctx.problems.add(describe(xml) + ": boolean-op " + quote(op) + " is not supported");
    }
  }
  if (const char* role = xml.attribute("role").value(); *role) out.role = parse_role(role);
  for (pugi::xml_node child : xml.children()) {
    child = resolve(child);
    std::string_view element = child.name();
    if (element == "expression") {
      if (!import_expression(child, out.expressions.emplace_back(), ctx))
        out.expressions.pop_back();
    } else if (element == "rule") {
      import_rule(child, out.rules.emplace_back(), false, ctx);
    } else if (element == "date_expression") {
      if (!import_date_expression(child, out.dates.emplace_back(), ctx)) out.dates.pop_back();
    } else if (!element.empty()) {
      ctx.problems.add(describe(child) + ": <" + std::string(element) +
                       "> in a location rule is not supported");
    }
  }
}

namespace {

void import_location(const pugi::xml_node& xml, ImportContext& ctx, const Known& known) {
  const std::string id = xml.attribute("id").value();
  model::LocationConstraint location;
  // With sets, or naming a template or tag: the same location for each
  // resource, one constraint per resource (with the set's role).
  std::vector<std::pair<std::string, std::optional<model::Role>>> each;
  if (xml.child("resource_set")) {
    auto sets = import_sets(xml, false, known, ctx);
    if (!sets) return;
    for (const model::ResourceSet& set : *sets) {
      for (const std::string& name : set.resources) each.emplace_back(name, set.role);
    }
  } else if (xml.attribute("rsc-pattern")) {
    location.resource_pattern = xml.attribute("rsc-pattern").value();
  } else {
    const std::string name = xml.attribute("rsc").value();
    auto members = expand(name, known, ctx);
    if (!members) {
      ctx.note(describe(xml) + " names resource " + quote(name) +
               ", which does not exist; ignored (as Pacemaker does)");
      return;
    }
    if (is_template_or_tag(name, ctx)) {
      for (const std::string& member : *members) each.emplace_back(member, std::nullopt);
    } else {
      location.resource = name;
    }
  }
  if (const char* role = xml.attribute("role").value(); *role) location.role = parse_role(role);
  if (const char* discovery = xml.attribute("resource-discovery").value(); *discovery) {
    if (auto mode = model::parse_enum<model::ResourceDiscovery>(discovery)) {
      location.resource_discovery = *mode;
    } else {
      ctx.problems.add(describe(xml) + ": resource-discovery " + quote(discovery) +
                       " is not supported");
    }
  }
  if (xml.attribute("node")) {
    location.node = xml.attribute("node").value();
    if (!known.nodes.contains(*location.node)) {
      ctx.note(describe(xml) + " names node " + quote(*location.node) +
               ", which does not exist; ignored (as Pacemaker does)");
      return;
    }
    location.score = score_of(xml, "score", ctx).value_or(Score::of(0));
  } else {
    for (pugi::xml_node rule : xml.children("rule")) {
      import_rule(resolve(rule), location.rules.emplace_back(), true, ctx);
    }
    if (location.rules.empty()) {
      ctx.note(describe(xml) + " has neither a node nor rules; ignored (as Pacemaker does)");
      return;
    }
  }
  if (location.resource || location.resource_pattern) {
    auto& constraint = ctx.add(ctx.out.manifests.constraints, id);
    constraint.spec.location = std::move(location);
    return;
  }
  for (const auto& [name, role] : each) {
    model::LocationConstraint copy = location;
    copy.resource = name;
    if (role) copy.role = role;
    auto& constraint = ctx.add(ctx.out.manifests.constraints, fresh_name(id + "-" + name, ctx));
    constraint.spec.location = std::move(copy);
    ctx.note(describe(xml) + " for " + quote(name) + " is constraint " +
             quote(constraint.metadata.name));
  }
}

bool known_resource(const pugi::xml_node& xml, const char* attribute, const Known& known,
                    ImportContext& ctx) {
  const std::string name = xml.attribute(attribute).value();
  if (known.placeables.contains(name)) return true;
  ctx.note(describe(xml) + " names resource " + quote(name) +
           ", which does not exist; ignored (as Pacemaker does)");
  return false;
}

void import_colocation(const pugi::xml_node& xml, ImportContext& ctx, const Known& known) {
  model::ColocationConstraint colocation;
  const std::string rsc = xml.attribute("rsc").value();
  const std::string with = xml.attribute("with-rsc").value();
  if (xml.child("resource_set")) {
    auto sets = import_sets(xml, false, known, ctx);
    if (!sets) return;
    colocation.sets = std::move(*sets);
  } else if (is_template_or_tag(rsc, ctx) || is_template_or_tag(with, ctx)) {
    if (is_template_or_tag(rsc, ctx) && is_template_or_tag(with, ctx)) {
      ctx.note(describe(xml) + " colocates two templates or tags; ignored (as Pacemaker does)");
      return;
    }
    if (!expand(rsc, known, ctx) || !expand(with, known, ctx)) {
      ctx.note(describe(xml) +
               " names a resource that does not exist; ignored (as Pacemaker does)");
      return;
    }
    // As Pacemaker expands it: two sets, the dependent side first.
    colocation.sets = {set_for(rsc, known, ctx), set_for(with, known, ctx)};
    if (const char* role = xml.attribute("rsc-role").value(); *role) {
      colocation.sets[0].role = parse_role(role);
    }
    if (const char* role = xml.attribute("with-rsc-role").value(); *role) {
      colocation.sets[1].role = parse_role(role);
    }
  } else if (!known_resource(xml, "rsc", known, ctx) ||
             !known_resource(xml, "with-rsc", known, ctx)) {
    return;
  }
  auto score = score_of(xml, "score", ctx);
  if (!score || *score == Score::of(0)) {
    ctx.note(describe(xml) + " has no score; ignored (as Pacemaker does)");
    return;
  }
  colocation.score = *score;
  if (const char* influence = xml.attribute("influence").value(); *influence) {
    colocation.influence = is_true(influence);
  }
  if (!colocation.sets.empty()) {
    if (xml.attribute("node-attribute")) {
      ctx.problems.add(describe(xml) + ": node-attribute with resource sets is not supported");
    }
    auto& constraint = ctx.add(ctx.out.manifests.constraints, xml.attribute("id").value());
    constraint.spec.colocation = std::move(colocation);
    return;
  }
  colocation.resource = rsc;
  colocation.with_resource = with;
  if (const char* role = xml.attribute("rsc-role").value(); *role)
    colocation.role = parse_role(role);
  if (const char* role = xml.attribute("with-rsc-role").value(); *role) {
    colocation.with_role = parse_role(role);
  }
  if (const char* attribute = xml.attribute("node-attribute").value(); *attribute) {
    colocation.node_attribute = attribute;
  }
  auto& constraint = ctx.add(ctx.out.manifests.constraints, xml.attribute("id").value());
  constraint.spec.colocation = std::move(colocation);
}

std::optional<model::OrderAction> order_action(const pugi::xml_node& xml, const char* attribute,
                                               ImportContext& ctx) {
  const char* text = xml.attribute(attribute).value();
  if (*text == '\0') return std::nullopt;
  if (auto action = model::parse_enum<model::OrderAction>(text)) return action;
  ctx.problems.add(describe(xml) + ": " + attribute + " " + quote(text) + " is not supported");
  return std::nullopt;
}

void import_order(const pugi::xml_node& xml, ImportContext& ctx, const Known& known) {
  model::OrderConstraint order;
  if (const char* all = xml.attribute("require-all").value(); *all) {
    if (xml.child("resource_set")) {
      ctx.problems.add(describe(xml) + ": require-all on an order with sets is not supported");
    } else {
      order.require_all = is_true(all);
    }
  }
  const std::string first = xml.attribute("first").value();
  const std::string then = xml.attribute("then").value();
  if (xml.child("resource_set")) {
    auto sets = import_sets(xml, true, known, ctx);
    if (!sets) return;
    order.sets = std::move(*sets);
  } else if (is_template_or_tag(first, ctx) || is_template_or_tag(then, ctx)) {
    if (!expand(first, known, ctx) || !expand(then, known, ctx)) {
      ctx.note(describe(xml) +
               " names a resource that does not exist; ignored (as Pacemaker does)");
      return;
    }
    // As Pacemaker expands it: two sets, each with its side's action.
    order.sets = {set_for(first, known, ctx), set_for(then, known, ctx)};
    order.sets[0].action = order_action(xml, "first-action", ctx);
    order.sets[1].action = order_action(xml, "then-action", ctx);
  } else if (!known_resource(xml, "first", known, ctx) ||
             !known_resource(xml, "then", known, ctx)) {
    return;
  } else {
    order.first = first;
    order.then = then;
    order.first_action =
        order_action(xml, "first-action", ctx).value_or(model::OrderAction::kStart);
    order.then_action = order_action(xml, "then-action", ctx);
  }
  if (const char* kind = xml.attribute("kind").value(); *kind) {
    if (auto k = model::parse_enum<model::OrderKind>(kind)) {
      order.kind = *k;
    } else {
      // Pacemaker reads an unknown kind as Mandatory (with a warning in its
      // log); the import does the same, aloud, so nothing changes on moving.
      ctx.note(describe(xml) + ": kind " + quote(kind) +
               " is not Mandatory, Optional or Serialize; imported as Mandatory, as Pacemaker "
               "reads it");
    }
  } else if (auto score = score_of(xml, "score", ctx)) {
    // The score of old CIBs: 0 meant optional.
    order.kind =
        *score == Score::of(0) ? model::OrderKind::kOptional : model::OrderKind::kMandatory;
  }
  if (order.kind == model::OrderKind::kOptional && order.then &&
      ctx.restart_then.contains(*order.then)) {
    order.restart_then = true;
  }
  if (xml.attribute("symmetrical")) {
    bool symmetrical = is_true(xml.attribute("symmetrical").value());
    // Pacemaker ignores symmetrical=true for Serialize.
    if (!(symmetrical && order.kind == model::OrderKind::kSerialize))
      order.symmetrical = symmetrical;
  }
  auto& constraint = ctx.add(ctx.out.manifests.constraints, xml.attribute("id").value());
  constraint.spec.order = std::move(order);
}

}  // namespace

void import_constraints(ImportContext& ctx) {
  Known known;
  for (const auto& resource : ctx.out.manifests.resources)
    known.placeables.insert(resource.metadata.name);
  for (const auto& group : ctx.out.manifests.groups) known.placeables.insert(group.metadata.name);
  for (const auto& node : ctx.out.manifests.nodes) known.nodes.insert(node.metadata.name);
  for (const auto& [alias, target] : ctx.aliases) known.placeables.insert(alias);

  pugi::xml_node constraints = ctx.cib.child("configuration").child("constraints");
  for (pugi::xml_node child : constraints.children()) {
    child = resolve(child);
    std::string_view element = child.name();
    if (element == "rsc_location") {
      import_location(child, ctx, known);
    } else if (element == "rsc_colocation") {
      import_colocation(child, ctx, known);
    } else if (element == "rsc_order") {
      import_order(child, ctx, known);
    } else if (element == "rsc_ticket") {
      ctx.problems.add(describe(child) + ": tickets are not supported");
    } else if (!element.empty()) {
      ctx.problems.add("<" + std::string(element) + "> in <constraints> is not supported");
    }
  }
  resolve_aliases(ctx);
}

}  // namespace tandem::cib::detail
