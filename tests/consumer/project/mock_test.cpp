// A consumer's GoogleTest suite using portres::gmock: the mock behaves like Windows (it
// delegates to the fake) and a test scripts only the call it wants to fail.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/fault_sweep.h>
#include <portres/mock_socket_ioctl.h>
#include <portres/socket_ioctl.h>

namespace {

using ::testing::_;

// The consumer's code under test: reserves `count` TCP ports at `first_port`, releases them
// and closes its socket on every path. Returns 0, or the Winsock error of the call that failed.
int ReserveAndRelease(portres::ISocketIoctl& api, USHORT first_port, USHORT count) {
  SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET) {
    return api.WSAGetLastError();
  }
  INET_PORT_RANGE range{htons(first_port), count};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  int error = 0;
  if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                   sizeof instance, &bytes, nullptr, nullptr) == SOCKET_ERROR ||
      api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &instance.Token, sizeof instance.Token, nullptr,
                   0, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
    error = api.WSAGetLastError();
  }
  api.closesocket(s);
  return error;
}

class ReserveAndReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override { api_.DelegateToFake(); }

  ::testing::NiceMock<portres::MockSocketIoctl> api_;
};

TEST_F(ReserveAndReleaseTest, OnTheFake_ReleasesEverything) {
  EXPECT_EQ(ReserveAndRelease(api_, 5000, 20), 0);
  EXPECT_EQ(api_.fake().host().ReservationCount(), 0u);
  EXPECT_EQ(api_.fake().host().SocketCount(), 0u);
}

TEST_F(ReserveAndReleaseTest, ReleaseFailing_ReportsItsErrorAndStillClosesTheSocket) {
  // Once a method has an EXPECT_CALL, gMock fails its calls that match none; the other
  // WSAIoctl calls (the acquire) are allowed here and go to the fake.
  EXPECT_CALL(api_, WSAIoctl).Times(::testing::AnyNumber());
  EXPECT_CALL(api_, WSAIoctl(_, SIO_RELEASE_PORT_RESERVATION, _, _, _, _, _, _, _))
      .WillOnce(api_.FailWith(WSAENETDOWN));
  EXPECT_EQ(ReserveAndRelease(api_, 5000, 20), WSAENETDOWN);
  EXPECT_EQ(api_.fake().host().SocketCount(), 0u);
}

// The sweep runs the code once per (call, documented error) on a fresh fake; like every portres
// name, its own are in namespace portres.
TEST(ReserveAndReleaseSweep, LeavesNothingBehindOnAnyErrorPath) {
  const portres::SweepResult result = EXPECT_NO_LEAKS_UNDER_FAULTS(
      [](portres::ISocketIoctl& api) { ReserveAndRelease(api, 5000, 20); });
  EXPECT_GT(result.runs, 1u);
}

}  // namespace
