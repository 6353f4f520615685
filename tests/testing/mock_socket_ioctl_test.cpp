// MockSocketIoctl: the fake answers by default; an EXPECT_CALL changes one call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <portres/matchers.h>
#include <portres/mock_socket_ioctl.h>

#include <memory>

namespace portres {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::NiceMock;

class MockSocketIoctlTest : public ::testing::Test {
 protected:
  MockSocketIoctlTest() { mock_.DelegateToFake(); }

  SOCKET OpenTcpSocket() { return mock_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP); }

  // SIO_ACQUIRE_PORT_RESERVATION through the mock, as code under test would make it.
  int Acquire(SOCKET s, std::uint16_t first_port, std::uint16_t port_count,
              INET_PORT_RESERVATION_INSTANCE* instance) {
    INET_PORT_RANGE range{htons(first_port), port_count};
    DWORD bytes = 0;
    return mock_.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, instance,
                          sizeof *instance, &bytes, nullptr, nullptr);
  }
  int Release(SOCKET s, ULONG64 token) {
    INET_PORT_RESERVATION_TOKEN in{token};
    DWORD bytes = 0;
    return mock_.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &in, sizeof in, nullptr, 0, &bytes,
                          nullptr, nullptr);
  }

  NiceMock<MockSocketIoctl> mock_;
};

TEST_F(MockSocketIoctlTest, Acquire_ThroughTheMock_ReservesInTheFake) {
  const SOCKET s = OpenTcpSocket();
  INET_PORT_RESERVATION_INSTANCE instance{};

  ASSERT_EQ(0, Acquire(s, 5000, 20, &instance));

  EXPECT_THAT(mock_.fake().Reservations(),
              ElementsAre(AllOf(ReservationOf(Protocol::kTcp, 5000, 20),
                                HasToken(instance.Token.Token), IsRuntime(), OwnedBySocket(s))));
}

TEST_F(MockSocketIoctlTest, EveryMethod_WithoutExpectations_AnswersAsTheFake) {
  const SOCKET s = OpenTcpSocket();
  ASSERT_NE(s, INVALID_SOCKET);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  ASSERT_EQ(0, mock_.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address));
  sockaddr_in bound{};
  int length = sizeof bound;
  ASSERT_EQ(0, mock_.getsockname(s, reinterpret_cast<sockaddr*>(&bound), &length));
  EXPECT_NE(ntohs(bound.sin_port), 0);

  EXPECT_EQ(SOCKET_ERROR, Release(s, 42));
  EXPECT_THAT(mock_.WSAGetLastError(), IsWsaError(WSAEINVAL));
  mock_.WSASetLastError(WSAEINTR);
  EXPECT_EQ(mock_.fake().WSAGetLastError(), WSAEINTR);

  const WSAEVENT event = mock_.WSACreateEvent();
  ASSERT_NE(event, WSA_INVALID_EVENT);
  EXPECT_TRUE(mock_.WSASetEvent(event));
  EXPECT_TRUE(mock_.fake().IsEventSignaled(event));
  EXPECT_TRUE(mock_.WSAResetEvent(event));
  EXPECT_FALSE(mock_.fake().IsEventSignaled(event));
  EXPECT_TRUE(mock_.WSACloseEvent(event));

  EXPECT_EQ(0, mock_.closesocket(s));
  EXPECT_THAT(mock_.fake().Sockets(), IsEmpty());
}

TEST_F(MockSocketIoctlTest, FailWith_OnRelease_FailsThatCallOnlyAndOthersStillDelegate) {
  const SOCKET s = OpenTcpSocket();
  INET_PORT_RESERVATION_INSTANCE instance{};
  ASSERT_EQ(0, Acquire(s, 5000, 20, &instance));
  EXPECT_CALL(mock_, WSAIoctl(_, IsIoctlCode(SIO_RELEASE_PORT_RESERVATION),
                              ReleasesToken(instance.Token.Token), _, _, _, _, _, _))
      .WillOnce(mock_.FailWith(WSAENETDOWN))
      .WillOnce(::testing::DoDefault());

  EXPECT_EQ(SOCKET_ERROR, Release(s, instance.Token.Token));
  EXPECT_TRUE(LastErrorIs(mock_, WSAENETDOWN));
  EXPECT_THAT(mock_.fake().Reservations(), ElementsAre(HasToken(instance.Token.Token)));
  EXPECT_THAT(mock_.fake().CallLog().back(), AllOf(IsIoctlCall(SIO_RELEASE_PORT_RESERVATION),
                                                   FailedWith(WSAENETDOWN), WasInjected()));

  EXPECT_EQ(0, Release(s, instance.Token.Token));  // the second release reaches the fake
  EXPECT_THAT(mock_.fake().Reservations(), IsEmpty());
}

