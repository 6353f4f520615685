// The NFS client's reserved-port connect on the fake: the port it gets, the ports it skips, the
// errors that end it, and a fault sweep over every call it makes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault_sweep.h>

#include "reserved_connect.h"

namespace {

using portres::FakeSocketIoctl;

constexpr std::uint16_t kNfsPort = 2049;

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// An NFS server: a second process of the host listening on kNfsPort.
class Server {
 public:
  explicit Server(FakeSocketIoctl& client) : process_(client.shared_host()) {
    s_ = process_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_port = htons(kNfsPort);
    EXPECT_EQ(process_.bind(s_, reinterpret_cast<const sockaddr*>(&any), sizeof any), 0);
    EXPECT_EQ(process_.listen(s_, 8), 0);
  }
  // The client port of the next waiting connection, 0 if none.
  std::uint16_t AcceptPeerPort() {
    sockaddr_in peer{};
    int length = sizeof peer;
    const SOCKET accepted = process_.accept(s_, reinterpret_cast<sockaddr*>(&peer), &length);
    if (accepted == INVALID_SOCKET) return 0;
    process_.closesocket(accepted);
    return ntohs(peer.sin_port);
  }
  FakeSocketIoctl& process() { return process_; }

 private:
  FakeSocketIoctl process_;
  SOCKET s_ = INVALID_SOCKET;
};

TEST(ReservedConnect, OnTheFake_ConnectsFromTheFirstReservedPort) {
  FakeSocketIoctl client;
  Server server(client);
  example::ReservedPortCounter counter;
  const example::ReservedConnection connection =
      example::ConnectFromReservedPort(client, Loopback(kNfsPort), counter);
  ASSERT_EQ(connection.error, 0);
  EXPECT_EQ(connection.local_port, 600);
  EXPECT_EQ(server.AcceptPeerPort(), 600);
  EXPECT_EQ(counter.next, 601);
  ASSERT_EQ(client.Reservations().size(), 1u);
  EXPECT_EQ(client.Reservations()[0].first_port, 600);
  EXPECT_EQ(client.closesocket(connection.socket), 0);
  EXPECT_TRUE(client.Reservations().empty());  // the reservation ended with the connection
}

TEST(ReservedConnect, PortsAnotherProcessHolds_AreSkipped) {
  FakeSocketIoctl client;
  Server server(client);
  FakeSocketIoctl other(client.shared_host());
  const SOCKET holder = other.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RANGE range{htons(600), 2};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(other.WSAIoctl(holder, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                           sizeof instance, &bytes, nullptr, nullptr),
            0);
  example::ReservedPortCounter counter;
  const example::ReservedConnection connection =
      example::ConnectFromReservedPort(client, Loopback(kNfsPort), counter);
  ASSERT_EQ(connection.error, 0);
  EXPECT_EQ(connection.local_port, 602);
  client.closesocket(connection.socket);
}

TEST(ReservedConnect, TheCounterWrapsFrom1023To600) {
  FakeSocketIoctl client;
  Server server(client);
  example::ReservedPortCounter counter{1023};
  const example::ReservedConnection first =
      example::ConnectFromReservedPort(client, Loopback(kNfsPort), counter);
  const example::ReservedConnection second =
      example::ConnectFromReservedPort(client, Loopback(kNfsPort), counter);
  EXPECT_EQ(first.local_port, 1023);
  EXPECT_EQ(second.local_port, 600);
  client.closesocket(first.socket);
  client.closesocket(second.socket);
}

TEST(ReservedConnect, AnotherAcquireError_EndsTheSearchAndClosesTheSocket) {
  FakeSocketIoctl client;
  Server server(client);
  client.Inject(
      portres::Fault::Error(WSAENOBUFS).When(portres::IsIoctl(SIO_ACQUIRE_PORT_RESERVATION)));
  example::ReservedPortCounter counter;
  const example::ReservedConnection connection =
      example::ConnectFromReservedPort(client, Loopback(kNfsPort), counter);
  EXPECT_EQ(connection.error, WSAENOBUFS);
  EXPECT_EQ(connection.socket, INVALID_SOCKET);
  EXPECT_TRUE(client.Sockets().empty());
  EXPECT_EQ(counter.next, 601);  // one try, then it stopped
}

TEST(ReservedConnect, NoServer_FailsWithWsaeconnrefusedAndLeavesNothing) {
  FakeSocketIoctl client;
  example::ReservedPortCounter counter;
  const example::ReservedConnection connection =
      example::ConnectFromReservedPort(client, Loopback(kNfsPort), counter);
  EXPECT_EQ(connection.error, WSAECONNREFUSED);
  EXPECT_TRUE(client.Sockets().empty());
  EXPECT_TRUE(client.Reservations().empty());
}

TEST(ReservedConnect, EveryDocumentedErrorOfEveryCall_LeavesNothingBehind) {
  EXPECT_NO_LEAKS_UNDER_FAULTS([](portres::ISocketIoctl& api, FakeSocketIoctl& fake) {
    Server server(fake);
    example::ReservedPortCounter counter;
    return example::ConnectFromReservedPort(api, Loopback(kNfsPort), counter).socket;
  });
}

}  // namespace
