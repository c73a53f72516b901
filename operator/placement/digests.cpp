// Configuration changes: an operation's history records digests of the
// parameters it ran with. When the resource's parameters differ now, the
// resource restarts (or reloads, where the agent can) so that the change
// takes effect, as Pacemaker 2.1's pcmk__handle_rsc_config_changes decides.
// The digest is Pacemaker's: MD5 over its serialization of the sorted
// parameters, so that histories written by Pacemaker compare equal.

#include "operator/placement/digests.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include <openssl/evp.h>

#include "common/core/assert.h"
#include "operator/placement/actions.h"
#include "operator/placement/clone.h"
#include "operator/placement/rules.h"
#include "operator/placement/unfencing.h"

namespace tandem::placement::detail {
namespace {

constexpr std::int64_t kDefaultTimeoutMs = 20'000;

// Pacemaker's crm_xml_escape.
std::string escape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0x80) && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0x80)) {
      // Pacemaker stops escaping at the first multi-byte character.
      out.append(text, i, std::string::npos);
      return out;
    }
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\t':
        out += "    ";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < ' ' || c > '~') {
          char octal[8];
          std::snprintf(octal, sizeof octal, "\\%.3o", static_cast<unsigned>(c));
          out += octal;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string md5_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const bool ok = EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr) == 1;
  TANDEM_ASSERT(ok, "MD5 is available");
  std::string hex;
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0xf];
  }
  return hex;
}

std::string digest_of(const std::map<std::string, std::string>& params) {
  std::string text = " <parameters";
  for (const auto& [name, value] : params) text += " " + name + "=\"" + escape(value) + "\"";
  text += "/>\n";
  return md5_hex(text);
}

// Pacemaker's calculate_active_ops: where in the sorted history the
// resource last started and last stopped.
void active_ops(const std::vector<const OpRecord*>& ops, int& start_index, int& stop_index) {
  int implied_monitor_start = -1;
  int implied_clone_start = -1;
  start_index = -1;
  stop_index = -1;
  for (int i = 0; i < static_cast<int>(ops.size()); ++i) {
    const OpRecord& op = *ops[static_cast<std::size_t>(i)];
    if (op.task == "stop" && op.status == ExecStatus::kDone) {
      stop_index = i;
    } else if (op.task == "start" || op.task == "migrate_from") {
      start_index = i;
    } else if (implied_monitor_start <= stop_index && op.task == "monitor") {
      if (op.rc == 0 || op.rc == 8) implied_monitor_start = i;
    } else if (op.task == "promote" || op.task == "demote") {
      implied_clone_start = i;
    }
  }
  if (start_index == -1) {
    start_index = implied_clone_start != -1 ? implied_clone_start : implied_monitor_start;
  }
}

const OpConfig* configured_op(const Resource& rsc, const std::string& task,
                              std::int64_t interval_ms) {
  for (const OpConfig& op : rsc.ops) {
    if (op.name == task && op.interval_ms == interval_ms) return &op;
  }
  return nullptr;
}

// Pacemaker's compare_version over dotted numbers: negative when a < b.
int compare_version(const std::string& a, const std::string& b) {
  std::istringstream left(a), right(b);
  for (int i = 0; i < 8; ++i) {
    long x = 0, y = 0;
    char dot = 0;
    const bool more_left = static_cast<bool>(left >> x);
    const bool more_right = static_cast<bool>(right >> y);
    if (!more_left && !more_right) return 0;
    if (x != y) return x < y ? -1 : 1;
    left >> dot;
    right >> dot;
  }
  return 0;
}

// Parameters Pacemaker adds to fence devices itself (pcmk_stonith_param).
bool is_fence_param(const std::string& name) {
  if (name == "provides" || name == "stonith-timeout") return true;
  if (!name.starts_with("pcmk_")) return false;
  for (const char* known :
       {"pcmk_action_limit", "pcmk_delay_base", "pcmk_delay_max", "pcmk_host_argument",
        "pcmk_host_check", "pcmk_host_list", "pcmk_host_map"}) {
    if (name == known) return true;
  }
  const auto underscore = name.find('_', 5);
  if (underscore == std::string::npos) return false;
  const std::string rest = name.substr(underscore);
  return rest == "_action" || rest == "_timeout" || rest == "_retries";
}

std::set<std::string> words_of(const std::string& text) {
  std::set<std::string> out;
  std::istringstream words(text);
  for (std::string word; words >> word;) out.insert(word);
  return out;
}

// The digest without private parameters (Pacemaker's
// calculate_secure_digest).
std::string secure_digest(const Resource& rsc, const OpRecord& op,
                          const std::map<std::string, std::string>& resource_params,
                          const std::map<std::string, std::string>& all) {
  const bool old_version = op.feature_set && compare_version(*op.feature_set, "3.16.0") < 0;
  std::map<std::string, std::string> secure = old_version ? resource_params : all;
  if (op.secure_params) {
    const std::set<std::string> hidden = words_of(*op.secure_params);
    std::erase_if(secure, [&](const auto& entry) { return hidden.contains(entry.first); });
  }
  if (old_version && rsc.fence_device) {
    std::erase_if(secure, [](const auto& entry) { return is_fence_param(entry.first); });
  }
  if (old_version) secure.erase("CRM_meta_timeout");
  return digest_of(secure);
}

