// The fake is thread-safe: several threads of several processes work one host at once. The
// test asserts what must hold whatever the interleaving; it never sleeps or times anything.
#include <set>
#include <thread>
#include <vector>

#include "fake_test.h"

namespace portres::testing_fake {
namespace {

constexpr int kThreads = 8;
constexpr int kRounds = 200;

// One thread's work: acquire a wildcard block, check nobody else holds its ports by binding
// the first one from an associated socket, release, close. Returns the failures it saw.
int Churn(FakeSocketIoctl& api) {
  int failures = 0;
  for (int round = 0; round < kRounds; ++round) {
    const SOCKET s = OpenTcp(api);
    const Acquired acquired = Acquire(api, s, 0, 4);
    if (acquired.error != 0) {
      ++failures;
      api.closesocket(s);
      continue;
    }
    const SOCKET user = OpenTcp(api);
    if (Associate(api, user, acquired.token()) != 0 || Bind(api, user, 0) != 0 ||
        LocalPort(api, user) != acquired.first_port()) {
      ++failures;
    }
    if (Release(api, s, acquired.token()) != 0) ++failures;
    if (api.closesocket(user) != 0 || api.closesocket(s) != 0) ++failures;
  }
  return failures;
}

TEST(ThreadSafety, ManyThreadsOfTwoProcesses_SeeConsistentReservations) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl a(host);
  FakeSocketIoctl b(host);
  std::vector<int> failures(kThreads, -1);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { failures[t] = Churn(t % 2 == 0 ? a : b); });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  EXPECT_EQ(host->ReservationCount(), 0u);
  EXPECT_EQ(host->SocketCount(), 0u);
  EXPECT_EQ(a.CallCount() + b.CallCount(), static_cast<std::uint64_t>(kThreads) * kRounds * 9);
}

TEST(ThreadSafety, ConcurrentHolders_NeverShareAPort) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl api(host);
  std::vector<std::vector<Acquired>> held(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const SOCKET s = OpenTcp(api);
      for (int i = 0; i < 50; ++i) held[t].push_back(Acquire(api, s, 0, 3));
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::uint32_t> ports;
  std::set<ULONG64> tokens;
  for (const auto& list : held) {
    for (const Acquired& acquired : list) {
      ASSERT_EQ(acquired.error, 0);
      EXPECT_TRUE(tokens.insert(acquired.token()).second);
      for (int p = 0; p < 3; ++p) {
        EXPECT_TRUE(ports.insert(acquired.first_port() + p).second)
            << "port " << acquired.first_port() + p << " granted twice";
      }
    }
  }
  EXPECT_EQ(host->ReservationCount(), static_cast<std::size_t>(kThreads) * 50);
}

TEST(ThreadSafety, PendingCallsCompletedFromAnotherThread_RunTheirRoutineThere) {
  FakeProcessOptions pend;
  pend.pend_overlapped_calls = true;
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl api(host, pend);
  const SOCKET s = OpenTcp(api);
  std::vector<WSAOVERLAPPED> calls(32);
  for (WSAOVERLAPPED& call : calls) ASSERT_EQ(Acquire(api, s, 0, 1, &call).error, WSA_IO_PENDING);
  std::thread completer([&] { api.CompleteAllPending(); });
  completer.join();
  for (const WSAOVERLAPPED& call : calls) EXPECT_EQ(call.Internal, 0u);
  EXPECT_EQ(host->ReservationCount(), calls.size());
}

}  // namespace
}  // namespace portres::testing_fake
