// FreePortIndex (fake/free_port_index.h), the free runs wildcard acquires and ephemeral binds
// choose from ([ref:open-4]: smallest run that fits, lowest start among equals):
// a few cases by hand, then seeded random operations against a naive model that keeps one bool
// per port and finds the runs by scanning.
#include "free_port_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

using portres::detail::FreePortIndex;

using Port = std::optional<std::uint32_t>;

constexpr std::uint32_t kLastPort = 65535;

// ---- By hand ----

// Runs `check` on a fresh index of first..last and on one that has held many runs before (every
// other port occupied, then freed again): the answers depend only on which ports are free, even
// if the index keeps a few runs and many runs in different forms.
template <typename Check>
void ForEachHistory(std::uint32_t first, std::uint32_t last, Check check) {
  for (const bool held_many_runs : {false, true}) {
    SCOPED_TRACE(held_many_runs ? "after holding many runs" : "fresh");
    FreePortIndex index(first, last);
    if (held_many_runs) {
      for (std::uint32_t port = first + 1; port < last; port += 2) index.Occupy(port, port);
      ASSERT_EQ(index.RunCount(), (last - first) / 2 + 1);
      for (std::uint32_t port = first + 1; port < last; port += 2) index.Free(port, port);
      ASSERT_EQ(index.RunCount(), 1U);
    }
    check(index);
  }
}

// Leaves free runs 100..109 (10), 120..124 (5), 130..135 (6) and 190..199 (10) of 100..199.
void Fragment(FreePortIndex& index) {
  index.Occupy(110, 119);
  index.Occupy(125, 129);
  index.Occupy(136, 189);
}

TEST(FreePortIndexModel, New_HasTheWholeRangeAsOneRun) {
  ForEachHistory(49152, 65535, [](FreePortIndex& index) {
    EXPECT_EQ(index.RunCount(), 1U);
    EXPECT_EQ(index.LowestFree(), 49152U);
    EXPECT_EQ(index.FindBestFit(16384), 49152U);
    EXPECT_EQ(index.FindBestFit(16385), std::nullopt);
    EXPECT_FALSE(index.IsFree(49151));
    EXPECT_TRUE(index.IsFree(65535));
  });
}

TEST(FreePortIndexModel, FindBestFit_PrefersTheSmallerRun) {
  ForEachHistory(100, 199, [](FreePortIndex& index) {
    Fragment(index);
    ASSERT_EQ(index.RunCount(), 4U);
    EXPECT_EQ(index.FindBestFit(5), 120U);
    EXPECT_EQ(index.FindBestFit(4), 120U) << "the run of 5, not the lower run of 10";
    EXPECT_EQ(index.FindBestFit(6), 130U);
    EXPECT_EQ(index.FindBestFit(7), 100U);
    EXPECT_EQ(index.FindBestFit(11), std::nullopt);
  });
}

TEST(FreePortIndexModel, FindBestFit_AmongEqualRuns_TakesTheLowestStart) {
  ForEachHistory(100, 199, [](FreePortIndex& index) {
    Fragment(index);
    EXPECT_EQ(index.FindBestFit(8), 100U);
    index.Occupy(100, 109);
    EXPECT_EQ(index.FindBestFit(8), 190U);
  });
  ForEachHistory(100, 199, [](FreePortIndex& index) {
    // The lowest start, not the run that became free first.
    index.Occupy(100, 199);
    index.Free(180, 184);
    index.Free(120, 124);
    EXPECT_EQ(index.FindBestFit(5), 120U);
  });
}

TEST(FreePortIndexModel, Free_BetweenTwoRuns_MergesWithBothNeighbours) {
  ForEachHistory(100, 199, [](FreePortIndex& index) {
    index.Occupy(120, 129);
    ASSERT_EQ(index.RunCount(), 2U);
    index.Free(120, 124);  // joins the run below only: 100..124 (25) and 130..199 (70)
    EXPECT_EQ(index.RunCount(), 2U);
    EXPECT_TRUE(index.IsFree(124));
    EXPECT_FALSE(index.IsFree(125));
    EXPECT_EQ(index.FindBestFit(25), 100U);
    EXPECT_EQ(index.FindBestFit(26), 130U);
    index.Free(125, 129);  // touches both
    EXPECT_EQ(index.RunCount(), 1U);
    EXPECT_EQ(index.FindBestFit(100), 100U);
  });
}

