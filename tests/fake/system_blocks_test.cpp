// The machine's own state: per-protocol dynamic ranges, the System's scattered blocks (as
// Hyper-V's WinNAT holds them) and their restart, the administered 50000..50059 preset.
#include <portres/netsh.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

using Blocks = std::vector<std::pair<int, int>>;  // first, last

Blocks SystemBlocks(const FakeHost& host, Protocol protocol) {
  Blocks blocks;
  for (const ReservationInfo& r : host.Reservations()) {
    if (r.protocol == protocol && r.owner_pid == FakeHost::kSystemPid) {
      blocks.emplace_back(r.first_port, r.first_port + r.port_count - 1);
    }
  }
  return blocks;
}

// ---- Per-protocol dynamic ranges -------------------------------------------------------------
TEST(DynamicRanges, TheSharedOptions_StillMeanBothProtocols) {
  FakeHostOptions options;
  options.dynamic_first_port = 20000;
  options.dynamic_last_port = 20099;
  FakeHost host(options);
  for (const Protocol protocol : {Protocol::kTcp, Protocol::kUdp}) {
    EXPECT_EQ(host.DynamicPortRange(protocol).first_port, 20000);
    EXPECT_EQ(host.DynamicPortRange(protocol).last_port, 20099);
  }
}

TEST(DynamicRanges, EachProtocol_DrawsFromItsOwnRange) {
  FakeHostOptions options;
  options.tcp_dynamic_range = PortRange{1024, 14999};  // what a faulty update left behind
  auto host = std::make_shared<FakeHost>(options);
  FakeSocketIoctl api(host);
  EXPECT_EQ(host->DynamicPortRange(Protocol::kUdp).first_port, 49152);
  const SOCKET tcp = OpenTcp(api);
  const SOCKET udp = OpenUdp(api);
  ASSERT_EQ(Bind(api, tcp, 0), 0);
  ASSERT_EQ(Bind(api, udp, 0), 0);
  EXPECT_EQ(LocalPort(api, tcp), 1024);
  EXPECT_EQ(LocalPort(api, udp), 49152);
  const SOCKET acquirer = OpenUdp(api);
  const Acquired acquired = Acquire(api, acquirer, 0, 10);
  ASSERT_EQ(acquired.error, 0);
  EXPECT_GE(acquired.first_port(), 49152);
}

TEST(DynamicRanges, SetDynamicPortRange_MovesIt_AndARebootKeepsIt) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl api(host);
  host->SetDynamicPortRange(Protocol::kTcp, PortRange{30000, 30009});
  const SOCKET s = OpenTcp(api);
  ASSERT_EQ(Acquire(api, s, 0, 10).first_port(), 30000);
  EXPECT_EQ(Acquire(api, s, 0, 1).error, WSAENOBUFS);  // the range is full
  host->Reboot();
  EXPECT_EQ(host->DynamicPortRange(Protocol::kTcp).first_port, 30000);
  EXPECT_EQ(host->DynamicPortRange(Protocol::kTcp).last_port, 30009);
  const SOCKET after = OpenTcp(api);
  EXPECT_EQ(Acquire(api, after, 0, 10).first_port(), 30000);
}

TEST(DynamicRanges, ANewRange_KnowsWhatAlreadyCoversIt) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl api(host);
  const SOCKET bound = OpenTcp(api);
  ASSERT_EQ(Bind(api, bound, 30000), 0);
  const SOCKET holder = OpenTcp(api);
  ASSERT_EQ(Acquire(api, holder, 30001, 4).error, 0);
  host->SetDynamicPortRange(Protocol::kTcp, PortRange{30000, 30009});
  const SOCKET s = OpenTcp(api);
  EXPECT_EQ(Acquire(api, s, 0, 5).first_port(), 30005);
  EXPECT_EQ(Acquire(api, s, 0, 1).error, WSAENOBUFS);
}

TEST(DynamicRanges, ABadRange_IsRefusedAndChangesNothing) {
  FakeHost host;
  EXPECT_THROW(host.SetDynamicPortRange(Protocol::kTcp, PortRange{0, 100}), std::invalid_argument);
  EXPECT_THROW(host.SetDynamicPortRange(Protocol::kTcp, PortRange{2000, 1000}),
               std::invalid_argument);
  EXPECT_EQ(host.DynamicPortRange(Protocol::kTcp).first_port, 49152);
  FakeHostOptions options;
  options.udp_dynamic_range = PortRange{2000, 1000};
  EXPECT_THROW(FakeHost{options}, std::invalid_argument);
}

// ---- The System's blocks -----------------------------------------------------------------------
TEST(SystemBlocks, HeldByTheSystem_InsideEachProtocolsRange_Scattered) {
  FakeHost host;
  EXPECT_EQ(host.HoldSystemBlocks(12), 24U);
  for (const Protocol protocol : {Protocol::kTcp, Protocol::kUdp}) {
    const Blocks blocks = SystemBlocks(host, protocol);
    ASSERT_EQ(blocks.size(), 12U);
    for (const auto& [first, last] : blocks) {
      EXPECT_EQ(last - first + 1, 100);
      EXPECT_GE(first, 49152);
      EXPECT_LE(last, 65535);
    }
    // Not packed from the bottom of the range, as the lowest best fit would place them.
    EXPECT_NE(blocks.front().first, 49152);
    EXPECT_GT(blocks.back().first - blocks.front().first, 12 * 100);
  }
}

