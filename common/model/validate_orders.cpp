// Cycles of mandatory orders: built as a graph of actions, with the orders
// that groups and promotion imply, then searched for cycles.

#include <set>
#include <string>
#include <vector>

#include "common/model/order_graph.h"
#include "common/model/validate_internal.h"

namespace tandem::model::detail {
namespace {

OrderAction inverse(OrderAction action) {
  switch (action) {
    case OrderAction::kStart:
      return OrderAction::kStop;
    case OrderAction::kStop:
      return OrderAction::kStart;
    case OrderAction::kPromote:
      return OrderAction::kDemote;
    case OrderAction::kDemote:
      return OrderAction::kPromote;
  }
  return action;
}

// Starting and promoting go through a group front to back; stopping and
// demoting back to front.
bool runs_forward(OrderAction action) {
  return action == OrderAction::kStart || action == OrderAction::kPromote;
}

class Builder {
 public:
  explicit Builder(const Namespace& ns) : ns_(ns) {}

  OrderGraph& graph() { return graph_; }

  std::size_t vertex(const std::string& resource, OrderAction action) {
    return graph_.vertex(std::string(to_string(action)) + " " + resource);
  }

  // The vertex at which `name` begins (or finishes) `action`: itself for a
  // resource; a group's first or last member. Empty when unknown.
  std::vector<std::size_t> endpoint(const std::string& name, OrderAction action, bool finish) {
    if (ns_.resources.contains(name)) return {vertex(name, action)};
    auto group = ns_.groups.find(name);
    if (group == ns_.groups.end()) return {};
    const auto& members = group->second->spec.resources;
    std::vector<std::string> known;
    for (const std::string& member : members) {
      if (ns_.resources.contains(member)) known.push_back(member);
    }
    if (known.empty()) return {};
    bool first = runs_forward(action) != finish;
    return {vertex(first ? known.front() : known.back(), action)};
  }

  // An edge from an action to itself comes only from a constraint that
  // names one resource twice, which is reported on its own; leaving it out
  // keeps it from being reported again as a cycle.
  void link(const std::vector<std::size_t>& from, const std::vector<std::size_t>& to,
            const OrderGraph::Source& source) {
    for (std::size_t f : from) {
      for (std::size_t t : to) {
        if (f != t) graph_.add_edge(f, t, source);
      }
    }
  }

  // `a` before `b` (vertices made in that order, whatever the compiler's
  // order of evaluating arguments: it decides how cycles are told).
  void ordered(const std::string& a, OrderAction a_action, const std::string& b,
               OrderAction b_action, const OrderGraph::Source& source) {
    std::size_t from = vertex(a, a_action);
    std::size_t to = vertex(b, b_action);
    graph_.add_edge(from, to, source);
  }

  // `a` before `b` for a forward action, and the inverse in reverse.
  void chain(const std::string& a, const std::string& b, OrderAction forward,
             const OrderGraph::Source& source) {
    ordered(a, forward, b, forward, source);
    ordered(b, inverse(forward), a, inverse(forward), source);
  }

  void add_implied() {
    for (const auto& [name, group] : ns_.groups) {
      OrderGraph::Source source{-1, "group " + name};
      std::vector<std::string> members;
      for (const std::string& member : group->spec.resources) {
        if (ns_.resources.contains(member)) members.push_back(member);
      }
      bool promotable = group->spec.clone && group->spec.clone->promotable;
      for (std::size_t i = 0; i + 1 < members.size(); ++i) {
        chain(members[i], members[i + 1], OrderAction::kStart, source);
        if (promotable) chain(members[i], members[i + 1], OrderAction::kPromote, source);
      }
    }
    for (const auto& [name, resource] : ns_.resources) {
      bool promotable = resource->spec.clone && resource->spec.clone->promotable;
      auto group = ns_.group_of.find(name);
      promotable = promotable || (group != ns_.group_of.end() && group->second->spec.clone &&
                                  group->second->spec.clone->promotable);
      if (!promotable) continue;
      OrderGraph::Source source{-1, "promotion of " + name};
      ordered(name, OrderAction::kStart, name, OrderAction::kPromote, source);
      ordered(name, OrderAction::kDemote, name, OrderAction::kStop, source);
    }
  }

