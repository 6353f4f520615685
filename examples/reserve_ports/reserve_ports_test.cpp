// The ported sample, tested on the fake: its happy path and each of its error paths.
#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>

#include <sstream>

#include "reserve_ports.h"

namespace {

using portres::Fault;
using portres::IsApi;
using portres::IsIoctl;

class ReservePortsTest : public ::testing::Test {
 protected:
  int Run(example::ReservePortsArgs args) { return example::ReservePorts(api_, args, out_); }
  static example::ReservePortsArgs Udp(int start, int count) {
    return {AF_INET, SOCK_DGRAM, IPPROTO_UDP, start, count};
  }

  portres::FakeSocketIoctl api_;
  std::ostringstream out_;
};

TEST_F(ReservePortsTest, SpecificBlock_AcquiresReportsAndReleases) {
  EXPECT_EQ(Run(Udp(5000, 20)), 0);
  EXPECT_NE(out_.str().find("ports 5000..5019"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("(16 bytes)"), std::string::npos) << out_.str();
  EXPECT_TRUE(api_.host().Reservations().empty());
  EXPECT_TRUE(api_.host().Sockets().empty());
}

TEST_F(ReservePortsTest, Wildcard_ReportsTheBlockTheSystemChose) {
  EXPECT_EQ(Run(Udp(0, 4)), 0);
  EXPECT_NE(out_.str().find("ports 49152..49155"), std::string::npos) << out_.str();
}

TEST_F(ReservePortsTest, BlockInUse_ReportsWsaeaddrinuseAndClosesTheSocket) {
  portres::FakeSocketIoctl other(api_.shared_host());
  const SOCKET holder = other.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  INET_PORT_RANGE range{htons(5010), 1};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(other.WSAIoctl(holder, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                           sizeof instance, &bytes, nullptr, nullptr),
            0);

  EXPECT_EQ(Run(Udp(5000, 20)), 1);
  EXPECT_NE(out_.str().find("WSAEADDRINUSE (10048)"), std::string::npos) << out_.str();
  EXPECT_TRUE(api_.Sockets().empty());
}

TEST_F(ReservePortsTest, ReleaseFails_ReportsItAndStillClosesTheSocket) {
  api_.Inject(Fault::Error(WSAENETDOWN).When(IsIoctl(SIO_RELEASE_PORT_RESERVATION)));
  EXPECT_EQ(Run(Udp(5000, 20)), 1);
  EXPECT_NE(out_.str().find("SIO_RELEASE_PORT_RESERVATION failed: WSAENETDOWN (10050)"),
            std::string::npos)
      << out_.str();
  // Closing the acquiring socket ended the reservation the release could not.
  EXPECT_TRUE(api_.host().Reservations().empty());
  EXPECT_TRUE(api_.Sockets().empty());
}

TEST_F(ReservePortsTest, SocketFails_ReportsTheError) {
  api_.Inject(Fault::Error(WSANOTINITIALISED).When(IsApi(portres::Api::kSocket)));
  EXPECT_EQ(Run(Udp(5000, 20)), 1);
  EXPECT_NE(out_.str().find("socket failed: WSANOTINITIALISED (10093)"), std::string::npos);
}

TEST_F(ReservePortsTest, RawSocket_ReportsWsaeopnotsupp) {
  EXPECT_EQ(Run({AF_INET, SOCK_RAW, 0, 5000, 20}), 1);
  EXPECT_NE(out_.str().find("WSAEOPNOTSUPP (10045)"), std::string::npos) << out_.str();
}

TEST_F(ReservePortsTest, StartPortOutOfRange_IsRejectedBeforeAnyCall) {
  EXPECT_EQ(Run(Udp(70000, 1)), 1);
  EXPECT_EQ(api_.CallCount(), 0u);
}

}  // namespace
