// Addresses and small calls the contract tests of the rest of the surface share: loopback and
// wildcard endpoints, option reads, listening sockets.
#ifndef PORTRES_TESTS_CONTRACT_SURFACE_HELPERS_H
#define PORTRES_TESTS_CONTRACT_SURFACE_HELPERS_H

#include <portres/socket_ioctl.h>
#include <portres/winsock.h>

#include <cstdint>
#include <cstring>

#include "contract_test.h"

namespace portres::contract {

// An IPv4 endpoint; `address` in host byte order (INADDR_LOOPBACK, INADDR_ANY).
inline sockaddr_in Endpoint4(std::uint32_t address, std::uint16_t port) {
  sockaddr_in endpoint{};
  endpoint.sin_family = AF_INET;
  endpoint.sin_port = htons(port);
  endpoint.sin_addr.s_addr = htonl(address);
  return endpoint;
}

inline const sockaddr* AsSockaddr(const sockaddr_in& endpoint) {
  return reinterpret_cast<const sockaddr*>(&endpoint);
}

inline constexpr int kEndpoint4Length = static_cast<int>(sizeof(sockaddr_in));

// The error a call left: kWsaSuccess when it returned 0.
inline WsaCode ResultOf(ISocketIoctl& api, int result) {
  return result == SOCKET_ERROR ? Wsa(api.WSAGetLastError()) : kWsaSuccess;
}

inline WsaCode BindTo(ISocketIoctl& api, SOCKET s, const sockaddr_in& endpoint) {
  return ResultOf(api, api.bind(s, AsSockaddr(endpoint), kEndpoint4Length));
}

inline WsaCode ConnectTo(ISocketIoctl& api, SOCKET s, const sockaddr_in& endpoint) {
  return ResultOf(api, api.connect(s, AsSockaddr(endpoint), kEndpoint4Length));
}

// setsockopt of an int-sized option (BOOL or int).
inline WsaCode SetInt(ISocketIoctl& api, SOCKET s, int level, int option, int value) {
  return ResultOf(api, api.setsockopt(s, level, option, reinterpret_cast<const char*>(&value),
                                      static_cast<int>(sizeof value)));
}

// getsockopt of an int-sized option; -1 (and a test failure) when it fails. The buffer starts
// at 0: a BOOL may come back in fewer bytes than an int (Wine writes one).
inline int GetInt(ISocketIoctl& api, SOCKET s, int level, int option) {
  int value = 0;
  int length = static_cast<int>(sizeof value);
  const int result = api.getsockopt(s, level, option, reinterpret_cast<char*>(&value), &length);
  EXPECT_EQ(ResultOf(api, result), kWsaSuccess) << "getsockopt(" << level << ", " << option << ")";
  return result == SOCKET_ERROR ? -1 : value;
}

// The port getpeername() reports (host byte order), or 0 when it fails.
inline std::uint16_t PeerPort(ISocketIoctl& api, SOCKET s) {
  sockaddr_in6 address{};
  int length = static_cast<int>(sizeof address);
  if (api.getpeername(s, reinterpret_cast<sockaddr*>(&address), &length) == SOCKET_ERROR) {
    return 0;
  }
  return ntohs(address.sin6_port);
}

// SIO_CPU_AFFINITY with a well-formed buffer.
inline WsaCode SetProcessor(ISocketIoctl& api, SOCKET s, USHORT processor) {
  DWORD bytes = 0;
  return ResultOf(api, api.WSAIoctl(s, SIO_CPU_AFFINITY, &processor, sizeof processor, nullptr, 0,
                                    &bytes, nullptr, nullptr));
}

}  // namespace portres::contract

#endif  // PORTRES_TESTS_CONTRACT_SURFACE_HELPERS_H
