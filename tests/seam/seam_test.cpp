// portres::ScopedSeam: Windows code's global calls reach the installed api and helper, on
// every thread; seams nest and end in any order; with none installed the calls fail the
// Winsock way off Windows and reach the real ws2_32 on Windows.
#include "windows_code.h"

#include <gtest/gtest.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/mock_socket_ioctl.h>
#include <portres/seam.h>

#if defined(_WIN32)
#include <portres/winsock_environment.h>
#endif

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace {

using portres::FakeIpHelper;
using portres::FakeSocketIoctl;
using portres::ScopedSeam;

TEST(ScopedSeam, RoutesTheGlobalCallsToTheFake) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);

  const SOCKET s = wc_socket(SOCK_STREAM);
  ASSERT_NE(s, INVALID_SOCKET);
  USHORT granted = 0;
  ULONG64 token = 0;
  EXPECT_EQ(wc_acquire(s, 16, &granted, &token), 0);
  EXPECT_EQ(fake.host().ReservationCount(), 1u);
  EXPECT_EQ(granted, 16);
  EXPECT_EQ(wc_close(s), 0);
  EXPECT_EQ(fake.host().ReservationCount(), 0u);
  EXPECT_EQ(fake.host().SocketCount(), 0u);
}

TEST(ScopedSeam, LastErrorIsTheFakes) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  EXPECT_EQ(wc_ioctl_on_nothing(), SOCKET_ERROR);
  EXPECT_EQ(wc_last_error(), WSAENOTSOCK);
  EXPECT_EQ(fake.WSAGetLastError(), WSAENOTSOCK);
  wc_set_last_error(WSAEINTR);
  EXPECT_EQ(fake.WSAGetLastError(), WSAEINTR);
}

TEST(ScopedSeam, Nests_TheInnerWinsAndTheOuterIsBackWhenItEnds) {
  FakeSocketIoctl outer_fake;
  FakeSocketIoctl inner_fake;
  const ScopedSeam outer(outer_fake);
  {
    const ScopedSeam inner(inner_fake);
    ASSERT_NE(wc_socket(SOCK_DGRAM), INVALID_SOCKET);
    EXPECT_EQ(inner_fake.host().SocketCount(), 1u);
    EXPECT_EQ(outer_fake.host().SocketCount(), 0u);
  }
  ASSERT_NE(wc_socket(SOCK_DGRAM), INVALID_SOCKET);
  EXPECT_EQ(outer_fake.host().SocketCount(), 1u);
  EXPECT_EQ(inner_fake.host().SocketCount(), 1u);
}

TEST(ScopedSeam, AnOuterSeamEndingFirst_LeavesTheInnerInPlace) {
  FakeSocketIoctl first_fake;
  FakeSocketIoctl second_fake;
  FakeSocketIoctl base_fake;
  const ScopedSeam base(base_fake);
  auto first = std::make_unique<ScopedSeam>(first_fake);
  auto second = std::make_unique<ScopedSeam>(second_fake);
  first.reset();  // ends under the live one (another thread's, say)
  ASSERT_NE(wc_socket(SOCK_DGRAM), INVALID_SOCKET);
  EXPECT_EQ(second_fake.host().SocketCount(), 1u);
  second.reset();
  ASSERT_NE(wc_socket(SOCK_DGRAM), INVALID_SOCKET);
  EXPECT_EQ(base_fake.host().SocketCount(), 1u);
  EXPECT_EQ(first_fake.host().SocketCount(), 0u);
}

TEST(ScopedSeam, IphlpapiCallsGoToTheFakesHostByDefault) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  ASSERT_NE(seam.helper(), nullptr);
  ULONG64 token = 0;
  EXPECT_EQ(wc_create_persistent_tcp(50000, 10, &token), static_cast<ULONG>(NO_ERROR));
  ASSERT_EQ(fake.host().ReservationCount(), 1u);
  EXPECT_EQ(fake.host().Reservations()[0].kind, portres::ReservationKind::kPersistent);
  EXPECT_EQ(wc_delete_persistent_tcp(50000, 10), static_cast<ULONG>(NO_ERROR));
}

TEST(ScopedSeam, AnExplicitHelperIsTheOneCalled) {
  FakeSocketIoctl fake;
  FakeIpHelper standard_user(fake.shared_host(), portres::FakeIpHelperOptions{false});
  const ScopedSeam seam(fake, standard_user);
  ULONG64 token = 0;
  EXPECT_EQ(wc_create_persistent_tcp(50000, 10, &token), static_cast<ULONG>(ERROR_ACCESS_DENIED));
}

TEST(ScopedSeam, OnAMock_DelegatesAndHasNoDefaultHelper) {
  testing::NiceMock<portres::MockSocketIoctl> mock;
  mock.DelegateToFake();
  const ScopedSeam seam(mock);
  EXPECT_EQ(seam.helper(), nullptr);
  const SOCKET s = wc_socket(SOCK_DGRAM);
  EXPECT_NE(s, INVALID_SOCKET);
  EXPECT_EQ(mock.fake().host().SocketCount(), 1u);
  ULONG64 token = 0;
  EXPECT_EQ(wc_create_persistent_tcp(50000, 10, &token), static_cast<ULONG>(ERROR_NOT_SUPPORTED));
}

