// PortSet and PortArray (fake/port_set.h), the port-indexed structures under the fake's free-run
// index: their edges (the first and last value of a word, of a page, of the port space) by hand,
// then a seeded run of random operations against std::set and std::map.
#include "port_set.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using portres::detail::PortArray;
using portres::detail::PortSet;

using Member = std::optional<std::uint32_t>;

constexpr std::uint32_t kLastValue = 65535;
constexpr std::uint32_t kMaxUint32 = std::numeric_limits<std::uint32_t>::max();

// The first and last values of a word (64 values) and of a page (4096 values), at both ends of
// the space and in the middle.
constexpr std::array<std::uint32_t, 21> kEdgeValues = {
    0,    1,    62,    63,    64,    65,    127,   128,   4095,  4096, 4097,
    8191, 8192, 32767, 32768, 61439, 61440, 65471, 65472, 65534, 65535};

// A uniform integer in lo..hi. Plain modulo rather than std::uniform_int_distribution, whose
// output differs between standard libraries: a failing seed replays the same on every platform.
std::uint32_t Uniform(std::mt19937& rng, std::uint32_t lo, std::uint32_t hi) {
  return lo + static_cast<std::uint32_t>(rng() % (std::uint64_t{hi} - lo + 1));
}

// What std::set answers for PortSet::Next and PortSet::Prev.
Member ModelNext(const std::set<std::uint32_t>& model, std::uint32_t value) {
  const auto it = model.lower_bound(value);
  return it == model.end() ? Member{} : Member{*it};
}
Member ModelPrev(const std::set<std::uint32_t>& model, std::uint32_t value) {
  auto it = model.upper_bound(value);
  return it == model.begin() ? Member{} : Member{*--it};
}

// Every member, walked upwards with Next and downwards with Prev.
std::vector<std::uint32_t> WalkUp(const PortSet& set) {
  std::vector<std::uint32_t> members;
  for (Member m = set.Next(0); m; m = set.Next(*m + 1)) members.push_back(*m);
  return members;
}
std::vector<std::uint32_t> WalkDown(const PortSet& set) {
  std::vector<std::uint32_t> members;
  for (Member m = set.Prev(kLastValue); m; m = *m == 0 ? Member{} : set.Prev(*m - 1)) {
    members.push_back(*m);
  }
  return members;
}

// ---- PortSet by hand ----

TEST(PortSet, New_IsEmptyAndHasNoMembers) {
  const PortSet set;
  EXPECT_TRUE(set.empty());
  for (const std::uint32_t v : kEdgeValues) EXPECT_FALSE(set.Contains(v)) << v;
  EXPECT_EQ(set.Next(0), std::nullopt);
  EXPECT_EQ(set.Prev(kLastValue), std::nullopt);
  EXPECT_EQ(set.Prev(kMaxUint32), std::nullopt);
}

TEST(PortSet, OneMember_AtEachEdge_IsFoundByContainsNextAndPrev) {
  for (const std::uint32_t v : kEdgeValues) {
    SCOPED_TRACE(::testing::Message() << "member " << v);
    PortSet set;
    set.Insert(v);
    EXPECT_FALSE(set.empty());
    EXPECT_TRUE(set.Contains(v));
    if (v > 0) {
      EXPECT_FALSE(set.Contains(v - 1));
    }
    if (v < kLastValue) {
      EXPECT_FALSE(set.Contains(v + 1));
    }
    EXPECT_EQ(set.Next(0), v);
    EXPECT_EQ(set.Next(v), v);
    EXPECT_EQ(set.Prev(v), v);
    EXPECT_EQ(set.Prev(kLastValue), v);
    EXPECT_EQ(set.Next(v + 1), std::nullopt) << "Next past the last member";
    if (v > 0) {
      EXPECT_EQ(set.Prev(v - 1), std::nullopt) << "Prev below the first member";
    }
  }
}

