#include "sidecar/transport/status_text.h"

#include <cstdio>

#include "common/core/text.h"

namespace tandem::transport {

std::string milliseconds_text(std::int64_t microseconds, bool sign) {
  // The magnitude as unsigned, so even INT64_MIN from a damaged file prints.
  std::uint64_t magnitude = microseconds < 0 ? 0 - static_cast<std::uint64_t>(microseconds)
                                             : static_cast<std::uint64_t>(microseconds);
  const char* prefix = microseconds < 0 ? "-" : (sign ? "+" : "");
  char text[48];
  std::snprintf(text, sizeof text, "%s%llu.%03llu ms", prefix,
                static_cast<unsigned long long>(magnitude / 1000),
                static_cast<unsigned long long>(magnitude % 1000));
  return text;
}

std::string host_of(const std::string& address) {
  if (!address.empty() && address.front() == '[') {
    std::size_t end = address.find(']');
    return end == std::string::npos ? address : address.substr(1, end - 1);
  }
  std::size_t colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

std::string cfgtool_text(const MembershipStatus& s) {
  std::string out;
  append_format(out, "Local node ID %u, transport udpu\n", s.node_id);
  // corosync prints the link's transport after the id, and for udpu an
  // empty one: hence the trailing space.
  out += "LINK ID 0 \n";
  // corosync 3.1.7 describes the link as one other node sees it, the last
  // in node id order, and for udpu that is the other node's address: odd,
  // but what scripts written against it read.
  std::string addr = s.links.empty() ? s.local_address : host_of(s.links.back().address);
  append_format(out, "\taddr\t= %s\n", addr.c_str());
  out += "\tstatus:\n";
  bool local_done = false;
  auto local = [&] {
    append_format(out, "\t\tnodeid: %10u:\tlocalhost\n", s.node_id);
    local_done = true;
  };
  for (const LinkStatus& link : s.links) {
    if (!local_done && s.node_id < link.node_id) local();
    append_format(out, "\t\tnodeid: %10u:\t%s\n", link.node_id,
                  link.connected ? "connected" : "disconnected");
  }
  if (!local_done) local();
  return out;
}

std::string cpgtool_text(const MembershipStatus& s) {
  std::string out;
  auto address = [&s](std::uint32_t node) {
    if (node == s.node_id) return s.local_address;
    for (const LinkStatus& link : s.links)
      if (link.node_id == node) return host_of(link.address);
    return std::string();
  };
  append_format(out, "Group Name\t%10s\t%10s\n", "PID", "Node ID");
  for (const GroupStatus& group : s.groups.value_or(std::vector<GroupStatus>{})) {
    // As corosync-cpgtool: unprintable bytes and the backslash escaped.
    for (const char c : group.name) {
      if (c >= ' ' && c < 0x7f && c != '\\') {
        out += c;
      } else if (c == '\\') {
        out += "\\\\";
      } else {
        append_format(out, "\\x%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
      }
    }
    out += '\n';
    for (const GroupMemberStatus& m : group.members)
      append_format(out, "\t\t%10u\t%10u (%s)\n", m.pid, m.node_id, address(m.node_id).c_str());
  }
  return out;
}

std::string clock_text(const MembershipStatus& s) {
  std::string out;
  out += "Clock information\n-----------------\n";
  append_format(out, "Node ID:          %u\n", s.node_id);
  if (s.max_clock_offset_us > 0)
    append_format(out, "Max offset:       %s\n",
                  milliseconds_text(s.max_clock_offset_us, false).c_str());
  else
    out += "Max offset:       none (no warnings)\n";
  out += "\n    Nodeid          Offset      Round trip Name\n";
  for (const ClockStatus& c : s.clock) {
    std::string offset = c.offset_us ? milliseconds_text(*c.offset_us, true) : "-";
    std::string delay = c.delay_us ? milliseconds_text(*c.delay_us, false) : "-";
    append_format(out, "%10u %15s %15s %s%s\n", c.node_id, offset.c_str(), delay.c_str(),
                  c.name.c_str(), c.exceeds ? " (beyond the bound)" : "");
  }
  return out;
}

}  // namespace tandem::transport
