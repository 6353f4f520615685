// WinsockSocketIoctl on the machine it runs on: the calls that need no port reservation, so
// that they run (and must pass) under Wine as well as on Windows.
#include <portres/winsock_socket_ioctl.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

namespace portres {
namespace {

class WinsockSocketIoctlTest : public testing::Test {
 protected:
  // A TCP socket bound to 127.0.0.1 and a port the system chooses.
  SOCKET BoundLoopbackTcpSocket() {
    const SOCKET s = winsock_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    EXPECT_NE(s, INVALID_SOCKET) << "WSAGetLastError " << winsock_.WSAGetLastError();
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    EXPECT_EQ(winsock_.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0)
        << "WSAGetLastError " << winsock_.WSAGetLastError();
    return s;
  }

  WinsockSocketIoctl winsock_;
};

TEST_F(WinsockSocketIoctlTest, Constructor_StartsWinsock) { EXPECT_EQ(winsock_.StartupError(), 0); }

TEST_F(WinsockSocketIoctlTest, Socket_TcpAndUdp_OpenAndClose) {
  const SOCKET tcp = winsock_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  const SOCKET udp = winsock_.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  ASSERT_NE(tcp, INVALID_SOCKET);
  ASSERT_NE(udp, INVALID_SOCKET);
  EXPECT_NE(tcp, udp);
  EXPECT_EQ(winsock_.closesocket(tcp), 0);
  EXPECT_EQ(winsock_.closesocket(udp), 0);
}

TEST_F(WinsockSocketIoctlTest, Getsockname_AfterBindToPortZero_ReportsTheChosenPort) {
  const SOCKET s = BoundLoopbackTcpSocket();
  sockaddr_in bound{};
  int length = sizeof bound;
  ASSERT_EQ(winsock_.getsockname(s, reinterpret_cast<sockaddr*>(&bound), &length), 0);
  EXPECT_EQ(length, static_cast<int>(sizeof bound));
  EXPECT_EQ(bound.sin_family, AF_INET);
  EXPECT_EQ(bound.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  EXPECT_NE(ntohs(bound.sin_port), 0);
  EXPECT_EQ(winsock_.closesocket(s), 0);
}

TEST_F(WinsockSocketIoctlTest, Bind_OnABoundSocket_FailsWithWsaeinval) {
  const SOCKET s = BoundLoopbackTcpSocket();
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(winsock_.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address),
            SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEINVAL);
  EXPECT_EQ(winsock_.closesocket(s), 0);
}

TEST_F(WinsockSocketIoctlTest, Bind_WithAShortName_FailsWithWsaefault) {
  const SOCKET s = winsock_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ASSERT_NE(s, INVALID_SOCKET);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  EXPECT_EQ(winsock_.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address - 1),
            SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(winsock_.closesocket(s), 0);
}

TEST_F(WinsockSocketIoctlTest, Closesocket_OnAClosedSocket_FailsWithWsaenotsock) {
  const SOCKET s = winsock_.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  ASSERT_NE(s, INVALID_SOCKET);
  ASSERT_EQ(winsock_.closesocket(s), 0);
  EXPECT_EQ(winsock_.closesocket(s), SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAENOTSOCK);
}

TEST_F(WinsockSocketIoctlTest, WsaSetLastError_IsWhatWsaGetLastErrorReturns) {
  winsock_.WSASetLastError(WSAEADDRINUSE);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEADDRINUSE);
  winsock_.WSASetLastError(0);
  EXPECT_EQ(winsock_.WSAGetLastError(), 0);
}

TEST_F(WinsockSocketIoctlTest, Events_CreateSetResetClose_Succeed) {
  const WSAEVENT event = winsock_.WSACreateEvent();
  ASSERT_NE(event, WSA_INVALID_EVENT);
  EXPECT_EQ(winsock_.WSASetEvent(event), TRUE);
  EXPECT_EQ(winsock_.WSAResetEvent(event), TRUE);
  EXPECT_EQ(winsock_.WSACloseEvent(event), TRUE);
}

// "WSAStartup": each successful call must be matched by a WSACleanup, and Winsock stays
// initialised until the last one. One object going away must not stop another.
TEST(WinsockSocketIoctlLifetime, DestroyingOneObject_LeavesAnotherWorking) {
  WinsockSocketIoctl survivor;
  { WinsockSocketIoctl short_lived; }
  const SOCKET s = survivor.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ASSERT_NE(s, INVALID_SOCKET) << "WSAGetLastError " << survivor.WSAGetLastError();
  EXPECT_EQ(survivor.closesocket(s), 0);
}

TEST(WinsockSocketIoctlLifetime, AfterTheLastObject_WinsockIsNotInitialised) {
  { WinsockSocketIoctl only; }
  // Straight to ws2_32: no object holds a WSAStartup any more (gtest itself uses no sockets).
  EXPECT_EQ(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), INVALID_SOCKET);
  EXPECT_EQ(::WSAGetLastError(), WSANOTINITIALISED);
}

}  // namespace
}  // namespace portres
