#include "operator/placement/notifications.h"

#include <algorithm>
#include <vector>

#include "operator/placement/actions.h"
#include "operator/placement/setup.h"

namespace tandem::placement::detail {
namespace {

using Entry = NotifyData::Entry;

int top_of(const WorkingSet& ws, int r) {
  while (ws.rsc(r).parent != kNone) r = ws.rsc(r).parent;
  return r;
}

int notify_pseudo_action(WorkingSet& ws, int rsc, int action, const std::string& task,
                         const std::string& type) {
  const Action& about = ws.action(action);
  const std::string about_task = about.task;
  const bool optional = about.has(kOptional);
  const int index =
      keyed_action(ws, rsc, notify_key(ws.rsc(rsc).id, type, about_task), task, kNone, optional);
  Action& notify = ws.action(index);
  notify.flags |= kPseudo;
  notify.meta.emplace("notify_key_type", type);
  notify.meta.emplace("notify_key_operation", about_task);
  return index;
}

void describe(Action& action, const std::string& type, const std::string& operation) {
  action.meta.emplace("notify_type", type);
  action.meta.emplace("notify_operation", operation);
}

void add_keys(const NotifyData& data, Action& action) {
  for (const auto& [key, value] : data.keys) action.meta.emplace(key, value);
}

// What each instance is now and, with `activity`, what it is about to do.
void collect(const WorkingSet& ws, int r, bool activity, NotifyData& data) {
  const Resource& rsc = ws.rsc(r);
  if (!rsc.children.empty()) {
    for (int child : rsc.children) collect(ws, child, activity, data);
    return;
  }
  const Entry entry{r, rsc.running_on.empty() ? kNone : rsc.running_on.front()};
  switch (rsc.role) {
    case RoleX::kStopped:
      data.inactive.push_back(entry);
      break;
    case RoleX::kStarted:
      data.active.push_back(entry);
      break;
    case RoleX::kUnpromoted:
      data.unpromoted.push_back(entry);
      data.active.push_back(entry);
      break;
    case RoleX::kPromoted:
      data.promoted.push_back(entry);
      data.active.push_back(entry);
      break;
    default:
      break;
  }
  if (!activity) return;
  for (int a : rsc.actions) {
    const Action& action = ws.action(a);
    if (action.has(kOptional) || action.node == kNone) continue;
    // A stop on an unclean node counts even though only fencing can do it.
    const bool fenced_stop = action.task == "stop" && ws.node(action.node).unclean;
    if (!fenced_stop && !action.has(kRunnable)) continue;
    const Entry doing{r, action.node};
    if (action.task == "start") {
      data.start.push_back(doing);
    } else if (action.task == "stop") {
      data.stop.push_back(doing);
    } else if (action.task == "promote") {
      data.promote.push_back(doing);
    } else if (action.task == "demote") {
      data.demote.push_back(doing);
    }
  }
}

// Space-separated resource ids and node names, sorted by resource and node
// id, one entry per instance; " " when empty, as agents expect.
void to_strings(const WorkingSet& ws, std::vector<Entry> entries, std::string* resources,
                std::string* nodes) {
  std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
    const int by_rsc = ws.rsc(a.rsc).id.compare(ws.rsc(b.rsc).id);
    if (by_rsc != 0) return by_rsc < 0;
    if (a.node == kNone || b.node == kNone) return a.node != kNone && b.node == kNone;
    return ws.node(a.node).id < ws.node(b.node).id;
  });
  std::string rsc_words, node_words;
  const std::string* last = nullptr;
  for (const Entry& entry : entries) {
    if (nodes != nullptr && entry.node == kNone) continue;
    if (last != nullptr && *last == ws.rsc(entry.rsc).id) continue;
    last = &ws.rsc(entry.rsc).id;
    rsc_words += (rsc_words.empty() ? "" : " ") + ws.rsc(entry.rsc).id;
    if (nodes != nullptr) node_words += (node_words.empty() ? "" : " ") + ws.node(entry.node).name;
  }
  if (resources != nullptr) *resources = rsc_words.empty() ? " " : rsc_words;
  if (nodes != nullptr) *nodes = node_words.empty() ? " " : node_words;
}

std::string words(const std::vector<std::string>& list) {
  std::string out;
  for (const std::string& word : list) out += (out.empty() ? "" : " ") + word;
  return out.empty() ? " " : out;
}

