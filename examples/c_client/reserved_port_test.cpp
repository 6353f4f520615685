// reserved_port's tests in C++: the unchanged C library on the fake through portres::ScopedSeam,
// and a fault sweep over every call it makes.
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/fault_sweep.h>
#include <portres/seam.h>

#if defined(_WIN32)
#include <portres/winsock_environment.h>
#endif

#include <vector>

#include "reserved_port.h"

namespace {

TEST(ReservedPort, OnTheFake_BindsInsideTheBlockItReserved) {
  portres::FakeSocketIoctl fake;
  const portres::ScopedSeam seam(fake);

  rp_endpoint endpoint{};
  ASSERT_EQ(rp_startup(), 0);
  ASSERT_EQ(rp_open(8, &endpoint), 0);
  const std::vector<portres::ReservationInfo> reservations = fake.host().Reservations();
  ASSERT_EQ(reservations.size(), 1u);
  EXPECT_EQ(reservations[0].owner_socket, endpoint.owner);
  EXPECT_EQ(reservations[0].first_port, endpoint.first_port);
  EXPECT_GE(endpoint.port, endpoint.first_port);
  EXPECT_LT(endpoint.port, endpoint.first_port + 8);

  EXPECT_EQ(rp_close(&endpoint), 0);
  EXPECT_EQ(fake.host().ReservationCount(), 0u);
  EXPECT_EQ(fake.host().SocketCount(), 0u);
  rp_cleanup();
}

TEST(ReservedPort, NoBlockLeft_ReportsTheAcquireErrorAndClosesItsSocket) {
  portres::FakeHostOptions options;  // a dynamic range too small for the block
  options.dynamic_first_port = 60000;
  options.dynamic_last_port = 60003;
  portres::FakeSocketIoctl fake(options);
  const portres::ScopedSeam seam(fake);

  rp_endpoint endpoint{};
  EXPECT_EQ(rp_open(8, &endpoint), WSAENOBUFS);  // [ref:acquire] no room for a wildcard block
  EXPECT_EQ(fake.host().SocketCount(), 0u);
}

TEST(ReservedPort, PersistsThroughTheFakesHostWhenNoHelperIsGiven) {
  portres::FakeSocketIoctl fake;
  const portres::ScopedSeam seam(fake);  // iphlpapi calls go to a FakeIpHelper on fake's host

  ULONG64 token = 0;
  ASSERT_EQ(rp_persist(50000, 10, &token), static_cast<ULONG>(NO_ERROR));
  ULONG64 again = 0;
  EXPECT_EQ(rp_persist(50000, 10, &again), static_cast<ULONG>(NO_ERROR));
  EXPECT_EQ(again, token);
  EXPECT_EQ(fake.host().ReservationCount(), 1u);
  EXPECT_EQ(rp_unpersist(50000, 10), static_cast<ULONG>(NO_ERROR));
  EXPECT_EQ(fake.host().ReservationCount(), 0u);
}

// The sweep hands the scenario an api (the fake, or a fake with a fault armed); the scenario
// installs a seam on it and runs the unchanged C code, which is all the sweep needs.
void OpenAndClose(portres::ISocketIoctl& api) {
  const portres::ScopedSeam seam(api);
  rp_endpoint endpoint{};
  if (rp_open(4, &endpoint) == 0) rp_close(&endpoint);
}

TEST(ReservedPortSweep, EveryDocumentedErrorAtEveryCall_LeavesNothing) {
  const portres::SweepResult result = portres::RunFaultSweep(OpenAndClose);
  EXPECT_TRUE(result.ok()) << result.Report();
  // socket, acquire, socket, associate, bind, getsockname, release, closesocket x2: with their
  // documented errors (13, 8, 13, 9, 10, 6, 8, 6, 6) and the recording run.
  EXPECT_EQ(result.recorded_calls.size(), 9u);
  EXPECT_EQ(result.runs, 80u);
}

// The sweep sees through the seam: a caller that forgets rp_close leaks on the happy path.
void ForgetsToClose(portres::ISocketIoctl& api) {
  const portres::ScopedSeam seam(api);
  rp_endpoint endpoint{};
  rp_open(4, &endpoint);
}

TEST(ReservedPortSweep, ACallerThatForgetsToClose_IsReportedWithItsSockets) {
  const portres::SweepResult result = portres::RunFaultSweep(ForgetsToClose);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.failures.front().leaked_sockets.size(), 2u) << result.Report();
}

#if defined(_WIN32)
// The same sources with nothing installed reach the real Winsock: under Wine, which answers
// WSAEOPNOTSUPP to the reservation IOCTLs [ref:wine], the acquire fails and rp_open says so.
TEST(ReservedPortOnWine, WithoutASeam_TheAcquireAnswersWsaeopnotsupp) {
  if (portres::WineVersion() == nullptr)
    GTEST_SKIP() << "Windows itself: the answer is the machine's";
  ASSERT_EQ(rp_startup(), 0);
  rp_endpoint endpoint{};
  EXPECT_EQ(rp_open(8, &endpoint), WSAEOPNOTSUPP);
  rp_cleanup();
}
#endif

}  // namespace
