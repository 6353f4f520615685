#include "reserved_connect.h"

namespace example {
namespace {

constexpr std::uint16_t kFirstReserved = 600;
constexpr std::uint16_t kLastReserved = 1023;
constexpr int kReservedCount = kLastReserved - kFirstReserved + 1;

ReservedConnection Fail(portres::ISocketIoctl& api, SOCKET s, int error) {
  if (s != INVALID_SOCKET) api.closesocket(s);  // ends the reservation acquired on it too
  ReservedConnection result;
  result.error = error;
  return result;
}

}  // namespace

ReservedConnection ConnectFromReservedPort(portres::ISocketIoctl& api, const sockaddr_in& server,
                                           ReservedPortCounter& counter) {
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET) return Fail(api, s, api.WSAGetLastError());

  bool reserved = false;
  for (int tries = 0; tries < kReservedCount && !reserved; ++tries) {
    const std::uint16_t port = counter.next;
    counter.next = port == kLastReserved ? kFirstReserved : static_cast<std::uint16_t>(port + 1);

    INET_PORT_RANGE range;
    range.StartPort = htons(port);
    range.NumberOfPorts = 1;
    INET_PORT_RESERVATION_INSTANCE instance{};
    DWORD bytes = 0;
    if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof(INET_PORT_RANGE), &instance,
                     sizeof(INET_PORT_RESERVATION_INSTANCE), &bytes, nullptr,
                     nullptr) == SOCKET_ERROR) {
      const int error = api.WSAGetLastError();
      if (error == WSAEADDRINUSE) continue;  // someone holds this port: try the next one
      return Fail(api, s, error);
    }
    if (api.WSAIoctl(s, SIO_ASSOCIATE_PORT_RESERVATION, &instance.Token, sizeof(ULONG64), nullptr,
                     0, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
      return Fail(api, s, api.WSAGetLastError());
    }
    reserved = true;
  }
  if (!reserved) return Fail(api, s, WSAEADDRINUSE);

  // No bind: connect binds the socket from the reservation it is associated with.
  if (api.connect(s, reinterpret_cast<const sockaddr*>(&server), sizeof server) == SOCKET_ERROR) {
    return Fail(api, s, api.WSAGetLastError());
  }
  sockaddr_in local{};
  int length = sizeof local;
  if (api.getsockname(s, reinterpret_cast<sockaddr*>(&local), &length) == SOCKET_ERROR) {
    return Fail(api, s, api.WSAGetLastError());
  }
  ReservedConnection result;
  result.socket = s;
  result.local_port = ntohs(local.sin_port);
  return result;
}

}  // namespace example
