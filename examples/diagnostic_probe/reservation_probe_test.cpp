// Microsoft's diagnostic on the fake: a healthy node grants all ten blocks, a crowded one fewer,
// and a fault sweep over every call leaves nothing behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault_sweep.h>

#include "reservation_probe.h"

namespace {

using portres::FakeSocketIoctl;

TEST(ReservationProbe, TheScriptsIoctlCode_IsSioAcquirePortReservation) {
  EXPECT_EQ(2550136932u, static_cast<DWORD>(SIO_ACQUIRE_PORT_RESERVATION));
}

TEST(ReservationProbe, OnAHealthyNode_AllTenAcquiresSucceed) {
  portres::FakeProcessOptions strict;
  strict.require_wsastartup = true;  // as Winsock: nothing works before WSAStartup
  FakeSocketIoctl fake(std::make_shared<portres::FakeHost>(), strict);
  const example::ProbeCounts counts = example::RunReservationProbe(fake);
  EXPECT_EQ(counts.startup_error, 0);
  EXPECT_EQ(counts.socket_error, 0);
  EXPECT_EQ(counts.succeeded, 10);
  EXPECT_TRUE(fake.host().Reservations().empty());
  EXPECT_TRUE(fake.host().Sockets().empty());
}

TEST(ReservationProbe, OnACrowdedNode_CountsOnlyTheBlocksThatFit) {
  portres::FakeHostOptions options;
  options.dynamic_first_port = 60000;
  options.dynamic_last_port = 60299;  // 300 ports: four blocks of 64
  FakeSocketIoctl fake(options);
  const example::ProbeCounts counts = example::RunReservationProbe(fake);
  EXPECT_EQ(counts.succeeded, 4);
  EXPECT_EQ(counts.last_error, WSAENOBUFS);
}

TEST(ReservationProbe, ASocketOfTypeZero_IsATcpSocket) {
  // [ref:socket-rules]: (AF_INET, 0, 0) is TCP on Windows, so the acquires reserve TCP ports.
  FakeSocketIoctl fake;
  const SOCKET s = fake.socket(AF_INET, 0, 0);
  ASSERT_NE(s, INVALID_SOCKET) << fake.WSAGetLastError();
  INET_PORT_RANGE range{0, 64};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(fake.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                          sizeof instance, &bytes, nullptr, nullptr),
            0);
  EXPECT_EQ(fake.Reservations().at(0).protocol, portres::Protocol::kTcp);
}

TEST(ReservationProbe, WithoutWinsock_NothingIsOpened) {
  FakeSocketIoctl fake;
  fake.Inject(
      portres::Fault::Error(WSASYSNOTREADY).When(portres::IsApi(portres::Api::kWSAStartup)));
  const example::ProbeCounts counts = example::RunReservationProbe(fake);
  EXPECT_EQ(counts.startup_error, WSASYSNOTREADY);
  EXPECT_EQ(counts.succeeded, 0);
  EXPECT_TRUE(fake.Sockets().empty());
}

TEST(ReservationProbe, EveryDocumentedErrorOfEveryCall_LeavesNothingBehind) {
  EXPECT_NO_LEAKS_UNDER_FAULTS(
      [](portres::ISocketIoctl& api) { example::RunReservationProbe(api); });
}

}  // namespace
