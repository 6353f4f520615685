// MockSocketIoctl: the fake answers by default; an EXPECT_CALL changes one call.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <portres/matchers.h>
#include <portres/mock_socket_ioctl.h>

#include <memory>
#include <thread>
#include <tuple>

namespace portres {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::NiceMock;
using ::testing::Not;

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

TEST_F(MockSocketIoctlTest, FailWith_WhenAFaultInjectedEarlierTakesTheCall_LeavesNoFaultBehind) {
  // Faults are taken in the order injected, so the older one fails the call; FailWith's fault,
  // made for that call only, must not wait for the next socket() instead.
  mock_.fake().Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kSocket)).Times(1));
  EXPECT_CALL(mock_, socket(_, _, _))
      .WillOnce(mock_.FailWith(WSAEMFILE))
      .WillRepeatedly(::testing::DoDefault());

  EXPECT_EQ(INVALID_SOCKET, OpenTcpSocket());
  EXPECT_TRUE(LastErrorIs(mock_, WSAENETDOWN));
  EXPECT_NE(INVALID_SOCKET, OpenTcpSocket());
}

TEST_F(MockSocketIoctlTest, Pend_OnACallWithoutOverlapped_RunsItAndLeavesNoFaultBehind) {
  const SOCKET s = OpenTcpSocket();
  EXPECT_CALL(mock_, WSAIoctl(_, IsIoctlCode(SIO_ACQUIRE_PORT_RESERVATION), _, _, _, _, _, _, _))
      .WillOnce(mock_.Pend())
      .WillRepeatedly(::testing::DoDefault());
  INET_PORT_RESERVATION_INSTANCE instance{};
  ASSERT_EQ(0, Acquire(s, 5000, 20, &instance));  // no lpOverlapped: runs at once

  INET_PORT_RANGE range{htons(6000), 20};
  WSAOVERLAPPED overlapped{};
  DWORD bytes = 0;
  EXPECT_EQ(0, mock_.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                              sizeof instance, &bytes, &overlapped, nullptr));
  EXPECT_THAT(mock_.fake().PendingCalls(), IsEmpty());
}

// A race made deterministic. FailWith's action injects its fault, then forwards the call; a
// call another thread makes on the same process in between must neither take the fault nor
// make it miss. The action here forwards through `front_`, a mock in front of `fake_` that
// first runs the other thread's call to the end (OnAnotherThread), then passes the call on:
// the other thread's call lands exactly in that window, every run.
class FailWithAcrossThreadsTest : public ::testing::Test {
 protected:
  // Runs `call` on a thread of its own and waits for it to finish.
  template <typename F>
  static void OnAnotherThread(F call) {
    std::thread other(std::move(call));
    other.join();
  }

  // FailWith(fake_, error), forwarding through front_.
  detail::InjectAndForward FailWithThroughFront(int wsa_error) {
    return detail::InjectAndForward(fake_, Fault::Error(wsa_error), &front_);
  }

  FakeSocketIoctl fake_;
  NiceMock<MockSocketIoctl> front_;
};

TEST_F(FailWithAcrossThreadsTest, SameCallOnAnotherThreadInBetween_SucceedsAndThisOneFails) {
  SOCKET others = INVALID_SOCKET;
  int others_error = 0;
  ON_CALL(front_, socket).WillByDefault([&](int af, int type, int protocol) {
    OnAnotherThread([&] {
      others = fake_.socket(af, type, protocol);
      others_error = fake_.WSAGetLastError();
    });
    return fake_.socket(af, type, protocol);
  });
  const ::testing::Action<SOCKET(int, int, int)> fail = FailWithThroughFront(WSAEMFILE);

  const SOCKET mine = fail.Perform(std::make_tuple(AF_INET, SOCK_STREAM, IPPROTO_TCP));

  EXPECT_NE(others, INVALID_SOCKET);
  EXPECT_EQ(others_error, 0);
  EXPECT_EQ(mine, INVALID_SOCKET);
  EXPECT_TRUE(LastErrorIs(fake_, WSAEMFILE));
  EXPECT_THAT(fake_.CallLog(),
              ElementsAre(AllOf(IsCallTo(Api::kSocket), Not(WasInjected())),
                          AllOf(IsCallTo(Api::kSocket), FailedWith(WSAEMFILE), WasInjected())));
  EXPECT_EQ(fake_.Sockets().size(), 1u);
}

