// listen and accept [ref:connect-listen]
// (https://learn.microsoft.com/en-us/windows/win32/api/winsock2/nf-winsock2-accept): the
// states listen refuses, and accept handing out the connections other sockets of the host made.
#include "contract_test.h"
#include "surface_helpers.h"

namespace portres::contract {
namespace {

// Binds `s` to the wildcard address and a free port, listens, and returns the port.
std::uint16_t ListenOnAnyPort(ISocketIoctl& api, SOCKET s) {
  EXPECT_EQ(BindTo(api, s, Endpoint4(INADDR_ANY, 0)), kWsaSuccess);
  EXPECT_EQ(ResultOf(api, api.listen(s, 4)), kWsaSuccess);
  sockaddr_in6 address{};
  int length = static_cast<int>(sizeof address);
  api.getsockname(s, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin6_port);
}

WsaCode Accepting(ISocketIoctl& api, SOCKET listener, SOCKET* accepted) {
  sockaddr_in6 peer{};
  int length = static_cast<int>(sizeof peer);
  *accepted = api.accept(listener, reinterpret_cast<sockaddr*>(&peer), &length);
  return *accepted == INVALID_SOCKET ? Wsa(api.WSAGetLastError()) : kWsaSuccess;
}

TEST_P(ListenContract, Listen_Unbound_FailsWithWsaeinval) {
  TestSocket s = Tcp();
  EXPECT_EQ(ResultOf(api(), api().listen(s.handle(), 4)), Wsa(WSAEINVAL));
}

TEST_P(ListenContract, Listen_Udp_FailsWithWsaeopnotsupp) {
  TestSocket s = Udp();
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  EXPECT_EQ(ResultOf(api(), api().listen(s.handle(), 4)), Wsa(WSAEOPNOTSUPP));
}

TEST_P(ListenContract, Listen_ClosedSocket_FailsWithWsaenotsock) {
  TestSocket s = Tcp();
  const SOCKET stale = s.handle();
  ASSERT_EQ(s.Close(), kWsaSuccess);
  EXPECT_EQ(ResultOf(api(), api().listen(stale, 4)), Wsa(WSAENOTSOCK));
}

TEST_P(ListenContract, Listen_Twice_Succeeds) {
  TestSocket s = Tcp();
  ListenOnAnyPort(api(), s.handle());
  EXPECT_EQ(ResultOf(api(), api().listen(s.handle(), 1)), kWsaSuccess);
}

TEST_P(ListenContract, Accept_AfterAConnect_ReturnsASocketConnectedToTheConnector) {
  TestSocket listener = Tcp();
  const std::uint16_t port = ListenOnAnyPort(api(), listener.handle());
  TestSocket client = Tcp();
  ASSERT_EQ(ConnectTo(api(), client.handle(), Endpoint4(INADDR_LOOPBACK, port)), kWsaSuccess);
  SOCKET accepted = INVALID_SOCKET;
  ASSERT_EQ(Accepting(api(), listener.handle(), &accepted), kWsaSuccess);
  EXPECT_EQ(PeerPort(api(), accepted), LocalPort(client.handle()));
  EXPECT_EQ(LocalPort(accepted), port);
  EXPECT_EQ(ResultOf(api(), api().closesocket(accepted)), kWsaSuccess);
}

TEST_P(ListenContract, Accept_NonBlockingWithNothingWaiting_FailsWithWsaewouldblock) {
  TestSocket listener = Tcp();
  ListenOnAnyPort(api(), listener.handle());
  u_long on = 1;
  ASSERT_EQ(ResultOf(api(), api().ioctlsocket(listener.handle(), static_cast<long>(FIONBIO), &on)),
            kWsaSuccess);
  SOCKET accepted = INVALID_SOCKET;
  EXPECT_EQ(Accepting(api(), listener.handle(), &accepted), Wsa(WSAEWOULDBLOCK));
}

TEST_P(ListenContract, Accept_BlockingWithNothingWaiting_FailsWithWsaeintr_Assumed) {
  // Windows would wait for ever; the fake never blocks, and answers as an interrupted wait.
  PORTRES_SKIP_UNLESS(backend(), Feature::kNeverBlocks);
  TestSocket listener = Tcp();
  ListenOnAnyPort(api(), listener.handle());
  SOCKET accepted = INVALID_SOCKET;
  EXPECT_EQ(Accepting(api(), listener.handle(), &accepted), Wsa(WSAEINTR));
}

TEST_P(ListenContract, Accept_NotListening_FailsWithWsaeinval) {
  TestSocket s = Tcp();
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  SOCKET accepted = INVALID_SOCKET;
  EXPECT_EQ(Accepting(api(), s.handle(), &accepted), Wsa(WSAEINVAL));
}

TEST_P(ListenContract, Accept_ShortAddressLength_FailsWithWsaefault) {
  TestSocket listener = Tcp();
  const std::uint16_t port = ListenOnAnyPort(api(), listener.handle());
  TestSocket client = Tcp();
  ASSERT_EQ(ConnectTo(api(), client.handle(), Endpoint4(INADDR_LOOPBACK, port)), kWsaSuccess);
  sockaddr_in peer{};
  int length = 4;
  EXPECT_EQ(api().accept(listener.handle(), reinterpret_cast<sockaddr*>(&peer), &length),
            INVALID_SOCKET);
  EXPECT_EQ(Wsa(api().WSAGetLastError()), Wsa(WSAEFAULT));
}

TEST_P(ListenContract, Accept_ClosedSocket_FailsWithWsaenotsock) {
  TestSocket s = Tcp();
  const SOCKET stale = s.handle();
  ASSERT_EQ(s.Close(), kWsaSuccess);
  SOCKET accepted = INVALID_SOCKET;
  EXPECT_EQ(Accepting(api(), stale, &accepted), Wsa(WSAENOTSOCK));
}

}  // namespace
}  // namespace portres::contract
