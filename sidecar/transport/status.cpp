#include "sidecar/transport/status.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/core/text.h"

namespace tandem::transport {
namespace {

using nlohmann::json;

constexpr int kStatusVersion = 1;

template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

template <typename T>
std::optional<T> optional_from(const json& value) {
  if (value.is_null()) return std::nullopt;
  return value.get<T>();
}

json links_json(const MembershipStatus& s) {
  json nodes = json::array();
  for (const LinkStatus& l : s.links)
    nodes.push_back({{"node_id", l.node_id},
                     {"name", l.name},
                     {"address", l.address},
                     {"connected", l.connected},
                     {"last_heard_unix_ms", optional_json(l.last_heard_unix_ms)}});
  return {{"transport", "udpu"},
          {"local_address", s.local_address},
          {"timeout_ms", s.link_timeout_ms},
          {"nodes", nodes}};
}

json clock_json(const MembershipStatus& s) {
  json peers = json::array();
  for (const ClockStatus& c : s.clock)
    peers.push_back({{"node_id", c.node_id},
                     {"name", c.name},
                     {"offset_us", optional_json(c.offset_us)},
                     {"delay_us", optional_json(c.delay_us)},
                     {"measured_unix_ms", optional_json(c.measured_unix_ms)},
                     {"samples", c.samples},
                     {"exceeds", c.exceeds}});
  return {{"max_offset_us", s.max_clock_offset_us}, {"peers", peers}};
}

json groups_json(const std::vector<GroupStatus>& groups) {
  json out = json::array();
  for (const GroupStatus& g : groups) {
    json members = json::array();
    for (const GroupMemberStatus& m : g.members)
      members.push_back({{"node_id", m.node_id}, {"pid", m.pid}});
    out.push_back({{"name", g.name}, {"members", members}});
  }
  return out;
}

// Absent in files written without process groups. False when a list is
// not one.
bool groups_from_json(const json& in, MembershipStatus& s) {
  if (!in.contains("groups")) return true;
  const json& groups = in.at("groups");
  if (!groups.is_array() || groups.size() > 100000) return false;
  s.groups.emplace();
  for (const json& g : groups) {
    GroupStatus group{g.at("name").get<std::string>(), {}};
    const json& members = g.at("members");
    if (!members.is_array() || members.size() > 100000) return false;
    for (const json& m : members)
      group.members.push_back(GroupMemberStatus{m.at("node_id").get<std::uint32_t>(),
                                                m.at("pid").get<std::uint32_t>()});
    s.groups->push_back(std::move(group));
  }
  return true;
}

// Both sections are optional: files written before they existed have
// neither, and still print as corosync-quorumtool -s. False when a list is
// not one.
bool links_from_json(const json& in, MembershipStatus& s) {
  if (!in.contains("links")) return true;
  const json& links = in.at("links");
  s.local_address = links.at("local_address").get<std::string>();
  s.link_timeout_ms = links.at("timeout_ms").get<std::int64_t>();
  const json& nodes = links.at("nodes");
  if (!nodes.is_array() || nodes.size() > 100000) return false;
  for (const json& n : nodes)
    s.links.push_back(LinkStatus{n.at("node_id").get<std::uint32_t>(),
                                 n.at("name").get<std::string>(),
                                 n.at("address").get<std::string>(), n.at("connected").get<bool>(),
                                 optional_from<std::int64_t>(n.at("last_heard_unix_ms"))});
  return true;
}

bool clock_from_json(const json& in, MembershipStatus& s) {
  if (!in.contains("clock")) return true;
  const json& clock = in.at("clock");
  s.max_clock_offset_us = clock.at("max_offset_us").get<std::int64_t>();
  const json& peers = clock.at("peers");
  if (!peers.is_array() || peers.size() > 100000) return false;
  for (const json& p : peers)
    s.clock.push_back(
        ClockStatus{p.at("node_id").get<std::uint32_t>(), p.at("name").get<std::string>(),
                    optional_from<std::int64_t>(p.at("offset_us")),
                    optional_from<std::int64_t>(p.at("delay_us")),
                    optional_from<std::int64_t>(p.at("measured_unix_ms")),
                    p.at("samples").get<std::uint64_t>(), p.at("exceeds").get<bool>()});
  return true;
}

}  // namespace

std::string ring_id_text(std::uint32_t representative, std::uint64_t sequence) {
  char text[40];
  std::snprintf(text, sizeof text, "%x.%llx", representative,
                static_cast<unsigned long long>(sequence));
  return text;
}

std::string to_json(const MembershipStatus& s) {
  json members = json::array();
  for (const MemberStatus& m : s.members)
    members.push_back({{"node_id", m.node_id},
                       {"votes", m.votes},
                       {"name", m.name},
                       {"local", m.node_id == s.node_id}});
  json dropped = json::object();
  for (std::size_t i = 0; i < kDropReasons; ++i)
    dropped[drop_reason_key(static_cast<DropReason>(i))] = s.transport.dropped.by_reason[i];
  json out = {
      {"version", kStatusVersion},
      {"pid", s.pid},
      {"cluster_name", s.cluster_name},
      {"node_id", s.node_id},
      {"state", s.state},
      {"ring_id", ring_id_text(s.ring_representative, s.ring_sequence)},
      {"ring", {{"representative", s.ring_representative}, {"sequence", s.ring_sequence}}},
      {"quorate", s.quorate},
      {"expected_votes", s.expected_votes},
      {"highest_expected", s.highest_expected},
      {"total_votes", s.total_votes},
      {"quorum", s.quorum},
      {"flags", s.flags},
      {"members", members},
      {"transport",
       {{"sent", s.transport.sent},
        {"send_errors", s.transport.send_errors},
        {"received", s.transport.received},
        {"accepted", s.transport.accepted},
        {"rejected", s.transport.rejected},
        {"dropped", dropped}}},
      {"updated_unix_ms", s.updated_unix_ms},
  };
  if (!s.local_address.empty()) {
    out["links"] = links_json(s);
    out["clock"] = clock_json(s);
  }
  if (s.groups) out["groups"] = groups_json(*s.groups);
  return out.dump(2) + "\n";
}

Result<MembershipStatus> status_from_json(std::string_view text, const std::string& file) {
  json in = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded() || !in.is_object())
    return fail(file + ": not a status file (not a JSON object)");
  try {
    if (in.at("version").get<int>() != kStatusVersion)
      return fail(file + ": status file version " + in.at("version").dump() +
                  " is not the one this tandem-sidecar writes (" + std::to_string(kStatusVersion) +
                  ")");
    MembershipStatus s;
    s.pid = in.at("pid").get<std::int64_t>();
    s.cluster_name = in.at("cluster_name").get<std::string>();
    s.node_id = in.at("node_id").get<std::uint32_t>();
    s.state = in.at("state").get<std::string>();
    s.ring_representative = in.at("ring").at("representative").get<std::uint32_t>();
    s.ring_sequence = in.at("ring").at("sequence").get<std::uint64_t>();
    s.quorate = in.at("quorate").get<bool>();
    s.expected_votes = in.at("expected_votes").get<std::uint32_t>();
    s.highest_expected = in.at("highest_expected").get<std::uint32_t>();
    s.total_votes = in.at("total_votes").get<std::uint32_t>();
    s.quorum = in.at("quorum").get<std::uint32_t>();
    s.flags = in.at("flags").get<std::vector<std::string>>();
    const json& members = in.at("members");
    if (!members.is_array() || members.size() > 100000)
      return fail(file + ": members is not a list of members");
    for (const json& m : members)
      s.members.push_back(MemberStatus{m.at("node_id").get<std::uint32_t>(),
                                       m.at("votes").get<std::uint32_t>(),
                                       m.at("name").get<std::string>()});
    const json& t = in.at("transport");
    s.transport.sent = t.at("sent").get<std::uint64_t>();
    s.transport.send_errors = t.at("send_errors").get<std::uint64_t>();
    s.transport.received = t.at("received").get<std::uint64_t>();
    s.transport.accepted = t.at("accepted").get<std::uint64_t>();
    s.transport.rejected = t.at("rejected").get<std::uint64_t>();
    for (std::size_t i = 0; i < kDropReasons; ++i)
      s.transport.dropped.by_reason[i] =
          t.at("dropped").at(drop_reason_key(static_cast<DropReason>(i))).get<std::uint64_t>();
    s.updated_unix_ms = in.at("updated_unix_ms").get<std::int64_t>();
    if (!links_from_json(in, s)) return fail(file + ": links.nodes is not a list of nodes");
    if (!clock_from_json(in, s)) return fail(file + ": clock.peers is not a list of nodes");
    if (!groups_from_json(in, s))
      return fail(file + ": groups is not a list of groups with a list of members each");
    return s;
  } catch (const json::exception& e) {
    return fail(file + ": not a status file tandem-sidecar wrote: " + e.what());
  }
}

