// Resource sets in orders and colocations, expanded into plain orderings and
// colocations the way Pacemaker 2.1 expands them (unpack_order_set,
// order_rsc_sets, unpack_colocation_set, colocate_rsc_sets). The expansion
// decides which resources wait for which, so its asymmetries are kept: for
// orders, a set's own members follow each other, and consecutive sets are
// joined last-to-first; for colocations, each member depends on the one
// listed before it, but between sets the earlier set depends on the later.

#include "operator/placement/sets.h"

#include "operator/placement/actions.h"
#include "operator/placement/constraints.h"

namespace tandem::placement::detail {
namespace {

enum class Symmetry { kAsymmetric, kSymmetric, kInverse };

// Pacemaker's ordering_flags_for_kind.
std::uint32_t order_flags(model::OrderKind kind, const std::string& first_task, Symmetry symmetry) {
  std::uint32_t flags = kOrderOptional;
  switch (kind) {
    case model::OrderKind::kOptional:
      break;
    case model::OrderKind::kSerialize:
      flags |= kOrderSerializeOnly;
      break;
    case model::OrderKind::kMandatory:
      switch (symmetry) {
        case Symmetry::kAsymmetric:
          flags |= kOrderAsymmetrical;
          break;
        case Symmetry::kSymmetric:
          flags |= kOrderImpliesThen;
          if (first_task == "start" || first_task == "promote") flags |= kOrderRunnableLeft;
          break;
        case Symmetry::kInverse:
          flags |= kOrderImpliesFirst;
          break;
      }
      break;
  }
  return flags;
}

std::string inverse(const std::string& task) {
  if (task == "start") return "stop";
  if (task == "stop") return "start";
  if (task == "promote") return "demote";
  if (task == "demote") return "promote";
  return task;  // Pacemaker keeps other actions as they are
}

// The members of a set that the engine knows, in the set's order.
std::vector<int> members(const WorkingSet& ws, const model::ResourceSet& set) {
  std::vector<int> out;
  for (const std::string& name : set.resources) {
    int r = ws.find_resource(name);
    if (r != kNone) out.push_back(r);
  }
  return out;
}

std::string set_task(const model::ResourceSet& set) {
  return std::string(model::to_string(set.action.value_or(model::OrderAction::kStart)));
}

// Within one set: each member after the one before it (and the inverse
// back), or, for Serialize, each before every later one.
void order_within_set(WorkingSet& ws, const model::ResourceSet& set, model::OrderKind kind,
                      Symmetry symmetry) {
  const std::vector<int> list = members(ws, set);
  if (list.size() < 2) return;
  std::string task = set_task(set);
  std::uint32_t flags = order_flags(kind, task, symmetry);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (kind == model::OrderKind::kSerialize) {
      for (std::size_t j = i + 1; j < list.size(); ++j) {
        order_resources(ws, list[i], task, list[j], task, flags);
      }
    } else if (set.sequential && i > 0) {
      order_resources(ws, list[i - 1], task, list[i], task, flags);
    }
  }
  if (symmetry == Symmetry::kAsymmetric) return;
  task = inverse(task);
  flags = order_flags(kind, task, Symmetry::kInverse);
  if (!set.sequential) return;
  for (std::size_t i = 1; i < list.size(); ++i) {
    order_resources(ws, list[i], task, list[i - 1], task, flags);
  }
}

// A pseudo-action that becomes runnable once `required` of the actions
// ordered before it are (require-all=false).
int one_or_more_action(WorkingSet& ws, const std::string& name) {
  const std::string key = "one-or-more:" + name;
  for (std::size_t i = 0; i < ws.actions.size(); ++i) {
    if (ws.actions[i].rsc == kNone && ws.actions[i].key == key) return static_cast<int>(i);
  }
  Action action;
  action.id = static_cast<int>(ws.actions.size());
  action.task = key;
  action.key = key;
  action.flags = kPseudo | kRunnable | kOptional | kRequiresAny;
  action.required_runnable_before = 1;
  ws.actions.push_back(std::move(action));
  return static_cast<int>(ws.actions.size()) - 1;
}

void order_between_sets(WorkingSet& ws, const std::string& id, std::size_t index,
                        const model::ResourceSet& set1, const model::ResourceSet& set2,
                        model::OrderKind kind, Symmetry symmetry) {
  std::string task1 = set_task(set1);
  std::string task2 = set_task(set2);
  if (symmetry == Symmetry::kInverse) {
    task1 = inverse(task1);
    task2 = inverse(task2);
  }
  bool require_all = set1.require_all.value_or(true);
  // Stopping is never "one or more": everything after waits for all.
  if (task1 == "stop" || task1 == "demote") require_all = true;
  const std::uint32_t flags = order_flags(kind, task1, symmetry);
  const std::vector<int> list1 = members(ws, set1);
  const std::vector<int> list2 = members(ws, set2);

  if (!require_all) {
    const int any = one_or_more_action(ws, id + "-set-" + std::to_string(index));
    for (int r : list1) {
      Ordering order;
      order.first_rsc = r;
      order.first_task = task1;
      order.then_action = any;
      order.flags = kOrderOneOrMore | kOrderImpliesThenPrinted;
      ws.orderings.push_back(std::move(order));
    }
    for (int r : list2) {
      Ordering order;
      order.first_action = any;
      order.then_rsc = r;
      order.then_task = task2;
      order.flags = flags | kOrderRunnableLeft;
      ws.orderings.push_back(std::move(order));
    }
    return;
  }

  // A sequential set meets the next one with one member: its last going
  // forward, its first going back.
  int rsc1 = kNone, rsc2 = kNone;
  if (set1.sequential && !list1.empty()) {
    rsc1 = symmetry == Symmetry::kInverse ? list1.front() : list1.back();
  }
  if (set2.sequential && !list2.empty()) {
    rsc2 = symmetry == Symmetry::kInverse ? list2.back() : list2.front();
  }
  const std::vector<int> from = rsc1 != kNone ? std::vector<int>{rsc1} : list1;
  const std::vector<int> to = rsc2 != kNone ? std::vector<int>{rsc2} : list2;
  for (int first : from) {
    for (int then : to) order_resources(ws, first, task1, then, task2, flags);
  }
}

RoleX set_role(const std::optional<model::Role>& role) {
  // Started means any role in a colocation.
  if (!role || *role == model::Role::kStarted) return RoleX::kUnknown;
  return to_role_x(*role);
}

bool influence_of(const WorkingSet& ws, const model::ColocationConstraint& spec, int r) {
  return spec.influence.value_or(ws.rsc(r).critical);
}

void colocate_within_set(WorkingSet& ws, const std::string& id,
                         const model::ColocationConstraint& spec, const model::ResourceSet& set) {
  if (!set.sequential) return;
  const std::vector<int> list = members(ws, set);
  const RoleX role = set_role(set.role);
  if (spec.score > Score::of(0)) {
    for (std::size_t i = 1; i < list.size(); ++i) {
      new_colocation(ws, id, spec.score, list[i], list[i - 1], role, role, std::nullopt,
                     influence_of(ws, spec, list[i]));
    }
    return;
  }
  // Against every member listed before: no two of the set run together.
  for (std::size_t i = 0; i < list.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      new_colocation(ws, id, spec.score, list[i], list[j], role, role, std::nullopt,
                     influence_of(ws, spec, list[i]));
    }
  }
}

