// Argument checks of socket(), bind(), getsockname(), WSAIoctl and the event calls, and the
// places where the fake simplifies Windows on purpose (docs/fidelity.md, "Simplifications").
#include <cstring>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

class SocketCalls : public FakeTest {};

TEST_F(SocketCalls, Socket_WithUnsupportedArguments_FailsWithTheWinsockCode) {
  EXPECT_EQ(api().socket(12345, SOCK_STREAM, 0), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAEAFNOSUPPORT);
  EXPECT_EQ(api().socket(AF_INET, 12345, 0), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAESOCKTNOSUPPORT);
  EXPECT_EQ(api().socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAEPROTONOSUPPORT);
  EXPECT_EQ(api().socket(AF_UNIX, SOCK_DGRAM, 0), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAEPROTONOSUPPORT);
}

TEST_F(SocketCalls, Socket_ProtocolZero_MeansTcpOrUdpByType) {
  const SOCKET tcp = api().socket(AF_INET, SOCK_STREAM, 0);
  const SOCKET udp = api().socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_EQ(Acquire(api(), tcp, 50000, 1).error, 0);
  const Acquired udp_block = Acquire(api(), udp, 0, 1);
  ASSERT_EQ(udp_block.error, 0);
  EXPECT_EQ(host().Reservations()[1].protocol, Protocol::kUdp);
}

TEST_F(SocketCalls, Bind_WithNullOrShortName_FailsWithWsaefault) {
  // [ref:bind] WSAEFAULT: name is not valid memory or namelen is too small.
  const SOCKET s = OpenTcp(api());
  sockaddr_in address{};
  address.sin_family = AF_INET;
  EXPECT_EQ(ErrorOf(api(), api().bind(s, nullptr, sizeof address)), WSAEFAULT);
  EXPECT_EQ(ErrorOf(api(), api().bind(s, reinterpret_cast<const sockaddr*>(&address),
                                      static_cast<int>(sizeof address) - 1)),
            WSAEFAULT);
}

TEST_F(SocketCalls, Bind_WithAddressOfAnotherFamily_FailsWithWsaeafnosupport) {
  const SOCKET s = OpenTcp(api(), AF_INET6);
  sockaddr_in6 address{};
  address.sin6_family = AF_INET;
  EXPECT_EQ(ErrorOf(api(), api().bind(s, reinterpret_cast<const sockaddr*>(&address),
                                      static_cast<int>(sizeof address))),
            WSAEAFNOSUPPORT);
}

TEST_F(SocketCalls, Bind_OnRawSocket_FailsWithWsaeopnotsupp) {
  const SOCKET raw = api().socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
  EXPECT_EQ(Bind(api(), raw, 0), WSAEOPNOTSUPP);
}

TEST_F(SocketCalls, Bind_SamePortOnIpv4AndIpv6Sockets_FailsWithWsaeaddrinuse_Simplification) {
  // Windows keeps AF_INET6 sockets IPv6-only by default and binds per address; the fake keeps
  // one port space per protocol, whatever the family and address.
  const SOCKET v4 = OpenTcp(api());
  const SOCKET v6 = OpenTcp(api(), AF_INET6);
  ASSERT_EQ(Bind(api(), v4, 40000), 0);
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_port = htons(40000);
  EXPECT_EQ(ErrorOf(api(), api().bind(v6, reinterpret_cast<const sockaddr*>(&address),
                                      static_cast<int>(sizeof address))),
            WSAEADDRINUSE);
}

TEST_F(SocketCalls, GetSockName_WithShortBuffer_FailsWithWsaefault) {
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Bind(api(), s, 0), 0);
  sockaddr_in address{};
  int length = static_cast<int>(sizeof address) - 1;
  EXPECT_EQ(ErrorOf(api(), api().getsockname(s, reinterpret_cast<sockaddr*>(&address), &length)),
            WSAEFAULT);
  EXPECT_EQ(ErrorOf(api(), api().getsockname(s, nullptr, &length)), WSAEFAULT);
}

TEST_F(SocketCalls, GetSockName_ReportsTheBoundAddressAndItsLength) {
  const SOCKET s = OpenUdp(api(), AF_INET6);
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_port = htons(40000);
  address.sin6_addr = in6addr_loopback;
  ASSERT_EQ(
      api().bind(s, reinterpret_cast<const sockaddr*>(&address), static_cast<int>(sizeof address)),
      0);
  sockaddr_in6 name{};
  int length = static_cast<int>(sizeof name);
  ASSERT_EQ(api().getsockname(s, reinterpret_cast<sockaddr*>(&name), &length), 0);
  EXPECT_EQ(length, static_cast<int>(sizeof name));
  EXPECT_EQ(name.sin6_family, AF_INET6);
  EXPECT_EQ(ntohs(name.sin6_port), 40000);
  EXPECT_EQ(0, std::memcmp(&name.sin6_addr, &in6addr_loopback, sizeof name.sin6_addr));
}

TEST_F(SocketCalls, WSAIoctl_WithOtherCode_FailsWithWsaeopnotsupp_Assumed) {
  // [ref:acquire] lists both WSAEINVAL ("bad control code") and WSAEOPNOTSUPP ("IOCTL not
  // supported"); the fake models no other IOCTL and says it does not support it.
  const SOCKET s = OpenTcp(api());
  DWORD bytes = 0;
  EXPECT_EQ(ErrorOf(api(), api().WSAIoctl(s, 0x98000067, nullptr, 0, nullptr, 0, &bytes, nullptr,
                                          nullptr)),
            WSAEOPNOTSUPP);
}

