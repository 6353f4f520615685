// The free-port helpers on a machine like those of the field reports: a Hyper-V host whose
// listing (written for this example in netsh's layout) shows WinNAT's 100-port blocks and the
// administered 50000..50059 block.
#include "free_port.h"

#include <portres/fake_socket_ioctl.h>
#include <portres/netsh.h>

#include <gtest/gtest.h>

#include <memory>

namespace {

using portres::FakeHost;
using portres::FakeHostOptions;
using portres::FakeSocketIoctl;
using portres::Fault;

constexpr char kHyperVListing[] = R"(
PS C:\> netsh interface ipv4 show excludedportrange protocol=tcp

Protocol tcp Port Exclusion Ranges

Start Port    End Port
----------    --------
     49152       49251
     49252       49351
     49452       49551
     50000       50059     *
     50060       50159
     51734       51833
     57001       57100

* - Administered port exclusions.
)";

bool InsideAReservation(const FakeHost& host, std::uint16_t port) {
  for (const portres::ReservationInfo& r : host.Reservations()) {
    if (port >= r.first_port && port < r.first_port + r.port_count) return true;
  }
  return false;
}

TEST(FreePortByProbing, OnACleanMachine_FindsTheFirstPort) {
  FakeSocketIoctl api;
  const example::FoundPort found = example::FindFreePortByProbing(api, 49152, 65535);
  EXPECT_EQ(found.error, 0);
  EXPECT_EQ(found.port, 49152);
}

// What the reports describe: WSAEACCES (10013) from a port nobody seems to hold.
TEST(FreePortByProbing, OnAHyperVMachine_StopsAtTheFirstExcludedPort) {
  auto host = std::make_shared<FakeHost>();
  portres::LoadNetshOutput(*host, kHyperVListing);
  FakeSocketIoctl api(host);
  const example::FoundPort found = example::FindFreePortByProbing(api, 49152, 65535);
  EXPECT_EQ(found.error, WSAEACCES) << portres::NetshListing(*host);
}

// The port it found is free only until the caller binds it.
TEST(FreePortByProbing, ThePortItFound_IsTakenBeforeTheCallerBindsIt) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl api(host);
  FakeSocketIoctl other(host);
  const example::FoundPort found = example::FindFreePortByProbing(api, 49152, 65535);
  ASSERT_EQ(found.error, 0);
  // The caller's own bind is its next-but-one call (socket, then bind): just before it, another
  // process reserves the port.
  const SOCKET thief = other.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  api.Inject(Fault::Before([&] {
               INET_PORT_RANGE range{};
               range.StartPort = htons(found.port);
               range.NumberOfPorts = 1;
               INET_PORT_RESERVATION_INSTANCE instance{};
               DWORD bytes = 0;
               other.WSAIoctl(thief, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                              sizeof instance, &bytes, nullptr, nullptr);
             }).OnCall(api.CallCount() + 1));
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(found.port);
  EXPECT_EQ(
      api.bind(s, reinterpret_cast<const sockaddr*>(&address), static_cast<int>(sizeof address)),
      SOCKET_ERROR);
  EXPECT_EQ(api.WSAGetLastError(), WSAEACCES);
}

TEST(OpenOnFreePort, OnAHyperVMachine_BindsOutsideEveryExclusion) {
  auto host = std::make_shared<FakeHost>();
  portres::LoadNetshOutput(*host, kHyperVListing);
  FakeSocketIoctl api(host);
  const example::OpenedPort opened = example::OpenOnFreePort(api, 49152, 65535);
  ASSERT_EQ(opened.error, 0) << portres::NetshListing(*host);
  EXPECT_EQ(opened.port, 49352);
  EXPECT_EQ(api.closesocket(opened.socket), 0);
}

// WinNAT's blocks anywhere in the range, placed anew at every restart, on many seeds.
TEST(OpenOnFreePort, UnderScatteredSystemBlocksAndTheirRestarts_AlwaysBindsAFreePort) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    FakeHostOptions options;
    options.seed = seed;
    options.system.blocks = 40;
    options.system.administered_tcp_50000 = true;
    auto host = std::make_shared<FakeHost>(options);
    FakeSocketIoctl api(host);
    for (int restart = 0; restart < 5; ++restart) {
      host->RestartSystemService();
      const example::OpenedPort opened = example::OpenOnFreePort(api, 49152, 65535);
      ASSERT_EQ(opened.error, 0) << "seed " << seed << "\n" << portres::NetshListing(*host);
      EXPECT_FALSE(InsideAReservation(*host, opened.port)) << opened.port;
      EXPECT_EQ(api.closesocket(opened.socket), 0);
    }
  }
}

// Other processes' wildcard blocks granted anywhere (scattered placement), not low and packed.
TEST(OpenOnFreePort, AmongScatteredWildcardBlocksOfOtherProcesses_BindsAFreePort) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    FakeHostOptions options;
    options.seed = seed;
    options.scatter_wildcard_acquires = true;
    options.system.blocks = 10;
    auto host = std::make_shared<FakeHost>(options);
    FakeSocketIoctl api(host);
    FakeSocketIoctl other(host);
    const SOCKET holder = other.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    for (int i = 0; i < 30; ++i) {
      INET_PORT_RANGE range{};
      range.NumberOfPorts = 50;
      INET_PORT_RESERVATION_INSTANCE instance{};
      DWORD bytes = 0;
      ASSERT_EQ(other.WSAIoctl(holder, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range,
                               &instance, sizeof instance, &bytes, nullptr, nullptr),
                0);
    }
    const example::OpenedPort opened = example::OpenOnFreePort(api, 49152, 65535);
    ASSERT_EQ(opened.error, 0) << portres::NetshListing(*host);
    EXPECT_FALSE(InsideAReservation(*host, opened.port)) << opened.port;
  }
}

// Another process takes the first port just before the helper binds it: the helper moves on.
TEST(OpenOnFreePort, WhenAnotherProcessTakesThePortFirst_BindsTheNextOne) {
  auto host = std::make_shared<FakeHost>();
  FakeSocketIoctl api(host);
  FakeSocketIoctl other(host);
  const SOCKET thief = other.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  api.Inject(Fault::Before([&] {
               INET_PORT_RANGE range{};
               range.StartPort = htons(50000);
               range.NumberOfPorts = 1;
               INET_PORT_RESERVATION_INSTANCE instance{};
               DWORD bytes = 0;
               other.WSAIoctl(thief, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                              sizeof instance, &bytes, nullptr, nullptr);
             }).When(portres::IsApi(portres::Api::kBind)));
  const example::OpenedPort opened = example::OpenOnFreePort(api, 50000, 50010);
  ASSERT_EQ(opened.error, 0);
  EXPECT_EQ(opened.port, 50001);
}

TEST(OpenOnFreePort, AFullRange_SaysSo) {
  auto host = std::make_shared<FakeHost>();
  portres::LoadNetshOutput(*host, kHyperVListing);
  FakeSocketIoctl api(host);
  const example::OpenedPort opened = example::OpenOnFreePort(api, 49152, 49351);
  EXPECT_EQ(opened.error, WSAEADDRNOTAVAIL);
  EXPECT_EQ(host->SocketCount(), 0U);
}

}  // namespace
