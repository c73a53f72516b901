// <constraints>: rsc_location, rsc_colocation and rsc_order.

#include <set>

#include "common/core/text.h"
#include "operator/cib/import_context.h"

namespace tandem::cib::detail {
namespace {

struct Known {
  std::set<std::string> placeables;
  std::set<std::string> nodes;
};

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
      ctx.problems.add(describe(child) + ": date expressions are not supported");
    } else if (!element.empty()) {
      ctx.problems.add(describe(child) + ": <" + std::string(element) +
                       "> in a location rule is not supported");
    }
  }
}

void import_location(const pugi::xml_node& xml, ImportContext& ctx, const Known& known) {
  const std::string id = xml.attribute("id").value();
  if (xml.child("resource_set")) {
    ctx.problems.add(describe(xml) + ": resource sets in location constraints are not supported");
    return;
  }
  model::LocationConstraint location;
  if (xml.attribute("rsc-pattern")) {
    location.resource_pattern = xml.attribute("rsc-pattern").value();
  } else {
    location.resource = xml.attribute("rsc").value();
    if (!known.placeables.contains(*location.resource)) {
      ctx.note(describe(xml) + " names resource " + quote(*location.resource) +
               ", which does not exist; ignored (as Pacemaker does)");
      return;
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
  auto& constraint = ctx.add(ctx.out.manifests.constraints, id);
  constraint.spec.location = std::move(location);
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
  if (xml.child("resource_set")) {
    ctx.problems.add(describe(xml) + ": resource sets in colocations are not supported");
    return;
  }
  if (!known_resource(xml, "rsc", known, ctx) || !known_resource(xml, "with-rsc", known, ctx)) {
    return;
  }
  auto score = score_of(xml, "score", ctx);
  if (!score || *score == Score::of(0)) {
    ctx.note(describe(xml) + " has no score; ignored (as Pacemaker does)");
    return;
  }
  model::ColocationConstraint colocation;
  colocation.resource = xml.attribute("rsc").value();
  colocation.with_resource = xml.attribute("with-rsc").value();
  colocation.score = *score;
  if (const char* role = xml.attribute("rsc-role").value(); *role)
    colocation.role = parse_role(role);
  if (const char* role = xml.attribute("with-rsc-role").value(); *role) {
    colocation.with_role = parse_role(role);
  }
  if (const char* attribute = xml.attribute("node-attribute").value(); *attribute) {
    colocation.node_attribute = attribute;
  }
  if (const char* influence = xml.attribute("influence").value(); *influence) {
    colocation.influence = is_true(influence);
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
  if (xml.child("resource_set")) {
    ctx.problems.add(describe(xml) + ": resource sets in orders are not supported");
    return;
  }
  if (xml.attribute("require-all")) {
    ctx.problems.add(describe(xml) + ": require-all is not supported");
  }
  if (!known_resource(xml, "first", known, ctx) || !known_resource(xml, "then", known, ctx)) {
    return;
  }
  model::OrderConstraint order;
  order.first = xml.attribute("first").value();
  order.then = xml.attribute("then").value();
  order.first_action = order_action(xml, "first-action", ctx).value_or(model::OrderAction::kStart);
  order.then_action = order_action(xml, "then-action", ctx);
  if (const char* kind = xml.attribute("kind").value(); *kind) {
    if (auto k = model::parse_enum<model::OrderKind>(kind)) {
      order.kind = *k;
    } else {
      ctx.problems.add(describe(xml) + ": kind " + quote(kind) + " is not supported");
    }
  } else if (auto score = score_of(xml, "score", ctx)) {
    // The score of old CIBs: 0 meant optional.
    order.kind =
        *score == Score::of(0) ? model::OrderKind::kOptional : model::OrderKind::kMandatory;
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
}

}  // namespace tandem::cib::detail
