// The fake's own figures: what a test pays per reservation call and per fresh fake.
#include <benchmark/benchmark.h>
#include <portres/fake_host.h>
#include <portres/fake_socket_ioctl.h>

#include <cstdint>
#include <memory>

#include "bench_util.h"

namespace portres::bench {
namespace {

// Acquire+release of one specific block through ISocketIoctl::WSAIoctl, with range(0) other
// reservations live on the same socket.
void BM_Fake_AcquireRelease(benchmark::State& state) {
  FakeSocketIoctl fake;
  const SOCKET s = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (!Populate(fake, s, static_cast<std::uint32_t>(state.range(0)), kTargetPort)) {
    state.SkipWithError("could not populate the host");
    return;
  }
  for (auto _ : state) {
    const ULONG64 token = Acquire(fake, s, kTargetPort, 1);
    benchmark::DoNotOptimize(token);
    if (!Release(fake, s, token)) state.SkipWithError("release failed");
  }
  fake.closesocket(s);
}
BENCHMARK(BM_Fake_AcquireRelease)->ArgName("live")->Arg(0)->Arg(1000)->Arg(10000)->Arg(60000);

// The dynamic range reserved one port in two, so every free run is one port long except the
// last kFragmentedBlock ports: a wildcard acquire of kFragmentedBlock ports has one place to go,
// at the far end. Returns the number of reservations made (kFragmentedLive).
std::uint32_t Fragment(ISocketIoctl& api, SOCKET s, const FakeHostOptions& options) {
  std::uint32_t made = 0;
  const std::uint32_t end = options.dynamic_last_port - kFragmentedBlock;  // keep the tail free
  for (std::uint32_t port = options.dynamic_first_port; port <= end; port += 2) {
    if (Acquire(api, s, static_cast<std::uint16_t>(port), 1) == INVALID_PORT_RESERVATION_TOKEN) {
      return 0;
    }
    ++made;
  }
  return made;
}

void BM_Fake_WildcardFragmented(benchmark::State& state) {
  FakeSocketIoctl fake;
  const SOCKET s = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  const std::uint32_t live = Fragment(fake, s, fake.host().options());
  if (live != kFragmentedLive) {
    state.SkipWithError("could not fragment the port space");
    return;
  }
  // The one free run long enough starts just after the last port Fragment reserved.
  const std::uint32_t expected = fake.host().options().dynamic_first_port + 2 * (live - 1) + 1;
  for (auto _ : state) {
    INET_PORT_RANGE range{};
    range.NumberOfPorts = kFragmentedBlock;
    INET_PORT_RESERVATION_INSTANCE instance{};
    DWORD bytes = 0;
    fake.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance, sizeof instance,
                  &bytes, nullptr, nullptr);
    if (ntohs(instance.Reservation.StartPort) != expected) {
      state.SkipWithError("the wildcard acquire did not land at the far end");
      break;
    }
    Release(fake, s, instance.Token.Token);
  }
  state.counters["live"] = live;
  fake.closesocket(s);
}
BENCHMARK(BM_Fake_WildcardFragmented);

// A fresh fake per test: construct, socket, acquire, release, closesocket, destroy.
void BM_Fake_FreshPerTest(benchmark::State& state) {
  for (auto _ : state) {
    FakeSocketIoctl fake;
    const SOCKET s = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    const ULONG64 token = Acquire(fake, s, kTargetPort, 8);
    Release(fake, s, token);
    fake.closesocket(s);
    benchmark::DoNotOptimize(token);
  }
}
BENCHMARK(BM_Fake_FreshPerTest);

// N threads, each a process of its own, on one host that holds 10k reservations of another
// process. Every call takes the host's one lock, so this measures contention, not scaling.
struct SharedHost {
  SharedHost() : host(std::make_shared<FakeHost>()), holder(host) {
    const SOCKET s = holder.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    Populate(holder, s, 10000, 0);
  }
  std::shared_ptr<FakeHost> host;
  FakeSocketIoctl holder;
};

void BM_Fake_AcquireRelease_Threads(benchmark::State& state) {
  static SharedHost* shared = new SharedHost();  // lives for the whole run, shared by all
  FakeSocketIoctl fake(shared->host);
  const SOCKET s = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  const auto port = static_cast<std::uint16_t>(kTargetPort + state.thread_index());
  for (auto _ : state) {
    const ULONG64 token = Acquire(fake, s, port, 1);
    if (!Release(fake, s, token)) state.SkipWithError("release failed");
  }
  state.SetItemsProcessed(state.iterations());
  fake.closesocket(s);
}
BENCHMARK(BM_Fake_AcquireRelease_Threads)->ThreadRange(1, 4)->UseRealTime();

}  // namespace
}  // namespace portres::bench