void colocate_sets(WorkingSet& ws, const std::string& id, const model::ColocationConstraint& spec,
                   const model::ResourceSet& set1, const model::ResourceSet& set2) {
  const std::vector<int> list1 = members(ws, set1);
  const std::vector<int> list2 = members(ws, set2);
  const std::vector<int> dependents =
      set1.sequential && !list1.empty() ? std::vector<int>{list1.front()} : list1;
  const std::vector<int> primaries =
      set2.sequential && !list2.empty() ? std::vector<int>{list2.back()} : list2;
  for (int dependent : dependents) {
    for (int primary : primaries) {
      new_colocation(ws, id, spec.score, dependent, primary, set_role(set1.role),
                     set_role(set2.role), std::nullopt, influence_of(ws, spec, dependent));
    }
  }
}

}  // namespace

void unpack_order_sets(WorkingSet& ws, const model::HAConstraint& constraint) {
  const model::OrderConstraint& spec = *constraint.spec.order;
  const std::string& id = constraint.metadata.name;
  const bool symmetric =
      spec.kind != model::OrderKind::kSerialize && spec.symmetrical.value_or(true);
  const Symmetry symmetry = symmetric ? Symmetry::kSymmetric : Symmetry::kAsymmetric;
  for (std::size_t i = 0; i < spec.sets.size(); ++i) {
    order_within_set(ws, spec.sets[i], spec.kind, symmetry);
    if (i == 0) continue;
    order_between_sets(ws, id, i - 1, spec.sets[i - 1], spec.sets[i], spec.kind, symmetry);
    if (symmetric) {
      order_between_sets(ws, id, i, spec.sets[i], spec.sets[i - 1], spec.kind, Symmetry::kInverse);
    }
  }
}

void unpack_colocation_sets(WorkingSet& ws, const model::HAConstraint& constraint) {
  const model::ColocationConstraint& spec = *constraint.spec.colocation;
  if (spec.score == Score::of(0)) return;
  const std::string& id = constraint.metadata.name;
  for (std::size_t i = 0; i < spec.sets.size(); ++i) {
    colocate_within_set(ws, id, spec, spec.sets[i]);
    if (i > 0) colocate_sets(ws, id, spec, spec.sets[i - 1], spec.sets[i]);
  }
}

}  // namespace tandem::placement::detail
