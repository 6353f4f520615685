// The fuzzer's inputs, replayed in the normal suite without libFuzzer: every file of the seed
// corpus (fuzz/corpus) and every crash reproducer (fuzz/regressions) runs through the same
// driver (fuzz/fuzz_driver.cpp), which aborts on a broken invariant. A reproducer is added by
// copying libFuzzer's crash-<sha1> file into fuzz/regressions under a name that says what broke.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_driver.h"

namespace {

std::vector<std::filesystem::path> InputsIn(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> inputs;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') {
      inputs.push_back(entry.path());
    }
  }
  return inputs;
}

std::vector<std::uint8_t> Read(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

void ReplayAll(const std::filesystem::path& directory) {
  const auto inputs = InputsIn(directory);
  for (const auto& path : inputs) {
    SCOPED_TRACE(path.string());
    const std::vector<std::uint8_t> input = Read(path);
    portres::fuzz::RunFuzzInput(input.data(), input.size());
  }
}

TEST(FuzzReplay, SeedCorpus_KeepsEveryInvariant) {
  const std::filesystem::path corpus = PORTRES_FUZZ_DIR "/corpus";
  ASSERT_FALSE(InputsIn(corpus).empty()) << corpus;
  ReplayAll(corpus);
}

TEST(FuzzReplay, CrashReproducers_KeepEveryInvariant) {
  ReplayAll(PORTRES_FUZZ_DIR "/regressions");
}

TEST(FuzzReplay, EmptyAndTinyInputs_KeepEveryInvariant) {
  portres::fuzz::RunFuzzInput(nullptr, 0);
  for (int byte = 0; byte < 256; ++byte) {
    const std::uint8_t input[] = {static_cast<std::uint8_t>(byte), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                  static_cast<std::uint8_t>(byte)};
    portres::fuzz::RunFuzzInput(input, sizeof input);
  }
}

}  // namespace
