#include "common/protocol/codec.h"

#include <limits>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace tandem::protocol {
namespace {

using nlohmann::json;

json member_json(const MemberView& m) {
  return {{"nodeId", m.node_id}, {"name", m.name}};
}

json membership_json(const MembershipView& v) {
  json members = json::array();
  for (const MemberView& m : v.members) members.push_back(member_json(m));
  return {{"ringId", v.ring_id},
          {"state", v.state},
          {"members", members},
          {"quorate", v.quorate},
          {"expectedVotes", v.expected_votes},
          {"totalVotes", v.total_votes},
          {"quorum", v.quorum},
          {"quorateSinceUnixMs", v.quorate_since_unix_ms}};
}

json op_json(const OpResult& op) {
  return {{"id", op.id},
          {"task", op.task},
          {"intervalMs", op.interval_ms},
          {"rc", op.rc},
          {"expectedRc", op.expected_rc},
          {"status", op.status},
          {"callId", op.call_id},
          {"lastRcChangeUnix", op.last_rc_change_unix},
          {"lastRunUnix", op.last_run_unix},
          {"execMs", op.exec_ms},
          {"exitReason", op.exit_reason},
          {"digest", op.digest}};
}

// Reads fields with their path, remembering the first problem.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  template <class T>
  void get(const json& object, const char* name, T& out) {
    if (!error_.empty()) return;
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return;  // absent: keep the default
    if (!check<T>(*it)) {
      error_ = path_ + name + ": expected " + expected<T>();
      return;
    }
    out = it->get<T>();
  }

  // Walks an array of objects under `name`, calling `each(object)` with the
  // path pointing inside element i.
  template <class F>
  void each(const json& object, const char* name, F&& visit) {
    if (!error_.empty()) return;
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return;
    if (!it->is_array()) {
      error_ = path_ + name + ": expected a list";
      return;
    }
    const std::string saved = path_;
    for (std::size_t i = 0; i < it->size() && error_.empty(); ++i) {
      path_ = saved + name + "[" + std::to_string(i) + "].";
      if (!(*it)[i].is_object()) {
        error_ = saved + name + "[" + std::to_string(i) + "]: expected an object";
        break;
      }
      visit((*it)[i]);
    }
    path_ = saved;
  }

  template <class F>
  void object(const json& parent, const char* name, F&& visit) {
    if (!error_.empty()) return;
    auto it = parent.find(name);
    if (it == parent.end() || it->is_null()) return;
    if (!it->is_object()) {
      error_ = path_ + name + ": expected an object";
      return;
    }
    const std::string saved = path_;
    path_ = saved + name + ".";
    visit(*it);
    path_ = saved;
  }

  void string_map(const json& parent, const char* name, std::map<std::string, std::string>& out) {
    object(parent, name, [&](const json& o) {
      for (auto it = o.begin(); it != o.end() && error_.empty(); ++it) {
        if (!it->is_string()) {
          error_ = path_ + it.key() + ": expected a string";
          return;
        }
        out[it.key()] = it->get<std::string>();
      }
    });
  }

  const std::string& error() const { return error_; }

 private:
  template <class T>
  static bool check(const json& v) {
    if constexpr (std::is_same_v<T, bool>) {
      return v.is_boolean();
    } else if constexpr (std::is_same_v<T, std::string>) {
      return v.is_string();
    } else if constexpr (std::is_unsigned_v<T>) {
      return v.is_number_unsigned() && v.get<std::uint64_t>() <= std::numeric_limits<T>::max();
    } else {
      return v.is_number_integer() && v.get<std::int64_t>() >= std::numeric_limits<T>::min() &&
             v.get<std::int64_t>() <= std::numeric_limits<T>::max();
    }
  }
  template <class T>
  static const char* expected() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    if constexpr (std::is_unsigned_v<T>) return "a non-negative integer in range";
    return "an integer in range";
  }

  std::string path_;
  std::string error_;
};

Result<json> parse_object(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return fail("not valid JSON");
  if (!doc.is_object()) return fail("expected a JSON object");
  return doc;
}

}  // namespace

std::string encode(const NodeReport& r) {
  json resources = json::array();
  for (const ResourceReport& rr : r.resources) {
    json ops = json::array();
    for (const OpResult& op : rr.ops) ops.push_back(op_json(op));
    resources.push_back({{"resource", rr.resource},
                         {"class", rr.agent_class},
                         {"provider", rr.provider},
                         {"type", rr.type},
                         {"ops", ops}});
  }
  json fails = json::array();
  for (const FailCountReport& f : r.fail_counts)
    fails.push_back({{"resource", f.resource},
                     {"operation", f.operation},
                     {"intervalMs", f.interval_ms},
                     {"count", f.count},
                     {"lastFailureUnix", f.last_failure_unix}});
  json outcomes = json::array();
  for (const ActionOutcome& o : r.outcomes)
    outcomes.push_back({{"actionId", o.action_id},
                        {"rc", o.rc},
                        {"status", o.status},
                        {"exitReason", o.exit_reason},
                        {"finishedUnixMs", o.finished_unix_ms}});
  json doc = {{"node", r.node},
              {"incarnation", r.incarnation},
              {"sequence", r.sequence},
              {"sentUnixMs", r.sent_unix_ms},
              {"membership", membership_json(r.membership)},
              {"resources", resources},
              {"failCounts", fails},
              {"attributes", r.attributes},
              {"outcomes", outcomes},
              {"selfFencing", r.self_fencing}};
  return doc.dump();
}

