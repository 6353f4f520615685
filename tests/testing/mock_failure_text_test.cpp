// What gMock prints about MockSocketIoctl's calls speaks Winsock: IOCTL codes and errors by
// name, in the expectations it describes and in the arguments it dumps, however the test wrote
// the expectation (a raw DWORD, Eq, IsIoctlCode, a Matcher<DWORD>, _).
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <portres/matchers.h>
#include <portres/mock_ip_helper.h>
#include <portres/mock_socket_ioctl.h>

#include <memory>
#include <string>

namespace portres {
namespace {

using ::testing::_;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Matcher;
using ::testing::StrictMock;

// Every failure `scenario` reports, message after message: a scenario may report several (an
// unexpected call, then the expectation it left unmet), which EXPECT_NONFATAL_FAILURE refuses.
std::string FailuresOf(void (*scenario)()) {
  ::testing::TestPartResultArray results;
  {
    const ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    scenario();
  }
  std::string text;
  for (int i = 0; i < results.size(); ++i) text += results.GetTestPartResult(i).message();
  return text;
}

int AcquireFivePorts(ISocketIoctl& api, SOCKET s) {
  INET_PORT_RANGE range{htons(5000), 5};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  return api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                      sizeof instance, &bytes, nullptr, nullptr);
}

// An expectation on the release, a call of the acquire: gMock describes the one and dumps the
// other.
void AcquireWhereAReleaseIsExpected() {
  StrictMock<MockSocketIoctl> mock(kCannedOnly);
  EXPECT_CALL(mock, WSAIoctl(_, SIO_RELEASE_PORT_RESERVATION, _, _, _, _, _, _, _));
  AcquireFivePorts(mock, 0x108);
  ::testing::Mock::VerifyAndClearExpectations(&mock);
}

TEST(MockFailureText, ARawDwordExpectation_IsDescribedByName) {
  EXPECT_THAT(FailuresOf(AcquireWhereAReleaseIsExpected),
              HasSubstr("Expected arg #1: is equal to SIO_RELEASE_PORT_RESERVATION (0x98000065)\n"
                        "           Actual: SIO_ACQUIRE_PORT_RESERVATION (0x98000064)"));
}

TEST(MockFailureText, TheArgumentDump_NamesTheCode) {
  EXPECT_THAT(
      FailuresOf(AcquireWhereAReleaseIsExpected),
      HasSubstr("Function call: WSAIoctl(264, SIO_ACQUIRE_PORT_RESERVATION (0x98000064), "));
}

void AcquireWhereEqOfAReleaseIsExpected() {
  StrictMock<MockSocketIoctl> mock(kCannedOnly);
  EXPECT_CALL(mock, WSAIoctl(_, Eq(SIO_RELEASE_PORT_RESERVATION), _, _, _, _, _, _, _));
  AcquireFivePorts(mock, 0x108);
  ::testing::Mock::VerifyAndClearExpectations(&mock);
}

TEST(MockFailureText, AnEqExpectation_IsDescribedByName) {
  EXPECT_THAT(FailuresOf(AcquireWhereEqOfAReleaseIsExpected),
              HasSubstr("Expected arg #1: is equal to SIO_RELEASE_PORT_RESERVATION (0x98000065)"));
}

void AcquireWhereAMatcherOfDwordExpectsARelease() {
  StrictMock<MockSocketIoctl> mock(kCannedOnly);
  const Matcher<DWORD> release = DWORD{SIO_RELEASE_PORT_RESERVATION};
  EXPECT_CALL(mock, WSAIoctl(_, release, _, _, _, _, _, _, _));
  AcquireFivePorts(mock, 0x108);
  ::testing::Mock::VerifyAndClearExpectations(&mock);
}

TEST(MockFailureText, AMatcherOfDword_IsAcceptedAndDescribedByName) {
  EXPECT_THAT(FailuresOf(AcquireWhereAMatcherOfDwordExpectsARelease),
              HasSubstr("Expected arg #1: is equal to SIO_RELEASE_PORT_RESERVATION (0x98000065)"));
}

TEST(MockFailureText, EveryFormOfExpectation_StillMatchesItsCall) {
  StrictMock<MockSocketIoctl> mock;
  const SOCKET s = mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  EXPECT_CALL(mock, WSAIoctl(_, SIO_ACQUIRE_PORT_RESERVATION, _, _, _, _, _, _, _))
      .RetiresOnSaturation();
  EXPECT_CALL(mock, WSAIoctl(_, Eq(SIO_ACQUIRE_PORT_RESERVATION), _, _, _, _, _, _, _))
      .RetiresOnSaturation();
  EXPECT_CALL(mock, WSAIoctl(_, IsIoctlCode(SIO_ACQUIRE_PORT_RESERVATION), _, _, _, _, _, _, _))
      .RetiresOnSaturation();
  EXPECT_CALL(mock, WSAIoctl(_, Matcher<DWORD>(SIO_ACQUIRE_PORT_RESERVATION), _, _, _, _, _, _, _))
      .RetiresOnSaturation();
  EXPECT_CALL(mock, WSAIoctl(_, ::testing::A<DWORD>(), _, _, _, _, _, _, _)).RetiresOnSaturation();
  EXPECT_CALL(mock, WSAIoctl(_, _, _, _, _, _, _, _, _)).RetiresOnSaturation();
  // The newest matching expectation takes each call and retires: six calls, one for each.
  for (int i = 0; i < 6; ++i) AcquireFivePorts(mock, s);
  ::testing::Mock::VerifyAndClearExpectations(&mock);
}

TEST(MockFailureText, AnActionTakingADword_StillReceivesTheCode) {
  ::testing::NiceMock<MockSocketIoctl> mock;
  DWORD seen = 0;
  EXPECT_CALL(mock, WSAIoctl)
      .WillOnce([&](SOCKET, DWORD code, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPWSAOVERLAPPED,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE) {
        seen = code;
        return SOCKET_ERROR;
      });
  EXPECT_EQ(AcquireFivePorts(mock, 0x108), SOCKET_ERROR);
  EXPECT_EQ(seen, DWORD{SIO_ACQUIRE_PORT_RESERVATION});
}

// The last error set where the expectation wants another.
void SetAnotherLastError() {
  StrictMock<MockSocketIoctl> mock(kCannedOnly);
  EXPECT_CALL(mock, WSASetLastError(WSAEADDRINUSE));
  mock.WSASetLastError(WSAEINVAL);
  ::testing::Mock::VerifyAndClearExpectations(&mock);
}

TEST(MockFailureText, TheLastErrorSet_IsNamed) {
  EXPECT_THAT(FailuresOf(SetAnotherLastError),
              HasSubstr("Expected arg #0: is equal to WSAEADDRINUSE (10048)\n"
                        "           Actual: WSAEINVAL (10022)"));
}

// The last error read where no expectation allows it.
void ReadTheLastErrorUnexpectedly() {
  StrictMock<MockSocketIoctl> mock(kCannedOnly);
  ON_CALL(mock, WSAGetLastError).WillByDefault(::testing::Return(WSAEINVAL));
  EXPECT_CALL(mock, WSAGetLastError()).Times(0);
  EXPECT_EQ(mock.WSAGetLastError(), WSAEINVAL);
  ::testing::Mock::VerifyAndClearExpectations(&mock);
}

TEST(MockFailureText, TheLastErrorReturned_IsNamed) {
  EXPECT_THAT(FailuresOf(ReadTheLastErrorUnexpectedly),
              HasSubstr("Function call: WSAGetLastError()\n          Returns: WSAEINVAL (10022)"));
}

// An iphlpapi result where no expectation allows the call.
void DeleteUnexpectedly() {
  MockIpHelper helper(std::make_shared<FakeHost>());
  EXPECT_CALL(helper, DeletePersistentTcpPortReservation).Times(0);
  EXPECT_EQ(helper.DeletePersistentTcpPortReservation(htons(5000), 20), ULONG{ERROR_NOT_FOUND});
  ::testing::Mock::VerifyAndClearExpectations(&helper);
}

TEST(MockFailureText, AnIpHelperResult_IsNamed) {
  EXPECT_THAT(FailuresOf(DeleteUnexpectedly),
              HasSubstr("Function call: DeletePersistentTcpPortReservation(34835, 20)\n"
                        "          Returns: ERROR_NOT_FOUND (1168)"));
}

// A Fault misused through the mocks is reported at the line of the test that wrote it.
int misuse_line = 0;

void RecordFailures(void (*scenario)(), ::testing::TestPartResultArray* results) {
  const ::testing::ScopedFakeTestPartResultReporter reporter(
      ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, results);
  try {
    scenario();
  } catch (const ::testing::AssertionException&) {  // a fatal failure, reported already
  }
}

void FailWithNoError() {
  MockSocketIoctl mock;
  misuse_line = __LINE__ + 1;
  static_cast<void>(mock.FailWith(0));
}

void FailWithSocketErrorOnAFake() {
  FakeSocketIoctl fake;
  misuse_line = __LINE__ + 1;
  static_cast<void>(FailWith(fake, SOCKET_ERROR));
}

void FailWithNoErrorOnTheIpHelperMock() {
  MockIpHelper helper(std::make_shared<FakeHost>());
  misuse_line = __LINE__ + 1;
  static_cast<void>(helper.FailWith(NO_ERROR));
}

void ExpectOneFatalFailureAtTheMisuse(void (*scenario)(), const char* what) {
  ::testing::TestPartResultArray results;
  RecordFailures(scenario, &results);
  ASSERT_EQ(results.size(), 1);
  const ::testing::TestPartResult& result = results.GetTestPartResult(0);
  EXPECT_TRUE(result.fatally_failed());
  EXPECT_THAT(result.file_name(), ::testing::EndsWith("mock_failure_text_test.cpp"));
  EXPECT_EQ(result.line_number(), misuse_line);
  EXPECT_THAT(result.message(), HasSubstr(what));
}

TEST(FaultMisuseLocation, MockFailWith_IsReportedAtTheTestsLine) {
  ExpectOneFatalFailureAtTheMisuse(FailWithNoError, "portres::Fault::Error(0)");
}

TEST(FaultMisuseLocation, FailWithOnAFake_IsReportedAtTheTestsLine) {
  ExpectOneFatalFailureAtTheMisuse(FailWithSocketErrorOnAFake, "-1 is SOCKET_ERROR");
}

TEST(FaultMisuseLocation, IpHelperMockFailWith_IsReportedAtTheTestsLine) {
  ExpectOneFatalFailureAtTheMisuse(FailWithNoErrorOnTheIpHelperMock, "portres::Fault::Error(0)");
}

}  // namespace
}  // namespace portres