TEST(ScopedSeam, CppWindowsCode_BindsThroughTheSeamAndKeepsStdBind) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  const SOCKET s = wcpp_socket_via_std_bind();
  ASSERT_NE(s, INVALID_SOCKET);
  USHORT port = 0;
  EXPECT_EQ(wcpp_bind_any(s, &port), 0);
  EXPECT_NE(port, 0);
  ASSERT_EQ(fake.host().Sockets().size(), 1u);
  EXPECT_EQ(fake.host().Sockets()[0].port, port);
}

TEST(ScopedSeam, CppWindowsCode_ConnectsAndListensThroughTheSeam) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  SOCKET client = INVALID_SOCKET;
  SOCKET accepted = INVALID_SOCKET;
  ASSERT_EQ(wcpp_loopback_connection(&client, &accepted), 0);
  const std::vector<portres::SocketInfo> sockets = fake.host().Sockets();
  ASSERT_EQ(sockets.size(), 3u);
  EXPECT_TRUE(sockets[0].listening);
  EXPECT_EQ(sockets[1].handle, client);
  EXPECT_TRUE(sockets[1].connected);
  EXPECT_EQ(sockets[1].peer_port, sockets[0].port);
  EXPECT_EQ(sockets[2].handle, accepted);
  EXPECT_EQ(fake.CallLog().size(), 10u);  // every call of the C++ code reached the fake
}

TEST(ScopedSeam, WsaStartup_NegotiatesTheVersionAsDocumented) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  WSADATA data{};
  EXPECT_EQ(wc_startup(MAKEWORD(0, 9), &data), WSAVERNOTSUPPORTED);
  ASSERT_EQ(wc_startup(MAKEWORD(2, 2), &data), 0);
  EXPECT_EQ(data.wVersion, MAKEWORD(2, 2));
  EXPECT_EQ(data.wHighVersion, MAKEWORD(2, 2));
  ASSERT_EQ(wc_startup(MAKEWORD(1, 1), &data), 0);
  EXPECT_EQ(data.wVersion, MAKEWORD(1, 1));
  ASSERT_EQ(wc_startup(MAKEWORD(3, 0), &data), 0);
  EXPECT_EQ(data.wVersion, MAKEWORD(2, 2));
  EXPECT_EQ(wc_cleanup(), 0);
}

// The calls clients make around the reservation IOCTLs (starting Winsock, WSASocket, options,
// connecting and listening, non-blocking mode) are the installed api's, as the others are.
TEST(ScopedSeam, NewCalls_ReachTheInstalledApi) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  WSADATA data{};
  ASSERT_EQ(wc_startup(MAKEWORD(2, 2), &data), 0);

  const SOCKET listener = wc_wsasocket_w(SOCK_STREAM, 0);
  ASSERT_NE(listener, INVALID_SOCKET);
  EXPECT_EQ(wc_set_exclusive(listener, 1), 0);
  int exclusive = 0;
  EXPECT_EQ(wc_get_exclusive(listener, &exclusive), 0);
  EXPECT_EQ(exclusive, 1);
  USHORT port = 0;
  ASSERT_EQ(wc_listen_loopback(listener, &port), 0);
  ASSERT_NE(port, 0);

  const SOCKET client = wc_wsasocket_a(SOCK_STREAM, WSA_FLAG_OVERLAPPED);
  ASSERT_NE(client, INVALID_SOCKET);
  EXPECT_EQ(wc_set_nonblocking(client, 1), 0);
  ASSERT_EQ(wc_connect_loopback(client, port), 0);
  USHORT peer_of_client = 0;
  EXPECT_EQ(wc_peer_port(client, &peer_of_client), 0);
  EXPECT_EQ(peer_of_client, port);
  USHORT peer_of_accepted = 0;
  const SOCKET accepted = wc_accept(listener, &peer_of_accepted);
  ASSERT_NE(accepted, INVALID_SOCKET);

  // The fake's own state and log say the calls were its own.
  std::vector<portres::SocketInfo> sockets = fake.host().Sockets();
  ASSERT_EQ(sockets.size(), 3u);
  for (const portres::SocketInfo& socket : sockets) {
    if (socket.handle == listener) {
      EXPECT_TRUE(socket.listening);
      EXPECT_FALSE(socket.overlapped);  // WSASocketW without WSA_FLAG_OVERLAPPED
    } else if (socket.handle == client) {
      EXPECT_TRUE(socket.connected);
      EXPECT_TRUE(socket.overlapped);
      EXPECT_EQ(socket.peer_port, port);
      EXPECT_EQ(peer_of_accepted, socket.port);  // bound implicitly by connect
    } else {
      EXPECT_EQ(socket.handle, accepted);
      EXPECT_TRUE(socket.connected);
    }
  }
  std::vector<portres::Api> apis;
  for (const portres::CallRecord& record : fake.CallLog()) apis.push_back(record.call.api);
  using portres::Api;
  const std::vector<Api> expected = {Api::kWSAStartup, Api::kWSASocketW,  Api::kSetSockOpt,
                                     Api::kGetSockOpt, Api::kBind,        Api::kGetSockName,
                                     Api::kListen,     Api::kWSASocketA,  Api::kIoctlSocket,
                                     Api::kConnect,    Api::kGetPeerName, Api::kAccept};
  EXPECT_EQ(apis, expected);

  // WSACleanup too: the process's last one closes its sockets.
  EXPECT_EQ(wc_cleanup(), 0);
  EXPECT_EQ(fake.host().SocketCount(), 0u);
  EXPECT_EQ(wc_cleanup(), SOCKET_ERROR);
  EXPECT_EQ(wc_last_error(), WSANOTINITIALISED);
}

