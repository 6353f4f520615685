// The fake and the fault sweep under Catch2, with no GoogleTest in the program: the probe of
// examples/fault_sweep on its happy path, on an injected error, and under a sweep of every
// documented error at every call; the leaky probe's planted leak is reported.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>  // Catch2 v3
#else
#include <catch2/catch.hpp>  // Catch2 v2
#endif
#include <portres/catch2_printers.h>
#include <portres/describe.h>
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

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the probe binds a port of its block and leaves nothing behind") {
  portres::FakeSocketIoctl fake;
  const example::ProbeResult result = example::ProbeReservedPort(fake, kBlockSize);
  CHECK(result.error == 0);
  CHECK(result.block_count == kBlockSize);
  CHECK(result.bound_port >= result.block_first);
  CHECK(result.bound_port < result.block_first + kBlockSize);
  CHECK(fake.Reservations().empty());  // a failure would list them, in portres's words
  CHECK(fake.Sockets().empty());
}

TEST_CASE("a failed association is the probe's answer, and it still cleans up") {
  portres::FakeSocketIoctl fake;
  fake.Inject(
      portres::Fault::Error(WSAENETDOWN).When(portres::IsIoctl(SIO_ASSOCIATE_PORT_RESERVATION)));
  const example::ProbeResult result = example::ProbeReservedPort(fake, kBlockSize);
  CHECK(portres::make_winsock_error(result.error) == portres::make_winsock_error(WSAENETDOWN));
  CHECK(portres::LeaksOf(fake).empty());
}

TEST_CASE("the probe releases everything under every documented error at every call") {
  const portres::SweepResult sweep = portres::RunFaultSweep(CorrectProbe);
  INFO(sweep.Report());
  CHECK(sweep.ok());
  CHECK(sweep.recorded_calls.size() == 9);
  CHECK(sweep.runs == 80);  // the recording run and 79 injections
}

TEST_CASE("the sweep reports the leaky probe's planted leak") {
  const portres::SweepResult sweep = portres::RunFaultSweep(
      LeakyProbe, portres::SweepOptions()
                      .OnlyCalls(portres::Api::kWSAIoctl, SIO_ASSOCIATE_PORT_RESERVATION)
                      .OnlyErrors({WSAENETDOWN}));
  REQUIRE(sweep.failures.size() == 1);
  const portres::SweepRun& run = sweep.failures.front();
  CHECK(run.injection.api == portres::Api::kWSAIoctl);
  CHECK(run.leaked_sockets.size() == 1);
  const std::string report = sweep.Report();
  CHECK(Contains(report,
                 "call 3 WSAIoctl(SIO_ASSOCIATE_PORT_RESERVATION) failing with "
                 "WSAENETDOWN (10050)"));
  CHECK(Contains(report, "leaked socket"));
}

TEST_CASE("portres's values print in portres's words") {
  portres::FakeSocketIoctl fake;
  const SOCKET s = fake.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  CHECK(Catch::Detail::stringify(fake.Sockets().front()) == portres::Describe(fake.Sockets()[0]));
  CHECK(Catch::Detail::stringify(fake.CallLog().front()) == portres::Describe(fake.CallLog()[0]));
  CHECK(Contains(Catch::Detail::stringify(portres::LeaksOf(fake)), "leaked socket"));
  CHECK(Catch::Detail::stringify(portres::Api::kWSAIoctl) == "WSAIoctl");
  CHECK(Contains(Catch::Detail::stringify(portres::make_winsock_error(WSAEADDRINUSE)),
                 "WSAEADDRINUSE (10048)"));
  fake.closesocket(s);
}
