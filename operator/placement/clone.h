#pragma once

// Clones (Pacemaker's pcmk_sched_clone.c): assigning instances, their
// actions and the clone's pseudo-actions, and how orderings and colocations
// with a clone reach its instances.

#include <string>
#include <unordered_map>
#include <vector>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Assigns every instance of clone `c`; returns kNone (a clone has no one
// node).
int assign_clone(WorkingSet& ws, int c, int prefer);

// The entry for `node` in the allowed table of the clone above `r`
// (Pacemaker's pcmk__top_allowed_node); nullptr when the node is not there.
AllowedNode* top_allowed(WorkingSet& ws, int r, int node);

// Where instance `r` (a primitive or a group) runs now (`current`) or is
// assigned to.
int instance_node(const WorkingSet& ws, int r, bool current);

// Phase 7, for a clone: its instances' actions and the clone's start,
// running, stop and stopped pseudo-actions.
void create_clone_actions(WorkingSet& ws, int c);

// Phase 5, for a clone: the orderings between the clone's pseudo-actions
// and its instances'.
void create_clone_constraints(WorkingSet& ws, int c);

// The instance of `clone` on the node instance `local` of another clone
// runs on (`current`) or is assigned to, or, when `local` has no node, on
// its best node that has one; with a role when `filter` is not kUnknown.
int compatible_instance(const WorkingSet& ws, int local, int clone, RoleX filter, bool current);

// compatible_instance without a role filter, indexed by node: for the many
// lookups of interleaved orderings, while flags settle (scores and blocked
// instances stay as they are). clear() after assignments change; until then
// an entry answers as it was made, as it always has.
class InstancePairing {
 public:
  int pair(const WorkingSet& ws, int local, int clone, bool current);
  void clear() { index_.clear(); }

 private:
  static std::int64_t key(int clone, bool current) {
    return static_cast<std::int64_t>(clone) * 2 + (current ? 1 : 0);
  }
  std::unordered_map<std::int64_t, std::vector<int>> index_;  // by node
  // For instances on no node, which compatible_instance answers from the
  // assignments as they are now: its answers, while no assignment changes
  // (WorkingSet::assignment_changes).
  struct Unplaced {
    std::uint64_t made_at = 0;
    std::vector<int> first_on;
    std::unordered_map<int, int> pair_of;
  };
  std::unordered_map<std::int64_t, Unplaced> unplaced_;
};

// Colocation of `dependent` (a primitive) with clone `primary`
// (Pacemaker's pcmk__clone_apply_coloc_score).
void apply_clone_colocation(WorkingSet& ws, int dependent, int primary,
                            const Colocation& colocation);

// Pacemaker's pcmk__cmp_instance: negative when instance `a` is to be
// assigned before `b`.
int compare_clone_instances(WorkingSet& ws, int a, int b);

// Promotable clones.
bool is_promotable_instance(const WorkingSet& ws, int r);
// Before assignment: agents' promotion scores add to the instances' scores.
void add_promotion_scores(WorkingSet& ws, int clone);
// After assignment: which instances are promoted.
void set_instance_roles(WorkingSet& ws, int clone);
void create_promotable_pseudo_actions(WorkingSet& ws, int clone);
void create_promotable_constraints(WorkingSet& ws, int clone);
// A colocation with a role of promotable clone `primary`; false when it is
// handled as with any clone.
bool apply_promotable_colocation(WorkingSet& ws, int dependent, int primary,
                                 const Colocation& colocation);

// "first_task clone then then_task then" when the clone has clone-min (or
// the order require-all=false): `then` waits for `minimum` instances only
// (Pacemaker's clone_min_ordering).
void order_after_clone_min(WorkingSet& ws, const std::string& id, int clone,
                           const std::string& first_task, int then, const std::string& then_task,
                           std::uint32_t flags, int minimum);

// "db:3" -> "db"; an id without a numeric suffix stays as it is.
std::string strip_instance(const std::string& id);
// The primitive of `instance` (itself, or a cloned group's member) whose id
// without the instance number is `base`; kNone if none.
int instance_part(const WorkingSet& ws, int instance, const std::string& base);
// Whether `r` or any part of it is blocked.
bool blocked_anywhere(const WorkingSet& ws, int r);
// The role of `r` now (`current`) or next: a group's is its members'
// highest.
RoleX instance_role(const WorkingSet& ws, int r, bool current);

// Whether `r` is a clone, or an instance of an anonymous clone (whose
// history and fail counts carry no instance number).
bool is_clone(const WorkingSet& ws, int r);
// The clone `r` is (part of) an instance of; kNone outside clones.
int owning_clone(const WorkingSet& ws, int r);
bool is_anonymous_instance(const WorkingSet& ws, int r);
// The id history, fail counts and operation ids use for `r`: without the
// instance number for an anonymous clone's instances.
const std::string& history_id(const WorkingSet& ws, int r);

// The history of `id` on `node` belongs to which resource: for an anonymous
// clone, an instance already active there, else a free one, else a new
// orphan instance (Pacemaker's unpack_find_resource and
// find_anonymous_clone). kNone when nothing is configured by that id.
int resource_for_history(WorkingSet& ws, const std::string& id, int node);

}  // namespace tandem::placement::detail