// Eight runs fill the inline form; each way of needing a ninth moves the index to its bitmaps,
// and the runs must come through unchanged (review finding: the Free path had no test).
FreePortIndex WithEightRuns() {
  FreePortIndex index(1, 17);
  for (std::uint32_t port = 2; port <= 14; port += 2) index.Occupy(port, port);  // 1,3,..,13,15-17
  return index;
}

TEST(FreePortIndexModel, OccupyNeedingANinthRun_MovesToBitmapsAndKeepsEveryRun) {
  FreePortIndex index = WithEightRuns();
  ASSERT_EQ(index.RunCount(), 8U);
  index.Occupy(16, 16);  // 15..17 becomes 15 and 17
  EXPECT_EQ(index.RunCount(), 9U);
  for (std::uint32_t port = 1; port <= 17; ++port) {
    EXPECT_EQ(index.IsFree(port), port % 2 == 1) << "port " << port;
  }
  EXPECT_EQ(index.FindBestFit(1), Port(1));
  EXPECT_EQ(index.FindBestFit(2), std::nullopt);
  EXPECT_EQ(index.LowestFree(), Port(1));
}

TEST(FreePortIndexModel, FreeNeedingANinthRun_MovesToBitmapsAndKeepsEveryRun) {
  FreePortIndex index = WithEightRuns();
  index.Occupy(16, 17);  // runs 1,3,..,13,15: eight
  index.Occupy(15, 15);  // seven
  index.Occupy(17, 17);  // still seven: 17 was covered
  ASSERT_EQ(index.RunCount(), 7U);
  index.Free(17, 17);  // a new run touching no neighbour: eight
  index.Free(15, 15);  // joins nothing (14 and 16 covered): a ninth
  EXPECT_EQ(index.RunCount(), 9U);
  for (std::uint32_t port = 1; port <= 17; ++port) {
    EXPECT_EQ(index.IsFree(port), port % 2 == 1) << "port " << port;
  }
  index.Free(16, 16);  // joins 15 and 17
  EXPECT_EQ(index.RunCount(), 8U);
  EXPECT_EQ(index.FindBestFit(2), Port(15));
}

TEST(FreePortIndexModel, Occupy_InsideARun_SplitsItInTwo) {
  ForEachHistory(100, 199, [](FreePortIndex& index) {
    index.Occupy(150, 150);
    EXPECT_EQ(index.RunCount(), 2U);
    EXPECT_TRUE(index.IsFree(149));
    EXPECT_FALSE(index.IsFree(150));
    EXPECT_TRUE(index.IsFree(151));
    EXPECT_EQ(index.LowestFree(), 100U);
    EXPECT_EQ(index.FindBestFit(49), 151U) << "151..199 is 49 ports, 100..149 is 50";
    EXPECT_EQ(index.FindBestFit(50), 100U);
    EXPECT_EQ(index.FindBestFit(51), std::nullopt);
  });
}

TEST(FreePortIndexModel, Occupy_AcrossSeveralRunsAndCoveredPorts_LeavesOnlyTheOutsideParts) {
  ForEachHistory(100, 199, [](FreePortIndex& index) {
    Fragment(index);
    index.Occupy(105, 132);  // cuts 100..109 and 130..135, swallows 120..124
    EXPECT_EQ(index.RunCount(), 3U);
    EXPECT_EQ(index.FindBestFit(1), 133U);  // 133..135
    EXPECT_EQ(index.FindBestFit(4), 100U);  // 100..104
    EXPECT_FALSE(index.IsFree(122));
    index.Occupy(110, 119);  // already covered: nothing changes
    EXPECT_EQ(index.RunCount(), 3U);
  });
}

