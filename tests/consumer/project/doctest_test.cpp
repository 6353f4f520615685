// The fault sweep and the doctest printers from portres, with no GoogleTest.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <portres/doctest_printers.h>
#include <portres/fault_sweep.h>
#include <portres/socket_ioctl.h>

#include <string>

namespace {

SOCKET OpenAndKeep(portres::ISocketIoctl& api) {
  return api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);  // handed back: not a leak
}

}  // namespace

TEST_CASE("a socket handed back to the caller is not a leak") {
  const portres::SweepResult sweep = portres::RunFaultSweep(OpenAndKeep);
  CHECK_MESSAGE(sweep.ok(), sweep.Report());
  CHECK(std::string(toString(sweep.recorded_calls.front().call.api).c_str()) == "socket");
}