TEST(PortSet, NextAndPrev_CrossWordsAndPages) {
  PortSet set;
  set.Insert(63);            // last of word 0, page 0
  set.Insert(3 * 4096 + 5);  // inside page 3
  set.Insert(65535);         // last of the space
  EXPECT_EQ(set.Next(64), 3U * 4096 + 5) << "skips the rest of page 0 and pages 1 and 2";
  EXPECT_EQ(set.Next(3 * 4096 + 6), 65535U);
  EXPECT_EQ(set.Prev(3 * 4096 + 4), 63U);
  EXPECT_EQ(set.Prev(65534), 3U * 4096 + 5);
  EXPECT_EQ(set.Next(0), 63U);
  EXPECT_EQ(set.Prev(62), std::nullopt);
}

TEST(PortSet, Next_AtOrBeyondTheSpace_FindsNothing) {
  // Next answers "smallest member >= value"; no member is 65536 or more.
  PortSet set;
  set.Insert(65535);
  EXPECT_EQ(set.Next(65536), std::nullopt);
  EXPECT_EQ(set.Next(kMaxUint32), std::nullopt);
}

TEST(PortSet, Prev_BeyondTheSpace_SearchesFromTheLastValue) {
  // Prev answers "largest member <= value", so any value above 65535 acts as 65535.
  PortSet set;
  set.Insert(65535);
  EXPECT_EQ(set.Prev(65536), 65535U);
  EXPECT_EQ(set.Prev(kMaxUint32), 65535U);
  set.Erase(65535);
  set.Insert(4096);
  EXPECT_EQ(set.Prev(65536), 4096U);
  EXPECT_EQ(set.Prev(kMaxUint32), 4096U);
}

TEST(PortSet, Erase_OfAnAbsentValue_ChangesNothing) {
  PortSet set;
  set.Erase(100);  // no page allocated yet
  EXPECT_TRUE(set.empty());
  set.Insert(64);
  set.Erase(65);    // same word
  set.Erase(0);     // same page, a word that was never set
  set.Erase(4096);  // a page that was never allocated
  EXPECT_TRUE(set.Contains(64));
  EXPECT_FALSE(set.empty());
  EXPECT_EQ(set.Next(0), 64U);
  EXPECT_EQ(set.Prev(kLastValue), 64U);
  set.Erase(64);
  set.Erase(64);  // twice
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.Next(0), std::nullopt);
}

TEST(PortSet, Erase_OfTheLastMemberOfAWord_KeepsTheOtherWordsOfItsPage) {
  PortSet set;
  set.Insert(0);
  set.Insert(4095);
  set.Erase(0);
  EXPECT_FALSE(set.empty());
  EXPECT_EQ(set.Next(0), 4095U);
  EXPECT_EQ(set.Prev(4094), std::nullopt);
  set.Erase(4095);
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.Prev(kLastValue), std::nullopt);
}

TEST(PortSet, Clear_EmptiesTheSet_ThenItIsReusable) {
  PortSet set;
  for (const std::uint32_t v : kEdgeValues) set.Insert(v);
  set.Clear();
  EXPECT_TRUE(set.empty());
  for (const std::uint32_t v : kEdgeValues) EXPECT_FALSE(set.Contains(v)) << v;
  EXPECT_EQ(set.Next(0), std::nullopt);
  EXPECT_EQ(set.Prev(kLastValue), std::nullopt);

  set.Insert(4097);  // a page kept by Clear
  set.Insert(12345);
  EXPECT_EQ(WalkUp(set), (std::vector<std::uint32_t>{4097, 12345}));
  EXPECT_EQ(set.Prev(4096), std::nullopt);
  set.Clear();
  set.Clear();  // twice
  EXPECT_TRUE(set.empty());
}

