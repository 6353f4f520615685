// The two ways a pending overlapped call is cancelled besides closing its socket, both ending it
// with WSA_OPERATION_ABORTED and no effect: WSAIoctl(SIO_FLUSH) on its socket (the seed's error
// table names it next to closesocket [ref:ioctl-common]), and FakeSocketIoctl::CancelPending,
// what CancelIoEx does on Windows (the I/O manager cancels one request).
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

#ifndef SIO_FLUSH
#error "SIO_FLUSH must come from <portres/winsock.h>"
#endif

// Remembers what its completion routine was told; found again through lpOverlapped.
struct CancelledCall {
  WSAOVERLAPPED overlapped{};  // first member: the routine casts back from it
  int calls = 0;
  DWORD error = 0;

  static void CALLBACK Routine(DWORD dwError, DWORD, LPWSAOVERLAPPED lpOverlapped, DWORD) {
    auto* self = reinterpret_cast<CancelledCall*>(lpOverlapped);
    ++self->calls;
    self->error = dwError;
  }
};

class Cancellation : public ::testing::Test {
 protected:
  Cancellation() : api_(host_, PendingProcess()) {}
  static FakeProcessOptions PendingProcess() {
    FakeProcessOptions options;
    options.pend_overlapped_calls = true;
    return options;
  }

  // A pending acquire of 50000.. on `s`, its event created.
  void StartAcquire(CancelledCall& call, SOCKET s, std::uint16_t first = 50000) {
    call.overlapped.hEvent = api_.WSACreateEvent();
    ASSERT_EQ(Acquire(api_, s, first, 2, &call.overlapped, &CancelledCall::Routine).error,
              WSA_IO_PENDING);
  }
  int Flush(SOCKET s, LPWSAOVERLAPPED overlapped = nullptr) {
    DWORD bytes = 12345;
    const int error = ErrorOf(
        api_, api_.WSAIoctl(s, SIO_FLUSH, nullptr, 0, nullptr, 0, &bytes, overlapped, nullptr));
    if (error == 0 && overlapped == nullptr) {
      EXPECT_EQ(bytes, 0u);
    }
    return error;
  }
  int ResultOf(SOCKET s, CancelledCall& call) {
    DWORD bytes = 0;
    DWORD flags = 0;
    return api_.WSAGetOverlappedResult(s, &call.overlapped, &bytes, FALSE, &flags) == TRUE
               ? 0
               : api_.WSAGetLastError();
  }

  std::shared_ptr<FakeHost> host_ = std::make_shared<FakeHost>();
  FakeSocketIoctl api_;
  SOCKET s_ = OpenTcp(api_);
};

TEST_F(Cancellation, Flush_EndsThePendingCallsOfItsSocketWithWsaOperationAborted) {
  CancelledCall first;
  CancelledCall second;
  StartAcquire(first, s_, 50000);
  StartAcquire(second, s_, 50010);
  EXPECT_EQ(Flush(s_), 0);
  for (CancelledCall* call : {&first, &second}) {
    EXPECT_EQ(ResultOf(s_, *call), WSA_OPERATION_ABORTED);
    EXPECT_TRUE(api_.IsEventSignaled(call->overlapped.hEvent));
    EXPECT_EQ(call->calls, 1);
    EXPECT_EQ(call->error, static_cast<DWORD>(WSA_OPERATION_ABORTED));
  }
  EXPECT_TRUE(api_.PendingCalls().empty());
  EXPECT_EQ(host_->ReservationCount(), 0u) << "aborted calls have no effect";
}

TEST_F(Cancellation, Flush_LeavesOtherSocketsPendingCalls) {
  const SOCKET other = OpenTcp(api_);
  CancelledCall call;
  StartAcquire(call, other);
  EXPECT_EQ(Flush(s_), 0);
  EXPECT_EQ(api_.PendingCalls(), std::vector<LPWSAOVERLAPPED>{&call.overlapped});
  EXPECT_EQ(ResultOf(other, call), WSA_IO_INCOMPLETE);
}

TEST_F(Cancellation, Flush_WithNothingPending_Succeeds) {
  EXPECT_EQ(Flush(s_), 0);
  EXPECT_EQ(Flush(OpenUdp(api_)), 0);
}

TEST_F(Cancellation, Flush_Overlapped_CompletesAtOnce_Assumed) {
  // Even in a process whose overlapped calls pend: there is nothing for it to wait for.
  CancelledCall pending;
  StartAcquire(pending, s_);
  WSAOVERLAPPED flush{};
  flush.hEvent = api_.WSACreateEvent();
  EXPECT_EQ(Flush(s_, &flush), 0);
  EXPECT_TRUE(api_.IsEventSignaled(flush.hEvent));
  EXPECT_EQ(ResultOf(s_, pending), WSA_OPERATION_ABORTED);
}

TEST_F(Cancellation, Flush_OnAClosedSocket_FailsWithWsaenotsock) {
  const SOCKET s = OpenTcp(api_);
  ASSERT_EQ(api_.closesocket(s), 0);
  EXPECT_EQ(Flush(s), WSAENOTSOCK);
}

TEST_F(Cancellation, Flush_SynchronousWithoutBytesReturned_FailsWithWsaefault) {
  EXPECT_EQ(ErrorOf(api_, api_.WSAIoctl(s_, SIO_FLUSH, nullptr, 0, nullptr, 0, nullptr, nullptr,
                                        nullptr)),
            WSAEFAULT);
}

TEST_F(Cancellation, CancelPending_EndsThatCallOnlyWithWsaOperationAborted) {
  CancelledCall cancelled;
  CancelledCall kept;
  StartAcquire(cancelled, s_, 50000);
  StartAcquire(kept, s_, 50010);
  EXPECT_TRUE(api_.CancelPending(&cancelled.overlapped));
  EXPECT_EQ(ResultOf(s_, cancelled), WSA_OPERATION_ABORTED);
  EXPECT_TRUE(api_.IsEventSignaled(cancelled.overlapped.hEvent));
  EXPECT_EQ(cancelled.calls, 1);
  EXPECT_EQ(cancelled.error, static_cast<DWORD>(WSA_OPERATION_ABORTED));
  EXPECT_EQ(api_.PendingCalls(), std::vector<LPWSAOVERLAPPED>{&kept.overlapped});
  EXPECT_EQ(host_->ReservationCount(), 0u);
  EXPECT_TRUE(api_.CompletePending(&kept.overlapped));
  EXPECT_EQ(ResultOf(s_, kept), 0);
}

TEST_F(Cancellation, CancelPending_OfACallNotPending_ReturnsFalse) {
  CancelledCall call;
  StartAcquire(call, s_);
  ASSERT_TRUE(api_.CancelPending(&call.overlapped));
  EXPECT_FALSE(api_.CancelPending(&call.overlapped)) << "already ended";
  WSAOVERLAPPED unknown{};
  EXPECT_FALSE(api_.CancelPending(&unknown));
  EXPECT_EQ(call.calls, 1);
}

}  // namespace
}  // namespace portres::testing_fake
