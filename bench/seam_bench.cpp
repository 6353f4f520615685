// portres::seam's costs: a call of unchanged code through the seam against the same call on the
// fake, and installing plus removing a ScopedSeam.
#include <benchmark/benchmark.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/seam.h>
#include <winsock2.h>  // portres::seam's: the global WSAIoctl that Windows code calls

#include <time.h>

#include <cstdint>

#include "bench_util.h"

namespace portres::bench {
namespace {

// The global calls Windows code makes, as bench_util.h's make them on an interface.
ULONG64 GlobalAcquire(SOCKET s, std::uint16_t first) {
  INET_PORT_RANGE range{};
  range.StartPort = htons(first);
  range.NumberOfPorts = 1;
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  if (::WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance, sizeof instance,
                 &bytes, nullptr, nullptr) != 0) {
    return INVALID_PORT_RESERVATION_TOKEN;
  }
  return instance.Token.Token;
}

bool GlobalRelease(SOCKET s, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN in{};
  in.Token = token;
  DWORD bytes = 0;
  return ::WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &in, sizeof in, nullptr, 0, &bytes, nullptr,
                    nullptr) == 0;
}

// As BM_Fake_AcquireRelease/live:10000, the calls made as unchanged Windows code makes them.
void BM_Seam_AcquireRelease(benchmark::State& state) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  const SOCKET s = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (!Populate(fake, s, 10000, kTargetPort)) {
    state.SkipWithError("could not populate the host");
    return;
  }
  for (auto _ : state) {
    const ULONG64 token = GlobalAcquire(s, kTargetPort);
    benchmark::DoNotOptimize(token);
    if (!GlobalRelease(s, token)) state.SkipWithError("release failed");
  }
  fake.closesocket(s);
}
BENCHMARK(BM_Seam_AcquireRelease);

// The thread's CPU time in nanoseconds: like the suite's figures, CPU time, so that other work
// on the machine does not count against either path.
std::int64_t ThreadCpuNs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// The ratio itself, measured in one loop that alternates the two paths, so that the machine's
// load falls on both alike: seam_over_fake is the seam's time over the fake's.
void BM_Seam_OverFake(benchmark::State& state) {
  FakeSocketIoctl fake;
  const ScopedSeam seam(fake);
  const SOCKET s = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (!Populate(fake, s, 10000, kTargetPort)) {
    state.SkipWithError("could not populate the host");
    return;
  }
  std::int64_t through_seam = 0;
  std::int64_t on_fake = 0;
  constexpr int kBatch = 64;
  for (auto _ : state) {
    const std::int64_t start = ThreadCpuNs();
    for (int i = 0; i < kBatch; ++i) GlobalRelease(s, GlobalAcquire(s, kTargetPort));
    const std::int64_t middle = ThreadCpuNs();
    for (int i = 0; i < kBatch; ++i) Release(fake, s, Acquire(fake, s, kTargetPort, 1));
    const std::int64_t end = ThreadCpuNs();
    through_seam += middle - start;
    on_fake += end - middle;
  }
  state.counters["seam_over_fake"] =
      static_cast<double>(through_seam) / static_cast<double>(on_fake);
  fake.closesocket(s);
}
BENCHMARK(BM_Seam_OverFake);

void BM_Seam_InstallRemove(benchmark::State& state) {
  FakeSocketIoctl fake;
  for (auto _ : state) {
    const ScopedSeam seam(fake);  // the default FakeIpHelper included
    benchmark::DoNotOptimize(&seam);
  }
}
BENCHMARK(BM_Seam_InstallRemove);

}  // namespace
}  // namespace portres::bench