TEST_F(FailWithAcrossThreadsTest, OtherCallOnAnotherThreadInBetween_StillFailsThisOne) {
  const SOCKET s = fake_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ASSERT_NE(s, INVALID_SOCKET);
  ON_CALL(front_, closesocket).WillByDefault([&](SOCKET socket) {
    OnAnotherThread([&] { fake_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP); });
    return fake_.closesocket(socket);
  });
  const ::testing::Action<int(SOCKET)> fail = FailWithThroughFront(WSAEINTR);

  EXPECT_EQ(SOCKET_ERROR, fail.Perform(std::make_tuple(s)));
  EXPECT_TRUE(LastErrorIs(fake_, WSAEINTR));
  EXPECT_EQ(fake_.Sockets().size(), 2u);  // s is still open, next to the other thread's
}

TEST_F(FailWithAcrossThreadsTest, PendWithTheSameIoctlOnAnotherThreadInBetween_PendsThisOneOnly) {
  const SOCKET s = fake_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RANGE mine_range{htons(5000), 20};
  INET_PORT_RANGE others_range{htons(6000), 20};
  INET_PORT_RESERVATION_INSTANCE mine_instance{};
  INET_PORT_RESERVATION_INSTANCE others_instance{};
  WSAOVERLAPPED mine_overlapped{};
  WSAOVERLAPPED others_overlapped{};
  int others_result = SOCKET_ERROR;
  ON_CALL(front_, WSAIoctl)
      .WillByDefault([&](SOCKET socket, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                         DWORD out_size, LPDWORD bytes, LPWSAOVERLAPPED overlapped,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE routine) {
        OnAnotherThread([&] {
          DWORD others_bytes = 0;
          others_result =
              fake_.WSAIoctl(socket, code, &others_range, sizeof others_range, &others_instance,
                             sizeof others_instance, &others_bytes, &others_overlapped, nullptr);
        });
        return fake_.WSAIoctl(socket, code, in, in_size, out, out_size, bytes, overlapped, routine);
      });
  using WSAIoctlSignature = int(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD,
                                LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE);
  const ::testing::Action<WSAIoctlSignature> pend =
      detail::InjectAndForward(fake_, Fault::Pend(), &front_);
  DWORD bytes = 0;

  const int mine_result = pend.Perform(
      std::make_tuple(s, DWORD{SIO_ACQUIRE_PORT_RESERVATION}, LPVOID{&mine_range},
                      DWORD{sizeof mine_range}, LPVOID{&mine_instance}, DWORD{sizeof mine_instance},
                      &bytes, &mine_overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE{nullptr}));

  EXPECT_EQ(others_result, 0);
  EXPECT_EQ(mine_result, SOCKET_ERROR);
  EXPECT_TRUE(LastErrorIs(fake_, WSA_IO_PENDING));
  EXPECT_THAT(fake_.PendingCalls(), ElementsAre(&mine_overlapped));
  EXPECT_THAT(fake_.Reservations(), ElementsAre(ReservationOf(Protocol::kTcp, 6000, 20)));
}

TEST(FaultOnThisThread, OnNextCall_SkipsOtherThreadsCallsAndHitsThisThreadsNext) {
  FakeSocketIoctl fake;
  fake.Inject(Fault::Error(WSAENETDOWN).OnThisThread().OnNextCall());
  SOCKET others = INVALID_SOCKET;
  std::thread other([&] { others = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP); });
  other.join();

  EXPECT_NE(others, INVALID_SOCKET);
  EXPECT_EQ(INVALID_SOCKET, fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
  EXPECT_TRUE(LastErrorIs(fake, WSAENETDOWN));
  EXPECT_NE(INVALID_SOCKET, fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));  // used up
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

TEST(MockSocketIoctlCannedOnly, ExpectCall_WithoutAction_ReturnsGMockDefault) {
  // Asked for canned answers, the mock is a plain gMock mock: nothing reaches the fake.
  NiceMock<MockSocketIoctl> mock(kCannedOnly);
  EXPECT_CALL(mock, socket(_, _, _));

  EXPECT_EQ(mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), SOCKET{0});
  EXPECT_EQ(mock.WSAGetLastError(), 0);
  EXPECT_EQ(mock.fake().CallCount(), 0u);
}

TEST(MockSocketIoctlCannedOnly, DelegateToFake_ThenDelegates_AndAnEarlierExpectCallStillWins) {
  NiceMock<MockSocketIoctl> mock(kCannedOnly);
  EXPECT_CALL(mock, closesocket(_)).WillOnce(::testing::Return(SOCKET_ERROR));
  mock.DelegateToFake();
  mock.DelegateToFake();  // idempotent

  const SOCKET s = mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ASSERT_NE(s, INVALID_SOCKET);
  EXPECT_EQ(mock.closesocket(s), SOCKET_ERROR);  // the test's expectation, written first
  EXPECT_EQ(mock.fake().Sockets().size(), 1u);
  mock.fake().closesocket(s);
}

