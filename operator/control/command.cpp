#include "operator/control/command.h"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace tandem::control {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Verb, std::string_view>, 9> kVerbs{{
    {Verb::kStandby, "standby"},
    {Verb::kUnstandby, "unstandby"},
    {Verb::kBan, "ban"},
    {Verb::kMove, "move"},
    {Verb::kClear, "clear"},
    {Verb::kCleanup, "cleanup"},
    {Verb::kMaintenance, "maintenance"},
    {Verb::kUnmanage, "unmanage"},
    {Verb::kManage, "manage"},
}};

std::string verb_list() {
  std::string out;
  for (const auto& [value, name] : kVerbs) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

Result<bool> flag_field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return false;
  if (!it->is_boolean()) return fail(std::string(key) + ": expected true or false");
  return it->get<bool>();
}

// Names of nodes and resources are short; anything longer is not one.
constexpr std::size_t kMaxNameBytes = 253;

Result<std::string> text_field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return fail(std::string(key) + ": expected a string");
  std::string value = it->get<std::string>();
  if (value.size() > kMaxNameBytes)
    return fail(std::string(key) + ": longer than " + std::to_string(kMaxNameBytes) + " bytes");
  return value;
}

}  // namespace

std::string_view to_string(Verb verb) {
  for (const auto& [value, name] : kVerbs) {
    if (value == verb) return name;
  }
  return "unknown";
}

std::string encode(const ControlCommand& command) {
  json out{{"command", to_string(command.verb)}};
  if (!command.node.empty()) out["node"] = command.node;
  if (!command.resource.empty()) out["resource"] = command.resource;
  if (command.lifetime_ms) out["lifetimeMs"] = *command.lifetime_ms;
  if (command.verb == Verb::kMaintenance) {
    if (command.cluster) out["cluster"] = true;
    out["on"] = command.on;
  }
  return out.dump();
}

Result<ControlCommand> decode_command(std::string_view text) {
  json object = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return fail("the body is not JSON");
  if (!object.is_object()) return fail("expected a JSON object");
  ControlCommand command;
  auto verb = text_field(object, "command");
  if (!verb) return tl::unexpected(verb.error());
  bool known = false;
  for (const auto& [value, name] : kVerbs) {
    if (name == *verb) {
      command.verb = value;
      known = true;
    }
  }
  if (!known) return fail("command: expected one of " + verb_list() + "; got \"" + *verb + "\"");
  auto node = text_field(object, "node");
  if (!node) return tl::unexpected(node.error());
  command.node = std::move(*node);
  auto resource = text_field(object, "resource");
  if (!resource) return tl::unexpected(resource.error());
  command.resource = std::move(*resource);
  if (auto it = object.find("lifetimeMs"); it != object.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
      return fail("lifetimeMs: expected a positive number of milliseconds");
    command.lifetime_ms = it->get<std::int64_t>();
  }
  auto cluster = flag_field(object, "cluster");
  if (!cluster) return tl::unexpected(cluster.error());
  command.cluster = *cluster;
  if (command.verb == Verb::kMaintenance) {
    auto it = object.find("on");
    if (it == object.end() || !it->is_boolean())
      return fail("on: maintenance needs on: true or on: false");
    command.on = it->get<bool>();
    if (command.cluster == !command.node.empty())
      return fail(command.cluster ? "node: maintenance of the cluster names no node"
                                  : "node: maintenance needs a node, or cluster: true");
  } else if (command.cluster) {
    return fail("cluster: only maintenance takes it");
  }

  const bool needs_node = command.verb == Verb::kStandby || command.verb == Verb::kUnstandby ||
                          command.verb == Verb::kMove;
  const bool needs_resource = command.verb != Verb::kStandby && command.verb != Verb::kUnstandby &&
                              command.verb != Verb::kMaintenance;
  const bool takes_node = command.verb != Verb::kUnmanage && command.verb != Verb::kManage;
  if (needs_node && command.node.empty())
    return fail("node: " + std::string(to_string(command.verb)) + " needs a node");
  if (needs_resource && command.resource.empty())
    return fail("resource: " + std::string(to_string(command.verb)) + " needs a resource");
  if (command.verb == Verb::kMaintenance && !command.resource.empty())
    return fail("resource: maintenance takes no resource; unmanage leaves a resource alone");
  if (!takes_node && !command.node.empty())
    return fail("node: " + std::string(to_string(command.verb)) + " takes no node");
  if (command.lifetime_ms && command.verb != Verb::kBan && command.verb != Verb::kMove)
    return fail("lifetimeMs: only ban and move take a lifetime");
  return command;
}

}  // namespace tandem::control