// Pacemaker's add_notif_keys; the notifications become required when the
// clone's own task happens.
void add_notify_keys(WorkingSet& ws, int clone, NotifyData& data) {
  std::string resources, nodes;
  auto put = [&](const std::string& what, const std::vector<Entry>& entries, bool with_nodes) {
    to_strings(ws, entries, &resources, with_nodes ? &nodes : nullptr);
    data.keys["notify_" + what + "_resource"] = resources;
    if (with_nodes) data.keys["notify_" + what + "_uname"] = nodes;
  };
  put("stop", data.stop, true);
  bool required = resources != " " && data.action == "stop";
  required = required || (!data.start.empty() && data.action == "start");
  required = required || (!data.demote.empty() && data.action == "demote");
  required = required || (!data.promote.empty() && data.action == "promote");
  put("start", data.start, true);
  put("demote", data.demote, true);
  put("promote", data.promote, true);
  put("active", data.active, true);
  put("unpromoted", data.unpromoted, true);
  put("slave", data.unpromoted, true);  // the older name, which older agents read
  put("promoted", data.promoted, true);
  put("master", data.promoted, true);
  put("inactive", data.inactive, false);

  std::vector<int> available;
  for (const auto& [node, entry] : ws.rsc(clone).allowed) {
    (void)entry;
    available.push_back(node);
  }
  std::sort(available.begin(), available.end(),
            [&](int a, int b) { return numeric_strcasecmp(ws.node(a).name, ws.node(b).name) < 0; });
  std::vector<std::string> names;
  for (int node : available) names.push_back(ws.node(node).name);
  data.keys["notify_available_uname"] = words(names);
  names.clear();
  for (const Node& node : ws.nodes) names.push_back(node.name);
  data.keys["notify_all_uname"] = words(names);

  if (!required) return;
  for (int a : {data.pre, data.pre_done, data.post, data.post_done}) {
    if (a != kNone) ws.action(a).flags &= ~kOptional;
  }
}

int notify_action(WorkingSet& ws, int r, int node, int op, int done, const NotifyData& data) {
  if (op == kNone || done == kNone || !ws.node(node).online || !ws.action(op).has(kRunnable)) {
    return kNone;
  }
  const std::string type = ws.action(op).meta.at("notify_type");
  const std::string operation = ws.action(op).meta.at("notify_operation");
  const int index = keyed_action(ws, r, notify_key(ws.rsc(r).id, type, operation),
                                 ws.action(op).task, node, ws.action(op).has(kOptional));
  const std::map<std::string, std::string> inherited = ws.action(op).meta;
  Action& notify = ws.action(index);
  for (const auto& [key, value] : inherited) notify.meta.emplace(key, value);
  add_keys(data, notify);
  order_actions(ws, op, index, kOrderOptional);
  order_actions(ws, index, done, kOrderOptional);
  return index;
}

void post_notify_action(WorkingSet& ws, int r, int node, const NotifyData& data) {
  notify_action(ws, r, node, data.post, data.post_done, data);
  if (data.post_done == kNone) return;
  // Recurring monitors resume once everyone has been told.
  const std::vector<int> actions = ws.rsc(r).actions;
  for (int a : actions) {
    if (ws.action(a).interval_ms > 0 && ws.action(a).task != "cancel") {
      order_actions(ws, data.post_done, a, kOrderOptional);
    }
  }
}

int newest(const WorkingSet& ws, int r, const std::string& task) {
  const std::vector<int>& actions = ws.rsc(r).actions;
  for (auto it = actions.rbegin(); it != actions.rend(); ++it) {
    if (ws.action(*it).task == task) return *it;
  }
  return kNone;
}

