#include "operator/placement/internal.h"

#include "operator/placement/clone.h"
#include "operator/placement/constraints.h"
#include "operator/placement/unfencing.h"

namespace tandem::placement::detail {
namespace {

void primitive_constraints(WorkingSet& ws, int r) {
  const Resource& rsc = ws.rsc(r);
  if (!rsc.managed) return;
  order_resources(ws, r, "stop", r, "start", kOrderOptional | kOrderImpliesThen | kOrderRestart);
  if (rsc.container != kNone) {
    // Inside its container: started after it, stopped before it, with it.
    order_resources(ws, rsc.container, "start", r, "start", kOrderImpliesThen | kOrderRunnableLeft);
    order_resources(ws, r, "stop", rsc.container, "stop", kOrderImpliesFirst);
    new_colocation(ws, "resource-with-container", Score::infinity(), r, rsc.container,
                   RoleX::kUnknown, RoleX::kUnknown, std::nullopt, true);
  }
  // Demote before stop and start before promote matter only for resources
  // that can be promoted (part II); a primitive found promoted gets them.
  if (is_promotable_instance(ws, r) || rsc.role > RoleX::kUnpromoted) {
    order_resources(ws, r, "demote", r, "stop", kOrderPromotedImpliesFirst);
    order_resources(ws, r, "start", r, "promote", kOrderRunnableLeft);
  }
  order_restart_vs_unfence(ws, r);
}

void group_constraints(WorkingSet& ws, int g) {
  order_resources(ws, g, "stop", g, "stopped", kOrderRunnableLeft);
  order_resources(ws, g, "stopped", g, "start", kOrderOptional);
  order_resources(ws, g, "start", g, "running", kOrderRunnableLeft);

  const bool ordered = ws.rsc(g).group_ordered;
  const bool colocated = ws.rsc(g).group_colocated;
  int previous = kNone;
  int last_active = kNone;
  const std::vector<int> members = ws.rsc(g).children;
  for (int member : members) {
    std::uint32_t down_flags = kOrderImpliesFirstPrinted;
    std::uint32_t post_down_flags = kOrderImpliesThenPrinted;
    primitive_constraints(ws, member);
    if (previous == kNone) {
      if (ordered) {
        down_flags |= kOrderOptional;
        post_down_flags = kOrderImpliesThen;
      }
    } else if (colocated) {
      new_colocation(ws, "group:internal_colocation", Score::infinity(), member, previous,
                     RoleX::kUnknown, RoleX::kUnknown, std::nullopt, ws.rsc(member).critical);
    }

    order_resources(ws, g, "stop", member, "stop", down_flags);
    order_resources(ws, member, "stop", g, "stopped", post_down_flags);
    order_resources(ws, g, "start", member, "start", kOrderImpliesFirstPrinted);
    order_resources(ws, member, "start", g, "running",
                    kOrderRunnableLeft | kOrderImpliesThen | kOrderImpliesThenPrinted);

    if (!ordered) {
      order_resources(ws, g, "start", member, "start",
                      kOrderImpliesThen | kOrderRunnableLeft | kOrderImpliesFirstPrinted);
    } else if (previous == kNone) {
      order_resources(ws, g, "start", member, "start", kOrderNone);
    } else {
      order_resources(ws, previous, "start", member, "start",
                      kOrderImpliesThen | kOrderRunnableLeft);
      order_resources(ws, member, "stop", previous, "stop", kOrderOptional | kOrderRestart);
    }

    // Partially active groups shut down in sequence.
    if (!ws.rsc(member).running_on.empty()) {
      if (ordered && previous != kNone && ws.rsc(previous).running_on.empty() &&
          last_active != kNone && !ws.rsc(last_active).running_on.empty()) {
        order_resources(ws, member, "stop", last_active, "stop", kOrderOptional);
      }
      last_active = member;
    }
    previous = member;
  }
}

}  // namespace

void create_constraints_for(WorkingSet& ws, int r) {
  switch (ws.rsc(r).variant) {
    case Variant::kGroup:
      group_constraints(ws, r);
      return;
    case Variant::kClone:
      create_clone_constraints(ws, r);
      return;
    case Variant::kPrimitive:
      primitive_constraints(ws, r);
      return;
  }
}

void create_internal_constraints(WorkingSet& ws) {
  for (int r : ws.top_level) create_constraints_for(ws, r);
}

}  // namespace tandem::placement::detail
