// Checks of HAConstraint objects (cycles of orders are in validate_orders.cpp).

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "common/core/text.h"
#include "common/model/validate_internal.h"

namespace tandem::model::detail {
namespace {

constexpr std::size_t kMaxPatternLength = 256;

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

  void check_rule(const Rule& rule, const std::string& path,
                  const std::optional<std::string>& resource) {
    validate_rule(
        rule, path, RuleUse::kLocation,
        [&](const std::string& where, std::string message) { error(where, std::move(message)); },
        [&](const std::string& where, const std::optional<Role>& role) {
          check_role(where, role, resource);
        });
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
      check_rule(l.rules[i], indexed(base + ".rules", i), l.resource);
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
    if (o.restart_then && o.kind != OrderKind::kOptional) {
      error(base + ".restartThen", "only Optional orders take restartThen");
    }
    if (o.restart_then && !o.sets.empty()) {
      error(base + ".restartThen", "orders with sets do not take restartThen");
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