TEST_F(MockSocketIoctlTest, ExpectCallOnRelease_AcquireWrittenAfterItStillReachesTheFake) {
  // gMock alone would fail the acquire as an unexpected WSAIoctl call: the method has an
  // EXPECT_CALL. DelegateToFake()'s catch-all lets it through to the fake.
  EXPECT_CALL(mock_, WSAIoctl(_, IsIoctlCode(SIO_RELEASE_PORT_RESERVATION), _, _, _, _, _, _, _))
      .WillOnce(mock_.FailWith(WSAENETDOWN));
  const SOCKET s = OpenTcpSocket();
  INET_PORT_RESERVATION_INSTANCE instance{};
  ASSERT_EQ(0, Acquire(s, 5000, 20, &instance));
  EXPECT_EQ(SOCKET_ERROR, Release(s, instance.Token.Token));
  EXPECT_TRUE(LastErrorIs(mock_, WSAENETDOWN));
  EXPECT_THAT(mock_.fake().Reservations(), ElementsAre(HasToken(instance.Token.Token)));
}

TEST_F(MockSocketIoctlTest, FailWith_OnSocket_ReturnsInvalidSocket) {
  EXPECT_CALL(mock_, socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)).WillOnce(mock_.FailWith(WSAEMFILE));

  EXPECT_EQ(INVALID_SOCKET, OpenTcpSocket());
  EXPECT_TRUE(LastErrorIs(mock_, WSAEMFILE));
  EXPECT_THAT(mock_.fake().Sockets(), IsEmpty());
}

TEST_F(MockSocketIoctlTest, FailWith_OnCloseSocket_LeavesTheSocketOpen) {
  const SOCKET s = OpenTcpSocket();
  EXPECT_CALL(mock_, closesocket(s)).WillOnce(mock_.FailWith(WSAEINTR));

  EXPECT_EQ(SOCKET_ERROR, mock_.closesocket(s));
  EXPECT_TRUE(LastErrorIs(mock_, WSAEINTR));
  EXPECT_EQ(mock_.fake().Sockets().size(), 1u);
}

TEST_F(MockSocketIoctlTest, FailWith_OnBindAndGetSockName_ReturnsSocketError) {
  const SOCKET s = OpenTcpSocket();
  EXPECT_CALL(mock_, bind(s, _, _)).WillOnce(mock_.FailWith(WSAEADDRINUSE));
  EXPECT_CALL(mock_, getsockname(s, _, _)).WillOnce(mock_.FailWith(WSAENETDOWN));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  int length = sizeof address;

  EXPECT_EQ(SOCKET_ERROR,
            mock_.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address));
  EXPECT_TRUE(LastErrorIs(mock_, WSAEADDRINUSE));
  EXPECT_EQ(SOCKET_ERROR, mock_.getsockname(s, reinterpret_cast<sockaddr*>(&address), &length));
  EXPECT_TRUE(LastErrorIs(mock_, WSAENETDOWN));
}

TEST_F(MockSocketIoctlTest, FailWith_OnGetOverlappedResult_ReturnsFalse) {
  const SOCKET s = OpenTcpSocket();
  WSAOVERLAPPED overlapped{};
  DWORD transfer = 0;
  DWORD flags = 0;
  EXPECT_CALL(mock_, WSAGetOverlappedResult(s, &overlapped, _, _, _))
      .WillOnce(mock_.FailWith(WSAENETDOWN));

  EXPECT_EQ(FALSE, mock_.WSAGetOverlappedResult(s, &overlapped, &transfer, FALSE, &flags));
  EXPECT_TRUE(LastErrorIs(mock_, WSAENETDOWN));
}

