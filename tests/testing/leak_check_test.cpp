// Leak checks: reservations never released and sockets never closed fail the test, by name.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <portres/describe.h>
#include <portres/leak_check.h>

#include <memory>
#include <string>

namespace portres {
namespace {

using ::testing::HasSubstr;

class LeakCheckTest : public ::testing::Test {
 protected:
  SOCKET OpenSocket(int type = SOCK_STREAM) { return fake_.socket(AF_INET, type, 0); }

  ULONG64 Acquire(SOCKET s, std::uint16_t first_port, std::uint16_t port_count) {
    INET_PORT_RANGE range{htons(first_port), port_count};
    INET_PORT_RESERVATION_INSTANCE instance{};
    DWORD bytes = 0;
    EXPECT_EQ(0, fake_.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                                sizeof instance, &bytes, nullptr, nullptr));
    return instance.Token.Token;
  }

  // Code under test that forgets to close its socket (and so keeps its reservation).
  void LeakAReservationInsideAGuard() {
    LeakCheck guard(fake_);
    Acquire(OpenSocket(), 5000, 20);
  }
  void CloseEverythingInsideAGuard() {
    LeakCheck guard(fake_);
    const SOCKET s = OpenSocket();
    Acquire(s, 5000, 20);
    fake_.closesocket(s);
  }

  FakeSocketIoctl fake_;
};

TEST_F(LeakCheckTest, DescribeLeaks_NamesReservationsAndSockets) {
  const SOCKET tcp = OpenSocket();
  const ULONG64 token = Acquire(tcp, 5000, 20);
  const SOCKET udp = OpenSocket(SOCK_DGRAM);

  EXPECT_EQ(DescribeLeaks(LeaksOf(fake_)),
            "leaked: TCP 5000..5019 " + DescribeToken(token) + " (runtime, socket " +
                DescribeSocketHandle(tcp) + "); socket " + DescribeSocketHandle(tcp) +
                " (TCP) never closed; socket " + DescribeSocketHandle(udp) + " (UDP) never closed");
}

TEST_F(LeakCheckTest, DescribeLeaks_ShowsTheBoundPort) {
  const SOCKET s = OpenSocket(SOCK_DGRAM);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(5003);
  ASSERT_EQ(0, fake_.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address));

  EXPECT_EQ(DescribeLeaks(LeaksOf(fake_)),
            "leaked: socket " + DescribeSocketHandle(s) + " (UDP, port 5003) never closed");
}

TEST_F(LeakCheckTest, DescribeLeaks_OfNothing_SaysNoLeaks) {
  EXPECT_EQ(DescribeLeaks(Leaks{}), "no leaks");
}

TEST_F(LeakCheckTest, HasNoLeaks_FailsWithTheLeaks) {
  EXPECT_TRUE(HasNoLeaks(fake_));
  const SOCKET s = OpenSocket();
  const ::testing::AssertionResult result = HasNoLeaks(fake_);
  EXPECT_FALSE(result);
  EXPECT_THAT(result.message(),
              HasSubstr("socket " + DescribeSocketHandle(s) + " (TCP) never closed"));
}

TEST_F(LeakCheckTest, Guard_OnALeak_FailsNamingTheReservation) {
  EXPECT_NONFATAL_FAILURE(LeakAReservationInsideAGuard(), "leaked: TCP 5000..5019 token 0x");
}

TEST_F(LeakCheckTest, Guard_WhenEverythingIsClosed_AddsNoFailure) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    CloseEverythingInsideAGuard();
  }
  EXPECT_EQ(results.size(), 0);
}

TEST_F(LeakCheckTest, Guard_IgnoresWhatWasOpenBeforeIt) {
  const SOCKET before = OpenSocket();
  Acquire(before, 6000, 10);
  LeakCheck guard(fake_);
  const SOCKET during = OpenSocket();

  const Leaks leaks = guard.Find();
  ASSERT_EQ(leaks.sockets.size(), 1u);
  EXPECT_EQ(leaks.sockets[0].handle, during);
  EXPECT_TRUE(leaks.reservations.empty());
  fake_.closesocket(during);
}

TEST_F(LeakCheckTest, Guard_IgnoresOtherProcessesOnTheSameHost) {
  FakeSocketIoctl other(fake_.shared_host());
  LeakCheck guard(fake_);
  const SOCKET s = other.socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_NE(s, INVALID_SOCKET);

  EXPECT_TRUE(guard.Find().empty());
}

TEST_F(LeakCheckTest, Guard_WhenTheFakeDiesFirst_SeesNothing) {
  // The process has exited, and Windows ended everything it held.
  auto fake = std::make_unique<FakeSocketIoctl>();
  LeakCheck guard(*fake);
  fake->socket(AF_INET, SOCK_STREAM, 0);
  fake.reset();

  EXPECT_TRUE(guard.Find().empty());
}

TEST_F(LeakCheckTest, Guard_ReportsAtTheLineThatCreatedIt) {
  ::testing::TestPartResultArray results;
  int guard_line = 0;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    guard_line = __LINE__ + 1;
    LeakCheck guard(fake_);
    OpenSocket();
  }
  ASSERT_EQ(results.size(), 1);
  EXPECT_EQ(results.GetTestPartResult(0).line_number(), guard_line);
  EXPECT_THAT(results.GetTestPartResult(0).file_name(), HasSubstr("leak_check_test.cpp"));
}

}  // namespace
}  // namespace portres
