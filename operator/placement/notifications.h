#pragma once

// Notifications (a clone's notify=true): agents such as drbd's are told
// before and after each start, stop, promote and demote of any instance,
// with who is doing what. Pacemaker's pe_notif.c: pseudo-actions around the
// clone's own action, and a "notify" action for each instance on each node
// it is active on (before) or will be active on (after).

#include <string>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Whether `r` belongs to a clone with notifications.
bool notifies(const WorkingSet& ws, int r);

// The pre- and post-notification pseudo-actions for `task` of clone `rsc`,
// around `action` (the clone's start) and `complete` (its running), either
// of which may be kNone. Returns the index into ws.notifications, or kNone
// when the clone does not notify.
int clone_notification_ops(WorkingSet& ws, int rsc, const std::string& task, int action,
                           int complete);

// Once every flag has settled: the notify actions of each instance, and the
// lists they carry (Pacemaker's pe__create_notifications).
void create_notifications(WorkingSet& ws);

// A stop implied by fencing `stonith`: the other instances are told after
// the fencing (Pacemaker's pe__order_notifs_after_fencing).
void order_notifications_after_fencing(WorkingSet& ws, int stop, int rsc, int stonith);

// Pacemaker's notify key: "<rsc>_<type>_notify_<task>_0".
std::string notify_key(const std::string& rsc, const std::string& type, const std::string& task);

}  // namespace tandem::placement::detail
