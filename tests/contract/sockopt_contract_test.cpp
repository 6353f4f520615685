// setsockopt and getsockopt at SOL_SOCKET, IPPROTO_IPV6 and IPPROTO_TCP
// (https://learn.microsoft.com/en-us/windows/win32/api/winsock/nf-winsock-setsockopt,
// https://learn.microsoft.com/en-us/windows/win32/api/winsock/nf-winsock-getsockopt): the
// options reservation clients set [ref:clients], and what SO_REUSEADDR and SO_EXCLUSIVEADDRUSE
// let a second bind share [ref:reuseaddr].
#include <functional>
#include <iostream>
#include <string>

#include "contract_test.h"
#include "surface_helpers.h"

namespace portres::contract {
namespace {

enum class Mode { kDefault, kReuse, kExclusive };

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kDefault:
      return "default";
    case Mode::kReuse:
      return "REUSE";
    case Mode::kExclusive:
      return "EXCL";
  }
  return "?";
}

// A TCP socket with `mode` set, bound to `port` on the wildcard (W) or the loopback (S) address.
WsaCode BindWithMode(ISocketIoctl& api, SOCKET s, Mode mode, bool wildcard, std::uint16_t port) {
  if (mode == Mode::kReuse) {
    EXPECT_EQ(SetInt(api, s, SOL_SOCKET, SO_REUSEADDR, TRUE), kWsaSuccess);
  }
  if (mode == Mode::kExclusive) {
    EXPECT_EQ(SetInt(api, s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, TRUE), kWsaSuccess);
  }
  return BindTo(api, s, Endpoint4(wildcard ? INADDR_ANY : INADDR_LOOPBACK, port));
}

// [ref:reuseaddr]'s table, same user: the second bind's outcome (column) after the first (row).
// Rows and columns: default W, default S, REUSE W, REUSE S, EXCL W, EXCL S.
constexpr int kOk = 0;
constexpr int kTable[6][6] = {
    {WSAEADDRINUSE, kOk, WSAEACCES, kOk, WSAEADDRINUSE, kOk},
    {kOk, WSAEADDRINUSE, kOk, WSAEACCES, WSAEADDRINUSE, WSAEADDRINUSE},
    {WSAEADDRINUSE, kOk, kOk, kOk, WSAEADDRINUSE, kOk},
    {kOk, WSAEADDRINUSE, kOk, kOk, WSAEADDRINUSE, WSAEADDRINUSE},
    {WSAEADDRINUSE, WSAEACCES, WSAEACCES, WSAEACCES, WSAEADDRINUSE, WSAEACCES},
    {kOk, WSAEADDRINUSE, kOk, WSAEACCES, WSAEADDRINUSE, WSAEADDRINUSE},
};

// The table's cells (only its wildcard-to-wildcard ones with `wildcard_only`), each on fresh
// sockets and a free port.
void ExpectCells(ISocketIoctl& api, const std::function<std::uint16_t()>& free_port,
                 const std::function<TestSocket()>& tcp, bool wildcard_only,
                 const std::string& exclusive_row_skip) {
  constexpr Mode kModes[] = {Mode::kDefault, Mode::kReuse, Mode::kExclusive};
  for (int row = 0; row < 6; ++row) {
    for (int column = 0; column < 6; ++column) {
      const bool first_wildcard = row % 2 == 0;
      const bool second_wildcard = column % 2 == 0;
      if (wildcard_only && !(first_wildcard && second_wildcard)) continue;
      if (!exclusive_row_skip.empty() && row == 4 && (column == 0 || column == 4)) {
        std::cout << "cell (EXCL W, " << (column == 0 ? "default" : "EXCL")
                  << " W) not checked: " << exclusive_row_skip << "\n";
        continue;
      }
      const Mode first_mode = kModes[row / 2];
      const Mode second_mode = kModes[column / 2];
      SCOPED_TRACE(std::string("first ") + ModeName(first_mode) + (first_wildcard ? " W" : " S") +
                   ", second " + ModeName(second_mode) + (second_wildcard ? " W" : " S"));
      const std::uint16_t port = free_port();
      TestSocket first = tcp();
      TestSocket second = tcp();
      ASSERT_EQ(BindWithMode(api, first.handle(), first_mode, first_wildcard, port), kWsaSuccess);
      EXPECT_EQ(BindWithMode(api, second.handle(), second_mode, second_wildcard, port),
                Wsa(kTable[row][column]));
    }
  }
}

TEST_P(SockOptContract, SecondWildcardBind_FollowsTheReuseAddrTable) {
  ExpectCells(
      api(), [this] { return FreePort(); }, [this] { return Tcp(); }, true,
      backend().SkipReason(Feature::kExclusiveWildcardRow));
}

TEST_P(SockOptContract, SecondBind_FollowsEveryCellOfTheReuseAddrTable) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kAddressSpecificBinds);
  ExpectCells(
      api(), [this] { return FreePort(); }, [this] { return Tcp(); }, false,
      backend().SkipReason(Feature::kExclusiveWildcardRow));
}

