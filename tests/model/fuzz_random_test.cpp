// The fuzz driver on seeded random inputs, in the normal suite: the corpus exercises what
// libFuzzer once found, these reach every operation (the calls around the IOCTLs included) on
// every run, without libFuzzer. A violated invariant aborts the test program, naming it.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "../../fuzz/fuzz_driver.h"

namespace {

TEST(FuzzDriver, SeededRandomInputs_HoldTheInvariants) {
  std::mt19937_64 random(0x7375726661636531ULL);  // fixed: the same inputs on every run
  std::size_t calls = 0;
  for (int input = 0; input < 1000; ++input) {
    std::vector<std::uint8_t> bytes(512 + input * 8);
    for (std::uint8_t& byte : bytes) byte = static_cast<std::uint8_t>(random());
    calls += portres::fuzz::RunFuzzInput(bytes.data(), bytes.size());
  }
  EXPECT_GT(calls, 50000u);
}

}  // namespace