TEST_F(MockSocketIoctlTest, Pend_OnOverlappedAcquire_LeavesItPendingUntilCompleted) {
  const SOCKET s = OpenTcpSocket();
  EXPECT_CALL(mock_, WSAIoctl(_, IsIoctlCode(SIO_ACQUIRE_PORT_RESERVATION), _, _, _, _, _, _, _))
      .WillOnce(mock_.Pend());
  INET_PORT_RANGE range{htons(5000), 20};
  INET_PORT_RESERVATION_INSTANCE instance{};
  WSAOVERLAPPED overlapped{};
  DWORD bytes = 0;

  EXPECT_EQ(SOCKET_ERROR, mock_.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                                         &instance, sizeof instance, &bytes, &overlapped, nullptr));
  EXPECT_TRUE(LastErrorIs(mock_, WSA_IO_PENDING));
  EXPECT_THAT(mock_.fake().Reservations(), IsEmpty());

  ASSERT_TRUE(mock_.fake().CompletePending(&overlapped));
  EXPECT_THAT(mock_.fake().Reservations(), ElementsAre(ReservationOf(Protocol::kTcp, 5000, 20)));
}

TEST_F(MockSocketIoctlTest, FailWith_AfterAnotherCallWasFailed_DoesNotLeaveAFaultBehind) {
  const SOCKET s = OpenTcpSocket();
  EXPECT_CALL(mock_, closesocket(s))
      .WillOnce(mock_.FailWith(WSAEINTR))
      .WillOnce(::testing::DoDefault());

  EXPECT_EQ(SOCKET_ERROR, mock_.closesocket(s));
  EXPECT_EQ(0, mock_.closesocket(s));
  EXPECT_THAT(mock_.fake().Sockets(), IsEmpty());
}

TEST(MockSocketIoctlOnSharedHost, TwoMockProcesses_SeeEachOthersReservations) {
  auto host = std::make_shared<FakeHost>();
  NiceMock<MockSocketIoctl> first(host);
  NiceMock<MockSocketIoctl> second(host);
  first.DelegateToFake();
  second.DelegateToFake();
  const SOCKET a = first.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  const SOCKET b = second.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RANGE range{htons(5000), 20};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;

  ASSERT_EQ(0, first.WSAIoctl(a, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                              sizeof instance, &bytes, nullptr, nullptr));
  EXPECT_EQ(SOCKET_ERROR, second.WSAIoctl(b, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                                          &instance, sizeof instance, &bytes, nullptr, nullptr));
  EXPECT_TRUE(LastErrorIs(second, WSAEADDRINUSE));
  EXPECT_NE(first.fake().pid(), second.fake().pid());
  EXPECT_EQ(host->ReservationCount(), 1u);
}

TEST(FailWithAFake, OnAMockOfOnesOwn_FailsThroughThatFake) {
  FakeSocketIoctl fake;
  NiceMock<MockSocketIoctl> mock;  // stands in for a user's own mock delegating to `fake`
  EXPECT_CALL(mock, socket(_, _, _)).WillOnce(FailWith(fake, WSAENETDOWN));

  EXPECT_EQ(INVALID_SOCKET, mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
  EXPECT_TRUE(LastErrorIs(fake, WSAENETDOWN));
  EXPECT_THAT(fake.CallLog(), ElementsAre(AllOf(IsCallTo(Api::kSocket), WasInjected())));
}

TEST(MockSocketIoctlWithoutDelegation, ExpectCall_WithoutAction_ReturnsGMockDefault) {
  // Without DelegateToFake() the mock is a plain gMock mock: nothing reaches the fake.
  NiceMock<MockSocketIoctl> mock;
  EXPECT_CALL(mock, socket(_, _, _));

  EXPECT_EQ(mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), SOCKET{0});
  EXPECT_EQ(mock.fake().CallCount(), 0u);
}

}  // namespace
}  // namespace portres