TEST(SystemBlocks, AreSeeded_TheSameSeedPlacesThemAlike) {
  FakeHostOptions options;
  options.system.blocks = 8;
  FakeHost a(options);
  FakeHost b(options);
  options.seed = 7;
  FakeHost c(options);
  EXPECT_EQ(SystemBlocks(a, Protocol::kTcp), SystemBlocks(b, Protocol::kTcp));
  EXPECT_NE(SystemBlocks(a, Protocol::kTcp), SystemBlocks(c, Protocol::kTcp));
}

TEST(SystemBlocks, RestartSystemService_PlacesThemAnew) {
  FakeHostOptions options;
  options.system.blocks = 8;
  options.system.block_size = 64;  // Kubernetes HNS takes 64-port blocks
  FakeHost host(options);
  const Blocks before = SystemBlocks(host, Protocol::kTcp);
  EXPECT_EQ(host.RestartSystemService(), 16U);
  const Blocks after = SystemBlocks(host, Protocol::kTcp);
  EXPECT_EQ(after.size(), 8U);
  EXPECT_NE(after, before);
  for (const auto& [first, last] : after) EXPECT_EQ(last - first + 1, 64);
}

TEST(SystemBlocks, ARebootPlacesThemAnew_AndKeepsLoadedRowsWhereTheyWere) {
  FakeHostOptions options;
  options.system.blocks = 5;
  FakeHost host(options);
  LoadNetshOutput(host, "Start Port    End Port\n----------    --------\n      5357        5357\n");
  const Blocks before = SystemBlocks(host, Protocol::kTcp);
  host.Reboot();
  const Blocks after = SystemBlocks(host, Protocol::kTcp);
  EXPECT_EQ(after.size(), 6U);
  EXPECT_NE(after, before);
  EXPECT_EQ(after.front(), std::make_pair(5357, 5357));
}

TEST(SystemBlocks, BehaveAsAnotherProcesssRuntimeBlocks) {
  FakeHostOptions options;
  options.system.blocks = 3;
  auto host = std::make_shared<FakeHost>(options);
  FakeSocketIoctl api(host);
  const auto [first, last] = SystemBlocks(*host, Protocol::kTcp)[1];
  const SOCKET s = OpenTcp(api);
  EXPECT_EQ(Bind(api, s, static_cast<std::uint16_t>(first + 7)), WSAEACCES);
  EXPECT_EQ(Acquire(api, s, static_cast<std::uint16_t>(last), 1).error, WSAEADDRINUSE);
  for (const ReservationInfo& r : host->Reservations()) {
    if (r.owner_pid == FakeHost::kSystemPid && r.protocol == Protocol::kTcp) {
      EXPECT_EQ(Release(api, s, r.token), WSAEINVAL);
      EXPECT_EQ(Associate(api, OpenTcp(api), r.token), WSAEACCES);
    }
  }
  EXPECT_EQ(host->ReservationCount(), 6U);
}

TEST(SystemBlocks, AreHeldAroundWhatOthersHold) {
  FakeHostOptions options;
  options.dynamic_first_port = 60000;
  options.dynamic_last_port = 60999;
  auto host = std::make_shared<FakeHost>(options);
  FakeSocketIoctl api(host);
  const SOCKET s = OpenTcp(api);
  ASSERT_EQ(Acquire(api, s, 60000, 500).error, 0);
  for (int restart = 0; restart < 10; ++restart) {
    host->HoldSystemBlocks(6);
    const Blocks tcp = SystemBlocks(*host, Protocol::kTcp);
    EXPECT_GE(tcp.size(), 1U);
    EXPECT_LE(tcp.size(), 5U);  // 500 ports left
    for (const auto& [first, last] : tcp) EXPECT_GE(first, 60500);
  }
}

TEST(SystemBlocks, NoRoom_PlacesWhatFits) {
  FakeHostOptions options;
  options.dynamic_first_port = 60000;
  options.dynamic_last_port = 60249;
  options.runtime_reservations_span_protocols = false;
  FakeHost host(options);
  const std::size_t placed = host.HoldSystemBlocks(5);
  EXPECT_GE(placed, 2U);  // one block per protocol fits however the first is placed
  EXPECT_LE(placed, 4U);  // two at most in 250 ports
  EXPECT_EQ(SystemBlocks(host, Protocol::kTcp).size() + SystemBlocks(host, Protocol::kUdp).size(),
            placed);
  EXPECT_THROW(host.HoldSystemBlocks(1, 0), std::invalid_argument);
}

TEST(SystemBlocks, Administered50000Preset_IsAPersistentTcpBlock) {
  FakeHostOptions options;
  options.system.administered_tcp_50000 = true;
  auto host = std::make_shared<FakeHost>(options);
  FakeIpHelper ip(host);
  ULONG64 token = 0;
  EXPECT_EQ(ip.LookupPersistentTcpPortReservation(htons(50000), 60, &token),
            static_cast<ULONG>(NO_ERROR));
  EXPECT_NE(NetshExcludedPortRanges(*host, Protocol::kTcp).find("     50000       50059     *\n"),
            std::string::npos);
}

}  // namespace
}  // namespace portres::testing_fake
