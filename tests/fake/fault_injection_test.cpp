// Fault injection (<portres/fault.h>): which calls a fault hits, how often, and what it does.
#include <gmock/gmock.h>
#include <portres/describe.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

using ::testing::HasSubstr;

class FaultInjection : public FakeTest {};

TEST_F(FaultInjection, Error_WithoutTrigger_FailsOnlyTheNextCall) {
  api().Inject(Fault::Error(WSAENETDOWN));
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAENETDOWN);
  EXPECT_NE(OpenTcp(api()), INVALID_SOCKET);
}

TEST_F(FaultInjection, OnNextCall_HitsWhateverCallComesNext) {
  const SOCKET s = OpenTcp(api());
  api().Inject(Fault::Error(WSAEINTR).OnNextCall());
  EXPECT_EQ(Acquire(api(), s, 0, 1).error, WSAEINTR);
  EXPECT_EQ(Acquire(api(), s, 0, 1).error, 0);
}

TEST_F(FaultInjection, OnCall_HitsOnlyTheCallWithThatIndex) {
  // Call::index counts every call of the process from 0: socket() is call 0 here.
  api().Inject(Fault::Error(WSAEINPROGRESS).OnCall(2));
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Acquire(api(), s, 0, 1).error, 0);               // call 1
  EXPECT_EQ(Acquire(api(), s, 0, 1).error, WSAEINPROGRESS);  // call 2
  EXPECT_EQ(Acquire(api(), s, 0, 1).error, 0);               // call 3
}

TEST_F(FaultInjection, When_HitsEveryCallThePredicateAccepts) {
  api().Inject(Fault::Error(WSAENETDOWN).When(IsIoctl(SIO_RELEASE_PORT_RESERVATION)));
  const SOCKET s = OpenTcp(api());
  for (int i = 0; i < 3; ++i) {
    const Acquired acquired = Acquire(api(), s, 0, 1);
    ASSERT_EQ(acquired.error, 0);
    EXPECT_EQ(Release(api(), s, acquired.token()), WSAENETDOWN);
  }
}

TEST_F(FaultInjection, When_WithTimes_StopsAfterThatManyHits) {
  api().Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kSocket)).Times(2));
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  EXPECT_NE(OpenTcp(api()), INVALID_SOCKET);
}

TEST_F(FaultInjection, OnSocket_HitsOnlyCallsOnThatSocket) {
  const SOCKET target = OpenTcp(api());
  const SOCKET other = OpenTcp(api());
  api().Inject(Fault::Error(WSAENETDOWN).When(OnSocket(target)));
  EXPECT_EQ(Acquire(api(), other, 0, 1).error, 0);
  EXPECT_EQ(Acquire(api(), target, 0, 1).error, WSAENETDOWN);
  EXPECT_EQ(Bind(api(), target, 0), WSAENETDOWN);
}

TEST_F(FaultInjection, When_AcceptsAnyLambda) {
  api().Inject(Fault::Error(WSAEINVAL).When(
      [](const Call& call) { return call.api == Api::kBind && call.index % 2 == 0; }));
  const SOCKET a = OpenTcp(api());          // call 0
  const SOCKET b = OpenTcp(api());          // call 1
  EXPECT_EQ(Bind(api(), a, 0), WSAEINVAL);  // call 2
  EXPECT_EQ(Bind(api(), b, 0), 0);          // call 3
}

TEST_F(FaultInjection, OnNextCallWithPredicate_HitsTheNextMatchingCallOnce) {
  api().Inject(Fault::Error(WSAENETDOWN).OnNextCall().When(IsApi(Api::kBind)));
  const SOCKET a = OpenTcp(api());
  const SOCKET b = OpenTcp(api());
  EXPECT_EQ(Bind(api(), a, 0), WSAENETDOWN);
  EXPECT_EQ(Bind(api(), b, 0), 0);
}

TEST_F(FaultInjection, ErrorCode_CanBeAnyPositiveNumber) {
  api().Inject(Fault::Error(12345));
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), 12345);
  api().Inject(Fault::Error(WSA_INVALID_HANDLE));  // 6: a system code, not a WSA* one
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSA_INVALID_HANDLE);
}

