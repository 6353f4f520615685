// Simulated processes on one host: their exit, elevation, and the host's reboot.
#include <set>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

class Processes : public FakeTest {};

TEST_F(Processes, Destruction_EndsTheProcessItsSocketsAndItsRuntimeReservations) {
  std::uint32_t pid = 0;
  {
    FakeSocketIoctl other(shared_host());
    pid = other.pid();
    const SOCKET s = OpenTcp(other);
    ASSERT_EQ(Acquire(other, s, 50000, 4).error, 0);
    ASSERT_EQ(Bind(other, OpenTcp(other), 40000), 0);
    EXPECT_EQ(host().SocketCount(), 2u);
  }
  EXPECT_EQ(host().SocketCount(), 0u);
  EXPECT_EQ(host().ReservationCount(), 0u);
  EXPECT_EQ(Acquire(api(), OpenTcp(api()), 50000, 4).error, 0);
  EXPECT_EQ(Bind(api(), OpenTcp(api()), 40000), 0);
  EXPECT_NE(pid, api().pid());
}

TEST_F(Processes, Destruction_LeavesOtherProcessesAndPersistentReservations) {
  const SOCKET mine = OpenTcp(api());
  ASSERT_EQ(Acquire(api(), mine, 50000, 1).error, 0);
  ULONG64 token = 0;
  {
    FakeSocketIoctl other(shared_host());
    FakeIpHelper installer(shared_host());
    ASSERT_EQ(installer.CreatePersistentTcpPortReservation(htons(6000), 4, &token),
              static_cast<ULONG>(NO_ERROR));
  }
  EXPECT_EQ(host().ReservationCount(), 2u);
  EXPECT_EQ(api().Sockets().size(), 1u);
}

TEST_F(Processes, Destruction_WithPendingCalls_DropsThem) {
  auto other = std::make_unique<FakeSocketIoctl>(shared_host());
  const SOCKET s = OpenTcp(*other);
  other->Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(*other, s, 0, 1, &overlapped).error, WSA_IO_PENDING);
  other.reset();
  EXPECT_EQ(host().SocketCount(), 0u);
  EXPECT_EQ(host().ReservationCount(), 0u);
}

TEST_F(Processes, Pids_AreDistinctMultiplesOfFour) {
  FakeSocketIoctl b(shared_host());
  FakeSocketIoctl c(shared_host());
  const std::set<std::uint32_t> pids{api().pid(), b.pid(), c.pid()};
  EXPECT_EQ(pids.size(), 3u);
  for (std::uint32_t pid : pids) EXPECT_EQ(pid % 4, 0u);
}

TEST_F(Processes, Sockets_BelongToTheirProcess) {
  FakeSocketIoctl other(shared_host());
  const SOCKET theirs = OpenTcp(other);
  EXPECT_EQ(api().closesocket(theirs), SOCKET_ERROR);
  EXPECT_EQ(api().WSAGetLastError(), WSAENOTSOCK);
  EXPECT_EQ(Acquire(api(), theirs, 0, 1).error, WSAENOTSOCK);
  EXPECT_EQ(other.closesocket(theirs), 0);
}

TEST_F(Processes, DefaultConstructed_RunsOnAHostOfItsOwn) {
  FakeSocketIoctl a;
  FakeSocketIoctl b;
  ASSERT_EQ(Acquire(a, OpenTcp(a), 50000, 1).error, 0);
  EXPECT_EQ(Acquire(b, OpenTcp(b), 50000, 1).error, 0);
  EXPECT_NE(&a.host(), &b.host());
}

TEST_F(Processes, Unelevated_MayUseRuntimeReservations) {
  // [ref:associate]: the admin rule is for persistent reservations only.
  FakeProcessOptions unelevated;
  unelevated.elevated = false;
  FakeSocketIoctl guest(shared_host(), unelevated);
  const SOCKET s = OpenTcp(guest);
  const Acquired acquired = Acquire(guest, s, 0, 2);
  ASSERT_EQ(acquired.error, 0);
  const SOCKET t = OpenTcp(guest);
  EXPECT_EQ(Associate(guest, t, acquired.token()), 0);
  EXPECT_EQ(Release(guest, s, acquired.token()), 0);
}

TEST_F(Processes, Reboot_EndsEverySocketAndRuntimeReservation) {
  FakeSocketIoctl other(shared_host());
  const SOCKET mine = OpenTcp(api());
  const SOCKET theirs = OpenUdp(other);
  ASSERT_EQ(Acquire(api(), mine, 50000, 2).error, 0);
  ASSERT_EQ(Bind(other, theirs, 40000), 0);
  ULONG64 token = 0;
  ASSERT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(6000), 4, &token),
            static_cast<ULONG>(NO_ERROR));
  host().Reboot();
  EXPECT_EQ(host().SocketCount(), 0u);
  ASSERT_EQ(host().ReservationCount(), 1u);
  EXPECT_EQ(host().Reservations()[0].kind, ReservationKind::kPersistent);
  EXPECT_EQ(api().closesocket(mine), SOCKET_ERROR);
  EXPECT_EQ(api().WSAGetLastError(), WSAENOTSOCK);
  EXPECT_EQ(Bind(other, theirs, 0), WSAENOTSOCK);
}

TEST_F(Processes, Reboot_LeavesProcessViewsUsable) {
  host().Reboot();
  const SOCKET s = OpenTcp(api());
  ASSERT_NE(s, INVALID_SOCKET);
  EXPECT_EQ(Acquire(api(), s, 50000, 2).error, 0);
  ULONG64 token = 0;
  EXPECT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(6000), 4, &token),
            static_cast<ULONG>(NO_ERROR));
}

TEST_F(Processes, Reboot_KeepsPersistentBlocksOutOfEphemeralBinds) {
  FakeHostOptions options;
  options.dynamic_first_port = 10000;
  options.dynamic_last_port = 10009;
  auto host = std::make_shared<FakeHost>(options);
  FakeSocketIoctl api(host);
  FakeIpHelper helper(host);
  ULONG64 token = 0;
  ASSERT_EQ(helper.CreatePersistentTcpPortReservation(htons(10000), 5, &token),
            static_cast<ULONG>(NO_ERROR));
  host->Reboot();
  const SOCKET s = OpenTcp(api);
  ASSERT_EQ(Bind(api, s, 0), 0);
  EXPECT_EQ(LocalPort(api, s), 10005);
}

TEST_F(Processes, Reboot_NewTokensAreNeverOldOnes) {
  ULONG64 before = 0;
  ASSERT_EQ(ip_helper().CreatePersistentTcpPortReservation(htons(6000), 4, &before),
            static_cast<ULONG>(NO_ERROR));
  std::set<ULONG64> seen{before};
  for (int i = 0; i < 5; ++i) {
    host().Reboot();
    ULONG64 token = 0;
    ASSERT_EQ(ip_helper().LookupPersistentTcpPortReservation(htons(6000), 4, &token),
              static_cast<ULONG>(NO_ERROR));
    EXPECT_TRUE(seen.insert(token).second);
  }
}

}  // namespace
}  // namespace portres::testing_fake