TEST_P(SockOptContract, ReuseAddrAndExclusiveAddrUse_OnOneSocket_FailsWithWsaeinval) {
  // [ref:reuseaddr] (Wine's test): both on one socket is refused, whichever comes second.
  TestSocket a = Tcp();
  ASSERT_EQ(SetInt(api(), a.handle(), SOL_SOCKET, SO_REUSEADDR, TRUE), kWsaSuccess);
  EXPECT_EQ(SetInt(api(), a.handle(), SOL_SOCKET, SO_EXCLUSIVEADDRUSE, TRUE), Wsa(WSAEINVAL));
  EXPECT_EQ(GetInt(api(), a.handle(), SOL_SOCKET, SO_EXCLUSIVEADDRUSE), FALSE);
  TestSocket b = Tcp();
  ASSERT_EQ(SetInt(api(), b.handle(), SOL_SOCKET, SO_EXCLUSIVEADDRUSE, TRUE), kWsaSuccess);
  EXPECT_EQ(SetInt(api(), b.handle(), SOL_SOCKET, SO_REUSEADDR, TRUE), Wsa(WSAEINVAL));
  EXPECT_EQ(GetInt(api(), b.handle(), SOL_SOCKET, SO_REUSEADDR), FALSE);
}

TEST_P(SockOptContract, ReuseAddr_SetAfterBind_DoesNotLetTheBindBeShared) {
  // [ref:reuseaddr]: the options count only when set before bind.
  const std::uint16_t port = FreePort();
  TestSocket first = Tcp();
  ASSERT_EQ(BindTo(api(), first.handle(), Endpoint4(INADDR_ANY, port)), kWsaSuccess);
  EXPECT_EQ(SetInt(api(), first.handle(), SOL_SOCKET, SO_REUSEADDR, TRUE), kWsaSuccess);
  TestSocket second = Tcp();
  EXPECT_EQ(BindWithMode(api(), second.handle(), Mode::kReuse, true, port), Wsa(WSAEACCES));
}

TEST_P(SockOptContract, ReuseAddr_DoesNotBypassAnotherProcessReservation) {
  // [ref:reuseaddr]: a reservation holds its ports whatever the options say.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  std::unique_ptr<ISocketIoctl> other = backend().OtherProcess();
  const std::uint16_t first = FreeBlock(4);
  TestSocket holder = Tcp(*other);
  ASSERT_EQ(Acquire(*other, holder.handle(), first, 4).error, kWsaSuccess);
  TestSocket s = Tcp();
  EXPECT_EQ(BindWithMode(api(), s.handle(), Mode::kReuse, true, first + 1), Wsa(WSAEACCES));
}

TEST_P(SockOptContract, Ipv6V6Only_IsOnByDefaultAndCanBeCleared) {
  // MsQuic clears it [ref:clients]; Windows sockets are IPv6-only until then.
  TestSocket s = Udp(AF_INET6);
  EXPECT_NE(GetInt(api(), s.handle(), IPPROTO_IPV6, IPV6_V6ONLY), 0);
  ASSERT_EQ(SetInt(api(), s.handle(), IPPROTO_IPV6, IPV6_V6ONLY, FALSE), kWsaSuccess);
  EXPECT_EQ(GetInt(api(), s.handle(), IPPROTO_IPV6, IPV6_V6ONLY), FALSE);
}

TEST_P(SockOptContract, Ipv6V6OnlyCleared_WildcardBindHoldsTheIpv4Port) {
  // [ref:reuseaddr]: a wildcard dual-stack socket holds the port for IPv4 and IPv6 alike.
  const std::uint16_t port = FreePort(Transport::kUdp);
  TestSocket v6 = Udp(AF_INET6);
  ASSERT_EQ(SetInt(api(), v6.handle(), IPPROTO_IPV6, IPV6_V6ONLY, FALSE), kWsaSuccess);
  ASSERT_EQ(Bind(v6.handle(), port, AF_INET6), kWsaSuccess);
  TestSocket v4 = Udp();
  EXPECT_EQ(Bind(v4.handle(), port), Wsa(WSAEADDRINUSE));
}

