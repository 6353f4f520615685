// The fault sweep and the Catch2 printers from portres, with no GoogleTest.
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>  // Catch2 v3
#else
#include <catch2/catch.hpp>  // Catch2 v2
#endif
#include <portres/catch2_printers.h>
#include <portres/fault_sweep.h>
#include <portres/socket_ioctl.h>

namespace {

void OpenAndClose(portres::ISocketIoctl& api) {
  const SOCKET s = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (s != INVALID_SOCKET) api.closesocket(s);
}

}  // namespace

TEST_CASE("a function that closes what it opens sweeps clean") {
  const portres::SweepResult sweep = portres::RunFaultSweep(OpenAndClose);
  INFO(sweep.Report());
  CHECK(sweep.ok());
  CHECK(Catch::Detail::stringify(sweep.recorded_calls.front().call.api) == "socket");
}
