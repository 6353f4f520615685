#include <gtest/gtest.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/port_reservation.h>
#include <portres/winsock_error.h>

#include <utility>

namespace portres {
namespace {

class PortReservationTest : public ::testing::Test {
 protected:
  UniqueSocket Open(int type = SOCK_DGRAM, int protocol = IPPROTO_UDP) {
    std::error_code ec;
    UniqueSocket socket = OpenSocket(api_, AF_INET, type, protocol, ec);
    EXPECT_FALSE(ec) << ec.message();
    return socket;
  }

  FakeSocketIoctl api_;
};

TEST_F(PortReservationTest, Acquire_SpecificBlock_ReportsTheBlockAndToken) {
  UniqueSocket socket = Open();
  std::error_code ec;
  PortReservation reservation = AcquirePortReservation(api_, socket.get(), {5000, 20}, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(reservation);
  EXPECT_EQ(reservation.block(), (PortBlock{5000, 20}));
  EXPECT_NE(reservation.token(), INVALID_PORT_RESERVATION_TOKEN);
  EXPECT_EQ(reservation.socket(), socket.get());
  ASSERT_EQ(api_.host().Reservations().size(), 1u);
  EXPECT_EQ(api_.host().Reservations()[0].token, reservation.token());
}

TEST_F(PortReservationTest, Acquire_Wildcard_ReturnsTheChosenBlock) {
  UniqueSocket socket = Open();
  std::error_code ec;
  PortReservation reservation = AcquirePortReservation(api_, socket.get(), PortBlock::Any(8), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_FALSE(reservation.block().is_wildcard());
  EXPECT_EQ(reservation.block().port_count, 8);
}

TEST_F(PortReservationTest, Acquire_Overlap_ReportsWsaeaddrinuseAsErrorCode) {
  UniqueSocket socket = Open();
  std::error_code ec;
  PortReservation first = AcquirePortReservation(api_, socket.get(), {5000, 20}, ec);
  PortReservation second = AcquirePortReservation(api_, socket.get(), {5010, 5}, ec);
  EXPECT_EQ(ec, make_winsock_error(WSAEADDRINUSE));
  EXPECT_FALSE(second);
}

TEST_F(PortReservationTest, Destructor_ReleasesTheReservation) {
  UniqueSocket socket = Open();
  {
    std::error_code ec;
    PortReservation reservation = AcquirePortReservation(api_, socket.get(), {5000, 20}, ec);
    ASSERT_EQ(api_.host().ReservationCount(), 1u);
  }
  EXPECT_EQ(api_.host().ReservationCount(), 0u);
  EXPECT_EQ(api_.host().SocketCount(), 1u);
}

TEST_F(PortReservationTest, Move_TransfersOwnershipAndReleasesOnce) {
  UniqueSocket socket = Open();
  std::error_code ec;
  PortReservation original = AcquirePortReservation(api_, socket.get(), {5000, 1}, ec);
  const ULONG64 token = original.token();
  PortReservation moved = std::move(original);
  EXPECT_FALSE(original);  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  EXPECT_EQ(moved.token(), token);
  EXPECT_FALSE(moved.Release());
  EXPECT_EQ(api_.host().ReservationCount(), 0u);
  EXPECT_FALSE(moved);
}

TEST_F(PortReservationTest, Release_Failing_KeepsOwnershipAndReportsTheError) {
  UniqueSocket socket = Open();
  std::error_code ec;
  PortReservation reservation = AcquirePortReservation(api_, socket.get(), {5000, 1}, ec);
  api_.Inject(Fault::Error(WSAENETDOWN).OnNextCall());
  EXPECT_EQ(reservation.Release(), make_winsock_error(WSAENETDOWN));
  EXPECT_TRUE(reservation);
  EXPECT_EQ(api_.host().ReservationCount(), 1u);
  EXPECT_FALSE(reservation.Release());
  EXPECT_EQ(api_.host().ReservationCount(), 0u);
}

TEST_F(PortReservationTest, ReleaseOwnership_LeavesTheReservationLive) {
  UniqueSocket socket = Open();
  std::error_code ec;
  PortReservation reservation = AcquirePortReservation(api_, socket.get(), {5000, 1}, ec);
  const ULONG64 token = reservation.release_ownership();
  EXPECT_FALSE(reservation);
  EXPECT_EQ(api_.host().ReservationCount(), 1u);
  EXPECT_FALSE(ReleasePortReservation(api_, socket.get(), token));
  EXPECT_EQ(api_.host().ReservationCount(), 0u);
}

TEST_F(PortReservationTest, AssociateThenBind_TakesThePortFromTheBlock) {
  UniqueSocket owner = Open();
  UniqueSocket user = Open();
  std::error_code ec;
  PortReservation reservation = AcquirePortReservation(api_, owner.get(), {6000, 4}, ec);
  ASSERT_FALSE(AssociatePortReservation(api_, user.get(), reservation.token()));
  std::uint16_t port = 0;
  ASSERT_FALSE(BindToPort(api_, user.get(), AF_INET, 0, port));
  EXPECT_TRUE(reservation.block().contains(port)) << port;
}

TEST_F(PortReservationTest, BindToPort_Ipv6_ReportsThePort) {
  std::error_code ec;
  UniqueSocket socket = OpenSocket(api_, AF_INET6, SOCK_STREAM, IPPROTO_TCP, ec);
  ASSERT_FALSE(ec);
  std::uint16_t port = 0;
  ASSERT_FALSE(BindToPort(api_, socket.get(), AF_INET6, 7000, port));
  EXPECT_EQ(port, 7000);
}

TEST_F(PortReservationTest, OpenSocket_BadFamily_ReportsTheError) {
  std::error_code ec;
  UniqueSocket socket = OpenSocket(api_, 12345, SOCK_STREAM, 0, ec);
  EXPECT_EQ(ec, make_winsock_error(WSAEAFNOSUPPORT));
  EXPECT_FALSE(socket);
}

TEST_F(PortReservationTest, UniqueSocket_ClosesOnDestructionAndEndsItsReservations) {
  {
    UniqueSocket socket = Open();
    std::error_code ec;
    PortReservation reservation = AcquirePortReservation(api_, socket.get(), {5000, 1}, ec);
    reservation.release_ownership();
  }
  EXPECT_EQ(api_.host().SocketCount(), 0u);
  EXPECT_EQ(api_.host().ReservationCount(), 0u);
}

TEST(PortBlock, RangeConversion_UsesNetworkByteOrderForTheStart) {
  const INET_PORT_RANGE range = PortBlock{5000, 20}.ToRange();
  EXPECT_EQ(range.StartPort, htons(5000));
  EXPECT_EQ(range.NumberOfPorts, 20);
  EXPECT_EQ(PortBlock::FromRange(range), (PortBlock{5000, 20}));
  EXPECT_TRUE((PortBlock{5000, 20}).contains(5019));
  EXPECT_FALSE((PortBlock{5000, 20}).contains(5020));
  EXPECT_EQ((PortBlock{65535, 1}).last_port(), 65535u);
}

}  // namespace
}  // namespace portres