TEST(PortSet, EveryValue_InsertedThenErased_WalksInOrder) {
  PortSet set;
  for (std::uint32_t v = 0; v <= kLastValue; ++v) set.Insert(v);
  const std::vector<std::uint32_t> up = WalkUp(set);
  ASSERT_EQ(up.size(), 65536U);
  for (std::uint32_t v = 0; v <= kLastValue; ++v) ASSERT_EQ(up[v], v);
  EXPECT_EQ(WalkDown(set).size(), 65536U);
  // Erase every other value: each word keeps members until its last one goes.
  for (std::uint32_t v = 0; v <= kLastValue; v += 2) set.Erase(v);
  EXPECT_EQ(set.Next(0), 1U);
  EXPECT_EQ(set.Next(4096), 4097U);
  EXPECT_EQ(set.Prev(4096), 4095U);
  for (std::uint32_t v = 1; v <= kLastValue; v += 2) set.Erase(v);
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.Next(0), std::nullopt);
}

// ---- PortSet against std::set ----

// A value to operate on: clustered in a few pages (so words and pages fill and empty), near a
// word or page edge, or anywhere.
std::uint32_t RandomValue(std::mt19937& rng) {
  static constexpr std::uint32_t kHotPages[] = {0, 1, 7, 15};
  const std::uint32_t kind = Uniform(rng, 0, 99);
  if (kind < 35) {  // anywhere in a hot page
    return kHotPages[Uniform(rng, 0, 3)] * 4096 + Uniform(rng, 0, 4095);
  }
  if (kind < 55) {  // a few words at the ends of a hot page: dense words
    const std::uint32_t page = kHotPages[Uniform(rng, 0, 3)];
    return Uniform(rng, 0, 1) == 0 ? page * 4096 + Uniform(rng, 0, 127)
                                   : page * 4096 + 4096 - 128 + Uniform(rng, 0, 127);
  }
  if (kind < 70) {  // next to an edge value
    const std::uint32_t edge = kEdgeValues[Uniform(rng, 0, kEdgeValues.size() - 1)];
    const std::uint32_t low = edge < 2 ? 0 : edge - 2;
    const std::uint32_t high = edge > kLastValue - 2 ? kLastValue : edge + 2;
    return Uniform(rng, low, high);
  }
  return Uniform(rng, 0, kLastValue);
}

TEST(PortSet, RandomOperations_MatchStdSet) {
  constexpr int kOperations = 200000;
  std::mt19937 rng(20261127);
  PortSet set;
  std::set<std::uint32_t> model;
  // Phases that mostly insert and phases that mostly erase, so the set is sometimes dense and
  // sometimes nearly empty.
  std::uint32_t insert_percent = 70;  // of the operations that change the set
  for (int op = 0; op < kOperations; ++op) {
    if (op % 10000 == 0) insert_percent = 100 - insert_percent;
    const std::uint32_t insert_end = 10 + 590 * insert_percent / 100;
    const std::uint32_t kind = Uniform(rng, 0, 999);
    std::uint32_t value = RandomValue(rng);
    if (kind == 0 && op % 7 == 0) {  // now and then, and the set is reused afterwards
      set.Clear();
      model.clear();
      ASSERT_TRUE(set.empty()) << "op " << op << ": Clear";
    } else if (kind < 10) {  // queries beyond the space
      value = Uniform(rng, 0, 1) == 0 ? 65536 : Uniform(rng, 65536, kMaxUint32);
      ASSERT_EQ(set.Next(value), std::nullopt) << "op " << op << ": Next(" << value << ")";
      ASSERT_EQ(set.Prev(value), ModelPrev(model, kLastValue))
          << "op " << op << ": Prev(" << value << ")";
    } else if (kind < insert_end) {
      set.Insert(value);
      model.insert(value);
      ASSERT_TRUE(set.Contains(value)) << "op " << op << ": Insert(" << value << ")";
    } else if (kind < 600) {
      // Erase a member half the time, else whatever value came (often absent).
      if (Uniform(rng, 0, 1) == 0 && !model.empty()) {
        const Member member = ModelNext(model, value);
        value = member ? *member : *model.begin();
      }
      set.Erase(value);
      model.erase(value);
      ASSERT_FALSE(set.Contains(value)) << "op " << op << ": Erase(" << value << ")";
    } else if (kind < 750) {
      ASSERT_EQ(set.Next(value), ModelNext(model, value))
          << "op " << op << ": Next(" << value << ")";
    } else if (kind < 900) {
      ASSERT_EQ(set.Prev(value), ModelPrev(model, value))
          << "op " << op << ": Prev(" << value << ")";
    } else {
      ASSERT_EQ(set.Contains(value), model.count(value) == 1)
          << "op " << op << ": Contains(" << value << ")";
    }
    ASSERT_EQ(set.empty(), model.empty()) << "op " << op << ": empty() after value " << value;
    if (op % 5000 == 4999) {
      const std::vector<std::uint32_t> expected(model.begin(), model.end());
      ASSERT_EQ(WalkUp(set), expected) << "op " << op << ": walk with Next";
      ASSERT_EQ(WalkDown(set), std::vector<std::uint32_t>(model.rbegin(), model.rend()))
          << "op " << op << ": walk with Prev";
    }
  }
}

