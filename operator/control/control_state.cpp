#include "operator/control/control_state.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace tandem::control {
namespace {

using nlohmann::json;

// A state file with more than this is not one tandemctl wrote.
constexpr std::size_t kMaxEntries = 100'000;

Result<std::string> string_at(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty())
    return fail(where + "." + key + ": expected a non-empty string");
  return it->get<std::string>();
}

// A list of names under `key`, into `out`; absent is empty.
Result<void> names_at(const json& root, const char* key, const std::string& where,
                      std::set<std::string>& out) {
  auto it = root.find(key);
  if (it == root.end()) return {};
  if (!it->is_array() || it->size() > kMaxEntries)
    return fail(where + ": " + key + ": expected a list of names");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& name = (*it)[i];
    if (!name.is_string() || name.get<std::string>().empty())
      return fail(where + ": " + key + "[" + std::to_string(i) + "]: expected a name");
    out.insert(name.get<std::string>());
  }
  return {};
}

}  // namespace

std::string encode(const ControlState& state) {
  json constraints = json::array();
  for (const CliConstraint& c : state.constraints) {
    json entry{{"name", c.name},
               {"kind", c.kind == CliKind::kBan ? "ban" : "prefer"},
               {"resource", c.resource},
               {"node", c.node},
               {"createdUnixMs", c.created_ms}};
    if (c.expires_ms) entry["expiresUnixMs"] = *c.expires_ms;
    constraints.push_back(std::move(entry));
  }
  return json{{"standby", state.standby},
              {"maintenance", state.maintenance},
              {"clusterMaintenance", state.cluster_maintenance},
              {"unmanaged", state.unmanaged},
              {"constraints", constraints}}
             .dump(2) +
         "\n";
}

Result<ControlState> decode_state(std::string_view text, const std::string& where) {
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return fail(where + ": not a JSON object");
  ControlState state;
  for (auto [key, names] :
       {std::pair{"standby", &state.standby}, std::pair{"maintenance", &state.maintenance},
        std::pair{"unmanaged", &state.unmanaged}}) {
    if (auto read = names_at(root, key, where, *names); !read) return tl::unexpected(read.error());
  }
  if (auto it = root.find("clusterMaintenance"); it != root.end()) {
    if (!it->is_boolean()) return fail(where + ": clusterMaintenance: expected true or false");
    state.cluster_maintenance = it->get<bool>();
  }
  if (auto it = root.find("constraints"); it != root.end()) {
    if (!it->is_array() || it->size() > kMaxEntries)
      return fail(where + ": constraints: expected a list");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& entry = (*it)[i];
      const std::string at = where + ": constraints[" + std::to_string(i) + "]";
      if (!entry.is_object()) return fail(at + ": expected an object");
      CliConstraint c;
      auto name = string_at(entry, "name", at);
      auto kind = string_at(entry, "kind", at);
      auto resource = string_at(entry, "resource", at);
      auto node = string_at(entry, "node", at);
      for (const auto* field : {&name, &kind, &resource, &node}) {
        if (!*field) return tl::unexpected(field->error());
      }
      if (*kind != "ban" && *kind != "prefer") return fail(at + ".kind: expected ban or prefer");
      c.name = *name;
      c.kind = *kind == "ban" ? CliKind::kBan : CliKind::kPrefer;
      c.resource = *resource;
      c.node = *node;
      if (auto created = entry.find("createdUnixMs");
          created != entry.end() && created->is_number_integer())
        c.created_ms = created->get<std::int64_t>();
      if (auto expires = entry.find("expiresUnixMs"); expires != entry.end()) {
        if (!expires->is_number_integer())
          return fail(at + ".expiresUnixMs: expected Unix milliseconds");
        c.expires_ms = expires->get<std::int64_t>();
      }
      state.constraints.push_back(std::move(c));
    }
  }
  std::sort(state.constraints.begin(), state.constraints.end(),
            [](const CliConstraint& a, const CliConstraint& b) { return a.name < b.name; });
  return state;
}

}  // namespace tandem::control
