// MockSocketIoctl and ForwardingSocketIoctl over the rest of the surface: every new method
// reaches the fake unless a test expects it, and FailWith fails exactly the method it is given
// to, including connect and getpeername, whose signatures bind and getsockname share.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/mock_socket_ioctl.h>
#include <portres/socket_ioctl.h>

namespace portres {
namespace {

using ::testing::_;
using ::testing::NiceMock;

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in endpoint{};
  endpoint.sin_family = AF_INET;
  endpoint.sin_port = htons(port);
  endpoint.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return endpoint;
}

// The surface's calls, each once: a server and a client on one host.
void UseEveryCall(ISocketIoctl& api) {
  WSADATA data{};
  ASSERT_EQ(api.WSAStartup(MAKEWORD(2, 2), &data), 0);
  const SOCKET listener =
      api.WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
  const int on = TRUE;
  ASSERT_EQ(api.setsockopt(listener, SOL_SOCKET, SO_EXCLUSIVEADDRUSE,
                           reinterpret_cast<const char*>(&on), sizeof on),
            0);
  int value = 0;
  int length = sizeof value;
  ASSERT_EQ(api.getsockopt(listener, SOL_SOCKET, SO_EXCLUSIVEADDRUSE,
                           reinterpret_cast<char*>(&value), &length),
            0);
  EXPECT_EQ(value, TRUE);
  const sockaddr_in address = Loopback(7000);
  ASSERT_EQ(api.bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(api.listen(listener, 2), 0);
  const SOCKET client = api.WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, 0);
  u_long non_blocking = 1;
  ASSERT_EQ(api.ioctlsocket(client, static_cast<long>(FIONBIO), &non_blocking), 0);
  ASSERT_EQ(api.connect(client, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  const SOCKET accepted = api.accept(listener, nullptr, nullptr);
  ASSERT_NE(accepted, INVALID_SOCKET);
  sockaddr_in peer{};
  int peer_length = sizeof peer;
  ASSERT_EQ(api.getpeername(client, reinterpret_cast<sockaddr*>(&peer), &peer_length), 0);
  EXPECT_EQ(ntohs(peer.sin_port), 7000);
  ASSERT_EQ(api.WSACleanup(), 0);  // the last one: closes all three sockets
}

TEST(MockSurface, EveryNewMethod_DelegatesToTheFake) {
  NiceMock<MockSocketIoctl> api;
  UseEveryCall(api);
  EXPECT_TRUE(api.fake().Sockets().empty());
  EXPECT_EQ(api.fake().CallCount(), 12u);
}

TEST(MockSurface, EveryNewMethod_DelegatesEvenWhenExpected) {
  NiceMock<MockSocketIoctl> api;
  EXPECT_CALL(api, WSAStartup(_, _));
  EXPECT_CALL(api, WSACleanup());
  EXPECT_CALL(api, WSASocketW(_, _, _, _, _, _));
  EXPECT_CALL(api, WSASocketA(_, _, _, _, _, _));
  EXPECT_CALL(api, setsockopt(_, _, _, _, _));
  EXPECT_CALL(api, getsockopt(_, _, _, _, _));
  EXPECT_CALL(api, connect(_, _, _));
  EXPECT_CALL(api, listen(_, _));
  EXPECT_CALL(api, accept(_, _, _));
  EXPECT_CALL(api, getpeername(_, _, _));
  EXPECT_CALL(api, ioctlsocket(_, _, _));
  UseEveryCall(api);
  EXPECT_TRUE(api.fake().Sockets().empty());
}

TEST(MockSurface, FailWithOnConnect_FailsTheConnectNotABind) {
  NiceMock<MockSocketIoctl> api;
  EXPECT_CALL(api, connect(_, _, _)).WillOnce(api.FailWith(WSAETIMEDOUT));
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  const sockaddr_in address = Loopback(7000);
  EXPECT_EQ(api.connect(s, reinterpret_cast<const sockaddr*>(&address), sizeof address),
            SOCKET_ERROR);
  EXPECT_EQ(api.WSAGetLastError(), WSAETIMEDOUT);
  const CallRecord last = api.fake().CallLog().back();
  EXPECT_EQ(last.call.api, Api::kConnect);
  EXPECT_TRUE(last.injected);
  EXPECT_EQ(api.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
}

TEST(MockSurface, FailWithOnGetPeerName_FailsTheGetPeerName) {
  NiceMock<MockSocketIoctl> api;
  EXPECT_CALL(api, getpeername(_, _, _)).WillOnce(api.FailWith(WSAENETDOWN));
  const SOCKET s = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  const sockaddr_in address = Loopback(5353);
  ASSERT_EQ(api.connect(s, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  sockaddr_in peer{};
  int length = sizeof peer;
  EXPECT_EQ(api.getpeername(s, reinterpret_cast<sockaddr*>(&peer), &length), SOCKET_ERROR);
  EXPECT_EQ(api.WSAGetLastError(), WSAENETDOWN);
  EXPECT_EQ(api.fake().CallLog().back().call.api, Api::kGetPeerName);
}

TEST(MockSurface, FailWithOnWSAStartup_ReturnsTheError) {
  NiceMock<MockSocketIoctl> api;
  EXPECT_CALL(api, WSAStartup(_, _)).WillOnce(api.FailWith(WSASYSNOTREADY));
  WSADATA data{};
  EXPECT_EQ(api.WSAStartup(MAKEWORD(2, 2), &data), WSASYSNOTREADY);
}

TEST(ForwardingSurface, EveryNewMethod_ReachesTheTarget) {
  FakeSocketIoctl fake;
  ForwardingSocketIoctl forwarding(fake);
  UseEveryCall(forwarding);
  EXPECT_EQ(fake.CallCount(), 12u);
}

}  // namespace
}  // namespace portres