// Without any DelegateToFake(): every call reaches the fake from construction.
TEST(MockSocketIoctlDelegation, FromConstruction_EveryCallReachesTheFake) {
  NiceMock<MockSocketIoctl> mock;
  const SOCKET s = mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  ASSERT_NE(s, INVALID_SOCKET);
  INET_PORT_RANGE range{htons(5000), 20};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  ASSERT_EQ(0, mock.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                             sizeof instance, &bytes, nullptr, nullptr));
  EXPECT_THAT(mock.fake().Reservations(), ElementsAre(ReservationOf(Protocol::kTcp, 5000, 20)));
  EXPECT_EQ(mock.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, nullptr, 0, nullptr, 0, &bytes, nullptr,
                          nullptr),
            SOCKET_ERROR);
  EXPECT_THAT(mock.WSAGetLastError(), IsWsaError(WSAEFAULT));
  EXPECT_EQ(0, mock.closesocket(s));
  EXPECT_THAT(mock.fake().Sockets(), IsEmpty());
}

TEST(MockSocketIoctlDelegation, ExpectCallBeforeDelegateToFake_StillTakesPrecedence) {
  NiceMock<MockSocketIoctl> mock;
  EXPECT_CALL(mock, socket(AF_INET, SOCK_DGRAM, _)).WillOnce(mock.FailWith(WSAEMFILE));
  mock.DelegateToFake();
  mock.DelegateToFake();

  EXPECT_EQ(mock.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), INVALID_SOCKET);
  EXPECT_TRUE(LastErrorIs(mock, WSAEMFILE));
  // A call the expectation does not match goes to the fake.
  const SOCKET s = mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  EXPECT_NE(s, INVALID_SOCKET);
  EXPECT_EQ(mock.fake().Sockets().size(), 1u);
  mock.closesocket(s);
}

TEST(MockSocketIoctlDelegation, OnCall_TakesPrecedenceOverTheFake) {
  NiceMock<MockSocketIoctl> mock;
  ON_CALL(mock, WSAGetLastError).WillByDefault(::testing::Return(WSAENETDOWN));
  EXPECT_EQ(mock.WSAGetLastError(), WSAENETDOWN);
  EXPECT_NE(mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), INVALID_SOCKET);
}

TEST(MockSocketIoctlDelegation, StrictMockWithoutExpectations_DelegatesSilently) {
  ::testing::StrictMock<MockSocketIoctl> mock;
  const SOCKET s = mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  EXPECT_EQ(mock.closesocket(s), 0);
}

// Failures gMock reports speak Winsock: the call in flight, and the calls the fake saw.
void ReleaseMoreThanExpected() {
  NiceMock<MockSocketIoctl> mock;
  EXPECT_CALL(mock, WSAIoctl(_, SIO_RELEASE_PORT_RESERVATION, _, _, _, _, _, _, _)).Times(0);
  const SOCKET s = mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RESERVATION_TOKEN token{0x2a};
  DWORD bytes = 0;
  mock.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0, &bytes, nullptr,
                nullptr);
  mock.closesocket(s);
}

TEST(MockSocketIoctlFailures, AnUnexpectedCall_IsNamedInWinsocksWords) {
  EXPECT_NONFATAL_FAILURE(
      ReleaseMoreThanExpected(),
      "the call in flight: WSAIoctl(s=0x100, SIO_RELEASE_PORT_RESERVATION, token 0x2a)");
}

void ExpectAReleaseThatNeverComes() {
  NiceMock<MockSocketIoctl> mock;
  EXPECT_CALL(mock, WSAIoctl(_, IsIoctlCode(SIO_RELEASE_PORT_RESERVATION), _, _, _, _, _, _, _))
      .WillOnce(mock.FailWith(WSAENETDOWN));
  const SOCKET s = mock.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  INET_PORT_RANGE range{htons(5000), 4};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  mock.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance, sizeof instance,
                &bytes, nullptr, nullptr);
  mock.closesocket(s);
}

TEST(MockSocketIoctlFailures, AnExpectationNeverMet_ComesWithTheCallsTheFakeSaw) {
  EXPECT_NONFATAL_FAILURE(ExpectAReleaseThatNeverComes(),
                          "the calls that reached the fake:\n  #0 socket() -> 0x100\n  #1 "
                          "WSAIoctl(s=0x100, SIO_ACQUIRE_PORT_RESERVATION, 5000..5003 (4 ports))");
}

}  // namespace
}  // namespace portres