TEST_F(SocketCalls, WSAIoctl_SynchronousWithoutBytesReturned_FailsWithWsaefault) {
  // [ref:wsaioctl]: lpcbBytesReturned is required unless the call is overlapped.
  const SOCKET s = OpenTcp(api());
  INET_PORT_RANGE range{};
  range.NumberOfPorts = 1;
  INET_PORT_RESERVATION_INSTANCE instance{};
  EXPECT_EQ(ErrorOf(api(), api().WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                                          &instance, sizeof instance, nullptr, nullptr, nullptr)),
            WSAEFAULT);
  EXPECT_EQ(host().ReservationCount(), 0u);
}

TEST_F(SocketCalls, WSAIoctl_AcquireWithLargerInputBuffer_Succeeds_Assumed) {
  // [ref:open-10]: cbInBuffer "should be" 4; a larger buffer is read as its
  // first INET_PORT_RANGE.
  const SOCKET s = OpenTcp(api());
  unsigned char in[16] = {};
  INET_PORT_RANGE range{};
  range.StartPort = htons(50000);
  range.NumberOfPorts = 2;
  std::memcpy(in, &range, sizeof range);
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  EXPECT_EQ(api().WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, in, sizeof in, &instance,
                           sizeof instance, &bytes, nullptr, nullptr),
            0);
  EXPECT_EQ(ntohs(instance.Reservation.StartPort), 50000);
}

TEST_F(SocketCalls, Associate_Twice_TheLastTokenWins_Assumed) {
  // [ref:open-6]: associating twice.
  const SOCKET holder = OpenTcp(api());
  const Acquired a = Acquire(api(), holder, 50000, 1);
  const Acquired b = Acquire(api(), holder, 50010, 1);
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Associate(api(), s, a.token()), 0);
  ASSERT_EQ(Associate(api(), s, b.token()), 0);
  ASSERT_EQ(Bind(api(), s, 0), 0);
  EXPECT_EQ(LocalPort(api(), s), 50010);
}

TEST_F(SocketCalls, Bind_AssociatedSocketToPortOutsideItsBlock_IsAnOrdinaryBind_Assumed) {
  // [ref:open-7]: an explicit port outside the associated block.
  const SOCKET holder = OpenTcp(api());
  const Acquired a = Acquire(api(), holder, 50000, 2);
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Associate(api(), s, a.token()), 0);
  EXPECT_EQ(Bind(api(), s, 40000), 0);
  EXPECT_EQ(LocalPort(api(), s), 40000);
}

TEST_F(SocketCalls, Release_LeavesSocketsBoundFromTheBlockBound_Assumed) {
  // [ref:open-8]: sockets bound from a reservation that ends keep their port.
  const SOCKET holder = OpenTcp(api());
  const Acquired a = Acquire(api(), holder, 50000, 2);
  const SOCKET s = OpenTcp(api());
  ASSERT_EQ(Associate(api(), s, a.token()), 0);
  ASSERT_EQ(Bind(api(), s, 0), 0);
  ASSERT_EQ(Release(api(), holder, a.token()), 0);
  EXPECT_EQ(LocalPort(api(), s), 50000);
  EXPECT_EQ(Acquire(api(), holder, 50000, 2).error, WSAEADDRINUSE) << "port 50000 is in use";
  EXPECT_EQ(Acquire(api(), holder, 50001, 1).error, 0);
}

TEST_F(SocketCalls, Events_UnknownHandle_FailsWithWsaInvalidHandle) {
  WSAEVENT event = api().WSACreateEvent();
  ASSERT_EQ(api().WSACloseEvent(event), TRUE);
  EXPECT_EQ(api().WSACloseEvent(event), FALSE);
  EXPECT_EQ(api().WSAGetLastError(), WSA_INVALID_HANDLE);
  EXPECT_EQ(api().WSASetEvent(event), FALSE);
  EXPECT_EQ(api().WSAResetEvent(event), FALSE);
}

TEST_F(SocketCalls, Events_SetAndReset) {
  WSAEVENT event = api().WSACreateEvent();
  EXPECT_FALSE(api().IsEventSignaled(event));
  EXPECT_EQ(api().WSASetEvent(event), TRUE);
  EXPECT_TRUE(api().IsEventSignaled(event));
  EXPECT_EQ(api().WSAResetEvent(event), TRUE);
  EXPECT_FALSE(api().IsEventSignaled(event));
  EXPECT_EQ(api().WSACloseEvent(event), TRUE);
}

TEST_F(SocketCalls, CompletionRoutine_RunsWhenTheCallCompletes_Simplification) {
  // Windows queues completion routines as APCs that run in an alertable wait of the calling
  // thread; the fake runs them as soon as the call completes, outside its lock.
  struct Seen {
    WSAOVERLAPPED overlapped{};
    int calls = 0;
  } seen;
  const SOCKET s = OpenTcp(api());
  const Acquired acquired = Acquire(api(), s, 0, 1, &seen.overlapped,
                                    [](DWORD, DWORD, LPWSAOVERLAPPED overlapped, DWORD) {
                                      ++reinterpret_cast<Seen*>(overlapped)->calls;
                                    });
  EXPECT_EQ(acquired.error, 0);
  EXPECT_EQ(seen.calls, 1);
}

}  // namespace
}  // namespace portres::testing_fake
