#include "reservation_probe.h"

namespace example {
namespace {

constexpr DWORD kAcquireCode = 2550136932u;  // SIO_ACQUIRE_PORT_RESERVATION, as the script has it
constexpr int kTries = 10;
constexpr USHORT kPorts = 64;

}  // namespace

ProbeCounts RunReservationProbe(portres::ISocketIoctl& api) {
  ProbeCounts counts;
  WSADATA data;
  counts.startup_error = api.WSAStartup(MAKEWORD(2, 2), &data);
  if (counts.startup_error != 0) return counts;
  const SOCKET s = api.socket(AF_INET, 0, 0);
  if (s == INVALID_SOCKET) {
    counts.socket_error = api.WSAGetLastError();
    api.WSACleanup();
    return counts;
  }
  for (int i = 0; i < kTries; ++i) {
    INET_PORT_RANGE range;
    range.StartPort = 0;
    range.NumberOfPorts = kPorts;
    INET_PORT_RESERVATION_INSTANCE instance{};
    DWORD bytes = 0;
    if (api.WSAIoctl(s, kAcquireCode, &range, sizeof range, &instance, sizeof instance, &bytes,
                     nullptr, nullptr) == SOCKET_ERROR) {
      counts.last_error = api.WSAGetLastError();
    } else {
      ++counts.succeeded;
    }
  }
  api.closesocket(s);
  api.WSACleanup();
  return counts;
}

}  // namespace example
