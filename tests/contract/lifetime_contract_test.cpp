// How long a runtime reservation lives: as long as the socket that acquired it, in the process
// that owns that socket ([ref:acquire] remarks; [ref:ioctl-common]).
#include "contract_test.h"

namespace portres::contract {
namespace {

TEST_P(LifetimeContract, CloseSocket_EndsTheReservationsItAcquired) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  const std::uint16_t first = FreeBlock(4);
  TestSocket acquiring = Tcp();
  ASSERT_EQ(Acquire(acquiring.handle(), first, 2).error, kWsaSuccess);
  ASSERT_EQ(Acquire(acquiring.handle(), first + 2, 2).error, kWsaSuccess);
  ASSERT_EQ(acquiring.Close(), kWsaSuccess);
  TestSocket other = Tcp();
  EXPECT_EQ(Acquire(other.handle(), first, 4).error, kWsaSuccess);
}

TEST_P(LifetimeContract, CloseSocket_OfAnotherSocket_KeepsTheReservation) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  const std::uint16_t first = FreeBlock(2);
  TestSocket acquiring = Tcp();
  ASSERT_EQ(Acquire(acquiring.handle(), first, 2).error, kWsaSuccess);
  TestSocket bystander = Tcp();
  ASSERT_EQ(bystander.Close(), kWsaSuccess);
  TestSocket other = Tcp();
  EXPECT_EQ(Acquire(other.handle(), first, 2).error, Wsa(WSAEADDRINUSE));
}

TEST_P(LifetimeContract, CloseSocket_AfterItsReservationEnded_TokenIsUnknown_Assumed) {
  // [ref:open-1]: a stale token (AssumedErrors::unknown_token).
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ASSERT_EQ(acquiring.Close(), kWsaSuccess);
  TestSocket other = Tcp();
  EXPECT_EQ(Release(other.handle(), acquired.token()), Wsa(WSAEINVAL));
}

TEST_P(LifetimeContract, CloseSocket_Twice_FailsWithWsaenotsock) {
  TestSocket s = Tcp();
  const SOCKET stale = s.handle();
  ASSERT_EQ(s.Close(), kWsaSuccess);
  EXPECT_EQ(api().closesocket(stale), SOCKET_ERROR);
  EXPECT_EQ(Wsa(api().WSAGetLastError()), Wsa(WSAENOTSOCK));
}

TEST_P(LifetimeContract, ProcessExit_EndsItsRuntimeReservations) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  const std::uint16_t first = FreeBlock(3);
  {
    auto other = backend().OtherProcess();
    const SOCKET theirs = other->socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(theirs, INVALID_SOCKET);
    ASSERT_EQ(Acquire(*other, theirs, first, 3).error, kWsaSuccess);
    // The process exits without closing its socket.
  }
  TestSocket mine = Tcp();
  EXPECT_EQ(Acquire(mine.handle(), first, 3).error, kWsaSuccess);
}

TEST_P(LifetimeContract, TwoProcesses_AcquireDisjointWildcardBlocks) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  auto other = backend().OtherProcess();
  TestSocket mine = Tcp();
  TestSocket theirs = Tcp(*other);
  const Acquired a = Acquire(mine.handle(), 0, 8);
  const Acquired b = Acquire(*other, theirs.handle(), 0, 8);
  ASSERT_EQ(a.error, kWsaSuccess);
  ASSERT_EQ(b.error, kWsaSuccess);
  EXPECT_TRUE(a.first_port() + 8 <= b.first_port() || b.first_port() + 8 <= a.first_port());
  EXPECT_NE(a.token(), b.token());
}

TEST_P(LifetimeContract, Reboot_EndsSocketsAndRuntimeReservations) {
  // A reboot closes every handle: a socket opened before the restart answers WSAENOTSOCK after it.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  PORTRES_SKIP_UNLESS(backend(), Feature::kReboot);
  const std::uint16_t first = FreeBlock(2);
  const SOCKET before = api().socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ASSERT_NE(before, INVALID_SOCKET);
  ASSERT_EQ(Acquire(before, first, 2).error, kWsaSuccess);
  backend().Reboot();
  EXPECT_EQ(Acquire(before, 0, 1).error, Wsa(WSAENOTSOCK));
  TestSocket s = Tcp();
  EXPECT_EQ(Acquire(s.handle(), first, 2).error, kWsaSuccess);
}

}  // namespace
}  // namespace portres::contract
