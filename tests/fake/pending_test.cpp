// Overlapped calls left pending (FakeProcessOptions::pend_overlapped_calls, Fault::Pend) and
// how they end: CompletePending, WSAGetOverlappedResult, closesocket ([ref:ioctl-common]).
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

// A WSAOVERLAPPED with room for what its completion routine was told: the routine finds it
// through the lpOverlapped it receives, so no global state is needed.
struct RecordingOverlapped {
  WSAOVERLAPPED overlapped{};  // first member: the routine casts back from it
  int calls = 0;
  DWORD error = 0;
  DWORD bytes = 0;
  DWORD flags = 0;

  static void CALLBACK Routine(DWORD dwError, DWORD cbTransferred, LPWSAOVERLAPPED lpOverlapped,
                               DWORD dwFlags) {
    auto* self = reinterpret_cast<RecordingOverlapped*>(lpOverlapped);
    ++self->calls;
    self->error = dwError;
    self->bytes = cbTransferred;
    self->flags = dwFlags;
  }
};

class Pending : public ::testing::Test {
 protected:
  Pending() : api_(host_, PendingProcess()) {}
  static FakeProcessOptions PendingProcess() {
    FakeProcessOptions options;
    options.pend_overlapped_calls = true;
    return options;
  }

  std::shared_ptr<FakeHost> host_ = std::make_shared<FakeHost>();
  FakeSocketIoctl api_;
  SOCKET s_ = OpenTcp(api_);
};

TEST_F(Pending, OverlappedAcquire_AnswersWsaIoPendingAndHasNoEffectYet) {
  WSAOVERLAPPED overlapped{};
  const Acquired acquired = Acquire(api_, s_, 50000, 2, &overlapped);
  EXPECT_EQ(acquired.error, WSA_IO_PENDING);
  EXPECT_EQ(acquired.bytes_returned, 0u);
  EXPECT_EQ(overlapped.Internal, static_cast<ULONG_PTR>(0x103)) << "STATUS_PENDING";
  EXPECT_EQ(host_->ReservationCount(), 0u);
  EXPECT_EQ(api_.PendingCalls(), std::vector<LPWSAOVERLAPPED>{&overlapped});
}

TEST_F(Pending, SynchronousCalls_NeverPend) {
  EXPECT_EQ(Acquire(api_, s_, 50000, 2).error, 0);
  EXPECT_TRUE(api_.PendingCalls().empty());
}

TEST_F(Pending, CompletePending_RunsTheCallAndWritesItsOutput) {
  WSAOVERLAPPED overlapped{};
  INET_PORT_RANGE range{};
  range.StartPort = htons(50000);
  range.NumberOfPorts = 2;
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(api_.WSAIoctl(s_, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                          sizeof instance, &bytes, &overlapped, nullptr),
            SOCKET_ERROR);
  range.StartPort = htons(60000);  // the input was captured at the call, as Windows does
  ASSERT_TRUE(api_.CompletePending(&overlapped));
  EXPECT_EQ(ntohs(instance.Reservation.StartPort), 50000);
  EXPECT_NE(instance.Token.Token, INVALID_PORT_RESERVATION_TOKEN);
  EXPECT_EQ(overlapped.Internal, 0u);
  EXPECT_EQ(overlapped.InternalHigh, sizeof instance);
  ASSERT_EQ(host_->ReservationCount(), 1u);
  EXPECT_EQ(host_->Reservations()[0].first_port, 50000);
  EXPECT_TRUE(api_.PendingCalls().empty());
}

TEST_F(Pending, CompletePending_SignalsTheEvent) {
  WSAOVERLAPPED overlapped{};
  overlapped.hEvent = api_.WSACreateEvent();
  ASSERT_EQ(Acquire(api_, s_, 0, 1, &overlapped).error, WSA_IO_PENDING);
  EXPECT_FALSE(api_.IsEventSignaled(overlapped.hEvent));
  ASSERT_TRUE(api_.CompletePending(&overlapped));
  EXPECT_TRUE(api_.IsEventSignaled(overlapped.hEvent));
  EXPECT_EQ(api_.WSAResetEvent(overlapped.hEvent), TRUE);
  EXPECT_FALSE(api_.IsEventSignaled(overlapped.hEvent));
  EXPECT_EQ(api_.WSACloseEvent(overlapped.hEvent), TRUE);
}

