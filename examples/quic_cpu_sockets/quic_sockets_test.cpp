// MsQuic's per-processor server sockets on the fake: one reserved port shared through
// SIO_CPU_AFFINITY, the administered block 50000-50059 that makes it fail with WSAEADDRINUSE
// (microsoft/msquic#2891), and a fault sweep over every call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/fake_ip_helper.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault_sweep.h>

#include "quic_sockets.h"

namespace {

using portres::FakeSocketIoctl;

constexpr std::uint16_t kPort = 50010;
constexpr unsigned short kProcessors = 4;

TEST(QuicSockets, OnTheFake_EveryProcessorGetsASocketOnTheReservedPort) {
  FakeSocketIoctl fake;
  example::QuicSockets quic = example::OpenQuicServerSockets(fake, kPort, kProcessors);
  ASSERT_EQ(quic.error, 0);
  EXPECT_EQ(quic.port, kPort);
  ASSERT_EQ(quic.sockets.size(), kProcessors);
  for (const portres::SocketInfo& socket : fake.Sockets()) {
    EXPECT_TRUE(socket.bound);
    EXPECT_EQ(socket.port, kPort);
    EXPECT_EQ(socket.associated_token, fake.Reservations().at(0).token);
  }
  ASSERT_EQ(fake.Reservations().size(), 1u);
  EXPECT_EQ(fake.Reservations()[0].owner_socket, quic.sockets[0]);
  example::CloseQuicSockets(fake, quic);
  EXPECT_TRUE(fake.host().Reservations().empty());
}

TEST(QuicSockets, TheAdministeredBlock50000To50059_FailsWithWsaeaddrinuse) {
  // Machines since about 2020 carry a persistent UDP block 50000-50059 [ref:real-machines];
  // acquiring inside it fails with WSAEADDRINUSE [ref:field-answers].
  FakeSocketIoctl fake;
  portres::FakeIpHelper admin(fake.shared_host());
  ULONG64 token = 0;
  ASSERT_EQ(admin.CreatePersistentUdpPortReservation(htons(50000), 60, &token),
            static_cast<ULONG>(NO_ERROR));
  const example::QuicSockets quic = example::OpenQuicServerSockets(fake, kPort, kProcessors);
  EXPECT_EQ(quic.error, WSAEADDRINUSE);
  EXPECT_TRUE(quic.sockets.empty());
  EXPECT_TRUE(fake.Sockets().empty());
}

TEST(QuicSockets, APortAnotherProcessReserved_FailsWithWsaeaddrinuse) {
  FakeSocketIoctl fake;
  FakeSocketIoctl other(fake.shared_host());
  example::QuicSockets first = example::OpenQuicServerSockets(other, kPort, 1);
  ASSERT_EQ(first.error, 0);
  const example::QuicSockets second = example::OpenQuicServerSockets(fake, kPort, kProcessors);
  EXPECT_EQ(second.error, WSAEADDRINUSE);
  EXPECT_TRUE(fake.Sockets().empty());
  example::CloseQuicSockets(other, first);
}

TEST(QuicSockets, MoreProcessorsThanTheHostHas_FailsAndClosesEverySocket) {
  portres::FakeHostOptions options;
  options.processor_count = 2;
  FakeSocketIoctl fake(options);
  const example::QuicSockets quic = example::OpenQuicServerSockets(fake, kPort, 3);
  EXPECT_EQ(quic.error, WSAEINVAL);
  EXPECT_TRUE(fake.Sockets().empty());
  EXPECT_TRUE(fake.Reservations().empty());
}

TEST(QuicSockets, EveryDocumentedErrorOfEveryCall_LeavesNothingBehind) {
  EXPECT_NO_LEAKS_UNDER_FAULTS([](portres::ISocketIoctl& api) {
    example::QuicSockets quic = example::OpenQuicServerSockets(api, kPort, 2);
    example::CloseQuicSockets(api, quic);
  });
}

}  // namespace
