// Which resource a history entry belongs to. An anonymous clone's history
// names the primitive without an instance number (or with a stale one), so
// it goes to an instance already active on that node, else to a free one,
// else to a new orphan instance, as Pacemaker 2.1's find_anonymous_clone
// decides.

#include <cstdlib>

#include "operator/placement/clone.h"
#include "operator/placement/scores.h"

namespace tandem::placement::detail {
namespace {

int outermost(const WorkingSet& ws, int r) {
  while (ws.rsc(r).parent != kNone) r = ws.rsc(r).parent;
  return r;
}

// A new instance for history that fits no configured one; it is stopped
// and never started again.
int orphan_instance(WorkingSet& ws, int clone, const std::string& base) {
  const int number = static_cast<int>(ws.rsc(clone).children.size());
  const int model = ws.rsc(clone).children.front();
  const int index = static_cast<int>(ws.resources.size());
  Resource copy = ws.rsc(model);
  copy.id = ws.rsc(model).base_id + ":" + std::to_string(number);
  copy.instance = number;
  copy.orphan = true;
  copy.children.clear();
  copy.actions.clear();
  copy.running_on.clear();
  copy.known_on.clear();
  copy.this_with.clear();
  copy.with_this.clear();
  ws.resources.push_back(std::move(copy));
  ws.resource_index.emplace(ws.rsc(index).id, index);
  ws.rsc(clone).children.push_back(index);
  // A cloned group's orphan gets orphan members too.
  const std::vector<int> members = ws.rsc(model).children;
  for (int member : members) {
    const int child = static_cast<int>(ws.resources.size());
    Resource part = ws.rsc(member);
    part.id = part.base_id + ":" + std::to_string(number);
    part.instance = number;
    part.parent = index;
    part.orphan = true;
    part.actions.clear();
    part.running_on.clear();
    part.known_on.clear();
    part.this_with.clear();
    part.with_this.clear();
    ws.resources.push_back(std::move(part));
    ws.resource_index.emplace(ws.rsc(child).id, child);
    ws.rsc(index).children.push_back(child);
  }
  add_location(ws, index, kNone, Score::minus_infinity(), "__orphan_do_not_run__");
  const int found = instance_part(ws, index, base);
  return found != kNone ? found : index;
}

int anonymous_instance(WorkingSet& ws, int clone, const std::string& base, int node) {
  int found = kNone;
  int inactive = kNone;
  bool skip_inactive = false;
  // Nothing below changes the clone (an orphan is made after the search).
  const std::vector<int>& children = ws.rsc(clone).children;
  for (int child : children) {
    if (found != kNone) break;
    const int at = instance_node(ws, child, true);
    if (at != kNone) {
      if (at != node) continue;
      found = instance_part(ws, child, base);
      if (found != kNone && !ws.rsc(found).running_on.empty()) {
        // Two histories of one anonymous instance on one node: the second
        // is an orphan.
        skip_inactive = true;
        found = kNone;
      }
    } else if (!skip_inactive && inactive == kNone && !blocked_anywhere(ws, child)) {
      inactive = instance_part(ws, child, base);
    }
  }
  if (found == kNone && !skip_inactive) found = inactive;
  // An instance on a lost node that does not need fencing is not counted
  // there, unless every node has one, so that it can start elsewhere.
  if (found != kNone && ws.rsc(found).requires_ != Requirement::kFencing &&
      (!ws.node(node).online || ws.node(node).unclean) &&
      ws.rsc(clone).clone.max < static_cast<int>(ws.nodes.size())) {
    found = kNone;
  }
  if (found == kNone) found = orphan_instance(ws, clone, base);
  return found;
}

}  // namespace

int resource_for_history(WorkingSet& ws, const std::string& id, int node) {
  int r = ws.find_resource(id);
  int clone = kNone;
  if (r == kNone) {
    // Known as an instance? Then it belongs to that clone, if anonymous.
    const int zero = ws.find_resource(strip_instance(id) + ":0");
    if (zero == kNone) return kNone;
    const int top = outermost(ws, zero);
    if (!is_clone(ws, top) || ws.rsc(top).clone.unique) return kNone;
    clone = top;
  } else if (is_clone(ws, r)) {
    // The clone's own name: the history of its anonymous primitive.
    if (ws.rsc(r).clone.unique ||
        ws.rsc(ws.rsc(r).children.front()).variant != Variant::kPrimitive) {
      return kNone;
    }
    clone = r;
  } else if (ws.rsc(r).variant != Variant::kPrimitive) {
    return kNone;  // no longer a primitive
  } else {
    const int top = outermost(ws, r);
    if (!is_clone(ws, top) || ws.rsc(top).clone.unique) return r;
    clone = top;
  }
  const int found = anonymous_instance(ws, clone, strip_instance(id), node);
  if (ws.rsc(found).id != id) ws.rsc(found).history_name = id;
  return found;
}

}  // namespace tandem::placement::detail