TEST_F(Pending, CompletePending_RunsTheCompletionRoutine) {
  RecordingOverlapped call;
  ASSERT_EQ(Acquire(api_, s_, 0, 1, &call.overlapped, &RecordingOverlapped::Routine).error,
            WSA_IO_PENDING);
  EXPECT_EQ(call.calls, 0);
  ASSERT_TRUE(api_.CompletePending(&call.overlapped));
  EXPECT_EQ(call.calls, 1);
  EXPECT_EQ(call.error, 0u);
  EXPECT_EQ(call.bytes, sizeof(INET_PORT_RESERVATION_INSTANCE));
}

TEST_F(Pending, CompletePendingWithError_FailsTheCallWithNoEffect) {
  RecordingOverlapped call;
  ASSERT_EQ(Acquire(api_, s_, 50000, 1, &call.overlapped, &RecordingOverlapped::Routine).error,
            WSA_IO_PENDING);
  ASSERT_TRUE(api_.CompletePending(&call.overlapped, WSAENETDOWN));
  EXPECT_EQ(call.calls, 1);
  EXPECT_EQ(call.error, static_cast<DWORD>(WSAENETDOWN));
  EXPECT_EQ(call.bytes, 0u);
  EXPECT_EQ(host_->ReservationCount(), 0u);
  DWORD bytes = 0;
  DWORD flags = 0;
  EXPECT_EQ(api_.WSAGetOverlappedResult(s_, &call.overlapped, &bytes, FALSE, &flags), FALSE);
  EXPECT_EQ(api_.WSAGetLastError(), WSAENETDOWN);
}

TEST_F(Pending, CompletePendingWithErrorZero_RunsTheCallAsWithoutError) {
  // Regression: error 0 used to complete the call "successfully" without running it, so an
  // acquire reported success with no reservation and no instance written.
  WSAOVERLAPPED overlapped{};
  INET_PORT_RANGE range{};
  range.StartPort = htons(50000);
  range.NumberOfPorts = 1;
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(ErrorOf(api_, api_.WSAIoctl(s_, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                                        &instance, sizeof instance, &bytes, &overlapped, nullptr)),
            WSA_IO_PENDING);
  ASSERT_TRUE(api_.CompletePending(&overlapped, 0));
  EXPECT_EQ(host_->ReservationCount(), 1u);
  EXPECT_EQ(ntohs(instance.Reservation.StartPort), 50000);
  EXPECT_EQ(overlapped.InternalHigh, sizeof instance);
}

TEST_F(Pending, CompletePending_WhoseCallFailsWhenRun_ReportsThatError) {
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(api_, s_, 50000, 1, &overlapped).error, WSA_IO_PENDING);
  FakeSocketIoctl other(host_);
  const SOCKET theirs = OpenTcp(other);
  ASSERT_EQ(Acquire(other, theirs, 50000, 1).error, 0);  // takes the block meanwhile
  ASSERT_TRUE(api_.CompletePending(&overlapped));
  DWORD bytes = 0;
  DWORD flags = 0;
  EXPECT_EQ(api_.WSAGetOverlappedResult(s_, &overlapped, &bytes, FALSE, &flags), FALSE);
  EXPECT_EQ(api_.WSAGetLastError(), WSAEADDRINUSE);
}

TEST_F(Pending, CompletePending_OfAnUnknownCall_ReturnsFalse) {
  WSAOVERLAPPED overlapped{};
  EXPECT_FALSE(api_.CompletePending(&overlapped));
  EXPECT_FALSE(api_.CompletePending(&overlapped, WSAEINTR));
}