// ---- Misuse: Fault::Error with a code no failing Winsock call leaves --------------------------
// What Fault::Error(code) throws; empty if it does not.
std::string MisuseMessage(int code) {
  try {
    Fault::Error(code);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(FaultMisuse, Error0_ThrowsNamingNoErrorAndWhatToUseInstead) {
  const std::string message = MisuseMessage(0);
  EXPECT_THAT(message, HasSubstr("Fault::Error(0)"));
  EXPECT_THAT(message, HasSubstr("NO_ERROR"));
  EXPECT_THAT(message, HasSubstr("e.g. WSAENETDOWN"));
  EXPECT_THAT(message, HasSubstr("Fault::Pend()"));
}

TEST(FaultMisuse, ErrorSocketError_ThrowsSayingThatIsTheReturnValue) {
  const std::string message = MisuseMessage(SOCKET_ERROR);
  EXPECT_THAT(message, HasSubstr("Fault::Error(-1)"));
  EXPECT_THAT(message, HasSubstr("SOCKET_ERROR, what a failed call returns, not its error"));
  EXPECT_THAT(message, HasSubstr("e.g. WSAENETDOWN"));
}

TEST(FaultMisuse, ErrorNegative_ThrowsNamingTheValue) {
  const std::string message = MisuseMessage(-10050);
  EXPECT_THAT(message, HasSubstr("Fault::Error(-10050)"));
  EXPECT_THAT(message, HasSubstr("Winsock error codes are positive"));
}

TEST_F(FaultInjection, MisusedError_InjectsNothingAndTheNextCallsBehaveNormally) {
  api().Inject(Fault::Error(WSAEINTR).When(IsApi(Api::kBind)).Times(1));  // already there
  const HostSnapshot before = Snapshot(host());
  EXPECT_THROW(api().Inject(Fault::Error(0)), std::invalid_argument);
  EXPECT_THROW(api().Inject(Fault::Error(0).OnNextCall()), std::invalid_argument);
  EXPECT_THROW(api().Inject(Fault::Error(SOCKET_ERROR).When(IsApi(Api::kSocket))),
               std::invalid_argument);
  EXPECT_EQ(Snapshot(host()), before);
  EXPECT_EQ(api().CallCount(), 0u);

  const SOCKET s = OpenTcp(api());
  ASSERT_NE(s, INVALID_SOCKET);
  EXPECT_EQ(Acquire(api(), s, 0, 1).error, 0);
  EXPECT_EQ(Bind(api(), s, 0), WSAEINTR) << "the fault injected before the misuse was lost";
  EXPECT_EQ(Bind(api(), s, 0), 0);
  for (const CallRecord& record : api().CallLog()) {
    EXPECT_EQ(record.injected, record.call.index == 2) << Describe(record);
  }
}

TEST_F(FaultInjection, FaultsOfOneProcess_DoNotTouchAnother) {
  FakeSocketIoctl other(shared_host());
  api().Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kSocket)));
  EXPECT_NE(OpenTcp(other), INVALID_SOCKET);
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
}

TEST_F(FaultInjection, ClearFaults_DropsFaultsNotYetUsedUp) {
  api().Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kSocket)));
  api().ClearFaults();
  EXPECT_NE(OpenTcp(api()), INVALID_SOCKET);
}

TEST_F(FaultInjection, SeveralFaults_FirstInjectedThatHitsWins) {
  api().Inject(Fault::Error(WSAEINTR).When(IsApi(Api::kSocket)).Times(1));
  api().Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kSocket)).Times(1));
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAEINTR);
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  EXPECT_EQ(api().WSAGetLastError(), WSAENETDOWN);
  EXPECT_NE(OpenTcp(api()), INVALID_SOCKET);
}