// ---- PortArray ----

TEST(PortArray, Slot_ThenIndex_ReadsWhatWasWritten_AtEachEdge) {
  PortArray<std::uint16_t> array;
  for (const std::uint32_t port : kEdgeValues) {
    array.Slot(port) = static_cast<std::uint16_t>(port ^ 0x5a5a);
  }
  const PortArray<std::uint16_t>& read_only = array;
  for (const std::uint32_t port : kEdgeValues) {
    EXPECT_EQ(read_only[port], static_cast<std::uint16_t>(port ^ 0x5a5a)) << port;
    EXPECT_EQ(array[port], static_cast<std::uint16_t>(port ^ 0x5a5a)) << port;
  }
}

TEST(PortArray, Slot_OfAWrittenPort_IsTheSameStorage) {
  PortArray<std::uint32_t> array;
  std::uint32_t& first = array.Slot(4096);
  first = 7;
  array.Slot(4097) = 8;  // same page
  array.Slot(0) = 9;     // allocates another page
  EXPECT_EQ(&array.Slot(4096), &first);
  EXPECT_EQ(array.Slot(4096), 7U);
  EXPECT_EQ(&array[4096], &first);
  array[4096] = 70;  // operator[] writes where Slot already allocated
  EXPECT_EQ(array[4096], 70U);
  EXPECT_EQ(array[4097], 8U);
  EXPECT_EQ(array[0], 9U);
}

TEST(PortArray, HoldsNonTrivialValues) {
  PortArray<std::string> array;
  array.Slot(65535) = "last";
  array.Slot(1) = std::string(100, 'x');  // longer than any small-string buffer
  EXPECT_EQ(array[65535], "last");
  EXPECT_EQ(array[1], std::string(100, 'x'));
}

TEST(PortArray, RandomWrites_MatchStdMap) {
  constexpr int kWrites = 50000;
  std::mt19937 rng(6);
  PortArray<std::uint16_t> array;
  std::map<std::uint32_t, std::uint16_t> model;
  for (int op = 0; op < kWrites; ++op) {
    const std::uint32_t port = RandomValue(rng);
    const auto value = static_cast<std::uint16_t>(rng());
    array.Slot(port) = value;
    model[port] = value;
    // Re-read an earlier write now and then: later pages must not disturb it.
    const auto earlier = model.lower_bound(RandomValue(rng));
    if (earlier != model.end()) {
      ASSERT_EQ(array[earlier->first], earlier->second)
          << "write " << op << ": port " << earlier->first;
    }
  }
  for (const auto& [port, value] : model) ASSERT_EQ(array[port], value) << "port " << port;
}

}  // namespace
