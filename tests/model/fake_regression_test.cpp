// Regressions: bugs in the fake that the fuzzer, the reference model or the stress test found,
// each pinned by the smallest test that showed it.
#include <gtest/gtest.h>
#include <portres/fake_host.h>
#include <portres/fake_socket_ioctl.h>

#include <algorithm>
#include <cstring>
#include <iterator>

namespace {

using portres::FakeHostOptions;
using portres::FakeSocketIoctl;

class DynamicRangeFromPortZero : public ::testing::Test {
 protected:
  static FakeHostOptions Options() {
    FakeHostOptions options;
    options.dynamic_first_port = 0;  // port 0 is no port: the range starts at 1
    options.dynamic_last_port = 3;
    return options;
  }
  FakeSocketIoctl api_{Options()};
};

// Found while writing the reference model: a wildcard acquire was granted the block 0..0, whose
// StartPort 0 reads as "any start" [ref:structures].
TEST_F(DynamicRangeFromPortZero, WildcardAcquire_IsNeverGrantedPortZero) {
  const SOCKET s = api_.socket(AF_INET, SOCK_STREAM, 0);
  INET_PORT_RANGE range{0, 1};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(0, api_.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                             sizeof instance, &bytes, nullptr, nullptr));
  EXPECT_EQ(ntohs(instance.Reservation.StartPort), 1);
}

// Same cause: bind(port 0) bound the socket to port 0.
TEST_F(DynamicRangeFromPortZero, EphemeralBind_IsNeverGivenPortZero) {
  const SOCKET s = api_.socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  ASSERT_EQ(0, api_.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address));
  sockaddr_in name{};
  int namelen = sizeof name;
  ASSERT_EQ(0, api_.getsockname(s, reinterpret_cast<sockaddr*>(&name), &namelen));
  EXPECT_EQ(ntohs(name.sin_port), 1);
}

TEST_F(DynamicRangeFromPortZero, Options_ReportTheRangeInForce) {
  EXPECT_EQ(api_.host().options().dynamic_first_port, 1);
  EXPECT_EQ(api_.host().options().dynamic_last_port, 3);
}

// Found by the fuzzer: an AF_INET6 socket's connection reached an AF_INET listener on its port
// (the fake keeps one port space per protocol), and accept() on that listener wrote the
// 28-byte peer into a buffer its addrlen declared big enough for a sockaddr_in only.
TEST(AcceptAddress, ShorterThanThePeersAddress_FailsWithWsaefaultAndWritesNothing) {
  FakeSocketIoctl api;
  const SOCKET listener = api.socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = htons(5000);
  ASSERT_EQ(0, api.bind(listener, reinterpret_cast<const sockaddr*>(&local), sizeof local));
  ASSERT_EQ(0, api.listen(listener, 1));
  const SOCKET client = api.socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 to{};
  to.sin6_family = AF_INET6;
  to.sin6_port = htons(5000);
  to.sin6_addr.s6_addr[15] = 1;  // ::1
  ASSERT_EQ(0, api.connect(client, reinterpret_cast<const sockaddr*>(&to), sizeof to));

  unsigned char buffer[sizeof(sockaddr_in6)];
  std::memset(buffer, 0xcc, sizeof buffer);
  int addrlen = sizeof(sockaddr_in);  // enough for the listener's family, not for the peer
  EXPECT_EQ(INVALID_SOCKET, api.accept(listener, reinterpret_cast<sockaddr*>(buffer), &addrlen));
  EXPECT_EQ(api.WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(addrlen, static_cast<int>(sizeof(sockaddr_in)));
  EXPECT_TRUE(
      std::all_of(std::begin(buffer), std::end(buffer), [](unsigned char b) { return b == 0xcc; }));
  // The connection still waits, for a caller with room for its address.
  addrlen = sizeof buffer;
  EXPECT_NE(INVALID_SOCKET, api.accept(listener, reinterpret_cast<sockaddr*>(buffer), &addrlen));
  EXPECT_EQ(addrlen, static_cast<int>(sizeof(sockaddr_in6)));
}

}  // namespace