// Pacemaker's schedule_reload: a reload-agent action, which a required
// stop or demote cancels (the restart applies the new parameters anyway).
void schedule_reload(WorkingSet& ws, int r, int node) {
  if (!ws.rsc(r).managed || ws.rsc(r).failed) return;
  if (ws.rsc(r).start_pending) {
    resource_action(ws, r, "stop", node, false);
    return;
  }
  ws.rsc(r).reload = true;
  const int reload = resource_action(ws, r, "reload-agent", node, false);
  set_reason(ws.action(reload), "resource definition change", false);
  for (const char* task : {"stop", "demote"}) {
    Ordering order;
    order.first_action = reload;
    order.then_rsc = r;
    order.then_task = task;
    order.flags = kOrderOptional | kOrderThenCancelsFirst;
    ws.orderings.push_back(std::move(order));
  }
}

void force_restart(WorkingSet& ws, int r, const std::string& task, std::int64_t interval_ms) {
  const int action = resource_action(ws, r, task, kNone, false, interval_ms);
  set_reason(ws.action(action), "resource definition change", true);
}

// Pacemaker's pcmk__check_action_config for one operation of the history.
void check_op(WorkingSet& ws, int r, int node, const OpRecord& op) {
  const Resource& rsc = ws.rsc(r);
  if (op.interval_ms > 0 && configured_op(rsc, op.task, op.interval_ms) == nullptr) {
    return;  // no longer configured: cancelled, no restart
  }
  std::string task = op.task;
  if (op.interval_ms == 0 && (task == "monitor" || task == "migrate_from" || task == "promote")) {
    task = "start";
  }
  std::map<std::string, std::string> resource_params;
  for (const auto& [name, value] : params_on(rsc, ws.node(node), ws.now)) {
    if (name.starts_with("CRM_meta_") || name == "id" || name == "crm_feature_set" ||
        name == "op-digest" || name == "pcmk_external_ip") {
      continue;
    }
    resource_params.emplace(name, value);
  }
  std::map<std::string, std::string> params = resource_params;
  if (op.interval_ms > 0) {
    const OpConfig* config = configured_op(rsc, op.task, op.interval_ms);
    const std::int64_t timeout =
        config != nullptr && config->timeout ? config->timeout->count() : kDefaultTimeoutMs;
    params["CRM_meta_timeout"] = std::to_string(timeout);
  }

  enum class Outcome { kMatch, kRestart, kChanged } outcome = Outcome::kMatch;
  if (op.restart_digest) {
    std::map<std::string, std::string> restart = params;
    if (op.force_restart) {
      std::set<std::string> listed;
      std::istringstream words(*op.force_restart);
      for (std::string word; words >> word;) listed.insert(word);
      std::erase_if(restart, [&](const auto& entry) { return !listed.contains(entry.first); });
    }
    if (digest_of(restart) != *op.restart_digest) outcome = Outcome::kRestart;
  }
  if (outcome != Outcome::kRestart) {
    if (!op.digest) {
      // Pacemaker restarts what it cannot compare; Tandem's own history
      // records no digests yet, and restarting everything on every pass
      // would be worse than missing a change: nothing to compare, nothing
      // to do.
      return;
    }
    if (*op.digest != digest_of(params)) {
      outcome = Outcome::kChanged;
    }
  }
  // Only private parameters changed (a CIB with passwords masked, as
  // crm_simulate reads it): nothing to do.
  if (outcome != Outcome::kMatch && op.secure_digest &&
      secure_digest(rsc, op, resource_params, params) == *op.secure_digest) {
    return;
  }
  switch (outcome) {
    case Outcome::kMatch:
      return;
    case Outcome::kRestart:
      force_restart(ws, r, task, op.interval_ms);
      trigger_unfencing(ws, r, node, "Device parameters changed");
      return;
    case Outcome::kChanged:
      if (op.interval_ms > 0) return;  // rescheduled with the new parameters
      if (op.restart_digest) {
        trigger_unfencing(ws, r, node, "Device parameters changed (reload)");
        schedule_reload(ws, r, node);  // the agent can reload
        return;
      }
      force_restart(ws, r, task, op.interval_ms);
      trigger_unfencing(ws, r, node, "Device parameters changed");
      return;
  }
}

// Pacemaker's pcmk__rsc_agent_changed: the history ran another agent than
// the one configured now. A device's change unfences the node again, and
// the resource restarts where it runs.
bool agent_changed(const Resource& rsc, const ResourceHistory& history) {
  if (rsc.agent_type.empty() || history.type.empty()) return false;  // nothing comparable
  return rsc.agent_class != history.agent_class || rsc.agent_provider != history.provider ||
         rsc.agent_type != history.type;
}

