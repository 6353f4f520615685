// Every refusal of the fake explains itself: CallRecord::reason, FakeSocketIoctl::LastFailure()
// and the call-log printer say which buffer was short, which block and process an overlap hit,
// which token named nothing. Diagnostics only: the codes are those the contract suite pins.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/describe.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fake_test.h"

namespace portres {
namespace {

using ::testing::HasSubstr;
using testing_fake::Acquire;
using testing_fake::OpenTcp;
using testing_fake::Release;

TEST(FailureReason, ShortOutputBuffer_NamesTheSizeAndTheStructure) {
  FakeSocketIoctl fake;
  const SOCKET s = OpenTcp(fake);
  INET_PORT_RANGE range{htons(5000), 20};
  char out[8] = {};
  DWORD bytes = 0;
  ASSERT_EQ(fake.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, out, sizeof out,
                          &bytes, nullptr, nullptr),
            SOCKET_ERROR);
  EXPECT_EQ(fake.WSAGetLastError(), WSAEINVAL);  // the code does not change
  const std::optional<CallRecord> failure = fake.LastFailure();
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->error, WSAEINVAL);
  EXPECT_EQ(failure->reason, "cbOutBuffer 8 < sizeof(INET_PORT_RESERVATION_INSTANCE) 16");
  EXPECT_EQ(fake.CallLog().back().reason, failure->reason);
}

TEST(FailureReason, Overlap_NamesTheBlockItsProcessAndSocket) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl a(host);
  FakeSocketIoctl b(host);
  const SOCKET holder = OpenTcp(a);
  ASSERT_EQ(Acquire(a, holder, 5010, 20).error, 0);
  const SOCKET s = OpenTcp(b);
  ASSERT_EQ(Acquire(b, s, 5000, 20).error, WSAEADDRINUSE);
  ASSERT_TRUE(b.LastFailure().has_value());
  EXPECT_EQ(b.LastFailure()->reason,
            "TCP 5000..5019 overlaps the TCP runtime block 5010..5029 of pid " +
                std::to_string(a.pid()) + ", socket " + DescribeSocketHandle(holder));
}

TEST(FailureReason, BoundPort_NamesTheSocketHoldingIt) {
  FakeSocketIoctl fake;
  const SOCKET bound = OpenTcp(fake);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(5005);
  ASSERT_EQ(fake.bind(bound, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  const SOCKET s = OpenTcp(fake);
  ASSERT_EQ(Acquire(fake, s, 5000, 20).error, WSAEADDRINUSE);
  EXPECT_EQ(fake.LastFailure()->reason, "TCP 5000..5019 covers port 5005, bound by socket " +
                                            DescribeSocketHandle(bound) + " of pid " +
                                            std::to_string(fake.pid()));
}

TEST(FailureReason, UnknownToken_SaysItNamesNoLiveReservation) {
  FakeSocketIoctl fake;
  const SOCKET s = OpenTcp(fake);
  const ULONG64 token = Acquire(fake, s, 5000, 1).token();
  ASSERT_EQ(Release(fake, s, token), 0);
  ASSERT_EQ(Release(fake, s, token), WSAEINVAL);
  EXPECT_EQ(fake.LastFailure()->reason, DescribeToken(token) + " names no live reservation");
}

TEST(FailureReason, ClosedSocket_SaysItIsClosed) {
  FakeSocketIoctl fake;
  const SOCKET s = OpenTcp(fake);
  ASSERT_EQ(fake.closesocket(s), 0);
  ASSERT_EQ(fake.closesocket(s), SOCKET_ERROR);
  EXPECT_THAT(fake.LastFailure()->reason, HasSubstr("is closed"));
}

TEST(FailureReason, IsShownByTheCallLogPrinter) {
  FakeSocketIoctl fake;
  const SOCKET s = OpenTcp(fake);
  ASSERT_EQ(Acquire(fake, s, 5000, 0).error, WSAEINVAL);
  EXPECT_THAT(Describe(fake.CallLog().back()),
              HasSubstr("-> SOCKET_ERROR, WSAEINVAL (10022): NumberOfPorts is 0"));
}

TEST(FailureReason, InjectedFailures_AreMarkedInjectedWithoutAReasonOfTheHost) {
  FakeSocketIoctl fake;
  fake.Inject(Fault::Error(WSAENETDOWN));
  ASSERT_EQ(fake.socket(AF_INET, SOCK_STREAM, 0), INVALID_SOCKET);
  ASSERT_TRUE(fake.LastFailure().has_value());
  EXPECT_TRUE(fake.LastFailure()->injected);
  EXPECT_EQ(fake.LastFailure()->reason, "an injected Fault");
  EXPECT_EQ(Describe(fake.CallLog().back()),
            "#0 socket() -> INVALID_SOCKET, WSAENETDOWN (10050) [injected]");
}

TEST(LastFailure, IsEmptyBeforeAnyFailureAndKeptBySuccessfulCalls) {
  FakeSocketIoctl fake;
  EXPECT_FALSE(fake.LastFailure().has_value());
  const SOCKET s = OpenTcp(fake);
  EXPECT_FALSE(fake.LastFailure().has_value());
  ASSERT_EQ(Acquire(fake, s, 5000, 0).error, WSAEINVAL);
  ASSERT_EQ(Acquire(fake, s, 5000, 1).error, 0);
  ASSERT_TRUE(fake.LastFailure().has_value());
  EXPECT_EQ(fake.LastFailure()->reason, "NumberOfPorts is 0");
}

TEST(LastFailure, IsPerThread) {
  FakeSocketIoctl fake;
  const SOCKET s = OpenTcp(fake);
  std::thread([&] { ASSERT_EQ(Acquire(fake, s, 5000, 0).error, WSAEINVAL); }).join();
  EXPECT_FALSE(fake.LastFailure().has_value());
}

TEST(LastFailure, IsKeptWhenTheCallLogKeepsNothing) {
  FakeHostOptions options;
  options.call_log_capacity = 0;
  FakeSocketIoctl fake(options);
  ASSERT_EQ(fake.closesocket(0x4242), SOCKET_ERROR);
  ASSERT_TRUE(fake.LastFailure().has_value());
  EXPECT_EQ(fake.LastFailure()->reason, "0x4242 was never a socket on this host");
}

// The ring drops the oldest calls; a reason goes with its record, never onto another's.
TEST(FailureReason, StaysWithItsRecordAsTheCallLogTurns) {
  FakeHostOptions options;
  options.call_log_capacity = 3;
  FakeSocketIoctl fake(options);
  ASSERT_EQ(fake.closesocket(0x4242), SOCKET_ERROR);  // #0: a built reason
  const SOCKET s = OpenTcp(fake);                     // #1
  fake.Inject(Fault::Error(WSAENETDOWN).OnCall(2));
  ASSERT_EQ(fake.closesocket(s), SOCKET_ERROR);  // #2: a fault's reason
  std::vector<CallRecord> log = fake.CallLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].reason, "0x4242 was never a socket on this host");
  EXPECT_EQ(log[1].reason, "");
  EXPECT_EQ(log[2].reason, "an injected Fault");
  for (int i = 0; i < 2; ++i) OpenTcp(fake);          // #3, #4: #0 and #1 leave the ring
  ASSERT_EQ(fake.closesocket(0x4343), SOCKET_ERROR);  // #5: #2 leaves
  log = fake.CallLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].call.index, 3u);
  EXPECT_EQ(log[0].reason, "");
  EXPECT_EQ(log[1].reason, "");
  EXPECT_EQ(log[2].reason, "0x4343 was never a socket on this host");
  ASSERT_TRUE(fake.LastFailure().has_value());
  EXPECT_EQ(fake.LastFailure()->call.index, 5u);
  EXPECT_EQ(fake.LastFailure()->reason, log[2].reason);
}

