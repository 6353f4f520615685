// The contract suite's view of a backend: one simulated or real machine on which the same
// behavioural tests run. Each backend's executable defines its factories and instantiates the
// suites (see fake_backend.cpp, winsock_backend.cpp).
//
// A backend that cannot serve a test says why through SkipReason(); a suite's fixture
// (ContractTestRequiring) or the test itself calls PORTRES_SKIP_UNLESS(feature) first, so an
// unserved test shows up as skipped with that reason and never passes silently.
#ifndef PORTRES_TESTS_CONTRACT_BACKEND_H
#define PORTRES_TESTS_CONTRACT_BACKEND_H

#include <portres/ip_helper.h>
#include <portres/socket_ioctl.h>

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace portres::contract {

enum class Feature {
  kRuntimeReservations,     // the three IOCTLs work at all (Wine: WSAEOPNOTSUPP)
  kOverlapped,              // overlapped IOCTLs
  kSecondProcess,           // OtherProcess() gives a second process on the same machine
  kPersistentReservations,  // IpHelper() works (needs an elevated administrator on Windows)
  kUnelevatedProcess,       // UnelevatedProcess() gives a process without elevation
  kReboot,                  // Reboot() restarts the machine
  kUninitialise,            // the process's WSAStartup count may reach 0 (the real backend
                            // holds one of its own)
  kNeverBlocks,             // a blocking call with nothing to wait for returns (the fake)
  kCpuAffinity,             // SIO_CPU_AFFINITY is implemented
  kAddressSpecificBinds,    // binds to a specific address differ from wildcard binds
  kArgumentChecks,          // Windows' documented checks of null names, the all-zero address
                            // and short option lengths (Wine lacks some)
  kExclusiveWildcardRow,    // SO_EXCLUSIVEADDRUSE's wildcard row of the SO_REUSEADDR table
};

class Backend {
 public:
  virtual ~Backend() = default;

  // The process under test.
  virtual ISocketIoctl& Api() = 0;
  // Another process on the same machine, or nullptr.
  virtual std::unique_ptr<ISocketIoctl> OtherProcess() { return nullptr; }
  // A process on the same machine that is not elevated, or nullptr.
  virtual std::unique_ptr<ISocketIoctl> UnelevatedProcess() { return nullptr; }
  // iphlpapi for the process under test, or nullptr.
  virtual IIpHelper* IpHelper() { return nullptr; }
  virtual std::unique_ptr<IIpHelper> UnelevatedIpHelper() { return nullptr; }
  // Restarts the machine (fake only).
  virtual void Reboot() {}

  // Empty when the backend serves `feature`; else why not, shown as the skip reason.
  virtual std::string SkipReason(Feature feature) const = 0;
};

struct BackendFactory {
  std::string name;  // the test-name suffix: "Fake", "Winsock"
  std::function<std::unique_ptr<Backend>()> make;
};

// Prints the backend's name where gtest shows a test's parameter ("GetParam() = Fake").
inline void PrintTo(const BackendFactory& factory, std::ostream* os) { *os << factory.name; }

// gtest's name generator for INSTANTIATE_TEST_SUITE_P.
inline std::string BackendName(const testing::TestParamInfo<BackendFactory>& info) {
  return info.param.name;
}

}  // namespace portres::contract

#define PORTRES_SKIP_UNLESS(backend, feature)                              \
  do {                                                                     \
    const std::string portres_skip_reason = (backend).SkipReason(feature); \
    if (!portres_skip_reason.empty()) GTEST_SKIP() << portres_skip_reason; \
  } while (false)

#endif  // PORTRES_TESTS_CONTRACT_BACKEND_H
