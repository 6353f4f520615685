// bind() and getsockname() [ref:bind], and how reservations shape what bind() hands out.
#include "contract_test.h"

namespace portres::contract {
namespace {

TEST_P(BindContract, Bind_SpecificFreePort_GetSockNameReportsIt) {
  const std::uint16_t port = FreePort();
  TestSocket s = Tcp();
  ASSERT_EQ(Bind(s.handle(), port), kWsaSuccess);
  EXPECT_EQ(LocalPort(s.handle()), port);
}

TEST_P(BindContract, Bind_SpecificFreePortOnIpv6Socket_GetSockNameReportsIt) {
  const std::uint16_t port = FreePort(Transport::kUdp);
  TestSocket s = Udp(AF_INET6);
  ASSERT_EQ(Bind(s.handle(), port, AF_INET6), kWsaSuccess);
  EXPECT_EQ(LocalPort(s.handle()), port);
}

TEST_P(BindContract, Bind_PortZero_TakesAnEphemeralPort) {
  // [ref:bind]: port 0 lets the system pick. Which range it picks from is a host setting (Windows:
  // normally 49152..65535; Wine: the Linux kernel's range), so the fake's tests check the range
  // (DynamicRange.EphemeralBind_DrawsFromTheConfiguredRange).
  TestSocket s = Tcp();
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  EXPECT_NE(LocalPort(s.handle()), 0);
}

TEST_P(BindContract, Bind_PortZeroTwice_TakesDifferentPorts) {
  TestSocket a = Tcp();
  TestSocket b = Tcp();
  ASSERT_EQ(Bind(a.handle(), 0), kWsaSuccess);
  ASSERT_EQ(Bind(b.handle(), 0), kWsaSuccess);
  EXPECT_NE(LocalPort(a.handle()), LocalPort(b.handle()));
}

TEST_P(BindContract, Bind_PortZero_AvoidsRuntimeReservations) {
  // [ref:acquire]: a reservation keeps its ports, so no ephemeral bind takes one.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  TestSocket holder = Tcp();
  const Acquired acquired = Acquire(holder.handle(), 0, 64);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  for (int i = 0; i < 8; ++i) {
    TestSocket s = Tcp();
    ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
    const std::uint16_t port = LocalPort(s.handle());
    EXPECT_FALSE(port >= acquired.first_port() && port < acquired.first_port() + 64)
        << "bind(0) handed out reserved port " << port;
  }
}

TEST_P(BindContract, Bind_PortAlreadyBound_FailsWithWsaeaddrinuse) {
  // [ref:bind] WSAEADDRINUSE: the same address is bound and SO_REUSEADDR is not set.
  const std::uint16_t port = FreePort();
  TestSocket a = Tcp();
  TestSocket b = Tcp();
  ASSERT_EQ(Bind(a.handle(), port), kWsaSuccess);
  EXPECT_EQ(Bind(b.handle(), port), Wsa(WSAEADDRINUSE));
}

TEST_P(BindContract, Bind_SamePortInTheOtherProtocol_Succeeds) {
  // TCP and UDP have separate port spaces ([ref:bind]: an address is a protocol, an address and a
  // port).
  const std::uint16_t port = FreePort();
  TestSocket tcp = Tcp();
  TestSocket udp = Udp();
  ASSERT_EQ(Bind(tcp.handle(), port), kWsaSuccess);
  EXPECT_EQ(Bind(udp.handle(), port), kWsaSuccess);
}

TEST_P(BindContract, Bind_Twice_FailsWithWsaeinval) {
  // [ref:bind] WSAEINVAL: the socket is already bound.
  TestSocket s = Tcp();
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  EXPECT_EQ(Bind(s.handle(), 0), Wsa(WSAEINVAL));
}

TEST_P(BindContract, CloseSocket_FreesTheBoundPort) {
  const std::uint16_t port = FreePort();
  TestSocket a = Tcp();
  ASSERT_EQ(Bind(a.handle(), port), kWsaSuccess);
  ASSERT_EQ(a.Close(), kWsaSuccess);
  TestSocket b = Tcp();
  EXPECT_EQ(Bind(b.handle(), port), kWsaSuccess);
}

TEST_P(BindContract, Bind_OnClosedSocket_FailsWithWsaenotsock) {
  TestSocket s = Tcp();
  const SOCKET stale = s.handle();
  ASSERT_EQ(s.Close(), kWsaSuccess);
  EXPECT_EQ(Bind(stale, 0), Wsa(WSAENOTSOCK));
}

TEST_P(BindContract, Bind_WithNullName_FailsWithWsaefault) {
  // [ref:bind] WSAEFAULT: name is not a valid part of the user address space.
  TestSocket s = Tcp();
  EXPECT_EQ(api().bind(s.handle(), nullptr, static_cast<int>(sizeof(sockaddr_in))), SOCKET_ERROR);
  EXPECT_EQ(Wsa(api().WSAGetLastError()), Wsa(WSAEFAULT));
}

TEST_P(BindContract, Bind_WithTooShortNameLength_FailsWithWsaefault) {
  // [ref:bind] WSAEFAULT: namelen is too small.
  TestSocket s = Tcp();
  sockaddr_in address{};
  address.sin_family = AF_INET;
  EXPECT_EQ(api().bind(s.handle(), reinterpret_cast<const sockaddr*>(&address), 4), SOCKET_ERROR);
  EXPECT_EQ(Wsa(api().WSAGetLastError()), Wsa(WSAEFAULT));
}

TEST_P(BindContract, GetSockName_OnUnboundSocket_FailsWithWsaeinval) {
  TestSocket s = Tcp();
  sockaddr_in address{};
  int length = static_cast<int>(sizeof address);
  EXPECT_EQ(api().getsockname(s.handle(), reinterpret_cast<sockaddr*>(&address), &length),
            SOCKET_ERROR);
  EXPECT_EQ(Wsa(api().WSAGetLastError()), Wsa(WSAEINVAL));
}

TEST_P(BindContract, Bind_IntoOwnRuntimeBlockWithoutAssociation_Succeeds_Observed) {
  // [ref:field-answers] microsoft/msquic#2017: binds into one's own block work unassociated.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  const std::uint16_t first = FreeBlock(2);
  TestSocket holder = Tcp();
  ASSERT_EQ(Acquire(holder.handle(), first, 2).error, kWsaSuccess);
  TestSocket s = Tcp();
  EXPECT_EQ(Bind(s.handle(), first + 1), kWsaSuccess);
}

}  // namespace
}  // namespace portres::contract