  void add_pair(const OrderConstraint& order, int index) {
    OrderGraph::Source source{index, {}};
    OrderAction first = order.first_action;
    OrderAction then = order.then_action.value_or(first);
    // Named steps, not nested calls: vertices must be created in the same
    // order by every compiler, since the order decides how cycles are told.
    auto before = endpoint(*order.first, first, true);
    auto after = endpoint(*order.then, then, false);
    link(before, after, source);
    if (order.symmetrical.value_or(true)) {
      auto stop_before = endpoint(*order.then, inverse(then), true);
      auto stop_after = endpoint(*order.first, inverse(first), false);
      link(stop_before, stop_after, source);
    }
  }

  // Consecutive sets are ordered; members of a sequential set are ordered
  // among themselves. A set with requireAll false lets the next one go
  // after any member, which no single member can block: no edges leave it.
  void add_sets(const OrderConstraint& order, int index, bool reverse) {
    OrderGraph::Source source{index, {}};
    const auto& sets = order.sets;
    auto action_of = [&](const ResourceSet& set) {
      OrderAction action = set.action.value_or(OrderAction::kStart);
      return reverse ? inverse(action) : action;
    };
    auto members = [&](const ResourceSet& set, bool finish) {
      std::vector<std::size_t> out;
      OrderAction action = action_of(set);
      const auto& names = set.resources;
      if (set.sequential && !names.empty()) {
        // Going forward, a sequential set starts at its first member and
        // finishes at its last; in reverse, the other way round.
        bool last = finish != reverse;
        return endpoint(last ? names.back() : names.front(), action, finish);
      }
      for (const std::string& name : names) {
        for (std::size_t v : endpoint(name, action, finish)) out.push_back(v);
      }
      return out;
    };
    for (const ResourceSet& set : sets) {
      if (!set.sequential) continue;
      OrderAction action = action_of(set);
      for (std::size_t i = 0; i + 1 < set.resources.size(); ++i) {
        const std::string& a = set.resources[reverse ? i + 1 : i];
        const std::string& b = set.resources[reverse ? i : i + 1];
        auto from = endpoint(a, action, true);
        auto to = endpoint(b, action, false);
        link(from, to, source);
      }
    }
    for (std::size_t i = 0; i + 1 < sets.size(); ++i) {
      const ResourceSet& before = sets[reverse ? i + 1 : i];
      const ResourceSet& after = sets[reverse ? i : i + 1];
      if (!sets[i].require_all.value_or(true)) continue;
      auto from = members(before, true);
      auto to = members(after, false);
      link(from, to, source);
    }
  }

 private:
  const Namespace& ns_;
  OrderGraph graph_;
};

}  // namespace

void check_order_cycles(const Namespace& ns, Diagnostics& d) {
  Builder builder(ns);
  builder.add_implied();
  for (std::size_t i = 0; i < ns.constraints.size(); ++i) {
    const HAConstraint& c = *ns.constraints[i];
    if (!c.origin.complete || !c.spec.order || c.spec.order->kind != OrderKind::kMandatory) {
      continue;
    }
    const OrderConstraint& order = *c.spec.order;
    int index = static_cast<int>(i);
    if (order.first && order.then) builder.add_pair(order, index);
    if (!order.sets.empty()) {
      builder.add_sets(order, index, false);
      if (order.symmetrical.value_or(true)) builder.add_sets(order, index, true);
    }
  }
  // A symmetrical order that cycles on start also cycles on stop: report
  // each set of constraints once.
  std::set<std::set<int>> reported_sets;
  for (const auto& cycle : builder.graph().cycles()) {
    std::string path = builder.graph().label(cycle.front().from);
    std::set<int> involved;
    for (const OrderGraph::Edge& edge : cycle) {
      path += " -> " + builder.graph().label(edge.to);
      if (edge.source.constraint >= 0) involved.insert(edge.source.constraint);
    }
    if (involved.empty()) continue;  // implied orders alone never form a cycle
    if (!reported_sets.insert(involved).second) continue;
    std::string through;
    for (int index : involved) {
      const HAConstraint& c = *ns.constraints[static_cast<std::size_t>(index)];
      through += (through.empty() ? "" : ", ") + object_label(HAConstraint::kKind, c.metadata);
    }
    for (const OrderGraph::Edge& edge : cycle) {
      if (edge.source.constraint < 0 && !edge.source.implied.empty()) {
        through += ", " + edge.source.implied;
      }
    }
    const HAConstraint& reported = *ns.constraints[static_cast<std::size_t>(*involved.rbegin())];
    d.error(reported, "spec.order",
            "mandatory orders form a cycle: " + path + " (through " + through + ")");
  }
}

}  // namespace tandem::model::detail
