// Choices of the fake the reference model answers by and that no other test pins: each is a row
// of docs/fidelity.md, checked here on the fake and, by the differential run, against the model.
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>

namespace {

using portres::FakeSocketIoctl;

SOCKET BoundListener(FakeSocketIoctl& api, std::uint16_t port, int backlog) {
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = htons(port);
  EXPECT_EQ(0, api.bind(s, reinterpret_cast<const sockaddr*>(&local), sizeof local));
  EXPECT_EQ(0, api.listen(s, backlog));
  return s;
}

int ConnectToLoopback(FakeSocketIoctl& api, std::uint16_t port) {
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return api.connect(s, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0
             ? 0
             : api.WSAGetLastError();
}

TEST(ModelRules, ListenWithABacklogBelowOne_QueuesOneConnection) {
  for (const int backlog : {0, -1}) {
    FakeSocketIoctl api;
    BoundListener(api, 5000, backlog);
    EXPECT_EQ(ConnectToLoopback(api, 5000), 0) << "backlog " << backlog;
    EXPECT_EQ(ConnectToLoopback(api, 5000), WSAECONNREFUSED) << "backlog " << backlog;
  }
}

TEST(ModelRules, AcceptedSocket_IsNotAssociatedWithTheListenersReservation) {
  FakeSocketIoctl api;
  const SOCKET listener = api.socket(AF_INET, SOCK_STREAM, 0);
  INET_PORT_RANGE range{htons(5000), 4};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(0, api.WSAIoctl(listener, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                            sizeof instance, &bytes, nullptr, nullptr));
  ASSERT_EQ(0, api.WSAIoctl(listener, SIO_ASSOCIATE_PORT_RESERVATION, &instance.Token,
                            sizeof instance.Token, nullptr, 0, &bytes, nullptr, nullptr));
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ASSERT_EQ(0, api.bind(listener, reinterpret_cast<const sockaddr*>(&local), sizeof local));
  ASSERT_EQ(0, api.listen(listener, 1));
  ASSERT_EQ(ConnectToLoopback(api, 5000), 0);
  const SOCKET accepted = api.accept(listener, nullptr, nullptr);
  ASSERT_NE(accepted, INVALID_SOCKET);
  for (const portres::SocketInfo& info : api.Sockets()) {
    if (info.handle == listener) {
      EXPECT_EQ(info.associated_token, instance.Token.Token);
    }
    if (info.handle == accepted) {
      EXPECT_EQ(info.associated_token, INVALID_PORT_RESERVATION_TOKEN);
      EXPECT_EQ(info.port, 5000);
    }
  }
}

}  // namespace
