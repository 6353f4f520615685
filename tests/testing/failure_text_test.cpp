// Failure text that explains itself: LastErrorIs and IsWsaError(code, fake) show the call that
// set the error and the fake's reason; FailedWith shows a record's reason; the reservation
// matchers point out a missing htons.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/matchers.h>
#include <portres/mock_socket_ioctl.h>

#include <string>

namespace portres {
namespace {

using ::testing::HasSubstr;
using ::testing::Matcher;

template <typename T, typename M>
std::string Explain(const M& matcher, const T& value) {
  ::testing::StringMatchResultListener listener;
  ::testing::ExplainMatchResult(Matcher<const T&>(matcher), value, &listener);
  // A matcher too big to sit inline (IsWsaError with a fake) lives on the heap, freed when an
  // atomic reference count drops to zero: the analyzer does not follow the count and reports a
  // leak that LeakSanitizer (the asan leg) would catch if it were there.
  return listener.str();  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks)
}

// An acquire whose output buffer is 8 bytes: WSAEINVAL.
void AcquireIntoShortBuffer(ISocketIoctl& api) {
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RANGE range{htons(5000), 20};
  char out[8] = {};
  DWORD bytes = 0;
  api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, out, sizeof out, &bytes,
               nullptr, nullptr);
}

TEST(LastErrorIsText, OnAFake_ShowsTheCallThatSetTheErrorAndWhy) {
  FakeSocketIoctl fake;
  AcquireIntoShortBuffer(fake);
  const ::testing::AssertionResult result = LastErrorIs(fake, WSAEFAULT);
  ASSERT_FALSE(result);
  EXPECT_THAT(result.message(),
              HasSubstr("last error is WSAEINVAL (10022), not WSAEFAULT (10014); set by #1 "
                        "WSAIoctl("));
  EXPECT_THAT(result.message(),
              HasSubstr("cbOutBuffer 8 < sizeof(INET_PORT_RESERVATION_INSTANCE) 16"));
}

TEST(LastErrorIsText, OnADelegatingMock_ShowsTheFakesReason) {
  ::testing::NiceMock<MockSocketIoctl> mock;
  mock.DelegateToFake();
  AcquireIntoShortBuffer(mock);
  const ::testing::AssertionResult result = LastErrorIs(mock, WSAEFAULT);
  ASSERT_FALSE(result);
  EXPECT_THAT(result.message(), HasSubstr("cbOutBuffer 8 < sizeof"));
}

TEST(LastErrorIsText, AnErrorSetByHand_HasNoCallToShow) {
  FakeSocketIoctl fake;
  AcquireIntoShortBuffer(fake);
  fake.WSASetLastError(WSAENETDOWN);
  const ::testing::AssertionResult result = LastErrorIs(fake, WSAEINVAL);
  EXPECT_STREQ(result.message(), "last error is WSAENETDOWN (10050), not WSAEINVAL (10022)");
}

TEST(IsWsaErrorWithFake, ExplainsAMismatchWithTheFakesReason) {
  FakeSocketIoctl fake;
  AcquireIntoShortBuffer(fake);
  const std::string text = Explain<int>(IsWsaError(WSAEFAULT, fake), fake.WSAGetLastError());
  EXPECT_THAT(text, HasSubstr("which is WSAEINVAL (10022); set by #1 WSAIoctl("));
  EXPECT_THAT(text, HasSubstr("cbOutBuffer 8 < sizeof(INET_PORT_RESERVATION_INSTANCE) 16"));
  EXPECT_THAT(fake.WSAGetLastError(), IsWsaError(WSAEINVAL, fake));
}

TEST(FailedWithText, ShowsTheRecordsReason) {
  FakeSocketIoctl fake;
  AcquireIntoShortBuffer(fake);
  EXPECT_EQ(Explain<CallRecord>(FailedWith(WSAEFAULT), fake.CallLog().back()),
            "which failed with WSAEINVAL (10022): cbOutBuffer 8 < "
            "sizeof(INET_PORT_RESERVATION_INSTANCE) 16");
}

// ---- Byte order ----------------------------------------------------------------------------
TEST(ByteOrderText, AcquiresBlock_PointsOutAStartPortInHostOrder) {
  const INET_PORT_RANGE forgot_htons{5000, 10};
  EXPECT_EQ(Explain<const void*>(AcquiresBlock(5000, 10), &forgot_htons),
            "which points to 34835..34844 (10 ports); StartPort 0x8813 reads as 34835; did you "
            "forget htons? (5000 swapped)");
  const INET_PORT_RANGE other{htons(6000), 10};
  EXPECT_EQ(Explain<const void*>(AcquiresBlock(5000, 10), &other),
            "which points to 6000..6009 (10 ports)");
}

TEST(ByteOrderText, ReservationOf_PointsOutABlockGrantedAtTheSwappedStart) {
  FakeSocketIoctl fake;
  const SOCKET s = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RANGE range{5000, 10};  // htons forgotten: 34835..34844 is reserved
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(fake.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                          sizeof instance, &bytes, nullptr, nullptr),
            0);
  EXPECT_EQ(
      Explain<ReservationInfo>(ReservationOf(Protocol::kTcp, 5000, 10), fake.Reservations().at(0)),
      "which is a TCP reservation of 34835..34844; StartPort 0x8813 reads as 34835; did "
      "you forget htons? (5000 swapped)");
  EXPECT_THAT(Explain<INET_PORT_RESERVATION_INSTANCE>(ReservationOf(5000, 10), instance),
              HasSubstr("did you forget htons? (5000 swapped)"));
  EXPECT_EQ(
      Explain<ReservationInfo>(ReservationOf(Protocol::kTcp, 6000, 10), fake.Reservations().at(0)),
      "which is a TCP reservation of 34835..34844");
}

}  // namespace
}  // namespace portres
