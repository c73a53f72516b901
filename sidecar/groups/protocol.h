#pragma once

// The local socket's protocol: newline-delimited JSON, one object per line,
// both ways (docs/sidecar-membership.md, "Ordered messaging for
// applications", is the reference).
//
//   requests: {"op":"join"|"leave"|"members","group":G}
//             {"op":"mcast","group":G,"data":TEXT}
//             each may carry an "id" (a string or an integer), echoed in
//             its reply.
//   replies:  exactly one per request, in order: {"type":"ok",...} or
//             {"type":"error","code":...,"error":...}.
//   events:   {"type":"message",...} and {"type":"membership",...}, in the
//             group's total order; {"type":"hello",...} first of all.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "sidecar/groups/groups.h"

namespace tandem::groups {

enum class Op : std::uint8_t { kJoin, kLeave, kMcast, kMembers };
const char* to_string(Op op);

struct Request {
  Op op = Op::kJoin;
  std::string group;
  std::string data;     // mcast only
  std::string id_json;  // the request's "id" as JSON text, or empty
};

// What was wrong, and what of the request could be read, for the reply.
struct BadRequest {
  std::string message;
  std::string op;
  std::string id_json;
};

// `line` without its newline.
tl::expected<Request, BadRequest> parse_request(std::string_view line);

// Each returns one line, newline included.
std::string hello_line(NodeId node, ClientId client, std::uint32_t pid);
std::string ok_line(const Request& request);
std::string members_line(const Request& request, RingId ring, bool synchronized,
                         const std::vector<Member>& members);
std::string error_line(std::string_view op, std::string_view id_json, std::string_view code,
                       std::string_view message);
std::string event_line(const ClientEvent& event);

// Carries out one request line of client `client` and returns the reply
// line, or nothing for a blank line.
std::string answer(Groups& groups, ClientId client, std::string_view line);

// "1.2c": the representative and the sequence in hexadecimal, as the log
// and `tandem-sidecar status` print ring ids.
std::string ring_text(RingId ring);

}  // namespace tandem::groups