TEST_F(Pending, CompleteAllPending_CompletesEveryCallOldestFirst) {
  WSAOVERLAPPED first{};
  WSAOVERLAPPED second{};
  ASSERT_EQ(Acquire(api_, s_, 50000, 1, &first).error, WSA_IO_PENDING);
  ASSERT_EQ(Acquire(api_, s_, 50000, 1, &second).error, WSA_IO_PENDING);
  EXPECT_EQ(api_.PendingCalls(), (std::vector<LPWSAOVERLAPPED>{&first, &second}));
  EXPECT_EQ(api_.CompleteAllPending(), 2u);
  EXPECT_EQ(first.Internal, 0u);
  EXPECT_EQ(second.Internal, static_cast<ULONG_PTR>(WSAEADDRINUSE));
}

TEST_F(Pending, GetOverlappedResult_WhilePendingWithoutWait_FailsWithWsaIoIncomplete) {
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(api_, s_, 0, 1, &overlapped).error, WSA_IO_PENDING);
  DWORD bytes = 99;
  DWORD flags = 0;
  EXPECT_EQ(api_.WSAGetOverlappedResult(s_, &overlapped, &bytes, FALSE, &flags), FALSE);
  EXPECT_EQ(api_.WSAGetLastError(), WSA_IO_INCOMPLETE);
  EXPECT_EQ(api_.PendingCalls().size(), 1u);
}

TEST_F(Pending, GetOverlappedResult_WithWait_CompletesTheCall) {
  RecordingOverlapped call;
  call.overlapped.hEvent = api_.WSACreateEvent();
  ASSERT_EQ(Acquire(api_, s_, 0, 1, &call.overlapped, &RecordingOverlapped::Routine).error,
            WSA_IO_PENDING);
  DWORD bytes = 0;
  DWORD flags = 7;
  EXPECT_EQ(api_.WSAGetOverlappedResult(s_, &call.overlapped, &bytes, TRUE, &flags), TRUE);
  EXPECT_EQ(bytes, sizeof(INET_PORT_RESERVATION_INSTANCE));
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ(host_->ReservationCount(), 1u);
  EXPECT_TRUE(api_.IsEventSignaled(call.overlapped.hEvent));
  EXPECT_EQ(call.calls, 1);
  EXPECT_TRUE(api_.PendingCalls().empty());
}

TEST_F(Pending, GetOverlappedResult_AfterCompletion_ReportsTheSameOutcomeAgain) {
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(api_, s_, 0, 1, &overlapped).error, WSA_IO_PENDING);
  ASSERT_TRUE(api_.CompletePending(&overlapped));
  for (int i = 0; i < 2; ++i) {
    DWORD bytes = 0;
    DWORD flags = 0;
    EXPECT_EQ(api_.WSAGetOverlappedResult(s_, &overlapped, &bytes, FALSE, &flags), TRUE);
    EXPECT_EQ(bytes, sizeof(INET_PORT_RESERVATION_INSTANCE));
  }
}

TEST_F(Pending, GetOverlappedResult_OfAnUnknownOverlapped_FailsWithWsaeinval) {
  WSAOVERLAPPED overlapped{};
  DWORD bytes = 0;
  DWORD flags = 0;
  EXPECT_EQ(api_.WSAGetOverlappedResult(s_, &overlapped, &bytes, FALSE, &flags), FALSE);
  EXPECT_EQ(api_.WSAGetLastError(), WSAEINVAL);
}

TEST_F(Pending, GetOverlappedResult_WithNullPointers_FailsWithWsaefault) {
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(api_, s_, 0, 1, &overlapped).error, WSA_IO_PENDING);
  DWORD bytes = 0;
  DWORD flags = 0;
  EXPECT_EQ(api_.WSAGetOverlappedResult(s_, &overlapped, nullptr, FALSE, &flags), FALSE);
  EXPECT_EQ(api_.WSAGetLastError(), WSAEFAULT);
  EXPECT_EQ(api_.WSAGetOverlappedResult(s_, &overlapped, &bytes, FALSE, nullptr), FALSE);
  EXPECT_EQ(api_.WSAGetLastError(), WSAEFAULT);
}