TEST(FreePortIndexModel, OccupyAndFree_AreClippedToTheRange) {
  ForEachHistory(100, 199, [](FreePortIndex& index) {
    index.Occupy(0, 104);
    index.Occupy(195, kLastPort);
    EXPECT_EQ(index.RunCount(), 1U);
    EXPECT_EQ(index.LowestFree(), 105U);
    EXPECT_EQ(index.FindBestFit(90), 105U);
    EXPECT_EQ(index.FindBestFit(91), std::nullopt);
    index.Free(1, 104);
    index.Free(195, 1000);
    EXPECT_EQ(index.RunCount(), 1U);
    EXPECT_EQ(index.FindBestFit(100), 100U);
    EXPECT_FALSE(index.IsFree(99));
    EXPECT_FALSE(index.IsFree(200));
  });
}

TEST(FreePortIndexModel, Free_AtBothEndsOfTheSpace_ThenBetween_IsOneRun) {
  ForEachHistory(49152, 65535, [](FreePortIndex& index) {
    index.Occupy(49152, 65535);
    EXPECT_EQ(index.RunCount(), 0U);
    EXPECT_EQ(index.LowestFree(), std::nullopt);
    EXPECT_EQ(index.FindBestFit(1), std::nullopt);
    index.Free(65535, 65535);
    index.Free(49152, 49152);
    EXPECT_EQ(index.RunCount(), 2U);
    EXPECT_EQ(index.FindBestFit(1), 49152U);
    index.Free(49153, 65534);
    EXPECT_EQ(index.RunCount(), 1U);
    EXPECT_EQ(index.FindBestFit(16384), 49152U);
  });
}

TEST(FreePortIndexModel, OnePortRange_FreeOccupiedFreeAgain) {
  FreePortIndex index(65535, 65535);
  EXPECT_EQ(index.FindBestFit(1), 65535U);
  EXPECT_EQ(index.FindBestFit(2), std::nullopt);
  index.Occupy(65000, 65535);
  EXPECT_EQ(index.RunCount(), 0U);
  EXPECT_FALSE(index.IsFree(65535));
  EXPECT_EQ(index.FindBestFit(1), std::nullopt);
  index.Free(65535, 65535);
  EXPECT_EQ(index.LowestFree(), 65535U);
  EXPECT_EQ(index.RunCount(), 1U);
}

// ---- Against the naive model ----

// A uniform integer in lo..hi. Plain modulo rather than std::uniform_int_distribution, whose
// output differs between standard libraries: a failing seed replays the same on every platform.
std::uint32_t Uniform(std::mt19937& rng, std::uint32_t lo, std::uint32_t hi) {
  return lo + static_cast<std::uint32_t>(rng() % (std::uint64_t{hi} - lo + 1));
}

struct Run {
  std::uint32_t first;
  std::uint32_t length;
};

// One flag per port of the range; everything else by scanning it. Bytes rather than
// std::vector<bool>, whose proxies make the scans many times slower in a Debug build.
class NaiveFreePorts {
 public:
  NaiveFreePorts(std::uint32_t first, std::uint32_t last)
      : first_(first), last_(last), free_(last - first + 1, 1) {}

  void Occupy(std::uint32_t first, std::uint32_t last) { Mark(first, last, 0); }
  void Free(std::uint32_t first, std::uint32_t last) { Mark(first, last, 1); }

  bool IsFree(std::uint32_t port) const {
    return port >= first_ && port <= last_ && free_[port - first_] != 0;
  }

  // The maximal free runs, lowest first.
  std::vector<Run> Runs() const {
    std::vector<Run> runs;
    const std::uint8_t* free = free_.data();
    const std::uint32_t size = static_cast<std::uint32_t>(free_.size());
    for (std::uint32_t i = 0; i < size; ++i) {
      if (free[i] == 0) continue;
      const std::uint32_t start = i;
      while (i + 1 < size && free[i + 1] != 0) ++i;
      runs.push_back(Run{first_ + start, i - start + 1});
    }
    return runs;
  }

