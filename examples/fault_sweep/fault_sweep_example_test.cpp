// The fault sweep on a realistic client: the correct probe survives every documented error at
// every call; the leaky one is caught, and the failure names the call and the error.
//
// main() registers the correct probe's sweep as one test per (call, error) pair, so ctest lists
// ProbeReservedPortSweep.call3_WSAIoctl_SIO_ASSOCIATE_PORT_RESERVATION_WSAENETDOWN and the rest.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault_sweep.h>

#include <algorithm>
#include <string>

#include "reserved_port_probe.h"

namespace {

using portres::Api;
using portres::ISocketIoctl;
using portres::RunFaultSweep;
using portres::SweepOptions;
using portres::SweepResult;
using portres::SweepRun;

constexpr std::uint16_t kBlockSize = 4;

void CorrectProbe(ISocketIoctl& api) { example::ProbeReservedPort(api, kBlockSize); }
void LeakyProbe(ISocketIoctl& api) { example::ProbeReservedPortLeaky(api, kBlockSize); }

// The probe's calls, by index, on the happy path.
constexpr std::uint64_t kAssociateCall = 3;
constexpr std::uint64_t kGetSockNameCall = 5;

std::vector<std::uint64_t> FailingCalls(const SweepResult& result) {
  std::vector<std::uint64_t> calls;
  for (const SweepRun& run : result.failures) calls.push_back(run.injection.call_index);
  calls.erase(std::unique(calls.begin(), calls.end()), calls.end());
  return calls;
}

TEST(ProbeReservedPort, OnTheFake_BindsAPortOfTheBlockAndLeavesNothing) {
  portres::FakeSocketIoctl fake;
  const example::ProbeResult result = example::ProbeReservedPort(fake, kBlockSize);
  EXPECT_EQ(result.error, 0);
  EXPECT_EQ(result.block_count, kBlockSize);
  EXPECT_GE(result.bound_port, result.block_first);
  EXPECT_LT(result.bound_port, result.block_first + kBlockSize);
  EXPECT_EQ(fake.host().SocketCount(), 0u);
  EXPECT_EQ(fake.host().ReservationCount(), 0u);
}

TEST(FaultSweepExample, CorrectProbe_IsCleanUnderEveryDocumentedErrorAtEveryCall) {
  const SweepResult result = RunFaultSweep(CorrectProbe);
  EXPECT_TRUE(result.ok()) << result.Report();
  ASSERT_EQ(result.recorded_calls.size(), 9u);
  // socket 13, acquire 8, socket 13, associate 9, bind 10, getsockname 6, release 8,
  // closesocket 6 + 6 documented errors, and the recording run.
  EXPECT_EQ(result.runs, 80u);
}

TEST(FaultSweepExample, LeakyProbe_FailsExactlyWhereAssociateOrGetsocknameFails) {
  const SweepResult result = RunFaultSweep(LeakyProbe);
  EXPECT_EQ(FailingCalls(result), (std::vector<std::uint64_t>{kAssociateCall, kGetSockNameCall}));
  EXPECT_EQ(result.failures.size(), 9u + 6u);  // every documented error of those two calls
}

TEST(FaultSweepExample, LeakyProbe_ReportNamesTheCallTheErrorAndTheLeakedSocket) {
  const SweepResult result = RunFaultSweep(LeakyProbe);
  auto associate_netdown =
      std::find_if(result.failures.begin(), result.failures.end(), [](const SweepRun& run) {
        return run.injection.call_index == kAssociateCall && run.injection.error == WSAENETDOWN;
      });
  ASSERT_NE(associate_netdown, result.failures.end());
  const std::string report = associate_netdown->Report();
  EXPECT_NE(report.find("call 3 WSAIoctl(SIO_ASSOCIATE_PORT_RESERVATION) failing with "
                        "WSAENETDOWN (10050)"),
            std::string::npos)
      << report;
  ASSERT_EQ(associate_netdown->leaked_sockets.size(), 1u) << report;
  EXPECT_TRUE(associate_netdown->leaked_reservations.empty()) << report;
  EXPECT_NE(report.find("leaked socket"), std::string::npos) << report;
  EXPECT_NE(report.find("[injected]"), std::string::npos) << report;  // the call log is there
}

TEST(FaultSweepExample, LeakyProbe_WhenGetsocknameFails_LeaksTheBlockWithItsSocket) {
  const SweepResult result = RunFaultSweep(LeakyProbe, SweepOptions().OnlyCalls(Api::kGetSockName));
  ASSERT_EQ(result.failures.size(), 6u) << result.Report();
  for (const SweepRun& run : result.failures) {
    EXPECT_EQ(run.leaked_sockets.size(), 2u);
    ASSERT_EQ(run.leaked_reservations.size(), 1u);
    EXPECT_EQ(run.leaked_reservations[0].port_count, kBlockSize);
    EXPECT_NE(run.Report().find("leaked reservation UDP "), std::string::npos) << run.Report();
  }
}

TEST(FaultSweepExample, LeakyProbe_AssertionAddsOneReadableFailurePerFinding) {
  EXPECT_NONFATAL_FAILURE(
      EXPECT_NO_LEAKS_UNDER_FAULTS(LeakyProbe,
                                   SweepOptions()
                                       .OnlyCalls(Api::kWSAIoctl, SIO_ASSOCIATE_PORT_RESERVATION)
                                       .OnlyErrors({WSAENETDOWN})),
      "call 3 WSAIoctl(SIO_ASSOCIATE_PORT_RESERVATION) failing with WSAENETDOWN (10050)");

  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter capture(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    EXPECT_NO_LEAKS_UNDER_FAULTS(LeakyProbe);
  }
  // 15 leaking runs, one finding per call that leaks (each listing its errors).
  EXPECT_EQ(failures.size(), 2) << (failures.size() > 0 ? failures.GetTestPartResult(0).message()
                                                        : "");
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  portres::RegisterFaultSweep("ProbeReservedPortSweep", CorrectProbe, SweepOptions(), __FILE__,
                              __LINE__);
  return RUN_ALL_TESTS();
}
