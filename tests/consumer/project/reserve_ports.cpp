// A consumer's own code, written for Windows and tested on the fake: reserve a block of TCP
// ports, report its first port, release it. Plain main(), no test framework, so that this
// program needs nothing but portres::fake.
#include <portres/fake_socket_ioctl.h>
#include <portres/socket_ioctl.h>
#include <portres/version.h>

#include <cstdio>
#include <string_view>

#ifdef CONSUMER_EXPECTED_VERSION
static_assert(std::string_view(PORTRES_VERSION_STRING) == CONSUMER_EXPECTED_VERSION,
              "<portres/version.h> disagrees with portresConfigVersion.cmake");
#endif
static_assert(PORTRES_VERSION == PORTRES_MAKE_VERSION(PORTRES_VERSION_MAJOR, PORTRES_VERSION_MINOR,
                                                      PORTRES_VERSION_PATCH),
              "PORTRES_VERSION orders releases");

namespace {

// Reserves `count` TCP ports starting at `first_port` and releases them again. Returns the
// first port reserved, or 0 when a call failed.
USHORT ReserveAndRelease(portres::ISocketIoctl& api, USHORT first_port, USHORT count) {
  SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET) {
    return 0;
  }
  INET_PORT_RANGE range{htons(first_port), count};
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  USHORT granted = 0;
  if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                   sizeof instance, &bytes, nullptr, nullptr) != SOCKET_ERROR) {
    granted = ntohs(instance.Reservation.StartPort);
    if (api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &instance.Token, sizeof instance.Token,
                     nullptr, 0, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
      granted = 0;
    }
  }
  api.closesocket(s);
  return granted;
}

}  // namespace

int main() {
  portres::FakeSocketIoctl fake;
  const USHORT granted = ReserveAndRelease(fake, 5000, 20);
  if (granted != 5000) {
    std::fprintf(stderr, "expected ports 5000..5019, got first port %u (last error %d)\n",
                 static_cast<unsigned>(granted), fake.WSAGetLastError());
    return 1;
  }
  if (fake.host().ReservationCount() != 0 || fake.host().SocketCount() != 0) {
    std::fprintf(stderr, "the reservation or the socket outlived ReserveAndRelease\n");
    return 1;
  }
  std::printf("portres %s: reserved and released TCP 5000..5019\n", PORTRES_VERSION_STRING);
  return 0;
}
