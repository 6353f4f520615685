// The fuzz driver: decodes a byte string into a host configuration and a sequence of calls on
// one FakeHost (two processes and an iphlpapi view), makes the calls, and checks the fake's
// invariants after each one (tests/support/invariants.h, with the shared ports the driver saw
// made legitimately: port_sharing.h). A violation aborts the process.
//
// Shared by the libFuzzer target (fake_fuzzer.cpp) and by the replay test in the normal suite
// (tests/model/fuzz_replay_test.cpp), which runs every committed corpus file and crash
// reproducer through it without libFuzzer.
#ifndef PORTRES_FUZZ_FUZZ_DRIVER_H
#define PORTRES_FUZZ_FUZZ_DRIVER_H

#include <cstddef>
#include <cstdint>

namespace portres::fuzz {

// Runs one input. Returns the number of calls it made; aborts on a violated invariant after
// printing which one to stderr.
std::size_t RunFuzzInput(const std::uint8_t* data, std::size_t size);

}  // namespace portres::fuzz

#endif  // PORTRES_FUZZ_FUZZ_DRIVER_H
