// BlockTable (fake/block_table.h), one protocol's reservations indexed by first port: a few cases
// by hand, then seeded random inserts and erases against a std::map, checking every lookup the
// fake makes (the block at a first port, at or before a port, covering a port) and the order.
#include "block_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <vector>

namespace {

using portres::ReservationKind;
using portres::detail::Block;
using portres::detail::BlockTable;

Block MakeBlock(std::uint32_t first, std::uint32_t last, ULONG64 token = 0) {
  Block block;
  block.first = static_cast<std::uint16_t>(first);
  block.last = static_cast<std::uint16_t>(last);
  block.token = token == 0 ? first * 1000ULL + last : token;
  block.kind = first % 2 == 0 ? ReservationKind::kRuntime : ReservationKind::kPersistent;
  return block;
}

std::vector<std::uint32_t> FirstPorts(BlockTable& table) {
  std::vector<std::uint32_t> firsts;
  table.ForEach([&](const Block& block) { firsts.push_back(block.first); });
  return firsts;
}

TEST(BlockTable, Empty_FindsNothing) {
  BlockTable table;
  EXPECT_EQ(table.size(), 0U);
  EXPECT_EQ(table.Find(0), nullptr);
  EXPECT_EQ(table.AtOrBefore(65535), nullptr);
  EXPECT_EQ(table.Covering(1), nullptr);
  EXPECT_TRUE(FirstPorts(table).empty());
}

TEST(BlockTable, ABlock_IsFoundByItsFirstPortAndCoversItsPortsOnly) {
  BlockTable table;
  table.Insert(MakeBlock(5000, 5009));
  ASSERT_NE(table.Find(5000), nullptr);
  EXPECT_EQ(table.Find(5000)->last, 5009);
  EXPECT_EQ(table.Find(5001), nullptr) << "a block is known by its first port only";
  EXPECT_EQ(table.Covering(4999), nullptr);
  EXPECT_NE(table.Covering(5000), nullptr);
  EXPECT_NE(table.Covering(5009), nullptr);
  EXPECT_EQ(table.Covering(5010), nullptr);
  ASSERT_NE(table.AtOrBefore(60000), nullptr) << "the last block before a port, covering or not";
  EXPECT_EQ(table.AtOrBefore(60000)->first, 5000);
}

TEST(BlockTable, BlocksAtTheEdgesOfThePortSpace_AreFound) {
  BlockTable table;
  table.Insert(MakeBlock(0, 0));
  table.Insert(MakeBlock(65535, 65535));
  EXPECT_EQ(table.Covering(0)->first, 0);
  EXPECT_EQ(table.Covering(65535)->first, 65535);
  EXPECT_EQ(table.AtOrBefore(65534)->first, 0);
  EXPECT_EQ(FirstPorts(table), (std::vector<std::uint32_t>{0, 65535}));
}

TEST(BlockTable, Erase_MovesTheLastBlockIntoItsPlace_AndKeepsEveryOtherBlockFindable) {
  BlockTable table;
  table.Insert(MakeBlock(100, 109, 1));
  table.Insert(MakeBlock(200, 209, 2));
  table.Insert(MakeBlock(300, 309, 3));
  table.Erase(100);
  EXPECT_EQ(table.size(), 2U);
  EXPECT_EQ(table.Find(100), nullptr);
  ASSERT_NE(table.Find(300), nullptr);
  EXPECT_EQ(table.Find(300)->token, 3U);
  EXPECT_EQ(table.Find(200)->token, 2U);
  EXPECT_EQ(FirstPorts(table), (std::vector<std::uint32_t>{200, 300}));
}

TEST(BlockTable, ForEach_VisitsBlocksInPortOrder_WhateverTheInsertionOrder) {
  BlockTable table;
  for (const std::uint32_t first : {40000U, 10U, 65000U, 5000U, 4096U, 4095U}) {
    table.Insert(MakeBlock(first, first));
  }
  EXPECT_EQ(FirstPorts(table), (std::vector<std::uint32_t>{10, 4095, 4096, 5000, 40000, 65000}));
}

// Random disjoint blocks inserted and erased; after every step each lookup agrees with a
// std::map from first port to block. Seeded, so a failure replays.
TEST(BlockTable, RandomInsertsAndErases_AgreeWithAnOrderedMap) {
  std::mt19937 random(20261127);
  BlockTable table;
  std::map<std::uint32_t, Block> model;
  auto overlaps = [&](std::uint32_t first, std::uint32_t last) {
    auto it = model.upper_bound(last);
    return it != model.begin() && std::prev(it)->second.last >= first;
  };
  std::uniform_int_distribution<std::uint32_t> any_port(0, 65535);
  std::uniform_int_distribution<std::uint32_t> clustered(49000, 50200);
  std::uniform_int_distribution<std::uint32_t> length(1, 40);
  for (int step = 0; step < 20000; ++step) {
    const std::uint32_t first = step % 3 == 0 ? any_port(random) : clustered(random);
    const std::uint32_t last = std::min<std::uint32_t>(first + length(random) - 1, 65535);
    if (model.size() > 300 || (step % 4 == 0 && !model.empty())) {
      auto victim = model.lower_bound(first);
      if (victim == model.end()) victim = model.begin();
      table.Erase(victim->first);
      model.erase(victim);
    } else if (!overlaps(first, last)) {
      table.Insert(MakeBlock(first, last));
      model.emplace(first, MakeBlock(first, last));
    }
    ASSERT_EQ(table.size(), model.size()) << "step " << step;
    for (int probe = 0; probe < 4; ++probe) {
      std::uint32_t port = probe % 2 == 0 ? any_port(random) : clustered(random);
      if (probe == 3 && !model.empty()) {  // the edges of a block, where off-by-ones live
        auto neighbour = model.lower_bound(port);
        if (neighbour == model.end()) neighbour = model.begin();
        port = random() % 2 == 0 ? neighbour->second.last : neighbour->first;
      }
      auto after = model.upper_bound(port);
      const Block* expected = after == model.begin() ? nullptr : &std::prev(after)->second;
      const Block* at_or_before = table.AtOrBefore(port);
      ASSERT_EQ(at_or_before == nullptr, expected == nullptr)
          << "step " << step << " port " << port;
      if (expected != nullptr) {
        ASSERT_EQ(at_or_before->first, expected->first) << "step " << step << " port " << port;
        ASSERT_EQ(at_or_before->token, expected->token) << "step " << step;
        const bool covers = port <= expected->last;
        ASSERT_EQ(table.Covering(port) != nullptr, covers) << "step " << step << " port " << port;
      }
      const auto exact = model.find(port);
      const Block* found = table.Find(port);
      ASSERT_EQ(found == nullptr, exact == model.end()) << "step " << step << " port " << port;
      if (found != nullptr) {
        ASSERT_EQ(found->last, exact->second.last);
      }
    }
  }
  std::vector<std::uint32_t> expected_order;
  expected_order.reserve(model.size());
  for (const auto& [first, block] : model) expected_order.push_back(first);
  EXPECT_EQ(FirstPorts(table), expected_order);
}

}  // namespace
