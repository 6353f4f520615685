// docs/cookbook.md's recipes, compiled and run: if this file needs a change, so does the
// cookbook. Each recipe sits between "// [recipe: name]" and "// [end]".
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/call_log_trace.h>
#include <portres/fake_host.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/fault_sweep.h>
#include <portres/leak_check.h>
#include <portres/matchers.h>
#include <portres/mock_ip_helper.h>
#include <portres/mock_socket_ioctl.h>
#include <portres/port_reservation.h>
#include <portres/winsock_error.h>

#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "reserved_endpoint.h"

namespace {

using example::CloseReservedEndpoint;
using example::OpenReservedEndpoint;
using example::ReservedEndpoint;

// [recipe: happy path]
TEST(OpenReservedEndpoint, BindsInsideTheBlockItReserved) {
  portres::FakeSocketIoctl api;
  ReservedEndpoint endpoint;
  ASSERT_EQ(OpenReservedEndpoint(api, 8, &endpoint), 0);

  auto reservations = api.host().Reservations();
  ASSERT_EQ(reservations.size(), 1u);
  EXPECT_EQ(reservations[0].port_count, 8);
  EXPECT_EQ(reservations[0].owner_socket, endpoint.owner);
  EXPECT_GE(endpoint.port, reservations[0].first_port);
  EXPECT_LT(endpoint.port, reservations[0].first_port + 8);

  CloseReservedEndpoint(api, endpoint);
  EXPECT_EQ(api.host().ReservationCount(), 0u);
  EXPECT_EQ(api.host().SocketCount(), 0u);
}
// [end]

// [recipe: inject an error]
TEST(OpenReservedEndpoint, BindFails_ReturnsTheErrorAndLeavesNothing) {
  portres::FakeSocketIoctl api;
  api.Inject(portres::Fault::Error(WSAENOBUFS).When(portres::IsApi(portres::Api::kBind)));
  ReservedEndpoint endpoint;
  EXPECT_EQ(OpenReservedEndpoint(api, 8, &endpoint), WSAENOBUFS);
  EXPECT_EQ(api.host().ReservationCount(), 0u);
  EXPECT_EQ(api.host().SocketCount(), 0u);
}
// [end]

// [recipe: release on error]
TEST(OpenReservedEndpoint, AssociateFails_ReleasesTheBlockAndClosesBothSockets) {
  portres::FakeSocketIoctl api;
  portres::LeakCheck leak_check(api);  // fails the test if anything is left at the end
  api.Inject(
      portres::Fault::Error(WSAENETDOWN).When(portres::IsIoctl(SIO_ASSOCIATE_PORT_RESERVATION)));

  ReservedEndpoint endpoint;
  EXPECT_EQ(OpenReservedEndpoint(api, 8, &endpoint), WSAENETDOWN);
  // Released explicitly, not just dropped with its socket:
  EXPECT_THAT(api.CallLog(),
              testing::Contains(testing::AllOf(portres::IsIoctlCall(SIO_RELEASE_PORT_RESERVATION),
                                               portres::Succeeded())));
}
// [end]

// [recipe: release fails too]
TEST(OpenReservedEndpoint, AssociateAndReleaseFail_ClosingTheOwnerStillEndsTheBlock) {
  portres::FakeSocketIoctl api;
  api.Inject(
      portres::Fault::Error(WSAENETDOWN).When(portres::IsIoctl(SIO_ASSOCIATE_PORT_RESERVATION)));
  api.Inject(
      portres::Fault::Error(WSAENETDOWN).When(portres::IsIoctl(SIO_RELEASE_PORT_RESERVATION)));
  ReservedEndpoint endpoint;
  EXPECT_EQ(OpenReservedEndpoint(api, 8, &endpoint), WSAENETDOWN);
  EXPECT_TRUE(portres::HasNoLeaks(api));
}
// [end]

// [recipe: mock one call, delegating from construction]
TEST(OpenReservedEndpoint, WithTheMockAsConstructed_PortTakenAtBind_ReturnsWsaeaddrinuse) {
  testing::NiceMock<portres::MockSocketIoctl> api;  // every other call behaves like Windows
  EXPECT_CALL(api, bind(testing::_, testing::_, testing::_)).WillOnce(api.FailWith(WSAEADDRINUSE));

  ReservedEndpoint endpoint;
  EXPECT_EQ(OpenReservedEndpoint(api, 8, &endpoint), WSAEADDRINUSE);
  EXPECT_TRUE(portres::HasNoLeaks(api));
}
// [end]

// [recipe: sweep]
// The scenario hands back the sockets its caller would own: the sweep closes those itself, and
// reports anything else left open or reserved.
std::vector<SOCKET> OpenEndpoint(portres::ISocketIoctl& api) {
  ReservedEndpoint endpoint;
  if (OpenReservedEndpoint(api, 8, &endpoint) != 0) return {};
  return {endpoint.bound, endpoint.owner};
}

TEST(OpenReservedEndpoint, LeavesNothingBehindUnderAnyDocumentedError) {
  EXPECT_NO_LEAKS_UNDER_FAULTS(OpenEndpoint);
}
// [end]

// [recipe: sweep options]
TEST(OpenReservedEndpoint, ReturnsTheErrorOfTheReservationCallThatFailed) {
  int returned = 0;
  portres::SweepOptions options;
  options
      .OnlyCalls(portres::Api::kWSAIoctl)  // the IOCTLs only, every documented error
      .AddCheck([&returned](portres::FakeSocketIoctl&, const portres::SweepInjection& run) {
        if (run.effect != portres::SweepEffect::kError || returned == run.error) {
          return std::string();
        }
        return "returned " + portres::DescribeError(returned) + " instead";
      });
  const portres::SweepResult result = EXPECT_NO_LEAKS_UNDER_FAULTS(
      [&returned](portres::ISocketIoctl& api) {
        ReservedEndpoint endpoint;
        returned = OpenReservedEndpoint(api, 8, &endpoint);
        return returned == 0 ? std::vector<SOCKET>{endpoint.bound, endpoint.owner}
                             : std::vector<SOCKET>{};
      },
      options);
  EXPECT_EQ(result.runs, 1 + 8 + 9);  // the recording run, acquire's 8 errors, associate's 9
}
// [end]

// [recipe: cleanup hook]
TEST(OpenReservedEndpoint, SweepWithACleanupHook) {
  ReservedEndpoint kept;  // what the scenario keeps, for the hook to close
  portres::SweepOptions options;
  options.WithCleanup([&kept](portres::ISocketIoctl& api, portres::FakeSocketIoctl&) {
    if (kept.owner != INVALID_SOCKET) CloseReservedEndpoint(api, kept);
    kept = ReservedEndpoint();
  });
  EXPECT_NO_LEAKS_UNDER_FAULTS(
      [&kept](portres::ISocketIoctl& api) { OpenReservedEndpoint(api, 8, &kept); }, options);
}
// [end]

// [recipe: two processes]
TEST(TwoProcesses, AnotherProcessHoldsTheBlock_RefusesTheOverlapAndSaysWhose) {
  auto host = std::make_shared<portres::FakeHost>();  // one machine...
  portres::FakeSocketIoctl service(host);             // ...two processes on it
  portres::FakeSocketIoctl other(host);

  const SOCKET theirs = other.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RANGE their_range{htons(5010), 20};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(other.WSAIoctl(theirs, SIO_ACQUIRE_PORT_RESERVATION, &their_range, sizeof their_range,
                           &instance, sizeof instance, &bytes, nullptr, nullptr),
            0);

  const SOCKET ours = service.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RANGE our_range{htons(5000), 20};  // 5000..5019 overlaps 5010..5029
  EXPECT_EQ(service.WSAIoctl(ours, SIO_ACQUIRE_PORT_RESERVATION, &our_range, sizeof our_range,
                             &instance, sizeof instance, &bytes, nullptr, nullptr),
            SOCKET_ERROR);
  EXPECT_EQ(service.WSAGetLastError(), WSAEADDRINUSE);
  // Windows says only WSAEADDRINUSE; the fake also says why, for the test's failure message:
  ASSERT_TRUE(service.LastFailure().has_value());
  EXPECT_THAT(service.LastFailure()->reason,
              testing::HasSubstr("pid " + std::to_string(other.pid())));

  other.closesocket(theirs);  // its block ends with the socket that acquired it
  EXPECT_EQ(service.WSAIoctl(ours, SIO_ACQUIRE_PORT_RESERVATION, &our_range, sizeof our_range,
                             &instance, sizeof instance, &bytes, nullptr, nullptr),
            0);
  service.closesocket(ours);
}
// [end]

// [recipe: typed layer]
TEST(TypedLayer, TheReservationEndsWithItsScopeAndErrorsCompareWithErrc) {
  portres::FakeSocketIoctl api;
  std::error_code ec;
  {
    portres::UniqueSocket socket = portres::OpenSocket(api, AF_INET, SOCK_DGRAM, IPPROTO_UDP, ec);
    ASSERT_FALSE(ec) << ec.message();
    portres::PortReservation block =
        portres::AcquirePortReservation(api, socket.get(), portres::PortBlock::Any(8), ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(block.block().port_count, 8);
    EXPECT_EQ(api.host().ReservationCount(), 1u);
  }  // released, then closed
  EXPECT_EQ(api.host().ReservationCount(), 0u);
  EXPECT_EQ(api.host().SocketCount(), 0u);

  api.Inject(
      portres::Fault::Error(WSAEADDRINUSE).When(portres::IsIoctl(SIO_ACQUIRE_PORT_RESERVATION)));
  portres::UniqueSocket socket = portres::OpenSocket(api, AF_INET, SOCK_DGRAM, IPPROTO_UDP, ec);
  portres::PortReservation none =
      portres::AcquirePortReservation(api, socket.get(), portres::PortBlock{5000, 20}, ec);
  EXPECT_FALSE(none);
  EXPECT_EQ(ec.value(), WSAEADDRINUSE);      // the Winsock code, as WSAGetLastError()
  EXPECT_EQ(ec, std::errc::address_in_use);  // and the portable condition
}
// [end]

// [recipe: call log trace]
TEST(OpenReservedEndpoint, WithACallLogTrace_AFailureShowsTheCalls) {
  portres::FakeSocketIoctl api;
  portres::ScopedCallLogTrace trace(api);  // on failure, adds the fake's recent calls
  ReservedEndpoint endpoint;
  ASSERT_EQ(OpenReservedEndpoint(api, 8, &endpoint), 0);
  CloseReservedEndpoint(api, endpoint);
  EXPECT_EQ(api.host().ReservationCount(), 0u);
}
// [end]

// [recipe: persistent reservations]
TEST(PersistentReservation, DeleteRefused_TheReservationStays) {
  auto host = std::make_shared<portres::FakeHost>();
  portres::FakeIpHelper helper(host);  // an elevated process by default
  ULONG64 token = 0;
  ASSERT_EQ(helper.CreatePersistentTcpPortReservation(htons(5000), 20, &token),
            static_cast<ULONG>(NO_ERROR));

  helper.Inject(portres::Fault::Error(ERROR_ACCESS_DENIED)
                    .When(portres::IsApi(portres::Api::kDeletePersistentTcpPortReservation)));
  EXPECT_EQ(helper.DeletePersistentTcpPortReservation(htons(5000), 20),
            static_cast<ULONG>(ERROR_ACCESS_DENIED));
  EXPECT_FALSE(portres::HasNoLeaks(helper));  // still there: a failed call changes nothing

  helper.ClearFaults();
  EXPECT_EQ(helper.DeletePersistentTcpPortReservation(htons(5000), 20),
            static_cast<ULONG>(NO_ERROR));
  EXPECT_TRUE(portres::HasNoLeaks(helper));
}

TEST(PersistentReservation, WithTheMock_CreateRefusedOnce) {
  auto host = std::make_shared<portres::FakeHost>();
  testing::NiceMock<portres::MockIpHelper> helper(host);  // every other call goes to the fake
  EXPECT_CALL(helper, CreatePersistentTcpPortReservation(htons(5000), 20, testing::_))
      .WillOnce(helper.FailWith(ERROR_SHARING_VIOLATION));

  ULONG64 token = 0;
  EXPECT_EQ(helper.CreatePersistentTcpPortReservation(htons(5000), 20, &token),
            static_cast<ULONG>(ERROR_SHARING_VIOLATION));
  EXPECT_EQ(helper.CreatePersistentTcpPortReservation(htons(5001), 19, &token),
            static_cast<ULONG>(NO_ERROR));  // not matched: the fake answers
  EXPECT_EQ(helper.DeletePersistentTcpPortReservation(htons(5001), 19),
            static_cast<ULONG>(NO_ERROR));
}
// [end]

// [recipe: sweep persistent]
// Installs a persistent block, opens a socket on it, and removes both: a scenario that takes
// both interfaces is swept over the Winsock calls and the iphlpapi calls alike.
void InstallAndRemove(portres::ISocketIoctl& api, portres::IIpHelper& helper) {
  ULONG64 token = 0;
  if (helper.CreatePersistentTcpPortReservation(htons(5000), 20, &token) != NO_ERROR) return;
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s != INVALID_SOCKET) {
    DWORD bytes = 0;
    api.WSAIoctl(s, SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token, nullptr, 0, &bytes,
                 nullptr, nullptr);
    api.closesocket(s);
  }
  helper.DeletePersistentTcpPortReservation(htons(5000), 20);
}

TEST(PersistentReservation, TheSweepFindsTheRunsWhereTheDeleteFailed) {
  const portres::SweepResult result = portres::RunFaultSweep(InstallAndRemove);
  // A refused delete leaves the block installed: that is the finding, and the only one.
  ASSERT_FALSE(result.ok());
  for (const portres::SweepRun& run : result.failures) {
    EXPECT_EQ(run.injection.api, portres::Api::kDeletePersistentTcpPortReservation) << run.Report();
    EXPECT_EQ(run.leaked_reservations.size(), 1u) << run.Report();
  }
}
// [end]

// [recipe: preset with another process]
TEST(OpenReservedEndpoint, SweepOnAHostWhereAnotherProcessHoldsABlock) {
  std::vector<std::unique_ptr<portres::FakeSocketIoctl>> others;  // alive until the sweep ends
  portres::SweepOptions options;
  options.WithFake([&others] {
    auto host = std::make_shared<portres::FakeHost>();
    others.push_back(std::make_unique<portres::FakeSocketIoctl>(host));
    portres::FakeSocketIoctl& other = *others.back();
    const SOCKET s = other.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    INET_PORT_RANGE range{0, 64};  // any 64 ports: where the scenario's block would go first
    INET_PORT_RESERVATION_INSTANCE instance{};
    DWORD bytes = 0;
    other.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                   sizeof instance, &bytes, nullptr, nullptr);
    return std::make_shared<portres::FakeSocketIoctl>(host);  // the scenario's process
  });
  EXPECT_NO_LEAKS_UNDER_FAULTS(OpenEndpoint, options);  // the other's block is not a leak
}
// [end]

}  // namespace
