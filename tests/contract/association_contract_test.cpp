// SIO_ASSOCIATE_PORT_RESERVATION [ref:associate] and the bind() that follows it; binds into blocks
// that belong to someone else ([ref:associate], [ref:open-questions], [ref:observed]).
#include <set>

#include "contract_test.h"

namespace portres::contract {
namespace {

TEST_P(AssociationContract, Associate_OwnRuntimeToken_ThenBindPortZero_TakesPortFromBlock) {
  // [ref:associate]: on bind, the port comes from the associated reservation.
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 4);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket s = Tcp();
  ASSERT_EQ(Associate(s.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  const std::uint16_t port = LocalPort(s.handle());
  EXPECT_GE(port, acquired.first_port());
  EXPECT_LT(port, acquired.first_port() + 4);
}

TEST_P(AssociationContract, Associate_OnTheAcquiringSocket_ThenBindPortZero_TakesPortFromBlock) {
  // The [ref:acquire] sample associates and binds on the acquiring socket itself.
  TestSocket s = Udp();
  const Acquired acquired = Acquire(s.handle(), 0, 2);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ASSERT_EQ(Associate(s.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  const std::uint16_t port = LocalPort(s.handle());
  EXPECT_GE(port, acquired.first_port());
  EXPECT_LT(port, acquired.first_port() + 2);
}

TEST_P(AssociationContract, Associate_SeveralSockets_BindPortZero_TakesDistinctPortsOfBlock) {
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 3);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  std::vector<TestSocket> sockets;
  std::set<std::uint16_t> ports;
  for (int i = 0; i < 3; ++i) {
    sockets.push_back(Tcp());
    ASSERT_EQ(Associate(sockets.back().handle(), acquired.token()), kWsaSuccess);
    ASSERT_EQ(Bind(sockets.back().handle(), 0), kWsaSuccess);
    const std::uint16_t port = LocalPort(sockets.back().handle());
    EXPECT_GE(port, acquired.first_port());
    EXPECT_LT(port, acquired.first_port() + 3);
    ports.insert(port);
  }
  EXPECT_EQ(ports.size(), 3u);
}

TEST_P(AssociationContract, Bind_PortZeroWithBlockExhausted_FailsWithWsaenobufs_Assumed) {
  // [ref:open-7]; [ref:bind] WSAENOBUFS is the closest documented code
  // (AssumedErrors::bind_reservation_full).
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket first = Tcp();
  ASSERT_EQ(Associate(first.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Bind(first.handle(), 0), kWsaSuccess);
  TestSocket second = Tcp();
  ASSERT_EQ(Associate(second.handle(), acquired.token()), kWsaSuccess);
  EXPECT_EQ(Bind(second.handle(), 0), Wsa(WSAENOBUFS));
}

TEST_P(AssociationContract, Bind_PortOfExhaustedBlockFreedByClose_IsHandedOutAgain) {
  // [ref:open-7]: ports return to the block at closesocket.
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket first = Tcp();
  ASSERT_EQ(Associate(first.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Bind(first.handle(), 0), kWsaSuccess);
  ASSERT_EQ(first.Close(), kWsaSuccess);
  TestSocket second = Tcp();
  ASSERT_EQ(Associate(second.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Bind(second.handle(), 0), kWsaSuccess);
  EXPECT_EQ(LocalPort(second.handle()), acquired.first_port());
}

TEST_P(AssociationContract, Bind_SpecificPortInsideAssociatedBlock_Succeeds_Observed) {
  // MsQuic's pattern ([ref:observed]): a one-port block on an AF_INET6 UDP socket, the
  // token associated with a sibling socket, which binds to that very port.
  const std::uint16_t port = FreeBlock(1, Transport::kUdp);
  TestSocket acquiring = Udp(AF_INET6);
  const Acquired acquired = Acquire(acquiring.handle(), port, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket sibling = Udp(AF_INET6);
  ASSERT_EQ(Associate(sibling.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Bind(sibling.handle(), port, AF_INET6), kWsaSuccess);
  EXPECT_EQ(LocalPort(sibling.handle()), port);
}

TEST_P(AssociationContract, Associate_AnotherProcessRuntimeToken_FailsWithWsaeacces_Assumed) {
  // [ref:open-6]: the docs require same-process use but give no code
  // (AssumedErrors::associate_foreign_runtime).
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  auto other = backend().OtherProcess();
  TestSocket mine = Tcp();
  const Acquired acquired = Acquire(mine.handle(), 0, 2);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket theirs = Tcp(*other);
  EXPECT_EQ(Associate(*other, theirs.handle(), acquired.token()), Wsa(WSAEACCES));
}

TEST_P(AssociationContract, Bind_IntoAnotherProcessRuntimeBlock_FailsWithWsaeacces_Observed) {
  // [ref:observed]: the Hyper-V/WinNAT symptom (AssumedErrors::bind_foreign_runtime_block).
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  auto other = backend().OtherProcess();
  const std::uint16_t first = FreeBlock(2);
  TestSocket mine = Tcp();
  ASSERT_EQ(Acquire(mine.handle(), first, 2).error, kWsaSuccess);
  TestSocket theirs = Tcp(*other);
  EXPECT_EQ(Bind(*other, theirs.handle(), first + 1), Wsa(WSAEACCES));
}

TEST_P(AssociationContract, Bind_PortZero_NeverHandsOutAnotherProcessReservedPort) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  auto other = backend().OtherProcess();
  TestSocket mine = Tcp();
  const Acquired acquired = Acquire(mine.handle(), 0, 32);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  for (int i = 0; i < 8; ++i) {
    TestSocket theirs = Tcp(*other);
    ASSERT_EQ(Bind(*other, theirs.handle(), 0), kWsaSuccess);
    const std::uint16_t port = LocalPort(*other, theirs.handle());
    EXPECT_FALSE(port >= acquired.first_port() && port < acquired.first_port() + 32)
        << "bind(0) handed out reserved port " << port;
  }
}

TEST_P(AssociationContract, TwoProcesses_BlockOfOne_IsFreeForTheOtherOnceItsSocketCloses) {
  // Two processes, one block: A binds from its block through a second socket; B can neither
  // associate the token nor bind into the block; once A closes both, B has the ports.
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  auto b = backend().OtherProcess();
  const std::uint16_t first = FreeBlock(4);
  TestSocket a_acquiring = Tcp();
  const Acquired acquired = Acquire(a_acquiring.handle(), first, 4);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket a_server = Tcp();
  ASSERT_EQ(Associate(a_server.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Bind(a_server.handle(), 0), kWsaSuccess);

  TestSocket b_socket = Tcp(*b);
  EXPECT_NE(Associate(*b, b_socket.handle(), acquired.token()), kWsaSuccess);
  EXPECT_EQ(Bind(*b, b_socket.handle(), first + 3), Wsa(WSAEACCES));

  ASSERT_EQ(a_acquiring.Close(), kWsaSuccess);
  ASSERT_EQ(a_server.Close(), kWsaSuccess);
  TestSocket b_acquiring = Tcp(*b);
  EXPECT_EQ(Acquire(*b, b_acquiring.handle(), first, 4).error, kWsaSuccess);
  EXPECT_EQ(Bind(*b, b_socket.handle(), first + 3), kWsaSuccess);
}

TEST_P(AssociationContract, Associate_UnknownToken_FailsWithWsaeinval_Assumed) {
  // [ref:open-1] (AssumedErrors::unknown_token).
  TestSocket s = Tcp();
  EXPECT_EQ(Associate(s.handle(), 0x0badc0ffee0ddf00ULL), Wsa(WSAEINVAL));
}

TEST_P(AssociationContract, Associate_TokenOfTheOtherProtocol_FailsWithWsaeinval_Assumed) {
  // [ref:open-6] (AssumedErrors::associate_wrong_protocol).
  TestSocket tcp = Tcp();
  const Acquired acquired = Acquire(tcp.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket udp = Udp();
  EXPECT_EQ(Associate(udp.handle(), acquired.token()), Wsa(WSAEINVAL));
}

TEST_P(AssociationContract, Associate_AfterBind_FailsWithWsaeinval_Assumed) {
  // [ref:associate]: associate must come before bind; [ref:open-6] gives no code
  // (AssumedErrors::associate_after_bind).
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket s = Tcp();
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  EXPECT_EQ(Associate(s.handle(), acquired.token()), Wsa(WSAEINVAL));
}

TEST_P(AssociationContract, Associate_WithShortInputBuffer_FailsWithWsaeinval) {
  // [ref:associate]: cbInBuffer must hold an INET_PORT_RESERVATION_TOKEN.
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket s = Tcp();
  ULONG64 token = acquired.token();
  DWORD bytes = 0;
  EXPECT_EQ(Ioctl(api(), s.handle(), SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token - 1,
                  nullptr, 0, &bytes),
            Wsa(WSAEINVAL));
}

TEST_P(AssociationContract, Associate_WithNonzeroOutputBufferSize_FailsWithWsaeinval) {
  // [ref:associate]: the output buffer is unused and cbOutBuffer must be 0.
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket s = Tcp();
  ULONG64 token = acquired.token();
  ULONG64 out = 0;
  DWORD bytes = 0;
  EXPECT_EQ(Ioctl(api(), s.handle(), SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token, &out,
                  sizeof out, &bytes),
            Wsa(WSAEINVAL));
}

TEST_P(AssociationContract, Associate_WithNullInputBuffer_FailsWithWsaefault) {
  // [ref:associate] WSAEFAULT: lpvInBuffer is not wholly in valid user memory.
  TestSocket s = Tcp();
  DWORD bytes = 0;
  EXPECT_EQ(Ioctl(api(), s.handle(), SIO_ASSOCIATE_PORT_RESERVATION, nullptr,
                  sizeof(INET_PORT_RESERVATION_TOKEN), nullptr, 0, &bytes),
            Wsa(WSAEFAULT));
}

TEST_P(AssociationContract, Associate_OnClosedSocket_FailsWithWsaenotsock) {
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket s = Tcp();
  const SOCKET stale = s.handle();
  ASSERT_EQ(s.Close(), kWsaSuccess);
  EXPECT_EQ(Associate(stale, acquired.token()), Wsa(WSAENOTSOCK));
}

TEST_P(AssociationContract, Bind_AfterAssociatedReservationReleased_FailsWithWsaeinval_Assumed) {
  // [ref:open-8] (AssumedErrors::bind_reservation_gone).
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket s = Tcp();
  ASSERT_EQ(Associate(s.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Release(acquiring.handle(), acquired.token()), kWsaSuccess);
  EXPECT_EQ(Bind(s.handle(), 0), Wsa(WSAEINVAL));
}

TEST_P(AssociationContract, Release_LeavesSocketsBoundFromTheBlockBound_Assumed) {
  // [ref:open-8]: a socket bound from a reservation keeps its port when the
  // reservation ends.
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 2);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket s = Tcp();
  ASSERT_EQ(Associate(s.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  const std::uint16_t port = LocalPort(s.handle());
  ASSERT_EQ(Release(acquiring.handle(), acquired.token()), kWsaSuccess);
  EXPECT_EQ(LocalPort(s.handle()), port);
  TestSocket other = Tcp();
  EXPECT_EQ(Bind(other.handle(), port), Wsa(WSAEADDRINUSE));
}

}  // namespace
}  // namespace portres::contract