  // A covered port of the range, the first at or after `from` (wrapping), if any.
  std::optional<std::uint32_t> CoveredFrom(std::uint32_t from) const {
    const std::uint8_t* free = free_.data();
    const std::uint32_t size = static_cast<std::uint32_t>(free_.size());
    for (std::uint32_t i = from - first_; i < size; ++i) {
      if (free[i] == 0) return first_ + i;
    }
    for (std::uint32_t i = 0; i < from - first_; ++i) {
      if (free[i] == 0) return first_ + i;
    }
    return std::nullopt;
  }

  // The maximal covered stretch of the range around a covered `port`.
  std::pair<std::uint32_t, std::uint32_t> CoveredAround(std::uint32_t port) const {
    std::uint32_t low = port;
    std::uint32_t high = port;
    while (low > first_ && free_[low - 1 - first_] == 0) --low;
    while (high < last_ && free_[high + 1 - first_] == 0) ++high;
    return {low, high};
  }

 private:
  void Mark(std::uint32_t first, std::uint32_t last, std::uint8_t free) {
    first = std::max(first, first_);
    last = std::min(last, last_);
    for (std::uint32_t port = first; port <= last; ++port) free_[port - first_] = free;
  }

  std::uint32_t first_;
  std::uint32_t last_;
  std::vector<std::uint8_t> free_;  // 1: free
};

// The smallest run of at least `count` ports, lowest start among equals.
Port BestFit(const std::vector<Run>& runs, std::uint32_t count) {
  const Run* best = nullptr;
  for (const Run& run : runs) {
    if (run.length >= count && (best == nullptr || run.length < best->length)) best = &run;
  }
  return best == nullptr ? Port{} : Port{best->first};
}

std::string Describe(Port port) { return port ? std::to_string(*port) : "none"; }

// Every answer of the index against the model's: RunCount, LowestFree, FindBestFit for 1, 2, a
// random count, the longest run, one more than that, and a length some run has; IsFree at the
// `probes` and at random ports in `low..high`.
::testing::AssertionResult MatchesModel(const FreePortIndex& index, const NaiveFreePorts& model,
                                        const std::vector<std::uint32_t>& probes, std::uint32_t low,
                                        std::uint32_t high, std::mt19937& rng) {
  const std::vector<Run> runs = model.Runs();
  if (index.RunCount() != runs.size()) {
    return ::testing::AssertionFailure()
           << "RunCount() is " << index.RunCount() << ", the model has " << runs.size();
  }
  const Port lowest = runs.empty() ? Port{} : Port{runs.front().first};
  if (index.LowestFree() != lowest) {
    return ::testing::AssertionFailure() << "LowestFree() is " << Describe(index.LowestFree())
                                         << ", the model says " << Describe(lowest);
  }
  std::uint32_t longest = 0;
  for (const Run& run : runs) longest = std::max(longest, run.length);
  std::vector<std::uint32_t> counts = {1, 2, Uniform(rng, 1, longest + 1), longest + 1};
  if (!runs.empty()) {
    counts.push_back(longest);
    counts.push_back(runs[Uniform(rng, 0, static_cast<std::uint32_t>(runs.size() - 1))].length);
  }
  for (const std::uint32_t count : counts) {
    if (index.FindBestFit(count) != BestFit(runs, count)) {
      return ::testing::AssertionFailure()
             << "FindBestFit(" << count << ") is " << Describe(index.FindBestFit(count))
             << ", the model says " << Describe(BestFit(runs, count));
    }
  }
  std::vector<std::uint32_t> ports = probes;
  for (int i = 0; i < 8; ++i) ports.push_back(Uniform(rng, low, high));
  for (const std::uint32_t port : ports) {
    if (index.IsFree(port) != model.IsFree(port)) {
      return ::testing::AssertionFailure() << "IsFree(" << port << ") is " << index.IsFree(port);
    }
  }
  return ::testing::AssertionSuccess();
}

