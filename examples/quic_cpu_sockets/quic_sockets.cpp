#include "quic_sockets.h"

namespace example {
namespace {

QuicSockets Fail(portres::ISocketIoctl& api, QuicSockets& partial, int error) {
  CloseQuicSockets(api, partial);
  QuicSockets result;
  result.error = error;
  return result;
}

}  // namespace

QuicSockets OpenQuicServerSockets(portres::ISocketIoctl& api, std::uint16_t port,
                                  unsigned short processors) {
  QuicSockets result;
  INET_PORT_RESERVATION_INSTANCE reservation{};
  for (unsigned short processor = 0; processor < processors; ++processor) {
    const SOCKET s =
        api.WSASocketW(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET) return Fail(api, result, api.WSAGetLastError());
    result.sockets.push_back(s);

    const int v6only = 0;
    if (api.setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<const char*>(&v6only),
                       sizeof v6only) == SOCKET_ERROR) {
      return Fail(api, result, api.WSAGetLastError());
    }
    DWORD bytes = 0;
    USHORT cpu = processor;
    if (api.WSAIoctl(s, SIO_CPU_AFFINITY, &cpu, sizeof cpu, nullptr, 0, &bytes, nullptr, nullptr) ==
        SOCKET_ERROR) {
      return Fail(api, result, api.WSAGetLastError());
    }
    if (processor == 0) {
      INET_PORT_RANGE range;
      range.StartPort = htons(port);
      range.NumberOfPorts = 1;
      if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &reservation,
                       sizeof reservation, &bytes, nullptr, nullptr) == SOCKET_ERROR) {
        return Fail(api, result, api.WSAGetLastError());
      }
    }
    if (api.WSAIoctl(s, SIO_ASSOCIATE_PORT_RESERVATION, &reservation.Token,
                     sizeof reservation.Token, nullptr, 0, &bytes, nullptr,
                     nullptr) == SOCKET_ERROR) {
      return Fail(api, result, api.WSAGetLastError());
    }
    sockaddr_in6 local{};
    local.sin6_family = AF_INET6;
    local.sin6_port = htons(port);
    local.sin6_addr = in6addr_any;
    if (api.bind(s, reinterpret_cast<const sockaddr*>(&local), sizeof local) == SOCKET_ERROR) {
      return Fail(api, result, api.WSAGetLastError());
    }
  }
  sockaddr_in6 bound{};
  int length = sizeof bound;
  if (api.getsockname(result.sockets.at(0), reinterpret_cast<sockaddr*>(&bound), &length) ==
      SOCKET_ERROR) {
    return Fail(api, result, api.WSAGetLastError());
  }
  result.port = ntohs(bound.sin6_port);
  return result;
}

void CloseQuicSockets(portres::ISocketIoctl& api, QuicSockets& sockets) {
  for (const SOCKET s : sockets.sockets) api.closesocket(s);
  sockets.sockets.clear();
}

}  // namespace example
