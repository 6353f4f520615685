#include "reserved_endpoint.h"

namespace example {

// [cookbook: ported function]
int OpenReservedEndpoint(portres::ISocketIoctl& api, USHORT count, ReservedEndpoint* endpoint) {
  ReservedEndpoint e;
  e.owner = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (e.owner == INVALID_SOCKET) return api.WSAGetLastError();

  INET_PORT_RANGE range{0, count};  // StartPort 0: any free block
  INET_PORT_RESERVATION_INSTANCE reservation{};
  DWORD bytes = 0;
  if (api.WSAIoctl(e.owner, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &reservation,
                   sizeof reservation, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
    const int error = api.WSAGetLastError();
    api.closesocket(e.owner);
    return error;
  }
  e.token = reservation.Token.Token;

  e.bound = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  int length = static_cast<int>(sizeof address);
  if (e.bound == INVALID_SOCKET ||
      api.WSAIoctl(e.bound, SIO_ASSOCIATE_PORT_RESERVATION, &e.token, sizeof e.token, nullptr, 0,
                   &bytes, nullptr, nullptr) == SOCKET_ERROR ||
      api.bind(e.bound, reinterpret_cast<const sockaddr*>(&address), length) == SOCKET_ERROR ||
      api.getsockname(e.bound, reinterpret_cast<sockaddr*>(&address), &length) == SOCKET_ERROR) {
    const int error = api.WSAGetLastError();
    CloseReservedEndpoint(api, e);  // the release-on-error path
    return error;
  }
  e.port = ntohs(address.sin_port);
  *endpoint = e;
  return 0;
}

void CloseReservedEndpoint(portres::ISocketIoctl& api, const ReservedEndpoint& endpoint) {
  DWORD bytes = 0;
  ULONG64 token = endpoint.token;
  // If the release fails, closing `owner` still ends the block.
  api.WSAIoctl(endpoint.owner, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0,
               &bytes, nullptr, nullptr);
  if (endpoint.bound != INVALID_SOCKET) api.closesocket(endpoint.bound);
  api.closesocket(endpoint.owner);
}
// [end]

}  // namespace example
