// SIO_CPU_AFFINITY [ref:cpu-affinity]: a processor per UDP socket before bind, which lets the
// sockets of one process share a port, each associated with the reservation acquired on the
// first (MsQuic's server sockets [ref:clients]).
#include <vector>

#include "contract_test.h"
#include "surface_helpers.h"

namespace portres::contract {
namespace {

TEST_P(CpuAffinityContract, SocketsWithAProcessorEach_BindTheSameUdpPort) {
  const std::uint16_t port = FreePort(Transport::kUdp);
  TestSocket a = Udp();
  TestSocket b = Udp();
  ASSERT_EQ(SetProcessor(api(), a.handle(), 0), kWsaSuccess);
  ASSERT_EQ(SetProcessor(api(), b.handle(), 1), kWsaSuccess);
  EXPECT_EQ(Bind(a.handle(), port), kWsaSuccess);
  EXPECT_EQ(Bind(b.handle(), port), kWsaSuccess);
}

TEST_P(CpuAffinityContract, WithoutItOnTheSecondSocket_TheSecondBindFails) {
  const std::uint16_t port = FreePort(Transport::kUdp);
  TestSocket a = Udp();
  TestSocket b = Udp();
  ASSERT_EQ(SetProcessor(api(), a.handle(), 0), kWsaSuccess);
  ASSERT_EQ(Bind(a.handle(), port), kWsaSuccess);
  EXPECT_EQ(Bind(b.handle(), port), Wsa(WSAEADDRINUSE));
}

TEST_P(CpuAffinityContract, AfterBind_FailsWithWsaeinval) {
  TestSocket s = Udp();
  ASSERT_EQ(Bind(s.handle(), 0), kWsaSuccess);
  EXPECT_EQ(SetProcessor(api(), s.handle(), 0), Wsa(WSAEINVAL));
}

TEST_P(CpuAffinityContract, OnTcp_FailsWithWsaeopnotsupp_Assumed) {
  TestSocket s = Tcp();
  EXPECT_EQ(SetProcessor(api(), s.handle(), 0), Wsa(WSAEOPNOTSUPP));
}

TEST_P(CpuAffinityContract, WithReuseAddr_FailsWithWsaeinval_Assumed) {
  TestSocket s = Udp();
  ASSERT_EQ(SetInt(api(), s.handle(), SOL_SOCKET, SO_REUSEADDR, TRUE), kWsaSuccess);
  EXPECT_EQ(SetProcessor(api(), s.handle(), 0), Wsa(WSAEINVAL));
  TestSocket t = Udp();
  ASSERT_EQ(SetProcessor(api(), t.handle(), 0), kWsaSuccess);
  EXPECT_EQ(SetInt(api(), t.handle(), SOL_SOCKET, SO_REUSEADDR, TRUE), Wsa(WSAEINVAL));
}

TEST_P(CpuAffinityContract, ShortInputBuffer_FailsWithWsaefault) {
  // [ref:wsaioctl]: WSAEFAULT for an input buffer too small.
  TestSocket s = Udp();
  USHORT processor = 0;
  DWORD bytes = 0;
  EXPECT_EQ(ResultOf(api(), api().WSAIoctl(s.handle(), SIO_CPU_AFFINITY, &processor, 1, nullptr, 0,
                                           &bytes, nullptr, nullptr)),
            Wsa(WSAEFAULT));
}

TEST_P(CpuAffinityContract, QuicPattern_EverySocketAssociatedWithOneTokenBindsTheReservedPort) {
  // MsQuic's server [ref:clients]: acquire one port on socket 0, associate every socket with
  // its token, bind each to the port.
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  const std::uint16_t port = FreeBlock(1, Transport::kUdp);
  std::vector<TestSocket> sockets;
  for (USHORT processor = 0; processor < 4; ++processor) {
    sockets.push_back(Udp(AF_INET6));
    ASSERT_EQ(SetInt(api(), sockets.back().handle(), IPPROTO_IPV6, IPV6_V6ONLY, FALSE),
              kWsaSuccess);
    ASSERT_EQ(SetProcessor(api(), sockets.back().handle(), processor), kWsaSuccess);
  }
  const Acquired acquired = Acquire(sockets[0].handle(), port, 1);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  for (TestSocket& s : sockets) {
    ASSERT_EQ(Associate(s.handle(), acquired.token()), kWsaSuccess);
    EXPECT_EQ(Bind(s.handle(), port, AF_INET6), kWsaSuccess);
  }
  EXPECT_EQ(LocalPort(sockets[0].handle()), port);
}

}  // namespace
}  // namespace portres::contract