std::string encode(const ActionBatch& batch) {
  json actions = json::array();
  for (const ActionRequest& a : batch.actions)
    actions.push_back({{"id", a.id},
                       {"key", a.key},
                       {"task", a.task},
                       {"resource", a.resource},
                       {"intervalMs", a.interval_ms},
                       {"timeoutMs", a.timeout_ms},
                       {"meta", a.meta},
                       {"resourceYaml", a.resource_yaml},
                       {"digest", a.digest},
                       {"ringId", a.ring_id}});
  json out{{"actions", actions}};
  if (!batch.version.empty()) out["version"] = batch.version;
  return out.dump();
}

Result<NodeReport> decode_report(std::string_view text) {
  auto doc = parse_object(text);
  if (!doc) return fail("node report: " + doc.error().message);
  NodeReport r;
  Reader in("");
  in.get(*doc, "node", r.node);
  in.get(*doc, "incarnation", r.incarnation);
  in.get(*doc, "sequence", r.sequence);
  in.get(*doc, "sentUnixMs", r.sent_unix_ms);
  in.object(*doc, "membership", [&](const json& m) {
    MembershipView& v = r.membership;
    in.get(m, "ringId", v.ring_id);
    in.get(m, "state", v.state);
    in.each(m, "members", [&](const json& e) {
      MemberView& member = v.members.emplace_back();
      in.get(e, "nodeId", member.node_id);
      in.get(e, "name", member.name);
    });
    in.get(m, "quorate", v.quorate);
    in.get(m, "expectedVotes", v.expected_votes);
    in.get(m, "totalVotes", v.total_votes);
    in.get(m, "quorum", v.quorum);
    in.get(m, "quorateSinceUnixMs", v.quorate_since_unix_ms);
  });
  in.each(*doc, "resources", [&](const json& e) {
    ResourceReport& rr = r.resources.emplace_back();
    in.get(e, "resource", rr.resource);
    in.get(e, "class", rr.agent_class);
    in.get(e, "provider", rr.provider);
    in.get(e, "type", rr.type);
    in.each(e, "ops", [&](const json& o) {
      OpResult& op = rr.ops.emplace_back();
      in.get(o, "id", op.id);
      in.get(o, "task", op.task);
      in.get(o, "intervalMs", op.interval_ms);
      in.get(o, "rc", op.rc);
      in.get(o, "expectedRc", op.expected_rc);
      in.get(o, "status", op.status);
      in.get(o, "callId", op.call_id);
      in.get(o, "lastRcChangeUnix", op.last_rc_change_unix);
      in.get(o, "lastRunUnix", op.last_run_unix);
      in.get(o, "execMs", op.exec_ms);
      in.get(o, "exitReason", op.exit_reason);
      in.get(o, "digest", op.digest);
    });
  });
  in.each(*doc, "failCounts", [&](const json& e) {
    FailCountReport& f = r.fail_counts.emplace_back();
    in.get(e, "resource", f.resource);
    in.get(e, "operation", f.operation);
    in.get(e, "intervalMs", f.interval_ms);
    in.get(e, "count", f.count);
    in.get(e, "lastFailureUnix", f.last_failure_unix);
  });
  in.string_map(*doc, "attributes", r.attributes);
  in.each(*doc, "outcomes", [&](const json& e) {
    ActionOutcome& o = r.outcomes.emplace_back();
    in.get(e, "actionId", o.action_id);
    in.get(e, "rc", o.rc);
    in.get(e, "status", o.status);
    in.get(e, "exitReason", o.exit_reason);
    in.get(e, "finishedUnixMs", o.finished_unix_ms);
  });
  in.get(*doc, "selfFencing", r.self_fencing);
  if (!in.error().empty()) return fail("node report: " + in.error());
  if (r.node.empty()) return fail("node report: node: required");
  return r;
}

Result<ActionBatch> decode_actions(std::string_view text) {
  auto doc = parse_object(text);
  if (!doc) return fail("actions: " + doc.error().message);
  ActionBatch batch;
  Reader in("");
  in.get(*doc, "version", batch.version);
  in.each(*doc, "actions", [&](const json& e) {
    ActionRequest& a = batch.actions.emplace_back();
    in.get(e, "id", a.id);
    in.get(e, "key", a.key);
    in.get(e, "task", a.task);
    in.get(e, "resource", a.resource);
    in.get(e, "intervalMs", a.interval_ms);
    in.get(e, "timeoutMs", a.timeout_ms);
    in.string_map(e, "meta", a.meta);
    in.get(e, "resourceYaml", a.resource_yaml);
    in.get(e, "digest", a.digest);
    in.get(e, "ringId", a.ring_id);
  });
  if (!in.error().empty()) return fail("actions: " + in.error());
  for (std::size_t i = 0; i < batch.actions.size(); ++i)
    if (batch.actions[i].id.empty() || batch.actions[i].task.empty())
      return fail("actions: actions[" + std::to_string(i) + "]: id and task are required");
  return batch;
}

}  // namespace tandem::protocol
