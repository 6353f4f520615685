// SIO_RELEASE_PORT_RESERVATION [ref:release]: who may release, its buffers, and unknown tokens.
#include "contract_test.h"

namespace portres::contract {
namespace {

TEST_P(ReleaseContract, Release_OwnToken_SucceedsAndFreesTheBlock) {
  const std::uint16_t first = FreeBlock(4);
  TestSocket s = Tcp();
  const Acquired acquired = Acquire(s.handle(), first, 4);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  EXPECT_EQ(Release(s.handle(), acquired.token()), kWsaSuccess);
  TestSocket other = Tcp();
  EXPECT_EQ(Acquire(other.handle(), first, 4).error, kWsaSuccess);
}

TEST_P(ReleaseContract, Release_WithShortInputBuffer_FailsWithWsaeinval) {
  // [ref:release]: cbInBuffer must hold an INET_PORT_RESERVATION_TOKEN.
  TestSocket s = Tcp();
  const Acquired acquired = Acquire(s.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ULONG64 token = acquired.token();
  DWORD bytes = 0;
  EXPECT_EQ(Ioctl(api(), s.handle(), SIO_RELEASE_PORT_RESERVATION, &token, sizeof token - 1,
                  nullptr, 0, &bytes),
            Wsa(WSAEINVAL));
  EXPECT_EQ(Release(s.handle(), token), kWsaSuccess) << "the rejected release changed something";
}

TEST_P(ReleaseContract, Release_WithNonzeroOutputBufferSize_FailsWithWsaeinval) {
  // [ref:release]: the output buffer is unused and cbOutBuffer must be 0.
  TestSocket s = Tcp();
  const Acquired acquired = Acquire(s.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ULONG64 token = acquired.token();
  ULONG64 out = 0;
  DWORD bytes = 0;
  EXPECT_EQ(Ioctl(api(), s.handle(), SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, &out,
                  sizeof out, &bytes),
            Wsa(WSAEINVAL));
  EXPECT_EQ(Release(s.handle(), token), kWsaSuccess) << "the rejected release changed something";
}

TEST_P(ReleaseContract, Release_WithNullInputBuffer_FailsWithWsaefault) {
  // [ref:acquire] [ref:associate] WSAEFAULT: the input buffer is not in valid user memory (the fake
  // asks the same of release, whose page names only the overlapped pointers).
  TestSocket s = Tcp();
  DWORD bytes = 0;
  EXPECT_EQ(Ioctl(api(), s.handle(), SIO_RELEASE_PORT_RESERVATION, nullptr,
                  sizeof(INET_PORT_RESERVATION_TOKEN), nullptr, 0, &bytes),
            Wsa(WSAEFAULT));
}

TEST_P(ReleaseContract, Release_UnknownToken_FailsWithWsaeinval_Assumed) {
  // [ref:open-1] (AssumedErrors::unknown_token).
  TestSocket s = Tcp();
  EXPECT_EQ(Release(s.handle(), 0x1234567890abcdefULL), Wsa(WSAEINVAL));
}

TEST_P(ReleaseContract, Release_InvalidPortReservationToken_FailsWithWsaeinval_Assumed) {
  // [ref:open-1] (AssumedErrors::unknown_token).
  TestSocket s = Tcp();
  EXPECT_EQ(Release(s.handle(), INVALID_PORT_RESERVATION_TOKEN), Wsa(WSAEINVAL));
}

TEST_P(ReleaseContract, Release_AlreadyReleasedToken_FailsWithWsaeinval_Assumed) {
  // [ref:open-1] (AssumedErrors::unknown_token).
  TestSocket s = Tcp();
  const Acquired acquired = Acquire(s.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ASSERT_EQ(Release(s.handle(), acquired.token()), kWsaSuccess);
  EXPECT_EQ(Release(s.handle(), acquired.token()), Wsa(WSAEINVAL));
}

TEST_P(ReleaseContract, Release_FromAnotherSocketOfTheSameProcess_Succeeds_Assumed) {
  // [ref:release] says "the issuing process"; [ref:open-5] notes the socket is not named.
  const std::uint16_t first = FreeBlock(2);
  TestSocket acquiring = Tcp();
  const Acquired acquired = Acquire(acquiring.handle(), first, 2);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket sibling = Udp();
  EXPECT_EQ(Release(sibling.handle(), acquired.token()), kWsaSuccess);
  TestSocket other = Tcp();
  EXPECT_EQ(Acquire(other.handle(), first, 2).error, kWsaSuccess);
}

TEST_P(ReleaseContract, Release_FromAnotherProcess_FailsWithWsaeinval_Assumed) {
  // [ref:open-5]: only the issuing process may release; to another process the
  // token is unknown (AssumedErrors::unknown_token).
  PORTRES_SKIP_UNLESS(backend(), Feature::kSecondProcess);
  auto other = backend().OtherProcess();
  TestSocket mine = Tcp();
  const Acquired acquired = Acquire(mine.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket theirs = Tcp(*other);
  EXPECT_EQ(Release(*other, theirs.handle(), acquired.token()), Wsa(WSAEINVAL));
  EXPECT_EQ(Release(mine.handle(), acquired.token()), kWsaSuccess) << "it is still live";
}

TEST_P(ReleaseContract, Release_OnClosedSocket_FailsWithWsaenotsock) {
  // [ref:release] WSAENOTSOCK.
  TestSocket holder = Tcp();
  const Acquired acquired = Acquire(holder.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  TestSocket closed = Tcp();
  const SOCKET stale = closed.handle();
  ASSERT_EQ(closed.Close(), kWsaSuccess);
  EXPECT_EQ(Release(stale, acquired.token()), Wsa(WSAENOTSOCK));
}

TEST_P(ReleaseContract, Release_OnInvalidSocket_FailsWithWsaenotsock) {
  EXPECT_EQ(Release(INVALID_SOCKET, 1), Wsa(WSAENOTSOCK));
}

TEST_P(ReleaseContract, Release_Success_ReportsZeroBytesReturned_Assumed) {
  // [ref:open-9]: the pages say "cannot be zero" yet cbOutBuffer must be 0.
  TestSocket s = Tcp();
  const Acquired acquired = Acquire(s.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ULONG64 token = acquired.token();
  DWORD bytes = 12345;
  ASSERT_EQ(Ioctl(api(), s.handle(), SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0,
                  &bytes),
            kWsaSuccess);
  EXPECT_EQ(bytes, 0u);
}

TEST_P(ReleaseContract, Release_ThenCloseAcquiringSocket_Succeeds) {
  TestSocket s = Tcp();
  const Acquired acquired = Acquire(s.handle(), 0, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  ASSERT_EQ(Release(s.handle(), acquired.token()), kWsaSuccess);
  EXPECT_EQ(s.Close(), kWsaSuccess);
}

}  // namespace
}  // namespace portres::contract
