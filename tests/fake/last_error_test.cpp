// WSAGetLastError is per thread (and per simulated process), as on Windows.
#include <thread>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

class LastError : public FakeTest {};

TEST_F(LastError, IsZeroBeforeAnyFailure) { EXPECT_EQ(api().WSAGetLastError(), 0); }

TEST_F(LastError, IsSetByAFailedCallAndKeptBySuccessfulOnes) {
  // socket() is the exception: its success sets the last error to 0 (SocketRules).
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(api().closesocket(INVALID_SOCKET), SOCKET_ERROR);
  EXPECT_EQ(api().WSAGetLastError(), WSAENOTSOCK);
  EXPECT_EQ(api().closesocket(s), 0);
  EXPECT_EQ(api().WSAGetLastError(), WSAENOTSOCK);
}

TEST_F(LastError, WSASetLastError_SetsItForThisThread) {
  api().WSASetLastError(WSAEINTR);
  EXPECT_EQ(api().WSAGetLastError(), WSAEINTR);
  api().WSASetLastError(0);
  EXPECT_EQ(api().WSAGetLastError(), 0);
}

TEST_F(LastError, EachThread_SeesOnlyItsOwnFailures) {
  api().WSASetLastError(WSAEINTR);
  int seen_by_other_thread_before = -1;
  int seen_by_other_thread_after = -1;
  std::thread other([&] {
    seen_by_other_thread_before = api().WSAGetLastError();
    api().closesocket(INVALID_SOCKET);
    seen_by_other_thread_after = api().WSAGetLastError();
  });
  other.join();
  EXPECT_EQ(seen_by_other_thread_before, 0);
  EXPECT_EQ(seen_by_other_thread_after, WSAENOTSOCK);
  EXPECT_EQ(api().WSAGetLastError(), WSAEINTR);
}

TEST_F(LastError, EachProcess_KeepsItsOwn) {
  FakeSocketIoctl other(shared_host());
  api().closesocket(INVALID_SOCKET);
  EXPECT_EQ(other.WSAGetLastError(), 0);
  EXPECT_EQ(api().WSAGetLastError(), WSAENOTSOCK);
}

}  // namespace
}  // namespace portres::testing_fake
