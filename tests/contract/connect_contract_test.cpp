// connect and getpeername [ref:connect-listen]: the implicit bind of an unbound socket (from its
// associated reservation, as the NFS client relies on [ref:clients]), loopback connections to a
// listener of the host, UDP peers.
#include <utility>

#include "contract_test.h"
#include "surface_helpers.h"

namespace portres::contract {
namespace {

// A TCP socket listening on the wildcard address; port() is its port.
class Listener {
 public:
  Listener(ISocketIoctl& api, TestSocket socket) : socket_(std::move(socket)) {
    EXPECT_EQ(BindTo(api, socket_.handle(), Endpoint4(INADDR_ANY, 0)), kWsaSuccess);
    EXPECT_EQ(ResultOf(api, api.listen(socket_.handle(), 4)), kWsaSuccess);
    sockaddr_in6 address{};
    int length = static_cast<int>(sizeof address);
    api.getsockname(socket_.handle(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin6_port);
  }
  SOCKET handle() const { return socket_.handle(); }
  std::uint16_t port() const { return port_; }

 private:
  TestSocket socket_;
  std::uint16_t port_ = 0;
};

TEST_P(ConnectContract, Connect_UnboundTcpToALoopbackListener_BindsImplicitly) {
  Listener listener(api(), Tcp());
  TestSocket client = Tcp();
  ASSERT_EQ(ConnectTo(api(), client.handle(), Endpoint4(INADDR_LOOPBACK, listener.port())),
            kWsaSuccess);
  EXPECT_NE(LocalPort(client.handle()), 0);
  EXPECT_EQ(PeerPort(api(), client.handle()), listener.port());
}

TEST_P(ConnectContract, Connect_ToALoopbackPortNobodyListensOn_FailsWithWsaeconnrefused) {
  const std::uint16_t port = FreePort();
  TestSocket client = Tcp();
  EXPECT_EQ(ConnectTo(api(), client.handle(), Endpoint4(INADDR_LOOPBACK, port)),
            Wsa(WSAECONNREFUSED));
}

TEST_P(ConnectContract, Connect_ToTheAllZeroAddress_FailsWithWsaeaddrnotavail) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kArgumentChecks);
  const std::uint16_t port = FreePort();
  TestSocket client = Tcp();
  EXPECT_EQ(ConnectTo(api(), client.handle(), Endpoint4(INADDR_ANY, port)), Wsa(WSAEADDRNOTAVAIL));
}

TEST_P(ConnectContract, Connect_Udp_SetsThePeerAndBindsImplicitly) {
  TestSocket s = Udp();
  ASSERT_EQ(ConnectTo(api(), s.handle(), Endpoint4(INADDR_LOOPBACK, 5353)), kWsaSuccess);
  EXPECT_EQ(PeerPort(api(), s.handle()), 5353);
  EXPECT_NE(LocalPort(s.handle()), 0);
}

TEST_P(ConnectContract, Connect_ConnectedTcpSocketAgain_FailsWithWsaeisconn) {
  Listener listener(api(), Tcp());
  TestSocket client = Tcp();
  const sockaddr_in peer = Endpoint4(INADDR_LOOPBACK, listener.port());
  ASSERT_EQ(ConnectTo(api(), client.handle(), peer), kWsaSuccess);
  EXPECT_EQ(ConnectTo(api(), client.handle(), peer), Wsa(WSAEISCONN));
}

TEST_P(ConnectContract, Connect_NullOrShortName_FailsWithWsaefault) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kArgumentChecks);
  TestSocket s = Tcp();
  EXPECT_EQ(ResultOf(api(), api().connect(s.handle(), nullptr, kEndpoint4Length)), Wsa(WSAEFAULT));
  const sockaddr_in peer = Endpoint4(INADDR_LOOPBACK, 80);
  EXPECT_EQ(ResultOf(api(), api().connect(s.handle(), AsSockaddr(peer), 4)), Wsa(WSAEFAULT));
}

TEST_P(ConnectContract, Connect_ClosedSocket_FailsWithWsaenotsock) {
  TestSocket s = Tcp();
  const SOCKET stale = s.handle();
  ASSERT_EQ(s.Close(), kWsaSuccess);
  EXPECT_EQ(ConnectTo(api(), stale, Endpoint4(INADDR_LOOPBACK, 80)), Wsa(WSAENOTSOCK));
}

TEST_P(ConnectContract, GetPeerName_Unconnected_FailsWithWsaenotconn) {
  TestSocket s = Tcp();
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  sockaddr_in peer{};
  int length = kEndpoint4Length;
  EXPECT_EQ(
      ResultOf(api(), api().getpeername(s.handle(), reinterpret_cast<sockaddr*>(&peer), &length)),
      Wsa(WSAENOTCONN));
}

TEST_P(ConnectContract, GetPeerName_ShortBuffer_FailsWithWsaefault) {
  TestSocket s = Udp();
  ASSERT_EQ(ConnectTo(api(), s.handle(), Endpoint4(INADDR_LOOPBACK, 5353)), kWsaSuccess);
  sockaddr_in peer{};
  int length = 4;
  EXPECT_EQ(
      ResultOf(api(), api().getpeername(s.handle(), reinterpret_cast<sockaddr*>(&peer), &length)),
      Wsa(WSAEFAULT));
}

TEST_P(ConnectContract, Connect_AssociatedSocket_BindsFromTheReservation) {
  // The NFS client [ref:clients]: acquire and associate on the connecting socket, no bind.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  Listener listener(api(), Tcp());
  const std::uint16_t reserved = FreeBlock(1);
  TestSocket client = Tcp();
  const Acquired acquired = Acquire(client.handle(), reserved, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ASSERT_EQ(Associate(client.handle(), acquired.token()), kWsaSuccess);
  ASSERT_EQ(ConnectTo(api(), client.handle(), Endpoint4(INADDR_LOOPBACK, listener.port())),
            kWsaSuccess);
  EXPECT_EQ(LocalPort(client.handle()), reserved);
}

TEST_P(ConnectContract, Connect_UnassociatedSocket_AvoidsReservations) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  TestSocket holder = Udp();
  const Acquired acquired = Acquire(holder.handle(), 0, 64);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  for (int i = 0; i < 8; ++i) {
    TestSocket s = Udp();
    ASSERT_EQ(ConnectTo(api(), s.handle(), Endpoint4(INADDR_LOOPBACK, 5353)), kWsaSuccess);
    const std::uint16_t port = LocalPort(s.handle());
    EXPECT_FALSE(port >= acquired.first_port() && port < acquired.first_port() + 64)
        << "connect bound reserved port " << port;
  }
}

}  // namespace
}  // namespace portres::contract
