// The machine's own state: loading a reporter's netsh listing, and a restart of the service
// that holds the system's scattered blocks. Both run once or a few times per test, so the goal
// is that neither shows in a suite (under 50 us each).
#include <portres/fake_host.h>
#include <portres/netsh.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

namespace {

// A Hyper-V-like listing of 40 rows in netsh's English layout: a few single ports, WinNAT's
// 100-port blocks in runs, the administered block.
std::string FortyRowListing() {
  std::string text =
      "\nProtocol tcp Port Exclusion Ranges\n\n"
      "Start Port    End Port      \n"
      "----------    --------      \n";
  char row[64];
  for (unsigned port : {80U, 2869U, 5357U, 5985U, 47001U}) {
    std::snprintf(row, sizeof row, "%10u  %10u      \n", port, port);
    text += row;
  }
  unsigned first = 49200;
  for (int i = 0; i < 35; ++i) {
    if (first == 50000) {
      text += "     50000       50059     *\n";
      first = 50060;
      continue;
    }
    std::snprintf(row, sizeof row, "%10u  %10u      \n", first, first + 99);
    text += row;
    first += i % 4 == 3 ? 337 : 100;  // runs of four blocks, then a gap
  }
  text += "\n* - Administered port exclusions.\n\n";
  return text;
}

// A fresh host: what BM_Netsh_Load40Rows pays besides the load itself.
void BM_Netsh_FreshHost(benchmark::State& state) {
  for (auto _ : state) {
    portres::FakeHost host;
    benchmark::DoNotOptimize(&host);
  }
}
BENCHMARK(BM_Netsh_FreshHost);

void BM_Netsh_Load40Rows(benchmark::State& state) {
  const std::string text = FortyRowListing();
  for (auto _ : state) {
    portres::FakeHost host;
    portres::LoadNetshOutput(host, text);
    benchmark::DoNotOptimize(host.ReservationCount());
  }
  portres::FakeHost check;
  portres::LoadNetshOutput(check, text);
  state.counters["rows"] = static_cast<double>(check.ReservationCount());
}
BENCHMARK(BM_Netsh_Load40Rows);

// 20 blocks of 100 per protocol (40 in all) removed and placed anew.
void BM_Netsh_RestartSystemService(benchmark::State& state) {
  portres::FakeHostOptions options;
  options.system.blocks = 20;
  portres::FakeHost host(options);
  for (auto _ : state) benchmark::DoNotOptimize(host.RestartSystemService());
  state.counters["blocks"] = static_cast<double>(host.ReservationCount());
}
BENCHMARK(BM_Netsh_RestartSystemService);

}  // namespace
