// The sharing-aware invariant (fuzz/port_sharing.h) on hand-made snapshots: two sockets on one
// port pass only for a reason the caller recorded, and everything else is still checked.
#include <gtest/gtest.h>
#include <portres/fake_host.h>

#include "invariants.h"
#include "port_sharing.h"

namespace {

using portres::FakeHostOptions;
using portres::SocketInfo;
using portres::fuzz::CheckHostInvariantsWithSharing;
using portres::fuzz::SharingFactsBySocket;
using portres::test_support::HostSnapshot;

SocketInfo BoundUdp(SOCKET handle, std::uint32_t pid, std::uint16_t port) {
  SocketInfo socket;
  socket.handle = handle;
  socket.pid = pid;
  socket.af = AF_INET;
  socket.type = SOCK_DGRAM;
  socket.protocol = IPPROTO_UDP;
  socket.bound = true;
  socket.port = port;
  return socket;
}

HostSnapshot TwoOnOnePort(std::uint32_t second_pid) {
  HostSnapshot snapshot;
  snapshot.sockets = {BoundUdp(0x100, 1000, 5000), BoundUdp(0x104, second_pid, 5000)};
  return snapshot;
}

TEST(PortSharing, TwoSocketsOnOnePortWithoutAReason_AreAViolation) {
  const std::string violation =
      CheckHostInvariantsWithSharing(TwoOnOnePort(1000), FakeHostOptions(), {});
  EXPECT_NE(violation.find("share UDP port 5000"), std::string::npos) << violation;
}

TEST(PortSharing, ReuseAddrOnBoth_IsAllowed_OnOneIsNot) {
  SharingFactsBySocket facts;
  facts[0x100].reuse_at_bind = true;
  EXPECT_FALSE(
      CheckHostInvariantsWithSharing(TwoOnOnePort(1001), FakeHostOptions(), facts).empty());
  facts[0x104].reuse_at_bind = true;
  EXPECT_EQ(CheckHostInvariantsWithSharing(TwoOnOnePort(1001), FakeHostOptions(), facts), "");
}

TEST(PortSharing, CpuAffinity_IsAllowedInOneProcessOnly) {
  SharingFactsBySocket facts;
  facts[0x100].affinity = true;
  facts[0x104].affinity = true;
  EXPECT_EQ(CheckHostInvariantsWithSharing(TwoOnOnePort(1000), FakeHostOptions(), facts), "");
  EXPECT_FALSE(
      CheckHostInvariantsWithSharing(TwoOnOnePort(1001), FakeHostOptions(), facts).empty());
}

TEST(PortSharing, AnAcceptedSocket_SharesItsListenersPort) {
  SharingFactsBySocket facts;
  facts[0x104].origin = 0x100;
  EXPECT_EQ(CheckHostInvariantsWithSharing(TwoOnOnePort(1000), FakeHostOptions(), facts), "");
}

TEST(PortSharing, ASharedPort_StillGetsTheOtherChecks) {
  HostSnapshot snapshot = TwoOnOnePort(1000);
  snapshot.sockets.push_back(snapshot.sockets[0]);  // a handle listed twice
  SharingFactsBySocket facts;
  facts[0x100].affinity = true;
  facts[0x104].affinity = true;
  EXPECT_NE(CheckHostInvariantsWithSharing(snapshot, FakeHostOptions(), facts), "");
}

}  // namespace
