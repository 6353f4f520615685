// ScopedCallLogTrace: counts the current test's failures at both ends of its scope.
#include <gtest/gtest.h>
#include <portres/call_log_trace.h>
#include <portres/describe.h>

namespace portres {
namespace {

// How many failures the running test has recorded so far (0 outside a test).
int FailureCount() {
  const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
  if (test == nullptr) return 0;
  const testing::TestResult* result = test->result();
  int failures = 0;
  for (int i = 0; i < result->total_part_count(); ++i) {
    if (result->GetTestPartResult(i).failed()) ++failures;
  }
  return failures;
}

}  // namespace

std::string FormatCallLogTrace(const FakeSocketIoctl& fake, std::size_t max_calls) {
  return "call log of pid " + std::to_string(fake.pid()) + " when the test failed (" +
         std::to_string(fake.CallCount()) + " calls in all, oldest first):\n" +
         DescribeCallLog(fake.CallLog(), max_calls);
}

ScopedCallLogTrace::ScopedCallLogTrace(const FakeSocketIoctl& fake, std::size_t max_calls,
                                       const char* file, int line)
    : fake_(fake),
      max_calls_(max_calls),
      file_(file),
      line_(line),
      failures_at_start_(FailureCount()) {}

ScopedCallLogTrace::~ScopedCallLogTrace() {
  if (FailureCount() == failures_at_start_) return;
  ADD_FAILURE_AT(file_, line_) << FormatCallLogTrace(fake_, max_calls_);
}

}  // namespace portres
