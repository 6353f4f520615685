// Leak checks: reservations never released and sockets never closed fail the test, by name.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <portres/describe.h>
#include <portres/fake_ip_helper.h>
#include <portres/leak_check.h>
#include <portres/mock_ip_helper.h>
#include <portres/mock_socket_ioctl.h>

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

  // The fault sweep's words, one leak a line.
  EXPECT_EQ(DescribeLeaks(LeaksOf(fake_)),
            "leaked socket " + DescribeSocketHandle(tcp) + " (TCP, pid 1000)\n" + "leaked socket " +
                DescribeSocketHandle(udp) + " (UDP, pid 1000)\n" +
                "leaked reservation TCP 5000..5019 " + DescribeToken(token) + " (runtime, socket " +
                DescribeSocketHandle(tcp) + ", pid 1000)\n");
}

TEST_F(LeakCheckTest, DescribeLeaks_ShowsTheBoundPort) {
  const SOCKET s = OpenSocket(SOCK_DGRAM);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(5003);
  ASSERT_EQ(0, fake_.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address));

  EXPECT_EQ(DescribeLeaks(LeaksOf(fake_)),
            "leaked socket " + DescribeSocketHandle(s) + " (UDP, port 5003, pid 1000)\n");
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
              HasSubstr("leaked socket " + DescribeSocketHandle(s) + " (TCP, pid 1000)"));
}

TEST_F(LeakCheckTest, Guard_OnALeak_FailsNamingTheReservation) {
  EXPECT_NONFATAL_FAILURE(LeakAReservationInsideAGuard(),
                          "leaked reservation TCP 5000..5019 token 0x");
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

// A guard or a check over what the test holds: a mock as well as a fake.
void LeakASocketThroughAMock() {
  ::testing::NiceMock<MockSocketIoctl> mock;
  LeakCheck guard(mock);
  mock.socket(AF_INET, SOCK_DGRAM, 0);
}

TEST(LeakCheckOfAMock, Guard_ReportsInTheSweepsWords) {
  EXPECT_NONFATAL_FAILURE(LeakASocketThroughAMock(), "leaked socket 0x");
}

TEST(LeakCheckOfAMock, HasNoLeaks_SeesTheMocksFake) {
  ::testing::NiceMock<MockSocketIoctl> mock;
  EXPECT_TRUE(HasNoLeaks(mock));
  const SOCKET s = mock.socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_FALSE(HasNoLeaks(mock));
  mock.closesocket(s);
  EXPECT_TRUE(HasNoLeaks(mock));
}

void CreateWithoutDeleting(const std::shared_ptr<FakeHost>& host) {
  FakeIpHelper helper(host);
  LeakCheck guard(helper);
  ULONG64 token = 0;
  helper.CreatePersistentTcpPortReservation(htons(7000), 10, &token);
}

TEST(LeakCheckOfPersistentReservations, Guard_CountsThoseCreatedAndNotDeleted) {
  auto host = std::make_shared<FakeHost>();
  FakeIpHelper installer(host);
  ULONG64 token = 0;
  ASSERT_EQ(installer.CreatePersistentTcpPortReservation(htons(6000), 10, &token), NO_ERROR);

  EXPECT_NONFATAL_FAILURE(CreateWithoutDeleting(host),
                          "leaked reservation TCP 7000..7009 token 0x");
  // The one made before the guard is not counted; the one made inside it is.
  ::testing::NiceMock<MockIpHelper> helper(host);
  LeakCheck guard(helper);
  EXPECT_EQ(guard.Find().reservations.size(), 0u);
  ASSERT_EQ(helper.CreatePersistentTcpPortReservation(htons(8000), 10, &token), NO_ERROR);
  EXPECT_EQ(guard.Find().reservations.size(), 1u);
  EXPECT_FALSE(HasNoLeaks(helper));
  helper.DeletePersistentTcpPortReservation(htons(8000), 10);
  helper.DeletePersistentTcpPortReservation(htons(7000), 10);
  installer.DeletePersistentTcpPortReservation(htons(6000), 10);
  EXPECT_TRUE(HasNoLeaks(installer));
}

}  // namespace
}  // namespace portres
