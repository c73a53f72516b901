// Checks of HAConstraint objects (cycles of orders are in validate_orders.cpp).

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "common/core/text.h"
#include "common/model/date_rules.h"
#include "common/model/validate_internal.h"

namespace tandem::model::detail {
namespace {

constexpr std::size_t kMaxPatternLength = 256;
constexpr std::array<std::string_view, 4> kBuiltinAttributes{"#uname", "#id", "#kind",
                                                             "#cluster-name"};

std::string indexed(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

bool is_promotion_role(Role role) {
  return role == Role::kPromoted || role == Role::kUnpromoted;
}

class ConstraintChecker {
 public:
  ConstraintChecker(const HAConstraint& c, const Namespace& ns, Diagnostics& d)
      : c_(c), ns_(ns), d_(d) {
    for (const auto& [name, resource] : ns.resources) {
      (void)resource;
      placeables_.push_back(name);
    }
    for (const auto& [name, group] : ns.groups) {
      (void)group;
      placeables_.push_back(name);
    }
    for (const std::string& name : ns.node_names) nodes_.push_back(name);
  }

  void error(const std::string& path, std::string message) {
    d_.error(c_, path, std::move(message));
  }

  // true when `name` is a resource or group of the namespace.
  bool check_reference(const std::string& path, const std::string& name) {
    if (ns_.has_placeable(name)) return true;
    std::string message = "resource or group " + quote(name) + " does not exist";
    if (auto guess = closest_match(name, placeables_)) {
      message += " (did you mean " + quote(*guess) + "?)";
    }
    error(path, std::move(message));
    return false;
  }

  void check_role(const std::string& path, const std::optional<Role>& role,
                  const std::optional<std::string>& resource) {
    if (role && is_promotion_role(*role) && resource && ns_.has_placeable(*resource) &&
        !ns_.is_promotable(*resource)) {
      error(path, std::string(to_string(*role)) + " needs a promotable clone, and " +
                      describe_reference(ns_, *resource) + " is not one");
    }
  }

  void check_action(const std::string& path, OrderAction action,
                    const std::optional<std::string>& resource) {
    bool promotion = action == OrderAction::kPromote || action == OrderAction::kDemote;
    if (promotion && resource && ns_.has_placeable(*resource) && !ns_.is_promotable(*resource)) {
      error(path, std::string(to_string(action)) + " needs a promotable clone, and " +
                      describe_reference(ns_, *resource) + " is not one");
    }
  }

  void check_node(const std::string& path, const std::string& node) {
    if (!ns_.declares_nodes()) {
      d_.warning(c_, path,
                 "node " + quote(node) + " cannot be checked: namespace " + quote(ns_.name) +
                     " declares no nodes (no HANode and no HACluster membership nodes)");
      return;
    }
    if (ns_.node_names.contains(node)) return;
    std::string message = "node " + quote(node) + " does not exist";
    if (auto guess = closest_match(node, nodes_))
      message += " (did you mean " + quote(*guess) + "?)";
    error(path, std::move(message));
  }

  void check_expression(const Expression& e, const std::string& path) {
    bool presence = e.operation == ExpressionOperation::kDefined ||
                    e.operation == ExpressionOperation::kNotDefined;
    if (e.attribute.empty()) error(path + ".attribute", "must not be empty");
    if (e.attribute.starts_with('#') &&
        std::find(kBuiltinAttributes.begin(), kBuiltinAttributes.end(), e.attribute) ==
            kBuiltinAttributes.end()) {
      std::vector<std::string_view> names(kBuiltinAttributes.begin(), kBuiltinAttributes.end());
      std::string message =
          quote(e.attribute) + " is not a built-in node attribute (" + join(names, ", ") + ")";
      if (auto guess = closest_match(e.attribute, names)) {
        message += "; did you mean " + quote(*guess) + "?";
      }
      error(path + ".attribute", std::move(message));
    }
    if (presence && e.value) {
      error(path + ".value", std::string(to_string(e.operation)) + " takes no value");
    }
    if (!presence && !e.value) {
      error(path + ".value", "required with operation " + std::string(to_string(e.operation)));
    }
    if (e.value && e.type && e.value_source == ValueSource::kLiteral) {
      check_typed_value(*e.value, *e.type, path + ".value");
    }
  }

  void check_typed_value(const std::string& value, ExpressionType type, const std::string& path) {
    auto is_number = [](const std::string& text) {
      if (text.empty()) return false;
      char* end = nullptr;
      std::strtod(text.c_str(), &end);
      return end == text.c_str() + text.size();
    };
    auto is_version = [](const std::string& text) {
      return !text.empty() && text.front() != '.' && text.back() != '.' &&
             std::all_of(text.begin(), text.end(),
                         [](char ch) { return (ch >= '0' && ch <= '9') || ch == '.'; });
    };
    bool ok = type == ExpressionType::kString ||
              ((type == ExpressionType::kInteger || type == ExpressionType::kNumber) &&
               is_number(value)) ||
              (type == ExpressionType::kVersion && is_version(value));
    if (!ok) {
      error(path, quote(value) + " is not a valid " + std::string(to_string(type)));
    }
  }

  void check_date(const DateExpression& date, const std::string& path) {
    const std::string op(to_string(date.operation));
    auto unused = [&](bool present, const char* field) {
      if (present) error(path + "." + field, "is not used by operation " + op);
    };
    switch (date.operation) {
      case DateOperation::kInRange:
        if (!date.start && !date.end) error(path, "in_range needs a start, an end or both");
        if (date.duration && !date.start) error(path + ".duration", "needs a start");
        if (date.duration && date.end) error(path + ".duration", "is not allowed with an end");
        if (date.start && date.end && *date.end < *date.start) {
          error(path + ".end", "is before the start");
        }
        unused(date.spec.has_value(), "spec");
        break;
      case DateOperation::kGt:
        if (!date.start) error(path, "gt needs a start");
        unused(date.end.has_value(), "end");
        unused(date.duration.has_value(), "duration");
        unused(date.spec.has_value(), "spec");
        break;
      case DateOperation::kLt:
        if (!date.end) error(path, "lt needs an end");
        unused(date.start.has_value(), "start");
        unused(date.duration.has_value(), "duration");
        unused(date.spec.has_value(), "spec");
        break;
      case DateOperation::kDateSpec:
        if (!date.spec) error(path, "date_spec needs a spec");
        unused(date.start.has_value(), "start");
        unused(date.end.has_value(), "end");
        unused(date.duration.has_value(), "duration");
        break;
    }
    if (!date.spec) return;
    const std::pair<const char*, const std::optional<std::string>*> fields[] = {
        {"years", &date.spec->years},         {"months", &date.spec->months},
        {"monthdays", &date.spec->monthdays}, {"hours", &date.spec->hours},
        {"minutes", &date.spec->minutes},     {"seconds", &date.spec->seconds},
        {"yeardays", &date.spec->yeardays},   {"weekyears", &date.spec->weekyears},
        {"weeks", &date.spec->weeks},         {"weekdays", &date.spec->weekdays}};
    for (const auto& [name, value] : fields) {
      if (!*value) continue;
      if (auto range = parse_date_range(**value); !range) {
        error(path + ".spec." + name, range.error().message);
      }
    }
  }

  void check_rule(const Rule& rule, const std::string& path, int depth,
                  const std::optional<std::string>& resource) {
    if (depth > kMaxRuleDepth) {
      error(path, "rules nest at most " + std::to_string(kMaxRuleDepth) + " levels deep");
      return;
    }
    bool scored = rule.score || rule.score_attribute;
    if (depth == 1 && !scored) error(path, "a rule needs a score or a scoreAttribute");
    if (depth > 1 && scored) {
      error(path + (rule.score ? ".score" : ".scoreAttribute"),
            "only top-level rules carry a score");
    }
    if (rule.score_attribute && rule.score_attribute->empty()) {
      error(path + ".scoreAttribute", "must not be empty");
    }
    if (rule.expressions.empty() && rule.dates.empty() && rule.rules.empty()) {
      error(path, "a rule needs at least one expression, date or nested rule");
    }
    for (std::size_t i = 0; i < rule.dates.size(); ++i) {
      check_date(rule.dates[i], indexed(path + ".dates", i));
    }
    check_role(path + ".role", rule.role, resource);
    for (std::size_t i = 0; i < rule.expressions.size(); ++i) {
      check_expression(rule.expressions[i], indexed(path + ".expressions", i));
    }
    for (std::size_t i = 0; i < rule.rules.size(); ++i) {
      check_rule(rule.rules[i], indexed(path + ".rules", i), depth + 1, resource);
    }
  }

  void check_location(const LocationConstraint& l) {
    const std::string base = "spec.location";
    if (l.resource) check_reference(base + ".resource", *l.resource);
    if (l.resource_pattern) {
      if (l.resource_pattern->size() > kMaxPatternLength) {
        error(base + ".resourcePattern",
              "is longer than " + std::to_string(kMaxPatternLength) + " characters");
      } else {
        try {
          std::regex pattern(*l.resource_pattern, std::regex::extended);
        } catch (const std::regex_error&) {
          error(base + ".resourcePattern",
                quote(*l.resource_pattern) + " is not a valid POSIX extended regular expression");
        }
      }
    }
    if (l.node) {
      check_node(base + ".node", *l.node);
      if (!l.score) error(base + ".score", "required with node");
    }
    if (!l.rules.empty() && l.score) {
      error(base + ".score", "with rules, each rule carries its own score");
    }
    check_role(base + ".role", l.role, l.resource);
    for (std::size_t i = 0; i < l.rules.size(); ++i) {
      check_rule(l.rules[i], indexed(base + ".rules", i), 1, l.resource);
    }
  }

  // Shared by colocation and order sets; `order` says which.
  void check_sets(const std::vector<ResourceSet>& sets, const std::string& base, bool order) {
    std::map<std::string, std::string> seen;
    for (std::size_t i = 0; i < sets.size(); ++i) {
      const ResourceSet& set = sets[i];
      const std::string path = indexed(base + ".sets", i);
      if (set.resources.empty()) error(path + ".resources", "a set needs at least one resource");
      for (std::size_t j = 0; j < set.resources.size(); ++j) {
        const std::string& name = set.resources[j];
        const std::string member_path = indexed(path + ".resources", j);
        if (auto [it, fresh] = seen.emplace(name, member_path); !fresh) {
          error(member_path, quote(name) + " is already listed at " + it->second);
          continue;
        }
        if (!check_reference(member_path, name)) continue;
        if (order && set.action) check_action(path + ".action", *set.action, name);
        if (!order) check_role(path + ".role", set.role, name);
      }
      if (order && set.role) error(path + ".role", "order sets take an action, not a role");
      if (!order && set.action) {
        error(path + ".action", "colocation sets take a role, not an action");
      }
      if (!order && set.require_all) {
        error(path + ".requireAll", "only order sets take requireAll");
      }
    }
  }

  void check_colocation(const ColocationConstraint& col) {
    const std::string base = "spec.colocation";
    if (col.resource) {
      if (!col.with_resource) error(base + ".withResource", "required with resource");
      bool known = check_reference(base + ".resource", *col.resource);
      if (col.with_resource) {
        known = check_reference(base + ".withResource", *col.with_resource) && known;
        if (*col.resource == *col.with_resource) {
          error(base + ".withResource", "a resource cannot be colocated with itself");
        }
      }
      if (known) {
        check_role(base + ".role", col.role, col.resource);
        check_role(base + ".withRole", col.with_role, col.with_resource);
      }
    } else {
      for (auto [field, set] : {std::pair{"withResource", col.with_resource.has_value()},
                                std::pair{"role", col.role.has_value()},
                                std::pair{"withRole", col.with_role.has_value()}}) {
        if (set) {
          error(base + "." + field, "with sets, give roles on each set and leave this out");
        }
      }
      check_sets(col.sets, base, false);
    }
    if (col.node_attribute.empty()) error(base + ".nodeAttribute", "must not be empty");
  }

  void check_order(const OrderConstraint& o) {
    const std::string base = "spec.order";
    if (o.first) {
      if (!o.then) error(base + ".then", "required with first");
      bool known = check_reference(base + ".first", *o.first);
      if (o.then) {
        known = check_reference(base + ".then", *o.then) && known;
        if (*o.first == *o.then && o.first_action == o.then_action.value_or(o.first_action)) {
          error(base + ".then", "a resource cannot be ordered after itself");
        }
      }
      if (known) {
        check_action(base + ".firstAction", o.first_action, o.first);
        check_action(base + ".thenAction", o.then_action.value_or(o.first_action), o.then);
      }
    } else {
      if (o.then) error(base + ".then", "with sets, leave then out");
      if (o.then_action) error(base + ".thenAction", "with sets, give each set its action");
      check_sets(o.sets, base, true);
    }
    if (o.require_all && !o.sets.empty()) {
      error(base + ".requireAll", "with sets, give requireAll on each set instead");
    }
    if (o.kind == OrderKind::kSerialize && o.symmetrical.value_or(false)) {
      error(base + ".symmetrical", "Serialize orders cannot be symmetrical");
    }
  }

 private:
  const HAConstraint& c_;
  const Namespace& ns_;
  Diagnostics& d_;
  std::vector<std::string_view> placeables_;
  std::vector<std::string_view> nodes_;
};

}  // namespace

void validate_constraint(const HAConstraint& c, const Namespace& ns, Diagnostics& d) {
  ConstraintChecker checker(c, ns, d);
  if (c.spec.location) checker.check_location(*c.spec.location);
  if (c.spec.colocation) checker.check_colocation(*c.spec.colocation);
  if (c.spec.order) checker.check_order(*c.spec.order);
}

}  // namespace tandem::model::detail
