// The matchers of <portres/matchers.h>: what they accept, and how they describe themselves and
// explain a mismatch (the text a failing test shows).
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/matchers.h>

#include <sstream>
#include <string>
#include <system_error>

namespace portres {
namespace {

using ::testing::Matcher;
using ::testing::Not;

// What gMock's DescribeMatcher says, with the Matcher<T> held here rather than in gMock's
// header: a matcher too big for gMock's inline buffer (IsWsaError) lives on the heap, freed
// when an atomic reference count drops to zero. The analyzer does not follow the count and
// reports a leak (LeakSanitizer, in the asan leg, would catch a real one); only a report in
// this file can be silenced.
template <typename T, typename M>
std::string DescribeMatcher(const M& matcher, bool negation = false) {
  std::stringstream ss;
  {
    const Matcher<T> monomorphic(matcher);
    if (negation) {
      monomorphic.DescribeNegationTo(&ss);
    } else {
      monomorphic.DescribeTo(&ss);
    }
  }
  return ss.str();  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks)
}

// What gMock says after "Actual: <value>" when `matcher` rejects `value`.
template <typename T, typename M>
std::string Explain(const M& matcher, const T& value) {
  ::testing::StringMatchResultListener listener;
  ::testing::ExplainMatchResult(Matcher<const T&>(matcher), value, &listener);
  return listener.str();
}

ReservationInfo TcpReservation(std::uint16_t first, std::uint16_t count, ULONG64 token) {
  ReservationInfo reservation;
  reservation.protocol = Protocol::kTcp;
  reservation.first_port = first;
  reservation.port_count = count;
  reservation.token = token;
  reservation.owner_socket = 0x104;
  reservation.owner_pid = 1000;
  return reservation;
}

// ---- Error codes -------------------------------------------------------------------------
TEST(IsWsaError, DescribesItselfByName) {
  EXPECT_EQ(DescribeMatcher<int>(IsWsaError(WSAEINVAL)), "is WSAEINVAL (10022)");
  EXPECT_EQ(DescribeMatcher<int>(IsWsaError(WSAEINVAL), true), "is not WSAEINVAL (10022)");
}

TEST(IsWsaError, ExplainsTheActualCodeByName) {
  EXPECT_THAT(WSAEINVAL, IsWsaError(WSAEINVAL));
  EXPECT_THAT(WSAENETDOWN, Not(IsWsaError(WSAEINVAL)));
  EXPECT_EQ(Explain<int>(IsWsaError(WSAEINVAL), WSAENETDOWN), "which is WSAENETDOWN (10050)");
}

TEST(IsWsaError, MatchesAWinsockErrorCodeOnly) {
  EXPECT_THAT(make_winsock_error(WSAEINVAL), IsWsaError(WSAEINVAL));
  EXPECT_THAT(make_win32_error(WSAEINVAL), Not(IsWsaError(WSAEINVAL)));
  EXPECT_THAT(std::make_error_code(std::errc::invalid_argument), Not(IsWsaError(WSAEINVAL)));
}

TEST(LastErrorIs, NamesBothCodesWhenTheyDiffer) {
  FakeSocketIoctl fake;
  fake.WSASetLastError(WSAENETDOWN);
  EXPECT_TRUE(LastErrorIs(fake, WSAENETDOWN));
  const ::testing::AssertionResult result = LastErrorIs(fake, WSAEINVAL);
  EXPECT_FALSE(result);
  EXPECT_STREQ(result.message(), "last error is WSAENETDOWN (10050), not WSAEINVAL (10022)");
}

TEST(IsIoctlCode, DescribesAndExplainsByName) {
  EXPECT_EQ(DescribeMatcher<DWORD>(IsIoctlCode(SIO_RELEASE_PORT_RESERVATION)),
            "is SIO_RELEASE_PORT_RESERVATION");
  EXPECT_EQ(Explain<DWORD>(IsIoctlCode(SIO_RELEASE_PORT_RESERVATION), SIO_ACQUIRE_PORT_RESERVATION),
            "which is SIO_ACQUIRE_PORT_RESERVATION");
  EXPECT_THAT(DWORD{SIO_ASSOCIATE_PORT_RESERVATION}, IsIoctlCode(SIO_ASSOCIATE_PORT_RESERVATION));
}

// ---- Buffers -----------------------------------------------------------------------------
TEST(ReleasesToken, MatchesABufferHoldingTheToken) {
  INET_PORT_RESERVATION_TOKEN token{0x2a};
  INET_PORT_RESERVATION_TOKEN other{0x3b};
  EXPECT_THAT(static_cast<LPVOID>(&token), ReleasesToken(0x2a));
  EXPECT_THAT(static_cast<LPVOID>(&other), Not(ReleasesToken(0x2a)));
  EXPECT_THAT(LPVOID{nullptr}, Not(ReleasesToken(0x2a)));
}

TEST(ReleasesToken, DescribesAndExplainsTheToken) {
  INET_PORT_RESERVATION_TOKEN other{0x3b};
  EXPECT_EQ(DescribeMatcher<LPVOID>(ReleasesToken(0x2a)),
            "points to an INET_PORT_RESERVATION_TOKEN of token 0x2a");
  EXPECT_EQ(Explain<LPVOID>(ReleasesToken(0x2a), &other), "which points to token 0x3b");
  EXPECT_EQ(Explain<LPVOID>(ReleasesToken(0x2a), nullptr), "which is null");
}

TEST(AcquiresBlock, MatchesARangeInNetworkOrder) {
  INET_PORT_RANGE range{htons(5000), 20};
  EXPECT_THAT(static_cast<LPVOID>(&range), AcquiresBlock(5000, 20));
  EXPECT_THAT(static_cast<LPVOID>(&range), Not(AcquiresBlock(5000, 21)));
  EXPECT_THAT(static_cast<LPVOID>(&range), Not(AcquiresAnyBlock(20)));
}

TEST(AcquiresBlock, DescribesAndExplainsPortsNotBytes) {
  INET_PORT_RANGE range{htons(6000), 20};
  EXPECT_EQ(DescribeMatcher<LPVOID>(AcquiresBlock(5000, 20)),
            "points to an INET_PORT_RANGE of 5000..5019 (20 ports)");
  EXPECT_EQ(Explain<LPVOID>(AcquiresBlock(5000, 20), &range),
            "which points to 6000..6019 (20 ports)");
}

TEST(AcquiresAnyBlock, MatchesAWildcardOfThatSize) {
  INET_PORT_RANGE range{0, 20};
  EXPECT_THAT(static_cast<LPVOID>(&range), AcquiresAnyBlock(20));
  EXPECT_EQ(DescribeMatcher<LPVOID>(AcquiresAnyBlock(20)),
            "points to an INET_PORT_RANGE of any 20 ports");
}

// ---- Reservations ------------------------------------------------------------------------
TEST(ReservationOf, MatchesProtocolAndBlock) {
  EXPECT_THAT(TcpReservation(5000, 20, 0x2a), ReservationOf(Protocol::kTcp, 5000, 20));
  EXPECT_THAT(TcpReservation(5000, 20, 0x2a), Not(ReservationOf(Protocol::kUdp, 5000, 20)));
  EXPECT_THAT(TcpReservation(5000, 19, 0x2a), Not(ReservationOf(Protocol::kTcp, 5000, 20)));
}

TEST(ReservationOf, DescribesAndExplainsWithRanges) {
  EXPECT_EQ(DescribeMatcher<ReservationInfo>(ReservationOf(Protocol::kTcp, 5000, 20)),
            "is a TCP reservation of 5000..5019");
  EXPECT_EQ(Explain<ReservationInfo>(ReservationOf(Protocol::kTcp, 5000, 20),
                                     TcpReservation(6000, 20, 0x2a)),
            "which is a TCP reservation of 6000..6019");
}

TEST(ReservationOf, WithoutProtocol_MatchesAnInstance) {
  INET_PORT_RESERVATION_INSTANCE instance{};
  instance.Reservation.StartPort = htons(5000);
  instance.Reservation.NumberOfPorts = 20;
  EXPECT_THAT(instance, ReservationOf(5000, 20));
  EXPECT_THAT(instance, Not(ReservationOf(5001, 20)));
  EXPECT_EQ(DescribeMatcher<INET_PORT_RESERVATION_INSTANCE>(ReservationOf(5000, 20)),
            "is a reservation of 5000..5019");
}

TEST(HasToken, MatchesEveryValueThatCarriesAToken) {
  INET_PORT_RESERVATION_INSTANCE instance{};
  instance.Token.Token = 0x2a;
  SocketInfo socket;
  socket.associated_token = 0x2a;
  CallRecord record;
  record.token = 0x2a;
  EXPECT_THAT(TcpReservation(5000, 20, 0x2a), HasToken(0x2a));
  EXPECT_THAT(instance, HasToken(0x2a));
  EXPECT_THAT(INET_PORT_RESERVATION_TOKEN{0x2a}, HasToken(0x2a));
  EXPECT_THAT(socket, HasToken(0x2a));
  EXPECT_THAT(record, HasToken(0x2a));
  EXPECT_THAT(record, Not(HasToken(0x2b)));
}

TEST(HasToken, OnAReleaseOrAssociateWhoseTokenWasNotRead_MatchesNoToken) {
  for (DWORD code : {SIO_RELEASE_PORT_RESERVATION, SIO_ASSOCIATE_PORT_RESERVATION}) {
    CallRecord record;  // a null or short input buffer: arguments_read stays false
    record.call.api = Api::kWSAIoctl;
    record.call.code = code;
    EXPECT_THAT(record, Not(HasToken(0)));
    EXPECT_EQ(Explain<CallRecord>(HasToken(0), record),
              "whose token was not read (its input buffer was null or too short)");
    record.arguments_read = true;  // token 0 really passed
    EXPECT_THAT(record, HasToken(0));
  }
}

TEST(HasToken, OnAnAcquire_MatchesTheTokenGot) {
  CallRecord record;
  record.call.api = Api::kWSAIoctl;
  record.call.code = SIO_ACQUIRE_PORT_RESERVATION;
  record.arguments_read = true;
  record.token = 0x2a;
  EXPECT_THAT(record, HasToken(0x2a));
}

TEST(HasToken, DescribesAndExplainsInHex) {
  EXPECT_EQ(DescribeMatcher<ReservationInfo>(HasToken(0x2a)), "has token 0x2a");
  EXPECT_EQ(Explain<ReservationInfo>(HasToken(0x2a), TcpReservation(5000, 20, 0x3b)),
            "which has token 0x3b");
}

TEST(IsRuntime, TellsRuntimeFromPersistent) {
  ReservationInfo persistent = TcpReservation(5000, 20, 0x2a);
  persistent.kind = ReservationKind::kPersistent;
  EXPECT_THAT(TcpReservation(5000, 20, 0x2a), IsRuntime());
  EXPECT_THAT(persistent, IsPersistent());
  EXPECT_THAT(persistent, Not(IsRuntime()));
  EXPECT_EQ(DescribeMatcher<ReservationInfo>(IsRuntime()), "is a runtime reservation");
  EXPECT_EQ(Explain<ReservationInfo>(IsRuntime(), persistent), "which is persistent");
}

TEST(OwnedBySocket, DescribesTheSocket) {
  EXPECT_THAT(TcpReservation(5000, 20, 0x2a), OwnedBySocket(0x104));
  EXPECT_EQ(DescribeMatcher<ReservationInfo>(OwnedBySocket(0x108)), "is owned by socket 0x108");
  EXPECT_EQ(Explain<ReservationInfo>(OwnedBySocket(0x108), TcpReservation(5000, 20, 0x2a)),
            "which is owned by socket 0x104");
}

// ---- Call-log records --------------------------------------------------------------------
class CallRecordMatchersTest : public ::testing::Test {
 protected:
  CallRecordMatchersTest() {
    release_.call.api = Api::kWSAIoctl;
    release_.call.code = SIO_RELEASE_PORT_RESERVATION;
    release_.result = SOCKET_ERROR;
    release_.error = WSAENETDOWN;
    release_.injected = true;
  }
  CallRecord release_;
};

TEST_F(CallRecordMatchersTest, IsCallTo_AndIsIoctlCall_MatchTheApiAndCode) {
  EXPECT_THAT(release_, IsCallTo(Api::kWSAIoctl));
  EXPECT_THAT(release_, IsIoctlCall(SIO_RELEASE_PORT_RESERVATION));
  EXPECT_THAT(release_, Not(IsIoctlCall(SIO_ACQUIRE_PORT_RESERVATION)));
  EXPECT_EQ(DescribeMatcher<CallRecord>(IsIoctlCall(SIO_ACQUIRE_PORT_RESERVATION)),
            "is a call to WSAIoctl with SIO_ACQUIRE_PORT_RESERVATION");
  EXPECT_EQ(Explain<CallRecord>(IsIoctlCall(SIO_ACQUIRE_PORT_RESERVATION), release_),
            "which is a call to WSAIoctl with SIO_RELEASE_PORT_RESERVATION");
}

TEST_F(CallRecordMatchersTest, FailedWith_NamesTheErrors) {
  EXPECT_THAT(release_, FailedWith(WSAENETDOWN));
  EXPECT_EQ(DescribeMatcher<CallRecord>(FailedWith(WSAEINVAL)), "failed with WSAEINVAL (10022)");
  EXPECT_EQ(Explain<CallRecord>(FailedWith(WSAEINVAL), release_),
            "which failed with WSAENETDOWN (10050)");
}

TEST_F(CallRecordMatchersTest, Succeeded_ExplainsAFailure) {
  CallRecord success;
  EXPECT_THAT(success, Succeeded());
  EXPECT_THAT(release_, Not(Succeeded()));
  EXPECT_EQ(Explain<CallRecord>(FailedWith(WSAEINVAL), success), "which succeeded");
}

TEST_F(CallRecordMatchersTest, WasInjected_TellsInjectedFromGenuineFailures) {
  EXPECT_THAT(release_, WasInjected());
  release_.injected = false;
  EXPECT_THAT(release_, Not(WasInjected()));
}

// ---- In a failing assertion ----------------------------------------------------------------
TEST(MatcherFailureMessages, ShowNamesAndRangesNotBytes) {
  const std::vector<ReservationInfo> reservations{TcpReservation(6000, 20, 0x2a)};
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(reservations, ::testing::ElementsAre(ReservationOf(Protocol::kTcp, 5000, 20))),
      "TCP 6000..6019 token 0x2a (runtime, socket 0x104, pid 1000)");
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(WSAENETDOWN, IsWsaError(WSAEINVAL)),
                          "Expected: is WSAEINVAL (10022)\n  Actual: 10050 (of type int), "
                          "which is WSAENETDOWN (10050)");
}

}  // namespace
}  // namespace portres