#if !defined(_WIN32)

TEST(NoSeam, CallsFailWithWsaNotInitialised) {
  EXPECT_EQ(wc_socket(SOCK_STREAM), INVALID_SOCKET);
  EXPECT_EQ(wc_last_error(), WSANOTINITIALISED);
  EXPECT_EQ(wc_ioctl_on_nothing(), SOCKET_ERROR);
  EXPECT_EQ(wc_last_error(), WSANOTINITIALISED);
  WSADATA data{};
  EXPECT_EQ(wc_startup(MAKEWORD(2, 2), &data), WSASYSNOTREADY);
  EXPECT_EQ(wc_last_error(), WSASYSNOTREADY);
  EXPECT_EQ(wc_wsasocket_w(SOCK_STREAM, WSA_FLAG_OVERLAPPED), INVALID_SOCKET);
  EXPECT_EQ(wc_last_error(), WSANOTINITIALISED);
  EXPECT_EQ(wc_set_nonblocking(INVALID_SOCKET, 1), WSANOTINITIALISED);
  EXPECT_EQ(wc_connect_loopback(INVALID_SOCKET, 50000), WSANOTINITIALISED);
  ULONG64 token = 0;
  EXPECT_EQ(wc_create_persistent_tcp(50000, 10, &token), static_cast<ULONG>(ERROR_NOT_SUPPORTED));
}

#if !defined(_WIN32)
// The C control's usage error made safe: destroying the installed fake uninstalls it, so the
// next call fails as with no seam instead of reaching freed memory (ASan would report it).
TEST(SeamCControl, DestroyingTheInstalledFake_UninstallsIt) {
  portres_fake* fake = portres_fake_create();
  portres_seam_install(fake);
  portres_fake_destroy(fake);
  EXPECT_EQ(wc_socket(SOCK_STREAM), INVALID_SOCKET);
  EXPECT_EQ(wc_last_error(), WSANOTINITIALISED);
}
#endif

TEST(NoSeamDeathTest, TheFirstCallSaysHowToInstallOne) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // a fresh process: nothing printed yet
  EXPECT_EXIT(
      {
        wc_socket(SOCK_STREAM);
        wc_socket(SOCK_STREAM);  // one line, not one per call
        // The death test's child runs this statement alone, on its one thread.
        std::exit(0);  // NOLINT(concurrency-mt-unsafe)
      },
      testing::ExitedWithCode(0), "no seam installed.*portres::ScopedSeam");
}

#else  // _WIN32

// Under Wine the real ws2_32 answers WSAEOPNOTSUPP to the reservation IOCTLs [ref:wine]; with a
// seam installed the same unchanged code gets the fake's answer.
TEST(WindowsSeam, WithoutASeam_TheCallsReachTheRealWinsock) {
  if (portres::WineVersion() == nullptr) {
    GTEST_SKIP() << "on Windows itself the real answer depends on the machine";
  }
  WSADATA data{};
  ASSERT_EQ(wc_startup(MAKEWORD(2, 2), &data), 0);
  const SOCKET s = wc_socket(SOCK_STREAM);
  ASSERT_NE(s, INVALID_SOCKET);
  USHORT granted = 0;
  ULONG64 token = 0;
  EXPECT_EQ(wc_acquire(s, 16, &granted, &token), WSAEOPNOTSUPP);
  EXPECT_EQ(wc_close(s), 0);
  const SOCKET flagged = wc_wsasocket_w(SOCK_STREAM, WSA_FLAG_OVERLAPPED);
  ASSERT_NE(flagged, INVALID_SOCKET);
  EXPECT_EQ(wc_set_nonblocking(flagged, 1), 0);
  EXPECT_EQ(wc_close(flagged), 0);
  EXPECT_EQ(wc_cleanup(), 0);
}

TEST(WindowsSeam, WithASeam_TheFakeAnswers) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  const SOCKET s = wc_socket(SOCK_STREAM);
  ASSERT_NE(s, INVALID_SOCKET);
  USHORT granted = 0;
  ULONG64 token = 0;
  EXPECT_EQ(wc_acquire(s, 16, &granted, &token), 0);
  EXPECT_EQ(fake.host().ReservationCount(), 1u);
  EXPECT_EQ(wc_create_persistent_tcp(50000, 10, &token), static_cast<ULONG>(NO_ERROR));
  EXPECT_EQ(wc_close(s), 0);
}

#endif  // _WIN32

}  // namespace