TEST(FailureReason, PendingCallFailedAtCompletion_IsExplainedByWSAGetOverlappedResult) {
  FakeSocketIoctl fake(std::make_shared<FakeHost>(), FakeProcessOptions{true, true});
  const SOCKET s = OpenTcp(fake);
  WSAOVERLAPPED overlapped{};
  ASSERT_EQ(Acquire(fake, s, 5000, 0, &overlapped).error, WSA_IO_PENDING);
  ASSERT_TRUE(fake.CompletePending(&overlapped));
  DWORD bytes = 0;
  DWORD flags = 0;
  ASSERT_EQ(fake.WSAGetOverlappedResult(s, &overlapped, &bytes, FALSE, &flags), FALSE);
  EXPECT_EQ(fake.WSAGetLastError(), WSAEINVAL);
  EXPECT_EQ(fake.LastFailure()->reason, "the overlapped call failed: NumberOfPorts is 0");
}

// ---- Byte order ----------------------------------------------------------------------------
TEST(ByteOrderHint, AnAcquireWithoutHtons_IsPointedOutByTheCallLogPrinter) {
  FakeSocketIoctl fake;
  const SOCKET s = OpenTcp(fake);
  INET_PORT_RANGE range{5000, 10};  // htons forgotten
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(fake.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                          sizeof instance, &bytes, nullptr, nullptr),
            0);
  EXPECT_THAT(Describe(fake.CallLog().back()),
              HasSubstr("StartPort 0x8813 reads as 34835; did you forget htons? (5000 swapped)"));
}

TEST(ByteOrderHint, AnAcquireInNetworkOrder_HasNoHint) {
  FakeSocketIoctl fake;
  const SOCKET s = OpenTcp(fake);
  ASSERT_EQ(Acquire(fake, s, 5000, 10).error, 0);
  ASSERT_EQ(Acquire(fake, s, 50000, 10).error, 0);
  EXPECT_THAT(Describe(fake.CallLog()[1]), ::testing::Not(HasSubstr("htons")));
  EXPECT_THAT(Describe(fake.CallLog()[2]), ::testing::Not(HasSubstr("htons")));
}

TEST(ByteOrderHint, LooksByteSwapped_PrefersTheRounderPort) {
  EXPECT_TRUE(LooksByteSwapped(34835));   // 5000
  EXPECT_TRUE(LooksByteSwapped(36895));   // 8080
  EXPECT_FALSE(LooksByteSwapped(5000));   // its swap, 34835, is not rounder
  EXPECT_FALSE(LooksByteSwapped(50000));  // 20675
  EXPECT_FALSE(LooksByteSwapped(0));
  EXPECT_EQ(ByteSwap(5000), 34835);
}

}  // namespace
}  // namespace portres
