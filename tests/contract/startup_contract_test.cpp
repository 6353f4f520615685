// WSAStartup and WSACleanup [ref:clients] (Microsoft's diagnostic starts with WSAStartup;
// demikernel ends with WSACleanup): version negotiation, and the per-process count whose last
// WSACleanup closes the process's sockets
// (https://learn.microsoft.com/en-us/windows/win32/api/winsock/nf-winsock-wsastartup,
// https://learn.microsoft.com/en-us/windows/win32/api/winsock/nf-winsock-wsacleanup).
#include "contract_test.h"
#include "surface_helpers.h"

namespace portres::contract {
namespace {

TEST_P(StartupContract, WSAStartup_Version22_Reports22) {
  WSADATA data{};
  ASSERT_EQ(Wsa(api().WSAStartup(MAKEWORD(2, 2), &data)), kWsaSuccess);
  EXPECT_EQ(data.wVersion, MAKEWORD(2, 2));
  EXPECT_EQ(data.wHighVersion, MAKEWORD(2, 2));
  EXPECT_EQ(ResultOf(api(), api().WSACleanup()), kWsaSuccess);
}

TEST_P(StartupContract, WSAStartup_Version11_NegotiatesIt) {
  WSADATA data{};
  ASSERT_EQ(Wsa(api().WSAStartup(MAKEWORD(1, 1), &data)), kWsaSuccess);
  EXPECT_EQ(data.wVersion, MAKEWORD(1, 1));
  EXPECT_EQ(data.wHighVersion, MAKEWORD(2, 2));
  EXPECT_EQ(ResultOf(api(), api().WSACleanup()), kWsaSuccess);
}

TEST_P(StartupContract, WSAStartup_VersionAbove22_Negotiates22) {
  WSADATA data{};
  ASSERT_EQ(Wsa(api().WSAStartup(MAKEWORD(3, 0), &data)), kWsaSuccess);
  EXPECT_EQ(data.wVersion, MAKEWORD(2, 2));
  EXPECT_EQ(ResultOf(api(), api().WSACleanup()), kWsaSuccess);
}

TEST_P(StartupContract, WSAStartup_VersionBelow10_FailsWithWsavernotsupported) {
  WSADATA data{};
  EXPECT_EQ(Wsa(api().WSAStartup(MAKEWORD(0, 9), &data)), Wsa(WSAVERNOTSUPPORTED));
}

TEST_P(StartupContract, WSAStartup_NullData_FailsWithWsaefault) {
  EXPECT_EQ(Wsa(api().WSAStartup(MAKEWORD(2, 2), nullptr)), Wsa(WSAEFAULT));
}

TEST_P(StartupContract, WSAStartupTwice_FirstCleanupKeepsSocketsOpen) {
  WSADATA data{};
  ASSERT_EQ(Wsa(api().WSAStartup(MAKEWORD(2, 2), &data)), kWsaSuccess);
  ASSERT_EQ(Wsa(api().WSAStartup(MAKEWORD(2, 2), &data)), kWsaSuccess);
  TestSocket s = Tcp();
  ASSERT_EQ(ResultOf(api(), api().WSACleanup()), kWsaSuccess);
  EXPECT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  EXPECT_EQ(ResultOf(api(), api().WSACleanup()), kWsaSuccess);
}

TEST_P(StartupContract, WSACleanup_WithoutStartup_FailsWithWsanotinitialised) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kUninitialise);
  EXPECT_EQ(api().WSACleanup(), SOCKET_ERROR);
  EXPECT_EQ(Wsa(api().WSAGetLastError()), Wsa(WSANOTINITIALISED));
}

TEST_P(StartupContract, WSACleanup_Last_ClosesTheProcessSocketsAndTheirReservations) {
  // The WSACleanup page: sockets open at the last WSACleanup are reset and closed.
  PORTRES_SKIP_UNLESS(backend(), Feature::kUninitialise);
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  WSADATA data{};
  ASSERT_EQ(Wsa(api().WSAStartup(MAKEWORD(2, 2), &data)), kWsaSuccess);
  TestSocket s = Tcp();
  const Acquired acquired = Acquire(s.handle(), 0, 4);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ASSERT_EQ(ResultOf(api(), api().WSACleanup()), kWsaSuccess);
  EXPECT_EQ(Bind(s.handle(), 0), Wsa(WSAENOTSOCK));
  TestSocket other = Tcp();
  EXPECT_EQ(Acquire(other.handle(), acquired.first_port(), 4).error, kWsaSuccess);
}

}  // namespace
}  // namespace portres::contract
