#include "sidecar/groups/protocol.h"

#include <nlohmann/json.hpp>

#include "sidecar/transport/status.h"

namespace tandem::groups {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Text from the ring is written as it came; bytes that are not UTF-8 (a
// peer's bug) become U+FFFD instead of failing the line.
std::string line(const ordered_json& object) {
  return object.dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

ordered_json member_json(const Member& member) {
  return ordered_json{{"node", member.id.node}, {"client", member.id.client}, {"pid", member.pid}};
}

ordered_json members_json(const std::vector<Member>& members) {
  ordered_json out = ordered_json::array();
  for (const Member& member : members) out.push_back(member_json(member));
  return out;
}

ordered_json changes_json(const std::vector<MemberChange>& changes) {
  ordered_json out = ordered_json::array();
  for (const MemberChange& change : changes) {
    ordered_json entry = member_json(change.member);
    entry["reason"] = to_string(change.reason);
    out.push_back(std::move(entry));
  }
  return out;
}

void add_id(ordered_json& object, std::string_view id_json) {
  if (!id_json.empty()) object["id"] = ordered_json::parse(id_json, nullptr, false);
}

// The string field `name` into `out`, or what is wrong with it.
std::optional<std::string> string_field(const json& in, const char* name, std::string& out) {
  auto field = in.find(name);
  if (field == in.end()) return "\"" + std::string(name) + "\" is missing";
  if (!field->is_string())
    return "\"" + std::string(name) + "\" must be a string, not " + field->type_name();
  out = field->get<std::string>();
  return std::nullopt;
}

std::optional<Op> op_named(std::string_view name) {
  if (name == "join") return Op::kJoin;
  if (name == "leave") return Op::kLeave;
  if (name == "mcast") return Op::kMcast;
  if (name == "members") return Op::kMembers;
  return std::nullopt;
}

}  // namespace

const char* to_string(Op op) {
  switch (op) {
    case Op::kJoin:
      return "join";
    case Op::kLeave:
      return "leave";
    case Op::kMcast:
      return "mcast";
    case Op::kMembers:
      return "members";
  }
  return "?";
}

std::string ring_text(RingId ring) {
  return transport::ring_id_text(ring.representative, ring.sequence);
}

tl::expected<Request, BadRequest> parse_request(std::string_view text) {
  BadRequest bad;
  json in;
  try {
    in = json::parse(text);
  } catch (const json::parse_error& e) {
    // Without the library's "[json.exception.parse_error.101] " prefix.
    std::string what = e.what();
    std::size_t prefix = what.find("] ");
    bad.message = "not JSON: " + (prefix == std::string::npos ? what : what.substr(prefix + 2));
    return tl::unexpected(bad);
  }
  if (!in.is_object()) {
    bad.message = std::string("a request is a JSON object, not ") + in.type_name();
    return tl::unexpected(bad);
  }
  if (auto id = in.find("id"); id != in.end()) {
    if (!id->is_string() && !id->is_number_integer()) {
      bad.message = std::string("\"id\" must be a string or an integer, not ") + id->type_name();
      return tl::unexpected(bad);
    }
    bad.id_json = id->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  auto op = in.find("op");
  if (op == in.end() || !op->is_string()) {
    bad.message = op == in.end() ? "\"op\" is missing (join, leave, mcast or members)"
                                 : std::string("\"op\" must be a string, not ") + op->type_name();
    return tl::unexpected(bad);
  }
  std::string op_name = op->get<std::string>();
  std::optional<Op> parsed = op_named(op_name);
  if (!parsed) {
    bad.message = "unknown op \"" + op_name + "\" (join, leave, mcast or members)";
    return tl::unexpected(bad);
  }
  bad.op = op_name;
  for (const auto& [key, value] : in.items()) {
    if (key == "op" || key == "id" || key == "group") continue;
    if (key == "data" && *parsed == Op::kMcast) continue;
    bad.message = "unknown field \"" + key + "\" for op " + op_name;
    return tl::unexpected(bad);
  }
  Request request;
  request.op = *parsed;
  request.id_json = bad.id_json;
  if (std::optional<std::string> problem = string_field(in, "group", request.group)) {
    bad.message = *problem;
    return tl::unexpected(bad);
  }
  if (std::optional<std::string> problem = check_group_name(request.group)) {
    bad.message = "\"group\": " + *problem;
    return tl::unexpected(bad);
  }
  if (request.op == Op::kMcast) {
    if (std::optional<std::string> problem = string_field(in, "data", request.data)) {
      bad.message = *problem;
      return tl::unexpected(bad);
    }
    if (request.data.size() > kMaxMessageData) {
      bad.message = "\"data\" has " + std::to_string(request.data.size()) + " bytes, at most " +
                    std::to_string(kMaxMessageData) + " allowed";
      return tl::unexpected(bad);
    }
  }
  return request;
}

std::string hello_line(NodeId node, ClientId client, std::uint32_t pid) {
  return line(ordered_json{{"type", "hello"}, {"node", node}, {"client", client}, {"pid", pid}});
}

std::string ok_line(const Request& request) {
  ordered_json out{{"type", "ok"}, {"op", to_string(request.op)}, {"group", request.group}};
  add_id(out, request.id_json);
  return line(out);
}

std::string members_line(const Request& request, RingId ring, bool synchronized,
                         const std::vector<Member>& members) {
  ordered_json out{{"type", "ok"}, {"op", to_string(request.op)}, {"group", request.group}};
  add_id(out, request.id_json);
  out["ring"] = ring_text(ring);
  out["synchronized"] = synchronized;
  out["members"] = members_json(members);
  return line(out);
}

std::string error_line(std::string_view op, std::string_view id_json, std::string_view code,
                       std::string_view message) {
  ordered_json out{{"type", "error"}};
  if (!op.empty()) out["op"] = op;
  add_id(out, id_json);
  out["code"] = code;
  out["error"] = message;
  return line(out);
}

std::string event_line(const ClientEvent& event) {
  if (const auto* message = std::get_if<MessageEvent>(&event)) {
    return line(ordered_json{{"type", "message"},
                             {"group", message->group},
                             {"ring", ring_text(message->ring)},
                             {"seq", message->seq},
                             {"sender", member_json(message->sender)},
                             {"data", message->data}});
  }
  const auto& change = std::get<MembershipEvent>(event);
  return line(ordered_json{{"type", "membership"},
                           {"group", change.group},
                           {"ring", ring_text(change.ring)},
                           {"members", members_json(change.members)},
                           {"joined", changes_json(change.joined)},
                           {"left", changes_json(change.left)}});
}

}  // namespace tandem::groups

namespace tandem::groups {

std::string answer(Groups& groups, ClientId client, std::string_view text) {
  if (text.find_first_not_of(" \t") == std::string_view::npos) return {};
  auto request = parse_request(text);
  if (!request)
    return error_line(request.error().op, request.error().id_json, "invalid",
                      request.error().message);
  RequestResult result;
  switch (request->op) {
    case Op::kJoin:
      result = groups.join(client, request->group);
      break;
    case Op::kLeave:
      result = groups.leave(client, request->group);
      break;
    case Op::kMcast:
      result = groups.mcast(client, request->group, std::move(request->data));
      break;
    case Op::kMembers:
      return members_line(*request, groups.ring(), groups.synchronized(),
                          groups.members(request->group));
  }
  if (!result)
    return error_line(to_string(request->op), request->id_json, to_string(result.error().code),
                      result.error().message);
  return ok_line(*request);
}

}  // namespace tandem::groups