void check_agent(WorkingSet& ws, int r, int node, const ResourceHistory& history, bool active) {
  if (!agent_changed(ws.rsc(r), history)) return;
  trigger_unfencing(ws, r, node, "Device definition changed");
  if (!active) return;
  resource_action(ws, r, "stop", node, false);
  ws.rsc(r).start_pending = true;
}

// An anonymous clone's instances (by the id their history uses), and where
// each is active: a clone with an instance on every node has a history on
// every node for each of them to check.
struct AnonymousInstances {
  std::vector<int> all;
  std::vector<std::vector<int>> by_node;  // active instances, in the order of `all`
  bool same_agent = true;                 // all run the same agent

  void add(const WorkingSet& ws, int r) {
    const Resource& rsc = ws.rsc(r);
    if (!all.empty()) {
      const Resource& first = ws.rsc(all.front());
      same_agent = same_agent && rsc.agent_class == first.agent_class &&
                   rsc.agent_provider == first.agent_provider && rsc.agent_type == first.agent_type;
    }
    all.push_back(r);
    by_node.resize(ws.nodes.size());
    for (int node : rsc.running_on) {
      std::vector<int>& active = by_node[static_cast<std::size_t>(node)];
      if (active.empty() || active.back() != r) active.push_back(r);
    }
  }
  const std::vector<int>& active_on(int node) const {
    return by_node[static_cast<std::size_t>(node)];
  }
};

void check_history(WorkingSet& ws, int r, int node, const ResourceHistory& history) {
  const Resource& rsc = ws.rsc(r);
  if (rsc.orphan) return;
  if (std::find(rsc.running_on.begin(), rsc.running_on.end(), node) == rsc.running_on.end()) {
    check_agent(ws, r, node, history, false);
    return;
  }
  check_agent(ws, r, node, history, true);
  std::vector<const OpRecord*> ops;
  for (auto it = history.ops.rbegin(); it != history.ops.rend(); ++it) ops.push_back(&*it);
  std::stable_sort(ops.begin(), ops.end(), [](const OpRecord* a, const OpRecord* b) {
    if (a->call_id == -1 || b->call_id == -1) return a->call_id != -1 && b->call_id == -1;
    return a->call_id < b->call_id;
  });
  int start_index = -1, stop_index = -1;
  active_ops(ops, start_index, stop_index);
  if (start_index < stop_index) return;  // stopped
  const bool maintenance = rsc.maintenance || ws.node(node).maintenance;
  for (int i = std::max(start_index, 0); i < static_cast<int>(ops.size()); ++i) {
    const OpRecord& op = *ops[static_cast<std::size_t>(i)];
    if (op.interval_ms > 0 && maintenance) continue;
    if (op.interval_ms > 0 || op.task == "monitor" || op.task == "start" || op.task == "promote" ||
        op.task == "migrate_from") {
      check_op(ws, r, node, op);
    }
  }
}

}  // namespace

std::string parameters_digest(const std::map<std::string, std::string>& params) {
  return digest_of(params);
}

void handle_config_changes(WorkingSet& ws) {
  // Anonymous clone instances by the name their history uses.
  std::unordered_map<std::string, AnonymousInstances> anonymous;
  for (std::size_t r = 0; r < ws.resources.size(); ++r) {
    if (ws.resources[r].variant == Variant::kPrimitive &&
        is_anonymous_instance(ws, static_cast<int>(r))) {
      anonymous[ws.resources[r].base_id].add(ws, static_cast<int>(r));
    }
  }
  for (const ResourceHistory& history : ws.observed->history) {
    if (history.ops.empty()) continue;
    const int node = ws.find_node(history.node);
    if (node == kNone) continue;
    // Only nodes that can run actions (or cancel monitors, in maintenance).
    if (!ws.node(node).maintenance && !node_available(ws.node(node), false, Score::of(0))) {
      continue;
    }
    const int exact = ws.find_resource(history.resource);
    if (exact != kNone && ws.rsc(exact).variant == Variant::kPrimitive &&
        !is_anonymous_instance(ws, exact)) {
      check_history(ws, exact, node, history);
    }
    auto instances = anonymous.find(strip_instance(history.resource));
    if (instances == anonymous.end()) continue;
    // Each is an anonymous instance whose id without the instance number
    // is the history's, so the history belongs to each. Where they all run
    // the agent the history ran, only those active on the node have
    // anything to check: the others' check finds nothing changed.
    const AnonymousInstances& same_base = instances->second;
    const bool only_active = same_base.same_agent && !same_base.all.empty() &&
                             !agent_changed(ws.rsc(same_base.all.front()), history);
    for (int r : only_active ? same_base.active_on(node) : same_base.all) {
      check_history(ws, r, node, history);
    }
  }
}

}  // namespace tandem::placement::detail
