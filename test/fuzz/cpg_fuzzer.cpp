// Fuzzes what reaches the process groups from outside: a client's bytes on
// the local socket (cut into lines, parsed, carried out) and group messages
// on the ring (sidecar/groups).
//
// The first byte, modulo 2, picks what the rest is:
//   0: a client's stream, fed in pieces whose sizes the next bytes choose,
//      to a one-node ring whose messages come straight back;
//   1: a ring payload from node 2, decoded and delivered to a synchronized
//      node whose client has joined the group.
// Beyond "no crash, hang or sanitizer report": every reply and event is
// one line of JSON, an over-long line stops the reader, and a payload
// decodes only from what encode() writes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/core/assert.h"
#include "sidecar/groups/groups.h"
#include "sidecar/groups/protocol.h"
#include "sidecar/groups/session.h"

namespace {

using namespace tandem::groups;
using tandem::membership::ConfigurationChanged;
using tandem::membership::ConfigurationKind;
using tandem::membership::Delivered;
using tandem::membership::NodeSet;

void check_line(const std::string& line) {
  TANDEM_ASSERT(!line.empty() && line.back() == '\n', "a reply ends its line");
  TANDEM_ASSERT(line.find('\n') == line.size() - 1, "a reply is one line");
  TANDEM_ASSERT(nlohmann::json::accept(line), "a reply is JSON");
}

// Node 1 alone in ring 1.1, synchronized; node 2's ring when `with_two`.
Groups ring_of(bool with_two, std::uint64_t& seq) {
  Groups groups(1, GroupsLimits{4, 8, 4096});
  ConfigurationChanged transitional;
  transitional.kind = ConfigurationKind::kTransitional;
  transitional.ring = {1, 1};
  transitional.members = NodeSet{1};
  groups.on_event(transitional);
  ConfigurationChanged regular;
  regular.kind = ConfigurationKind::kRegular;
  regular.ring = {1, 1};
  regular.members = with_two ? NodeSet{1, 2} : NodeSet{1};
  groups.on_event(regular);
  const Bytes* sync = groups.next_outgoing();
  TANDEM_ASSERT(sync != nullptr, "a new ring starts with the sync message");
  groups.on_event(
      Delivered{{1, 1}, ++seq, 1, tandem::membership::Guarantee::kAgreed, false, *sync});
  groups.sent();
  if (with_two)
    groups.on_event(Delivered{{1, 1},
                              ++seq,
                              2,
                              tandem::membership::Guarantee::kAgreed,
                              false,
                              encode(SyncMessage{{1, 1}, {SyncEntry{"g", 1, 5}}})});
  TANDEM_ASSERT(groups.synchronized(), "the ring is synchronized");
  return groups;
}

// What node 1 sends comes back to it, as in a ring of one.
void loop_back(Groups& groups, std::uint64_t& seq) {
  for (int i = 0; i < 64; ++i) {
    const Bytes* next = groups.next_outgoing();
    if (next == nullptr) break;
    Bytes payload = *next;
    groups.sent();
    groups.on_event(Delivered{
        {1, 1}, ++seq, 1, tandem::membership::Guarantee::kAgreed, false, std::move(payload)});
  }
  for (const Delivery& delivery : groups.take_deliveries()) check_line(event_line(*delivery.event));
}

void client_stream(std::span<const std::uint8_t> bytes) {
  std::uint64_t seq = 0;
  Groups groups = ring_of(false, seq);
  groups.connect(1, 42);
  LineReader reader(512);
  std::size_t at = 0;
  while (at < bytes.size()) {
    std::size_t piece = 1 + bytes[at] % 64;
    ++at;
    piece = std::min(piece, bytes.size() - at);
    reader.feed(std::string_view(reinterpret_cast<const char*>(bytes.data() + at), piece));
    at += piece;
    while (std::optional<std::string> line = reader.next()) {
      TANDEM_ASSERT(line->size() <= 512, "a line within the limit");
      std::string reply = answer(groups, 1, *line);
      if (!reply.empty()) check_line(reply);
      loop_back(groups, seq);
    }
    if (reader.overflowed()) break;
  }
  groups.disconnect(1);
  loop_back(groups, seq);
  TANDEM_ASSERT(groups.members("g").empty() || groups.members("g")[0].id.node != 1,
                "a disconnected client leaves");
}

void ring_payload(std::span<const std::uint8_t> bytes) {
  auto decoded = decode(bytes);
  if (decoded) {
    Bytes again = encode(*decoded);
    TANDEM_ASSERT(std::equal(again.begin(), again.end(), bytes.begin(), bytes.end()),
                  "a group message decodes only from what encode writes");
  }
  std::uint64_t seq = 0;
  Groups groups = ring_of(true, seq);
  groups.connect(1, 42);
  (void)groups.join(1, "g");
  loop_back(groups, seq);
  groups.on_event(Delivered{{1, 1},
                            ++seq,
                            2,
                            tandem::membership::Guarantee::kAgreed,
                            false,
                            Bytes(bytes.begin(), bytes.end())});
  for (const Delivery& delivery : groups.take_deliveries()) check_line(event_line(*delivery.event));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::span<const std::uint8_t> bytes(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    client_stream(bytes);
  } else {
    ring_payload(bytes);
  }
  return 0;
}
