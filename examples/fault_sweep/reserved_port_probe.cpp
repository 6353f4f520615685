#include "reserved_port_probe.h"

#include <portres/winsock.h>

#include <cstring>

namespace example {
namespace {

int AcquireBlock(portres::ISocketIoctl& api, SOCKET s, std::uint16_t port_count,
                 INET_PORT_RESERVATION_INSTANCE* instance) {
  INET_PORT_RANGE range{};
  range.StartPort = 0;  // wildcard: the system picks the block
  range.NumberOfPorts = port_count;
  DWORD bytes = 0;
  return api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, instance,
                      sizeof *instance, &bytes, nullptr, nullptr);
}

int TokenIoctl(portres::ISocketIoctl& api, SOCKET s, DWORD code, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN input{};
  input.Token = token;
  DWORD bytes = 0;
  return api.WSAIoctl(s, code, &input, sizeof input, nullptr, 0, &bytes, nullptr, nullptr);
}

int BindAnyPort(portres::ISocketIoctl& api, SOCKET s) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = 0;  // from the associated block
  return api.bind(s, reinterpret_cast<const sockaddr*>(&address), static_cast<int>(sizeof address));
}

int BoundPort(portres::ISocketIoctl& api, SOCKET s, std::uint16_t* port) {
  sockaddr_in address{};
  int length = static_cast<int>(sizeof address);
  if (api.getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) == SOCKET_ERROR) {
    return SOCKET_ERROR;
  }
  *port = ntohs(address.sin_port);
  return 0;
}

}  // namespace

ProbeResult ProbeReservedPort(portres::ISocketIoctl& api, std::uint16_t port_count) {
  ProbeResult result;
  const SOCKET owner = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (owner == INVALID_SOCKET) {
    result.error = api.WSAGetLastError();
    return result;
  }
  INET_PORT_RESERVATION_INSTANCE instance{};
  if (AcquireBlock(api, owner, port_count, &instance) == SOCKET_ERROR) {
    result.error = api.WSAGetLastError();
    api.closesocket(owner);
    return result;
  }
  result.block_first = ntohs(instance.Reservation.StartPort);
  result.block_count = instance.Reservation.NumberOfPorts;
  const ULONG64 token = instance.Token.Token;

  const SOCKET user = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (user == INVALID_SOCKET ||
      TokenIoctl(api, user, SIO_ASSOCIATE_PORT_RESERVATION, token) == SOCKET_ERROR ||
      BindAnyPort(api, user) == SOCKET_ERROR ||
      BoundPort(api, user, &result.bound_port) == SOCKET_ERROR) {
    result.error = api.WSAGetLastError();
  }
  // Release the block explicitly; should the release fail, closing the socket that acquired
  // it still ends it (a runtime reservation lives as long as that socket: [ref:ioctl-common]).
  if (TokenIoctl(api, owner, SIO_RELEASE_PORT_RESERVATION, token) == SOCKET_ERROR &&
      result.error == 0) {
    result.error = api.WSAGetLastError();
  }
  // A failed closesocket leaves nothing better to do: the socket is reported, not retried.
  if (user != INVALID_SOCKET) api.closesocket(user);
  api.closesocket(owner);
  return result;
}

ProbeResult ProbeReservedPortLeaky(portres::ISocketIoctl& api, std::uint16_t port_count) {
  ProbeResult result;
  const SOCKET owner = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (owner == INVALID_SOCKET) {
    result.error = api.WSAGetLastError();
    return result;
  }
  INET_PORT_RESERVATION_INSTANCE instance{};
  if (AcquireBlock(api, owner, port_count, &instance) == SOCKET_ERROR) {
    result.error = api.WSAGetLastError();
    api.closesocket(owner);
    return result;
  }
  result.block_first = ntohs(instance.Reservation.StartPort);
  result.block_count = instance.Reservation.NumberOfPorts;
  const ULONG64 token = instance.Token.Token;

  const SOCKET user = api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (user == INVALID_SOCKET) {
    result.error = api.WSAGetLastError();
    TokenIoctl(api, owner, SIO_RELEASE_PORT_RESERVATION, token);
    api.closesocket(owner);
    return result;
  }
  if (TokenIoctl(api, user, SIO_ASSOCIATE_PORT_RESERVATION, token) == SOCKET_ERROR) {
    result.error = api.WSAGetLastError();
    TokenIoctl(api, owner, SIO_RELEASE_PORT_RESERVATION, token);
    api.closesocket(owner);
    return result;  // BUG: `user` stays open
  }
  if (BindAnyPort(api, user) == SOCKET_ERROR) {
    result.error = api.WSAGetLastError();
    api.closesocket(user);
    TokenIoctl(api, owner, SIO_RELEASE_PORT_RESERVATION, token);
    api.closesocket(owner);
    return result;
  }
  if (BoundPort(api, user, &result.bound_port) == SOCKET_ERROR) {
    result.error = api.WSAGetLastError();
    return result;  // BUG: both sockets stay open, and the block stays reserved with `owner`
  }
  TokenIoctl(api, owner, SIO_RELEASE_PORT_RESERVATION, token);
  api.closesocket(user);
  api.closesocket(owner);
  return result;
}

}  // namespace example