void create_notify_actions(WorkingSet& ws, int r, const NotifyData& data) {
  if (!ws.rsc(r).children.empty()) {
    const std::vector<int> children = ws.rsc(r).children;
    for (int child : children) create_notify_actions(ws, child, data);
    return;
  }
  // The agent's own start, stop, promote and demote get the lists too.
  for (int a : ws.rsc(r).actions) {
    Action& action = ws.action(a);
    if (action.has(kOptional) || action.node == kNone) continue;
    if (action.task == "start" || action.task == "stop" || action.task == "promote" ||
        action.task == "demote") {
      add_keys(data, action);
    }
  }
  const std::string& task = data.action;
  // Nothing to tell when nothing of the kind happens; a stop may be done by
  // fencing, so stops are told regardless.
  if ((task == "start" && data.start.empty()) || (task == "promote" && data.promote.empty()) ||
      (task == "demote" && data.demote.empty())) {
    return;
  }
  if (ws.rsc(r).role != RoleX::kStopped && (task == "stop" || task == "demote")) {
    const int stop = newest(ws, r, "stop");
    const std::vector<int> running = ws.rsc(r).running_on;
    for (int node : running) {
      if (stop != kNone && ws.action(stop).has(kPseudo) && ws.node(node).unclean) continue;
      notify_action(ws, r, node, data.pre, data.pre_done, data);
      if (task == "demote" || stop == kNone || ws.action(stop).has(kOptional)) {
        post_notify_action(ws, r, node, data);
      }
    }
  }
  if (ws.rsc(r).next_role != RoleX::kStopped && (task == "start" || task == "promote")) {
    const int node = ws.rsc(r).assigned;
    if (node == kNone) return;
    const int start = newest(ws, r, "start");
    if (task != "start" || start == kNone || ws.action(start).has(kOptional)) {
      notify_action(ws, r, node, data.pre, data.pre_done, data);
    }
    post_notify_action(ws, r, node, data);
  }
}

}  // namespace

std::string notify_key(const std::string& rsc, const std::string& type, const std::string& task) {
  return rsc + "_" + type + "_notify_" + task + "_0";
}

bool notifies(const WorkingSet& ws, int r) {
  const Resource& top = ws.rsc(top_of(ws, r));
  return top.variant == Variant::kClone && top.clone.notify;
}

int clone_notification_ops(WorkingSet& ws, int rsc, const std::string& task, int action,
                           int complete) {
  if (!notifies(ws, rsc)) return kNone;
  NotifyData data;
  data.rsc = rsc;
  data.action = task;
  if (action != kNone) {
    data.pre = notify_pseudo_action(ws, rsc, action, "notify", "pre");
    data.pre_done = notify_pseudo_action(ws, rsc, action, "notified", "confirmed-pre");
    for (int a : {data.pre, data.pre_done}) {
      ws.action(a).flags |= kRunnable;
      describe(ws.action(a), "pre", task);
    }
    order_actions(ws, data.pre, data.pre_done, kOrderOptional);
    order_actions(ws, data.pre_done, action, kOrderOptional);
  }
  if (complete != kNone) {
    data.post = notify_pseudo_action(ws, rsc, complete, "notify", "post");
    data.post_done = notify_pseudo_action(ws, rsc, complete, "notified", "confirmed-post");
    const bool runnable = ws.action(complete).has(kRunnable);
    for (int a : {data.post, data.post_done}) {
      if (runnable) {
        ws.action(a).flags |= kRunnable;
      } else {
        ws.action(a).flags &= ~kRunnable;
      }
      describe(ws.action(a), "post", task);
    }
    order_actions(ws, complete, data.post, kOrderImpliesThen);
    order_actions(ws, data.post, data.post_done, kOrderImpliesThen);
  }
  if (action != kNone && complete != kNone) {
    order_actions(ws, data.pre_done, data.post, kOrderOptional);
  }
  ws.notifications.push_back(std::move(data));
  return static_cast<int>(ws.notifications.size()) - 1;
}

void create_notifications(WorkingSet& ws) {
  for (std::size_t i = 0; i < ws.notifications.size(); ++i) {
    NotifyData& data = ws.notifications[i];
    collect(ws, data.rsc, true, data);
    add_notify_keys(ws, data.rsc, data);
    create_notify_actions(ws, data.rsc, ws.notifications[i]);
  }
}

void order_notifications_after_fencing(WorkingSet& ws, int stop, int rsc, int stonith) {
  if (!notifies(ws, rsc)) return;
  const int index = clone_notification_ops(ws, rsc, "stop", kNone, stonith);
  NotifyData data = std::move(ws.notifications[static_cast<std::size_t>(index)]);
  ws.notifications.pop_back();
  collect(ws, rsc, false, data);
  data.keys["notify_stop_resource"] = ws.rsc(rsc).id;
  data.keys["notify_stop_uname"] = ws.node(ws.action(stop).node).name;
  create_notify_actions(ws, top_of(ws, rsc), data);
}

}  // namespace tandem::placement::detail
