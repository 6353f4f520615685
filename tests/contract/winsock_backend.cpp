// The contract suites on the real Windows host: the process under test is this test process,
// through WinsockSocketIoctl (ws2_32) and WinsockIpHelper (iphlpapi), each call unchanged.
//
// What the real host cannot serve is skipped with the reason, never passed. The host is asked,
// not recognised by its version:
// - Runtime reservations: a probe acquire (ProbeRuntimeReservations) answers WSAEOPNOTSUPP where
//   the IOCTLs are not implemented (Wine 8). Overlapped calls still run there: the contract
//   records that they end with the synchronous answer.
// - Persistent reservations: iphlpapi.dll must export the six functions (Wine 8 exports none;
//   WinsockIpHelper would answer ERROR_NOT_SUPPORTED) and the process must be elevated
//   (GitHub's Windows runners are).
// - A second process, an unelevated process and a reboot are not offered: driving another
//   process's Winsock calls needs a helper process and IPC that portres does not build, and a
//   test must not restart the machine it runs on.
#include <portres/winsock_environment.h>
#include <portres/winsock_error.h>
#include <portres/winsock_ip_helper.h>
#include <portres/winsock_socket_ioctl.h>

#include <memory>
#include <string>
#include <vector>

#include "backend.h"
#include "contract_test.h"

namespace portres::contract {
namespace {

// " (Wine 8.0)" under Wine, else nothing: what the reader of a skip reason needs to place it.
std::string Host() {
  const char* wine = WineVersion();
  return wine == nullptr ? std::string() : std::string(" (Wine ") + wine + ")";
}

// "Wine 8.0 <what>": a skip reason for what Wine does differently from Windows.
std::string UnderWine(const char* wine_version, const char* what) {
  return std::string("Wine ") + wine_version + " " + what;
}

// Probed once per process: the answer does not change while the tests run.
int RuntimeReservationAnswer() {
  static const int answer = ProbeRuntimeReservations();
  return answer;
}

class WinsockBackend final : public Backend {
 public:
  ISocketIoctl& Api() override { return api_; }
  IIpHelper* IpHelper() override {
    return SkipReason(Feature::kPersistentReservations).empty() ? &ip_helper_ : nullptr;
  }

  std::string SkipReason(Feature feature) const override {
    const char* wine = WineVersion();  // only to name what Wine answers differently
    switch (feature) {
      case Feature::kRuntimeReservations:
        if (const int answer = RuntimeReservationAnswer(); answer != 0) {
          return "this host answers SIO_ACQUIRE_PORT_RESERVATION with " + DescribeError(answer) +
                 Host() + ": runtime reservations are not implemented here";
        }
        return {};
      case Feature::kOverlapped:
        return {};
      case Feature::kPersistentReservations:
        if (const char* missing = MissingIpHelperFunction()) {
          return std::string("iphlpapi.dll does not export ") + missing + Host() +
                 ": WinsockIpHelper answers ERROR_NOT_SUPPORTED";
        }
        if (!IsElevated()) {
          return "persistent reservations need an elevated administrator: run the tests "
                 "from an elevated prompt (GitHub's Windows runners are elevated)";
        }
        return {};
      case Feature::kSecondProcess:
        return "the Winsock backend runs in this process only: a second process would need a "
               "helper process driven over IPC, which portres does not build";
      case Feature::kUnelevatedProcess:
        return "the Winsock backend cannot start an unelevated process: the tests run with "
               "the rights they were started with";
      case Feature::kReboot:
        return "the Winsock backend never restarts the machine it runs on";
      case Feature::kUninitialise:
        return "the Winsock backend holds a WSAStartup of its own for its lifetime, so the "
               "process's count never reaches 0 while a test runs";
      case Feature::kNeverBlocks:
        return "on Windows a blocking call with nothing to wait for blocks for ever; what the "
               "fake answers instead is its own choice";
      case Feature::kAddressSpecificBinds:
        return {};
      case Feature::kArgumentChecks:
        if (wine != nullptr) {
          return UnderWine(wine,
                           "lacks some of Windows' argument checks: connect reads a null name "
                           "(a page fault), connects to 0.0.0.0 as to loopback "
                           "(WSAECONNREFUSED), and setsockopt accepts an optlen of 0");
        }
        return {};
      case Feature::kExclusiveWildcardRow:
        if (wine != nullptr) {
          return UnderWine(wine,
                           "answers WSAEACCES where the table gives WSAEADDRINUSE: a wildcard "
                           "bind after an SO_EXCLUSIVEADDRUSE wildcard one, default or EXCL");
        }
        return {};
      case Feature::kCpuAffinity:
        if (wine != nullptr) {
          return UnderWine(wine, "does not implement SIO_CPU_AFFINITY (WSAEOPNOTSUPP)");
        }
        return {};
    }
    return "unknown feature";
  }

 private:
  WinsockSocketIoctl api_;
  WinsockIpHelper ip_helper_;
};

std::vector<BackendFactory> Backends() {
  return {BackendFactory{"Winsock", [] { return std::make_unique<WinsockBackend>(); }}};
}

}  // namespace

PORTRES_INSTANTIATE_CONTRACT_SUITES(testing::ValuesIn(Backends()));

}  // namespace portres::contract
