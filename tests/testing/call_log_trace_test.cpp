// ScopedCallLogTrace: a failing test also shows the fake's recent calls; a passing one nothing.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <portres/call_log_trace.h>
#include <portres/describe.h>
#include <portres/fake_socket_ioctl.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace portres {
namespace {

class CallLogTraceTest : public ::testing::Test {
 protected:
  // Two calls the trace can show: a socket, and a release that fails (injected).
  void MakeTwoCalls() {
    const SOCKET s = fake_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    fake_.Inject(Fault::Error(WSAENETDOWN).OnNextCall());
    INET_PORT_RESERVATION_TOKEN token{0x2a};
    DWORD bytes = 0;
    fake_.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0, &bytes,
                   nullptr, nullptr);
  }

  // A test body that fails inside the trace's scope.
  void FailWithTrace() {
    ScopedCallLogTrace trace(fake_);
    MakeTwoCalls();
    ADD_FAILURE() << "the code under test failed";
  }

  // A test body that passes.
  void PassWithTrace() {
    ScopedCallLogTrace trace(fake_);
    MakeTwoCalls();
  }

  FakeSocketIoctl fake_;
};

TEST_F(CallLogTraceTest, FormatCallLogTrace_ListsTheCallsUnderAHeading) {
  MakeTwoCalls();
  const std::string socket = DescribeSocketHandle(fake_.Sockets().front().handle);
  EXPECT_EQ(FormatCallLogTrace(fake_),
            "call log of pid " + std::to_string(fake_.pid()) +
                " when the test failed (2 calls in all, oldest first):\n"
                "  #0 socket() -> " +
                socket + "\n  #1 WSAIoctl(s=" + socket +
                ", SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR, WSAENETDOWN (10050) "
                "[injected]\n");
}

TEST_F(CallLogTraceTest, FormatCallLogTrace_KeepsToTheMostRecentCalls) {
  MakeTwoCalls();
  const std::string text = FormatCallLogTrace(fake_, 1);
  EXPECT_NE(text.find("(1 earlier calls not shown)"), std::string::npos) << text;
  EXPECT_EQ(text.find("#0 socket()"), std::string::npos) << text;
  EXPECT_NE(text.find("#1 WSAIoctl("), std::string::npos) << text;
}

// The trace looks at the failures the running test has recorded, which a test of the trace
// cannot intercept with EXPECT_NONFATAL_FAILURE (intercepted failures are not recorded). So a
// child process runs a failing body for real and writes what the test recorded to stderr.
void WriteRecordedFailuresToStderrAndExit() {
  const ::testing::TestResult* result =
      ::testing::UnitTest::GetInstance()->current_test_info()->result();
  for (int i = 0; i < result->total_part_count(); ++i) {
    std::fprintf(stderr, "%s\n", result->GetTestPartResult(i).message());
  }
  std::fflush(stderr);
  std::_Exit(0);
}

using CallLogTraceDeathTest = CallLogTraceTest;

TEST_F(CallLogTraceDeathTest, AFailureInsideTheScope_AddsTheCallLogToTheOutput) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        FailWithTrace();
        WriteRecordedFailuresToStderrAndExit();
      },
      ::testing::ExitedWithCode(0),
      "SIO_RELEASE_PORT_RESERVATION, token 0x2a. -> SOCKET_ERROR, WSAENETDOWN .10050. .injected.");
}

TEST_F(CallLogTraceTest, APassingScope_AddsNothing) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    PassWithTrace();
  }
  EXPECT_EQ(results.size(), 0);
}

}  // namespace
}  // namespace portres
