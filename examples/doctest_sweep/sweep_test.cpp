// The fake and the fault sweep under doctest, with no GoogleTest in the program: the probe of
// examples/fault_sweep on its happy path, on an injected error, and under a sweep of every
// documented error at every call; the leaky probe's planted leak is reported.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <portres/describe.h>
#include <portres/doctest_printers.h>
#include <portres/fake_socket_ioctl.h>
#include <portres/fault.h>
#include <portres/fault_sweep.h>
#include <portres/leaks.h>
#include <portres/winsock_error.h>

#include <cstdint>
#include <string>

#include "reserved_port_probe.h"

namespace {

constexpr std::uint16_t kBlockSize = 4;

void CorrectProbe(portres::ISocketIoctl& api) { example::ProbeReservedPort(api, kBlockSize); }
void LeakyProbe(portres::ISocketIoctl& api) { example::ProbeReservedPortLeaky(api, kBlockSize); }

// What doctest prints for a value in an assertion: it calls toString unqualified, so that
// argument-dependent lookup finds portres's own.
template <typename T>
std::string Printed(const T& value) {
  using doctest::toString;
  return toString(value).c_str();
}

}  // namespace

TEST_SUITE("ProbeReservedPort") {
  TEST_CASE("binds a port of its block and leaves nothing behind") {
    portres::FakeSocketIoctl fake;
    const example::ProbeResult result = example::ProbeReservedPort(fake, kBlockSize);
    CHECK(result.error == 0);
    CHECK(result.block_count == kBlockSize);
    CHECK(result.bound_port >= result.block_first);
    CHECK(result.bound_port < result.block_first + kBlockSize);
    CHECK(fake.host().ReservationCount() == 0);
    CHECK(fake.host().SocketCount() == 0);
  }

  TEST_CASE("answers a failed association with its error, and still cleans up") {
    portres::FakeSocketIoctl fake;
    fake.Inject(
        portres::Fault::Error(WSAENETDOWN).When(portres::IsIoctl(SIO_ASSOCIATE_PORT_RESERVATION)));
    const example::ProbeResult result = example::ProbeReservedPort(fake, kBlockSize);
    CHECK(result.error == WSAENETDOWN);
    const portres::Leaks leaks = portres::LeaksOf(fake);
    CHECK_MESSAGE(leaks.empty(), portres::DescribeLeaks(leaks));
  }
}

TEST_SUITE("FaultSweep") {
  TEST_CASE("the probe releases everything under every documented error at every call") {
    const portres::SweepResult sweep = portres::RunFaultSweep(CorrectProbe);
    CHECK_MESSAGE(sweep.ok(), sweep.Report());
    CHECK(sweep.recorded_calls.size() == 9);
    CHECK(sweep.runs == 80);  // the recording run and 79 injections
  }

  TEST_CASE("the leaky probe's planted leak is reported") {
    const portres::SweepResult sweep = portres::RunFaultSweep(
        LeakyProbe, portres::SweepOptions().OnlyCalls(portres::Api::kGetSockName));
    REQUIRE(sweep.failures.size() == 6);  // every documented error of getsockname
    for (const portres::SweepRun& run : sweep.failures) {
      CHECK(run.injection.api == portres::Api::kGetSockName);
      CHECK(run.leaked_sockets.size() == 2);
      REQUIRE(run.leaked_reservations.size() == 1);
      CHECK(run.leaked_reservations[0].port_count == kBlockSize);
    }
    const std::string report = sweep.Report();
    CHECK(report.find("leaked reservation UDP ") != std::string::npos);
  }
}

TEST_CASE("portres's values print in portres's words") {
  portres::FakeSocketIoctl fake;
  const SOCKET s = fake.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  SUBCASE("what the fake holds and logs") {
    CHECK(Printed(fake.Sockets().front()) == portres::Describe(fake.Sockets()[0]));
    CHECK(Printed(fake.CallLog().front()) == portres::Describe(fake.CallLog()[0]));
    CHECK(Printed(portres::LeaksOf(fake)).find("leaked socket") != std::string::npos);
  }
  SUBCASE("the call and the error") {
    CHECK(Printed(portres::Api::kWSAIoctl) == "WSAIoctl");
    CHECK(Printed(portres::make_winsock_error(WSAEADDRINUSE)).find("WSAEADDRINUSE (10048)") !=
          std::string::npos);
  }
  fake.closesocket(s);
}