std::string quorumtool_text(const MembershipStatus& s, const std::string& date) {
  std::string out;
  out += "Quorum information\n------------------\n";
  append_format(out, "Date:             %s\n", date.c_str());
  out += "Quorum provider:  corosync_votequorum\n";
  append_format(out, "Nodes:            %zu\n", s.members.size());
  append_format(out, "Node ID:          %u\n", s.node_id);
  append_format(out, "Ring ID:          %s\n",
                ring_id_text(s.ring_representative, s.ring_sequence).c_str());
  append_format(out, "Quorate:          %s\n", s.quorate ? "Yes" : "No");
  out += "\nVotequorum information\n----------------------\n";
  append_format(out, "Expected votes:   %u\n", s.expected_votes);
  append_format(out, "Highest expected: %u\n", s.highest_expected);
  append_format(out, "Total votes:      %u\n", s.total_votes);
  append_format(out, "Quorum:           %u  ", s.quorum);
  if (!s.quorate) {
    // corosync: "Quorum:           2 Activity blocked"
    out.resize(out.size() - 1);
    out += "Activity blocked";
  }
  out += "\nFlags:            ";
  for (const std::string& flag : s.flags) out += flag + " ";
  out += "\n\nMembership information\n----------------------\n";
  out += "    Nodeid      Votes Name\n";
  for (const MemberStatus& m : s.members) {
    append_format(out, "%10u %10u %s", m.node_id, m.votes, m.name.c_str());
    if (m.node_id == s.node_id) out += " (local)";
    out += "\n";
  }
  return out;
}

}  // namespace tandem::transport