TEST_P(SockOptContract, SoType_ReportsTheSocketType) {
  TestSocket tcp = Tcp();
  TestSocket udp = Udp();
  EXPECT_EQ(GetInt(api(), tcp.handle(), SOL_SOCKET, SO_TYPE), SOCK_STREAM);
  EXPECT_EQ(GetInt(api(), udp.handle(), SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
}

TEST_P(SockOptContract, SoProtocolInfoW_ReportsFamilyTypeAndProtocol) {
  TestSocket s = Tcp();
  WSAPROTOCOL_INFOW info{};
  int length = static_cast<int>(sizeof info);
  ASSERT_EQ(ResultOf(api(), api().getsockopt(s.handle(), SOL_SOCKET, SO_PROTOCOL_INFOW,
                                             reinterpret_cast<char*>(&info), &length)),
            kWsaSuccess);
  EXPECT_EQ(length, static_cast<int>(sizeof info));
  EXPECT_EQ(info.iAddressFamily, AF_INET);
  EXPECT_EQ(info.iSocketType, SOCK_STREAM);
  EXPECT_EQ(info.iProtocol, IPPROTO_TCP);
}

TEST_P(SockOptContract, BufferSizes_AreStoredAndReadBack) {
  TestSocket s = Tcp();
  ASSERT_EQ(SetInt(api(), s.handle(), SOL_SOCKET, SO_RCVBUF, 32768), kWsaSuccess);
  ASSERT_EQ(SetInt(api(), s.handle(), SOL_SOCKET, SO_SNDBUF, 16384), kWsaSuccess);
  EXPECT_EQ(GetInt(api(), s.handle(), SOL_SOCKET, SO_RCVBUF), 32768);
  EXPECT_EQ(GetInt(api(), s.handle(), SOL_SOCKET, SO_SNDBUF), 16384);
}

TEST_P(SockOptContract, TcpNoDelay_IsOffByDefaultAndStored) {
  TestSocket s = Tcp();
  EXPECT_EQ(GetInt(api(), s.handle(), IPPROTO_TCP, TCP_NODELAY), FALSE);
  ASSERT_EQ(SetInt(api(), s.handle(), IPPROTO_TCP, TCP_NODELAY, TRUE), kWsaSuccess);
  EXPECT_NE(GetInt(api(), s.handle(), IPPROTO_TCP, TCP_NODELAY), 0);
}

TEST_P(SockOptContract, UnknownOption_FailsWithWsaenoprotoopt) {
  TestSocket s = Tcp();
  EXPECT_EQ(SetInt(api(), s.handle(), SOL_SOCKET, 0x7777, 1), Wsa(WSAENOPROTOOPT));
  int value = 0;
  int length = static_cast<int>(sizeof value);
  EXPECT_EQ(
      api().getsockopt(s.handle(), SOL_SOCKET, 0x7777, reinterpret_cast<char*>(&value), &length),
      SOCKET_ERROR);
  EXPECT_EQ(Wsa(api().WSAGetLastError()), Wsa(WSAENOPROTOOPT));
}

TEST_P(SockOptContract, UnknownLevel_FailsWithWsaeinval) {
  // The setsockopt page: WSAEINVAL when level is not valid.
  TestSocket s = Tcp();
  EXPECT_EQ(SetInt(api(), s.handle(), 0x4321, SO_REUSEADDR, 1), Wsa(WSAEINVAL));
}

TEST_P(SockOptContract, NullOptval_FailsWithWsaefaultAndChangesNothing) {
  TestSocket s = Tcp();
  EXPECT_EQ(ResultOf(api(), api().setsockopt(s.handle(), SOL_SOCKET, SO_REUSEADDR, nullptr,
                                             static_cast<int>(sizeof(int)))),
            Wsa(WSAEFAULT));
  EXPECT_EQ(GetInt(api(), s.handle(), SOL_SOCKET, SO_REUSEADDR), FALSE);
}

TEST_P(SockOptContract, ZeroOptlen_FailsWithWsaefaultAndChangesNothing) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kArgumentChecks);
  TestSocket s = Tcp();
  const int on = TRUE;
  EXPECT_EQ(ResultOf(api(), api().setsockopt(s.handle(), SOL_SOCKET, SO_REUSEADDR,
                                             reinterpret_cast<const char*>(&on), 0)),
            Wsa(WSAEFAULT));
  EXPECT_EQ(GetInt(api(), s.handle(), SOL_SOCKET, SO_REUSEADDR), FALSE);
}

TEST_P(SockOptContract, GetSockOpt_ShortOrNullLength_FailsWithWsaefault) {
  TestSocket s = Tcp();
  int value = 0;
  int length = 0;
  EXPECT_EQ(ResultOf(api(), api().getsockopt(s.handle(), SOL_SOCKET, SO_TYPE,
                                             reinterpret_cast<char*>(&value), &length)),
            Wsa(WSAEFAULT));
  EXPECT_EQ(ResultOf(api(), api().getsockopt(s.handle(), SOL_SOCKET, SO_TYPE,
                                             reinterpret_cast<char*>(&value), nullptr)),
            Wsa(WSAEFAULT));
}

TEST_P(SockOptContract, ClosedSocket_FailsWithWsaenotsock) {
  TestSocket s = Tcp();
  const SOCKET stale = s.handle();
  ASSERT_EQ(s.Close(), kWsaSuccess);
  EXPECT_EQ(SetInt(api(), stale, SOL_SOCKET, SO_REUSEADDR, TRUE), Wsa(WSAENOTSOCK));
  int value = 0;
  int length = static_cast<int>(sizeof value);
  EXPECT_EQ(ResultOf(api(), api().getsockopt(stale, SOL_SOCKET, SO_TYPE,
                                             reinterpret_cast<char*>(&value), &length)),
            Wsa(WSAENOTSOCK));
}

}  // namespace
}  // namespace portres::contract
