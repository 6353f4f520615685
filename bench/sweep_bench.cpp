// A fault sweep of a 10-call scenario with every documented error (target: well under a
// second). Built only once <portres/fault_sweep.h> exists.
#if __has_include(<portres/fault_sweep.h>)
#include <benchmark/benchmark.h>
#include <portres/fault_sweep.h>

#include "bench_util.h"

namespace portres::bench {
namespace {

// A client that gets it right, in exactly 10 calls when nothing fails: socket A; acquire a
// specific block and a wildcard one on A; socket B; associate B with the first block; bind B
// (port 0); getsockname B; closesocket B; release the first block; closesocket A (which ends the
// wildcard block). On any failure it closes what it opened and stops.
void TenCallClient(ISocketIoctl& api) {
  const SOCKET a = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (a == INVALID_SOCKET) return;
  const ULONG64 block = Acquire(api, a, 50000, 4);
  if (block == INVALID_PORT_RESERVATION_TOKEN || Acquire(api, a, 0, 4) == 0) {
    api.closesocket(a);
    return;
  }
  const SOCKET b = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (b != INVALID_SOCKET) {
    INET_PORT_RESERVATION_TOKEN token{};
    token.Token = block;
    DWORD bytes = 0;
    if (api.WSAIoctl(b, SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token, nullptr, 0, &bytes,
                     nullptr, nullptr) == 0) {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (api.bind(b, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
        int length = sizeof address;
        api.getsockname(b, reinterpret_cast<sockaddr*>(&address), &length);
      }
    }
    api.closesocket(b);
  }
  Release(api, a, block);  // closesocket ends it anyway if this fails
  api.closesocket(a);
}

void BM_Sweep_TenCallScenario(benchmark::State& state) {
  std::size_t runs = 0;
  std::size_t calls = 0;
  std::size_t failures = 0;
  for (auto _ : state) {
    const SweepResult result = RunFaultSweep(TenCallClient);
    runs = result.runs;
    calls = result.recorded_calls.size();
    failures = result.failures.size();
  }
  state.counters["runs"] = static_cast<double>(runs);
  state.counters["calls"] = static_cast<double>(calls);
  state.counters["failed_runs"] = static_cast<double>(failures);
}
BENCHMARK(BM_Sweep_TenCallScenario)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace portres::bench
#endif  // __has_include(<portres/fault_sweep.h>)
