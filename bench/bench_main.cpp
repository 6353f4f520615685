// portres_bench's main: runs the suite once (the usual console table), then prints each
// target as a ratio of two figures of this same run, with PASS or MISS.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

// One figure per benchmark: nanoseconds per iteration and its counters. CPU time, so that other
// work on the machine does not count against the figure, except for benchmarks that ask for
// real time (the threaded ones: waiting for the lock is their point). With
// --benchmark_repetitions, the median stands for the benchmark.
struct Figure {
  double ns = 0;
  benchmark::UserCounters counters;
  bool median = false;
};

class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.run_type == Run::RT_Aggregate && !median) continue;
      std::string key = run.run_name.function_name;
      if (!run.run_name.args.empty()) key += "/" + run.run_name.args;
      if (!run.run_name.threads.empty()) key += "/" + run.run_name.threads;
      Figure& figure = figures[key];
      if (figure.median && !median) continue;
      const double time = run.run_name.time_type == "real_time" ? run.GetAdjustedRealTime()
                                                                : run.GetAdjustedCPUTime();
      figure.ns = time / benchmark::GetTimeUnitMultiplier(run.time_unit) * 1e9;
      figure.counters = run.counters;
      figure.median = median;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, Figure> figures;
};

// A target: figure / baseline (or a figure alone) against a limit.
struct Target {
  const char* what;
  const char* figure;
  const char* baseline;  // nullptr: the figure is compared with the limit as it is
  const char* counter;   // nullptr: nanoseconds per iteration, else this counter
  double limit;
  bool at_least;     // true: PASS when the value is >= limit (the baseline is the dearer one)
  const char* unit;  // "x" for ratios; else the unit the value and limit are printed in
  double scale = 1;  // nanoseconds per `unit`, for figures shown in ms
};

const Target kTargets[] = {
    {"acquire+release @10k live / std::map insert+erase @10k", "BM_Fake_AcquireRelease/live:10000",
     "BM_StdMap_InsertErase/size:10000", nullptr, 2.0, false, "x"},
    {"acquire+release @10k live / gMock ON_CALL canned call", "BM_Fake_AcquireRelease/live:10000",
     "BM_GMock_OnCallReturn", nullptr, 1.0, false, "x"},
    {"wildcard acquire+release, fragmented / std::map @same size", "BM_Fake_WildcardFragmented",
     "BM_StdMap_InsertErase/size:8188", nullptr, 4.0, false, "x"},
    {"kernel socket+bind+close / acquire+release @10k live", "BM_Kernel_SocketBindClose",
     "BM_Fake_AcquireRelease/live:10000", nullptr, 30.0, true, "x"},
    {"fresh fake per test (construct..destroy)", "BM_Fake_FreshPerTest", nullptr, nullptr, 1000.0,
     false, "ns"},
    {"heap bytes per live reservation @60k", "BM_Fake_MemoryPerReservation/fragmented:0", nullptr,
     "heap_B_per_res", 64.0, false, "B"},
    {"fault sweep of a 10-call scenario, all documented errors", "BM_Sweep_TenCallScenario",
     nullptr, nullptr, 100e6, false, "ms", 1e6},  // "well under a second": a tenth of one
    {"kernel socket+setsockopt+bind+close / fake QUIC socket pattern",
     "BM_Kernel_SocketSetsockoptBindClose", "BM_Fake_QuicSocketPattern", nullptr, 20.0, true, "x"},
};

