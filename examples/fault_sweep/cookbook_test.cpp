// docs/cookbook.md's recipes, compiled and run: if this file needs a change, so does the
// cookbook. Each recipe sits between "// [recipe: name]" and "// [end]".
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/fault_sweep.h>
#include <portres/leak_check.h>
#include <portres/matchers.h>
#include <portres/mock_socket_ioctl.h>
#include <portres/winsock_error.h>

#include <string>
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

// [recipe: mock one call]
TEST(OpenReservedEndpoint, WithTheMock_PortTakenAtBind_ReturnsWsaeaddrinuse) {
  testing::NiceMock<portres::MockSocketIoctl> api;
  api.DelegateToFake();  // everything else behaves like Windows
  EXPECT_CALL(api, bind(testing::_, testing::_, testing::_)).WillOnce(api.FailWith(WSAEADDRINUSE));

  ReservedEndpoint endpoint;
  EXPECT_EQ(OpenReservedEndpoint(api, 8, &endpoint), WSAEADDRINUSE);
  EXPECT_TRUE(portres::HasNoLeaks(api.fake()));
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

}  // namespace