TEST_F(Pending, CloseSocket_AbortsItsPendingCallsWithWsaOperationAborted) {
  RecordingOverlapped call;
  call.overlapped.hEvent = api_.WSACreateEvent();
  ASSERT_EQ(Acquire(api_, s_, 0, 1, &call.overlapped, &RecordingOverlapped::Routine).error,
            WSA_IO_PENDING);
  ASSERT_EQ(api_.closesocket(s_), 0);
  EXPECT_EQ(call.calls, 1);
  EXPECT_EQ(call.error, static_cast<DWORD>(WSA_OPERATION_ABORTED));
  EXPECT_EQ(call.overlapped.Internal, static_cast<ULONG_PTR>(WSA_OPERATION_ABORTED));
  EXPECT_TRUE(api_.IsEventSignaled(call.overlapped.hEvent));
  EXPECT_TRUE(api_.PendingCalls().empty());
  EXPECT_EQ(host_->ReservationCount(), 0u);
}

TEST_F(Pending, CloseSocket_LeavesOtherSocketsPendingCalls) {
  const SOCKET other = OpenTcp(api_);
  WSAOVERLAPPED mine{};
  WSAOVERLAPPED theirs{};
  ASSERT_EQ(Acquire(api_, s_, 0, 1, &mine).error, WSA_IO_PENDING);
  ASSERT_EQ(Acquire(api_, other, 0, 1, &theirs).error, WSA_IO_PENDING);
  ASSERT_EQ(api_.closesocket(s_), 0);
  EXPECT_EQ(api_.PendingCalls(), std::vector<LPWSAOVERLAPPED>{&theirs});
}

TEST_F(Pending, PendingRelease_CompletesLater) {
  FakeSocketIoctl sync(host_);
  const SOCKET s = OpenTcp(sync);
  WSAOVERLAPPED overlapped{};
  const Acquired acquired = Acquire(sync, s, 0, 1);
  ASSERT_EQ(acquired.error, 0);
  sync.Inject(Fault::Pend());
  ULONG64 token = acquired.token();
  DWORD bytes = 0;
  ASSERT_EQ(sync.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0, &bytes,
                          &overlapped, nullptr),
            SOCKET_ERROR);
  ASSERT_EQ(sync.WSAGetLastError(), WSA_IO_PENDING);
  EXPECT_EQ(host_->ReservationCount(), 1u);
  ASSERT_TRUE(sync.CompletePending(&overlapped));
  EXPECT_EQ(host_->ReservationCount(), 0u);
}

TEST_F(Pending, BadArguments_FailAtOnceEvenWhenCallsPend) {
  WSAOVERLAPPED overlapped{};
  INET_PORT_RANGE range{};
  range.NumberOfPorts = 1;
  unsigned char small[4] = {};
  DWORD bytes = 0;
  EXPECT_EQ(ErrorOf(api_, api_.WSAIoctl(s_, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                                        small, sizeof small, &bytes, &overlapped, nullptr)),
            WSAEINVAL);
  EXPECT_TRUE(api_.PendingCalls().empty());
}

TEST(Overlapped, ByDefault_CompletesAtOnceWithEventAndRoutine) {
  FakeSocketIoctl api;
  const SOCKET s = OpenTcp(api);
  RecordingOverlapped call;
  call.overlapped.hEvent = api.WSACreateEvent();
  const Acquired acquired = Acquire(api, s, 0, 1, &call.overlapped, &RecordingOverlapped::Routine);
  EXPECT_EQ(acquired.error, 0);
  EXPECT_EQ(acquired.bytes_returned, sizeof(INET_PORT_RESERVATION_INSTANCE));
  EXPECT_TRUE(api.IsEventSignaled(call.overlapped.hEvent));
  EXPECT_EQ(call.calls, 1);
  EXPECT_EQ(call.error, 0u);
  EXPECT_TRUE(api.PendingCalls().empty());
}

}  // namespace
}  // namespace portres::testing_fake
