// The README's tutorial, compiled and run: if this file needs a change, so does the README.
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/socket_ioctl.h>

namespace {

// Reserves `count` ports starting at `first` on `s`; returns the token, or 0 on failure.
ULONG64 ReserveBlock(portres::ISocketIoctl& api, SOCKET s, USHORT first, USHORT count) {
  INET_PORT_RANGE range{htons(first), count};
  INET_PORT_RESERVATION_INSTANCE reservation{};
  DWORD bytes = 0;
  if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &reservation,
                   sizeof reservation, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
    return 0;  // api.WSAGetLastError() says why
  }
  return reservation.Token.Token;
}

TEST(ReserveBlock, ReservesTheBlock) {
  portres::FakeSocketIoctl api;  // a fresh Windows host with no reservations
  SOCKET s = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  ULONG64 token = ReserveBlock(api, s, 5000, 20);
  ASSERT_NE(token, 0u);
  auto live = api.host().Reservations();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].first_port, 5000);
  EXPECT_EQ(live[0].port_count, 20);
  EXPECT_EQ(live[0].token, token);
}

TEST(ReserveBlock, NetworkDown_ReturnsZero) {
  portres::FakeSocketIoctl api;
  SOCKET s = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  api.Inject(
      portres::Fault::Error(WSAENETDOWN).When(portres::IsIoctl(SIO_ACQUIRE_PORT_RESERVATION)));
  EXPECT_EQ(ReserveBlock(api, s, 5000, 20), 0u);
  EXPECT_EQ(api.WSAGetLastError(), WSAENETDOWN);
  EXPECT_TRUE(api.host().Reservations().empty());  // a failed call changes nothing
}

}  // namespace