// Figures printed for information, each with its baseline.
const Target kInformation[] = {
    {"acquire+release @0 live / std::map @0", "BM_Fake_AcquireRelease/live:0",
     "BM_StdMap_InsertErase/size:0", nullptr, 0, false, "x"},
    {"acquire+release @1k live / std::map @1k", "BM_Fake_AcquireRelease/live:1000",
     "BM_StdMap_InsertErase/size:1000", nullptr, 0, false, "x"},
    {"acquire+release @60k live / std::map @60k", "BM_Fake_AcquireRelease/live:60000",
     "BM_StdMap_InsertErase/size:60000", nullptr, 0, false, "x"},
    {"acquire+release @10k live / gMock EXPECT_CALL with matchers",
     "BM_Fake_AcquireRelease/live:10000", "BM_GMock_ExpectCallMatchers", nullptr, 0, false, "x"},
    {"MockSocketIoctl->fake acquire+release @10k / fake direct", "BM_Mock_AcquireRelease",
     "BM_Fake_AcquireRelease/live:10000", nullptr, 0, false, "x"},
    {"2 threads, one host: time per pair / 1 thread", "BM_Fake_AcquireRelease_Threads/threads:2",
     "BM_Fake_AcquireRelease_Threads/threads:1", nullptr, 0, false, "x"},
    {"4 threads, one host: time per pair / 1 thread", "BM_Fake_AcquireRelease_Threads/threads:4",
     "BM_Fake_AcquireRelease_Threads/threads:1", nullptr, 0, false, "x"},
    {"RSS bytes per live reservation @60k", "BM_Fake_MemoryPerReservation/fragmented:0", nullptr,
     "rss_B_per_res", 0, false, "B"},
    {"heap bytes per live reservation, fragmented (8188)",
     "BM_Fake_MemoryPerReservation/fragmented:1", nullptr, "heap_B_per_res", 0, false, "B"},
    {"fault sweep: runs (the recording run + one per call and error)", "BM_Sweep_TenCallScenario",
     nullptr, "runs", 0, false, "runs"},
    {"fault sweep: runs that found a leak (the client is correct)", "BM_Sweep_TenCallScenario",
     nullptr, "failed_runs", 0, false, "runs"},
    {"peak RSS of the benchmark process", "BM_Fake_MemoryPerReservation/fragmented:1", nullptr,
     "peak_rss_MiB", 0, false, "MiB"},
};

bool Value(const std::map<std::string, Figure>& figures, const Target& target, double* value,
           std::string* detail) {
  auto figure = figures.find(target.figure);
  if (figure == figures.end()) return false;
  double numerator = figure->second.ns;
  if (target.counter != nullptr) {
    auto counter = figure->second.counters.find(target.counter);
    if (counter == figure->second.counters.end()) return false;
    numerator = counter->second.value;
  }
  char text[96];
  if (target.baseline == nullptr) {
    *value = numerator;
    *detail = "";
    return true;
  }
  auto baseline = figures.find(target.baseline);
  if (baseline == figures.end() || baseline->second.ns <= 0) return false;
  *value = numerator / baseline->second.ns;
  std::snprintf(text, sizeof text, "%.1f ns / %.1f ns", numerator, baseline->second.ns);
  *detail = text;
  return true;
}

std::string Format(const Target& target, double value) {
  char text[32];
  if (target.unit[0] == 'x') {
    std::snprintf(text, sizeof text, "%.2fx", value);
  } else {
    std::snprintf(text, sizeof text, "%.*f %s", target.scale == 1 ? 1 : 3, value / target.scale,
                  target.unit);
  }
  return text;
}

void PrintTargets(const std::map<std::string, Figure>& figures) {
  std::printf("\nportres targets (ratios of figures from this run; CPU time)\n");
  std::printf("%-60s %12s %12s  %-4s  %s\n", "target", "value", "limit", "", "figures");
  for (const Target& target : kTargets) {
    double value = 0;
    std::string detail;
    if (!Value(figures, target, &value, &detail)) {
      std::printf("%-60s %12s %12s  %-4s  (not measured in this run)\n", target.what, "-", "-",
                  "SKIP");
      continue;
    }
    const bool pass = target.at_least ? value >= target.limit : value < target.limit;
    const std::string limit = (target.at_least ? ">= " : "< ") + Format(target, target.limit);
    std::printf("%-60s %12s %12s  %-4s  %s\n", target.what, Format(target, value).c_str(),
                limit.c_str(), pass ? "PASS" : "MISS", detail.c_str());
  }
  std::printf("\nfor information\n");
  for (const Target& target : kInformation) {
    double value = 0;
    std::string detail;
    if (!Value(figures, target, &value, &detail)) continue;
    std::printf("%-60s %12s %12s  %-4s  %s\n", target.what, Format(target, value).c_str(), "", "",
                detail.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  PrintTargets(reporter.figures);
  benchmark::Shutdown();
  return 0;
}