// The ports an operation may name: the index's range, and up to kMargin ports outside it (within
// 0..65535), to be clipped.
struct Span {
  static constexpr std::uint32_t kMargin = 20;
  Span(std::uint32_t first, std::uint32_t last)
      : first(first),
        last(last),
        low(first < kMargin ? 0 : first - kMargin),
        high(std::min(last + kMargin, kLastPort)) {}
  std::uint32_t size() const { return last - first + 1; }
  std::uint32_t first, last, low, high;
};

// Operations come in phases: fragmenting ones (short Occupy, a few ports freed out of a covered
// stretch) raise the number of runs; consolidating ones (long Occupy, whole stretches freed)
// merge them again.
bool Fragmenting(int op) { return op / 250 % 2 == 0; }

// A range for Free that the model says is entirely covered (the caller's guarantee): all, part or
// a few ports of the covered stretch around a random covered port, reaching past an end of the
// range now and then where the stretch touches it. None if nothing is covered.
std::optional<std::pair<std::uint32_t, std::uint32_t>> ChooseFree(const NaiveFreePorts& model,
                                                                  const Span& span,
                                                                  bool fragmenting,
                                                                  std::mt19937& rng) {
  const std::optional<std::uint32_t> covered =
      model.CoveredFrom(Uniform(rng, span.first, span.last));
  if (!covered) return std::nullopt;
  const auto [stretch_first, stretch_last] = model.CoveredAround(*covered);
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  const std::uint32_t kind = Uniform(rng, 0, 9);
  if (fragmenting ? kind < 8 : kind < 1) {  // a few ports: a new run between two covered parts
    from = std::max(stretch_first, *covered - std::min(*covered, Uniform(rng, 0, 7)));
    to = std::min(stretch_last, *covered + Uniform(rng, 0, 7));
  } else if (fragmenting || kind < 5) {  // any part of it
    from = Uniform(rng, stretch_first, *covered);
    to = Uniform(rng, *covered, stretch_last);
  } else {  // all of it: merges with the runs on both sides
    from = stretch_first;
    to = stretch_last;
  }
  if (from == span.first && Uniform(rng, 0, 1) == 0) from = Uniform(rng, span.low, span.first);
  if (to == span.last && Uniform(rng, 0, 1) == 0) to = Uniform(rng, span.last, span.high);
  return std::pair{from, to};
}

// A range for Occupy: starting anywhere, next to the last operation (so it overlaps or touches
// what just changed) or next to a word or page edge of the bitmaps; a few ports long, or (when
// consolidating) up to more than the whole range.
std::pair<std::uint32_t, std::uint32_t> ChooseOccupy(const Span& span, std::uint32_t focus,
                                                     bool fragmenting, std::mt19937& rng) {
  std::uint32_t from = 0;
  const std::uint32_t where = Uniform(rng, 0, 5);
  if (where < 2) {
    from = Uniform(rng, std::max(focus, span.low + 8) - 8, std::min(focus + 8, span.high));
  } else if (where < 3) {
    const std::uint32_t alignment = Uniform(rng, 0, 1) == 0 ? 64 : 4096;
    const std::uint32_t edge = Uniform(rng, span.low, span.high) / alignment * alignment;
    from = std::clamp(edge + Uniform(rng, 0, 2), span.low + 1, span.high) - 1;
  } else {
    from = Uniform(rng, span.low, span.high);
  }
  std::uint32_t length = Uniform(rng, 1, 8);
  const std::uint32_t kind = Uniform(rng, 0, 99);
  if (fragmenting || kind < 40) {
    // a few ports
  } else if (kind < 80) {
    length = Uniform(rng, 1, 100);
  } else if (kind < 97) {
    length = Uniform(rng, 1, std::max(span.size() / 8, 1U));
  } else {
    length = Uniform(rng, 1, span.size() + 2 * Span::kMargin);
  }
  return {from, std::min(from + length - 1, span.high)};
}