TEST_F(FaultInjection, Error_HitsEveryApi) {
  const SOCKET s = OpenTcp(api());
  WSAOVERLAPPED overlapped{};
  DWORD bytes = 0;
  DWORD flags = 0;
  ASSERT_EQ(Acquire(api(), s, 0, 1, &overlapped).error, 0);
  api().Inject(Fault::Error(WSAENETDOWN).When([](const Call&) { return true; }));
  EXPECT_EQ(OpenTcp(api()), INVALID_SOCKET);
  EXPECT_EQ(Bind(api(), s, 0), WSAENETDOWN);
  sockaddr_in name{};
  int length = static_cast<int>(sizeof name);
  EXPECT_EQ(api().getsockname(s, reinterpret_cast<sockaddr*>(&name), &length), SOCKET_ERROR);
  EXPECT_EQ(Acquire(api(), s, 0, 1).error, WSAENETDOWN);
  EXPECT_EQ(api().WSAGetOverlappedResult(s, &overlapped, &bytes, FALSE, &flags), FALSE);
  EXPECT_EQ(api().WSAGetLastError(), WSAENETDOWN);
  EXPECT_EQ(api().closesocket(s), SOCKET_ERROR);
  EXPECT_EQ(api().WSAGetLastError(), WSAENETDOWN);
  api().ClearFaults();
  EXPECT_EQ(api().closesocket(s), 0) << "the refused closesocket closed the socket";
}

// Which of `calls` socket() calls a probabilistic fault hits, on a host with `seed`.
std::vector<bool> ProbabilisticHits(std::uint64_t seed, double p, int calls) {
  FakeHostOptions options;
  options.seed = seed;
  FakeSocketIoctl api(options);
  api.Inject(Fault::Error(WSAENETDOWN).When(IsApi(Api::kSocket)).WithProbability(p));
  std::vector<bool> hits;
  hits.reserve(static_cast<std::size_t>(calls));
  for (int i = 0; i < calls; ++i) hits.push_back(OpenTcp(api) == INVALID_SOCKET);
  return hits;
}

TEST(FaultProbability, SameSeed_HitsTheSameCalls) {
  EXPECT_EQ(ProbabilisticHits(42, 0.5, 200), ProbabilisticHits(42, 0.5, 200));
}

TEST(FaultProbability, DifferentSeeds_HitDifferentCalls) {
  EXPECT_NE(ProbabilisticHits(42, 0.5, 200), ProbabilisticHits(43, 0.5, 200));
}

TEST(FaultProbability, HitRate_FollowsTheProbability) {
  const std::vector<bool> hits = ProbabilisticHits(7, 0.25, 4000);
  const auto count = std::count(hits.begin(), hits.end(), true);
  // Deterministic for this seed; the bounds only say the rate is about right.
  EXPECT_GT(count, 800);
  EXPECT_LT(count, 1200);
}

TEST(FaultProbability, ZeroAndOne_HitNothingAndEverything) {
  const std::vector<bool> none = ProbabilisticHits(1, 0.0, 100);
  const std::vector<bool> all = ProbabilisticHits(1, 1.0, 100);
  EXPECT_EQ(std::count(none.begin(), none.end(), true), 0);
  EXPECT_EQ(std::count(all.begin(), all.end(), true), 100);
}

TEST_F(FaultInjection, Pend_LeavesTheNextOverlappedIoctlPending) {
  const SOCKET s = OpenTcp(api());
  api().Inject(Fault::Pend());
  WSAOVERLAPPED overlapped{};
  EXPECT_EQ(Acquire(api(), s, 0, 1, &overlapped).error, WSA_IO_PENDING);
  EXPECT_EQ(api().PendingCalls(), std::vector<LPWSAOVERLAPPED>{&overlapped});
  EXPECT_EQ(host().ReservationCount(), 0u) << "a pending acquire has no effect yet";
}

TEST_F(FaultInjection, Pend_PassesOverCallsThatCannotPend) {
  api().Inject(Fault::Pend());
  const SOCKET s = OpenTcp(api());              // not an IOCTL: passes
  EXPECT_EQ(Acquire(api(), s, 0, 1).error, 0);  // synchronous: passes
  WSAOVERLAPPED overlapped{};
  EXPECT_EQ(Acquire(api(), s, 0, 1, &overlapped).error, WSA_IO_PENDING);  // used up here
}

TEST_F(FaultInjection, InjectedFailure_IsMarkedInTheCallLog) {
  api().Inject(Fault::Error(WSAENETDOWN));
  OpenTcp(api());
  const SOCKET s = OpenTcp(api());
  EXPECT_EQ(Bind(api(), s, 0), 0);
  const std::vector<CallRecord> log = api().CallLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_TRUE(log[0].injected);
  EXPECT_EQ(log[0].error, WSAENETDOWN);
  EXPECT_FALSE(log[1].injected);
  EXPECT_FALSE(log[2].injected);
}

}  // namespace
}  // namespace portres::testing_fake
