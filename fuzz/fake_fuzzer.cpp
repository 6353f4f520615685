// libFuzzer entry point: each input is a host configuration and a call sequence for the fake
// (see fuzz_driver.h). Built only with PORTRES_BUILD_FUZZ=ON and Clang.
#include <cstddef>
#include <cstdint>

#include "fuzz_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  portres::fuzz::RunFuzzInput(data, size);
  return 0;
}