// Seeded random Occupy and Free on an index of first..last and on the model, comparing every
// answer after each operation, and IsFree at every port every 64 operations. With a
// `covered_every` of n, every n-th port is occupied first: thousands of short runs.
void RunRandomOperations(std::uint32_t first, std::uint32_t last, int operations, unsigned seed,
                         std::uint32_t covered_every = 0) {
  SCOPED_TRACE(::testing::Message() << "range " << first << ".." << last << ", seed " << seed);
  std::mt19937 rng(seed);
  const Span span(first, last);
  FreePortIndex index(first, last);
  NaiveFreePorts model(first, last);
  ASSERT_TRUE(MatchesModel(index, model, {first, last}, span.low, span.high, rng)) << "new index";
  if (covered_every != 0) {
    for (std::uint32_t port = first + covered_every - 1; port <= last; port += covered_every) {
      index.Occupy(port, port);
      model.Occupy(port, port);
    }
    ASSERT_TRUE(MatchesModel(index, model, {first, last}, span.low, span.high, rng))
        << "every " << covered_every << "th port occupied";
  }

  std::uint32_t focus = first;  // where the last operation was
  for (int op = 0; op < operations; ++op) {
    const bool fragmenting = Fragmenting(op);
    std::optional<std::pair<std::uint32_t, std::uint32_t>> freed;
    if (Uniform(rng, 0, 99) < (fragmenting ? 40 : 50)) {
      freed = ChooseFree(model, span, fragmenting, rng);
    }
    const auto [from, to] = freed ? *freed : ChooseOccupy(span, focus, fragmenting, rng);
    if (freed) {
      index.Free(from, to);
      model.Free(from, to);
    } else {
      index.Occupy(from, to);
      model.Occupy(from, to);
    }
    focus = Uniform(rng, 0, 1) == 0 ? from : to;

    std::vector<std::uint32_t> probes = {from, to};
    if (from > 0) probes.push_back(from - 1);
    if (to < kLastPort) probes.push_back(to + 1);
    ASSERT_TRUE(MatchesModel(index, model, probes, span.low, span.high, rng))
        << "operation " << op << ": " << (freed ? "Free(" : "Occupy(") << from << ", " << to << ")";
    if (op % 64 == 63 || op == operations - 1) {
      for (std::uint32_t port = span.low; port <= span.high; ++port) {
        ASSERT_EQ(index.IsFree(port), model.IsFree(port))
            << "operation " << op << ": port " << port;
      }
    }
  }
}

TEST(FreePortIndexModel, RandomOperations_OnTheDefaultDynamicRange_MatchTheModel) {
  RunRandomOperations(49152, 65535, 3000, 1);
}

TEST(FreePortIndexModel, RandomOperations_OnTheWholePortSpace_MatchTheModel) {
  RunRandomOperations(1, 65535, 1000, 2);
}

TEST(FreePortIndexModel, RandomOperations_OnAFinelyFragmentedRange_MatchTheModel) {
  // 5461 runs of two ports to start with: every start page and many starts per length.
  RunRandomOperations(49152, 65535, 1000, 6, 3);
}

TEST(FreePortIndexModel, RandomOperations_OnFifteenPorts_MatchTheModel) {
  // Never more than 8 runs here: an index may keep that few in a form of their own.
  RunRandomOperations(1000, 1014, 5000, 7);
}

TEST(FreePortIndexModel, RandomOperations_OnSeventeenPortsAtTheTop_MatchTheModel) {
  RunRandomOperations(65519, 65535, 5000, 8);
}

TEST(FreePortIndexModel, RandomOperations_OnAHundredPorts_MatchTheModel) {
  RunRandomOperations(100, 199, 20000, 3);
}

TEST(FreePortIndexModel, RandomOperations_AcrossAPageEdge_MatchTheModel) {
  RunRandomOperations(4096 - 300, 4096 + 300, 10000, 4);
}

TEST(FreePortIndexModel, RandomOperations_OnOnePort_MatchTheModel) {
  for (const std::uint32_t port : {1U, 1000U, 4096U, 65535U}) {
    RunRandomOperations(port, port, 500, 5);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
