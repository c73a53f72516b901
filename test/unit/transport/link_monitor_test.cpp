// Link status: connected while a peer was heard from within the timeout.

#include "sidecar/transport/link_monitor.h"

#include <vector>

#include <gtest/gtest.h>

namespace tandem::transport {
namespace {

using std::chrono::milliseconds;
const std::vector<std::uint32_t> kPeers{2, 3};

TEST(LinkMonitor, a_peer_never_heard_from_is_disconnected) {
  LinkMonitor links(kPeers, milliseconds(5000));
  EXPECT_FALSE(links.connected(2, milliseconds(1)));
  EXPECT_FALSE(links.last_heard(2));
}

TEST(LinkMonitor, a_peer_is_connected_until_the_timeout_passes_in_silence) {
  LinkMonitor links(kPeers, milliseconds(5000));
  links.heard(2, milliseconds(1000));
  EXPECT_TRUE(links.connected(2, milliseconds(6000)));
  EXPECT_FALSE(links.connected(2, milliseconds(6001)));
  EXPECT_FALSE(links.connected(3, milliseconds(1000)));
}

TEST(LinkMonitor, changes_are_reported_once_each_way) {
  LinkMonitor links(kPeers, milliseconds(5000));
  EXPECT_FALSE(links.changed(milliseconds(0)));
  links.heard(3, milliseconds(10));
  EXPECT_TRUE(links.changed(milliseconds(20)));
  EXPECT_FALSE(links.changed(milliseconds(30)));
  EXPECT_TRUE(links.changed(milliseconds(6000)));
  EXPECT_FALSE(links.changed(milliseconds(7000)));
}

TEST(LinkMonitor, nodes_outside_the_nodelist_and_earlier_times_are_ignored) {
  LinkMonitor links(kPeers, milliseconds(5000));
  links.heard(9, milliseconds(10));
  EXPECT_FALSE(links.connected(9, milliseconds(10)));
  links.heard(2, milliseconds(100));
  links.heard(2, milliseconds(50));
  EXPECT_EQ(links.last_heard(2), milliseconds(100));
}

}  // namespace
}  // namespace tandem::transport
