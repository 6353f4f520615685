// <portres/call_log_trace.h>: when a test fails, show what the code under test asked of
// Winsock.
//
//   portres::FakeSocketIoctl fake;
//   portres::ScopedCallLogTrace trace(fake);
//   EXPECT_TRUE(UnderTest(fake));  // on failure the test output also lists the fake's calls:
//
//   call log of pid 1000 when the test failed (oldest first):
//     #0 socket() -> 0x100
//     #1 WSAIoctl(s=0x100, SIO_ACQUIRE_PORT_RESERVATION, 5000..5019 (20 ports)) -> 0,
//        5000..5019 token 0x2a
//     #2 WSAIoctl(s=0x100, SIO_RELEASE_PORT_RESERVATION, token 0x2a) -> SOCKET_ERROR,
//        WSAENETDOWN (10050) [injected]
//
// GoogleTest's SCOPED_TRACE fixes its text when it is created; the call log is only known at
// the end. So the trace looks when it goes out of scope: if the test recorded a failure while
// it was alive, it adds one more (non-fatal) failure, at the line that created it, whose
// message is the log. A test that passes prints nothing.
#ifndef PORTRES_CALL_LOG_TRACE_H
#define PORTRES_CALL_LOG_TRACE_H

#include <portres/caller_location.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/gmock_export.h>

#include <cstddef>
#include <string>

namespace portres {

// The trace's message: a heading line, then the most recent `max_calls` calls of `fake`.
PORTRES_GMOCK_API std::string FormatCallLogTrace(const FakeSocketIoctl& fake,
                                                 std::size_t max_calls = 32);

// Adds the fake's recent calls to the test's output when the test fails within its scope.
class PORTRES_GMOCK_API ScopedCallLogTrace {
 public:
  // The fake must outlive the trace (declare the trace after it).
  explicit ScopedCallLogTrace(const FakeSocketIoctl& fake, std::size_t max_calls = 32,
                              const char* file = PORTRES_CALLER_FILE,
                              int line = PORTRES_CALLER_LINE);
  ~ScopedCallLogTrace();
  ScopedCallLogTrace(const ScopedCallLogTrace&) = delete;
  ScopedCallLogTrace& operator=(const ScopedCallLogTrace&) = delete;

 private:
  const FakeSocketIoctl& fake_;
  std::size_t max_calls_;
  const char* file_;
  int line_;
  int failures_at_start_;
};

}  // namespace portres

#endif  // PORTRES_CALL_LOG_TRACE_H
