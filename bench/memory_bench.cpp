// Memory per live reservation (target: under 64 bytes), measured twice: as heap bytes in
// use (glibc's mallinfo2, chunk sizes with malloc's own overhead) and as resident set growth.
// Peak RSS is the whole benchmark process's so far (getrusage).
#include <benchmark/benchmark.h>
#include <portres/fake_socket_ioctl.h>

#include <cstdint>
#include <cstdio>

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/resource.h>
#include <unistd.h>

#include "bench_util.h"

namespace portres::bench {
namespace {

double HeapBytesInUse() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  // Chunks from the heap, plus those malloc gave their own mapping (large vectors): leaving the
  // latter out made the figure depend on malloc's moving mmap threshold.
  const struct mallinfo2 info = mallinfo2();
  return static_cast<double>(info.uordblks) + static_cast<double>(info.hblkhd);
#else
  return 0;
#endif
}

double ResidentBytes() {
  long pages = 0;
  long resident = 0;
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(statm);
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double PeakResidentMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void TrimHeap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// range(0) = 0: 60k one-port blocks packed at ports 1..60000 (few free runs).
// range(0) = 1: the fragmented space of BM_Fake_WildcardFragmented (a free run per block).
void BM_Fake_MemoryPerReservation(benchmark::State& state) {
  const bool fragmented = state.range(0) == 1;
  const std::uint32_t live = fragmented ? kFragmentedLive : 60000;
  double heap = 0;
  double resident = 0;
  for (auto _ : state) {
    FakeSocketIoctl fake;
    const SOCKET s = fake.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    TrimHeap();
    const double heap_before = HeapBytesInUse();
    const double resident_before = ResidentBytes();
    bool populated = true;
    if (fragmented) {
      for (std::uint32_t i = 0; i < live; ++i) {
        const auto port = static_cast<std::uint16_t>(49152 + 2 * i);
        populated = populated && Acquire(fake, s, port, 1) != INVALID_PORT_RESERVATION_TOKEN;
      }
    } else {
      populated = Populate(fake, s, live, 0);
    }
    if (!populated) {
      state.SkipWithError("could not populate the host");
      break;
    }
    heap = HeapBytesInUse() - heap_before;
    resident = ResidentBytes() - resident_before;
    fake.closesocket(s);
  }
  state.counters["live"] = live;
  state.counters["heap_B_per_res"] = heap / live;
  state.counters["rss_B_per_res"] = resident / live;
  state.counters["peak_rss_MiB"] = PeakResidentMiB();
}
BENCHMARK(BM_Fake_MemoryPerReservation)->ArgName("fragmented")->Arg(0)->Arg(1)->Iterations(1);

}  // namespace
}  // namespace portres::bench
