// The README's mock and sweep sections, compiled and run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/fault_sweep.h>
#include <portres/mock_socket_ioctl.h>

namespace {

using ::testing::_;

ULONG64 ReserveBlock(portres::ISocketIoctl& api, SOCKET s, USHORT first, USHORT count) {
  INET_PORT_RANGE range{htons(first), count};
  INET_PORT_RESERVATION_INSTANCE reservation{};
  DWORD bytes = 0;
  if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &reservation,
                   sizeof reservation, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
    return 0;
  }
  return reservation.Token.Token;
}

TEST(ReserveBlock, BlockTaken_ReturnsZero) {
  testing::NiceMock<portres::MockSocketIoctl> api;  // every call behaves like Windows...
  EXPECT_CALL(api, WSAIoctl(_, SIO_ACQUIRE_PORT_RESERVATION, _, _, _, _, _, _, _))
      .WillOnce(api.FailWith(WSAEADDRINUSE));               // ...but this one
  SOCKET s = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);  // reaches the fake
  EXPECT_EQ(ReserveBlock(api, s, 5000, 20), 0u);
  EXPECT_EQ(api.WSAGetLastError(), WSAEADDRINUSE);
}

// Opens a socket, reserves a block, releases it and closes the socket.
void ReserveOnce(portres::ISocketIoctl& api) {
  SOCKET s = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (s == INVALID_SOCKET) return;
  INET_PORT_RESERVATION_TOKEN token{ReserveBlock(api, s, 5000, 20)};
  DWORD bytes = 0;
  if (token.Token != 0) {
    api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0, &bytes, nullptr,
                 nullptr);
  }
  api.closesocket(s);  // closing also ends a reservation the release could not
}

TEST(ReserveOnce, LeavesNothingBehindOnAnyErrorPath) { EXPECT_NO_LEAKS_UNDER_FAULTS(ReserveOnce); }

}  // namespace
