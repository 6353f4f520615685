#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>

TEST(Smoke, AcquireRelease) {
  portres::FakeSocketIoctl api;
  SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ASSERT_NE(s, INVALID_SOCKET);
  INET_PORT_RANGE range{htons(5000), 20};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(0, api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                            sizeof instance, &bytes, nullptr, nullptr));
  EXPECT_EQ(bytes, sizeof instance);
  EXPECT_EQ(ntohs(instance.Reservation.StartPort), 5000);
  EXPECT_EQ(api.host().ReservationCount(), 1u);
  ASSERT_EQ(0, api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &instance.Token, sizeof(ULONG64),
                            nullptr, 0, &bytes, nullptr, nullptr));
  EXPECT_EQ(api.host().ReservationCount(), 0u);
  EXPECT_EQ(SOCKET_ERROR, api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &instance.Token,
                                       sizeof(ULONG64), nullptr, 0, &bytes, nullptr, nullptr));
  EXPECT_EQ(api.WSAGetLastError(), WSAEINVAL);
  EXPECT_EQ(0, api.closesocket(s));
}
