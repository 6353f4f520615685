// What the benchmarks share: the calls a port-reservation client makes, through ISocketIoctl,
// exactly as code under test would make them.
#ifndef PORTRES_BENCH_BENCH_UTIL_H
#define PORTRES_BENCH_BENCH_UTIL_H

#include <portres/socket_ioctl.h>
#include <portres/winsock.h>

#include <cstdint>

namespace portres::bench {

// The port acquired and released in the middle of a populated space: inside the default dynamic
// range, so that acquiring it splits a free run and releasing it merges them again.
constexpr std::uint16_t kTargetPort = 55000;

// The fragmented space of BM_Fake_WildcardFragmented: the default dynamic range 49152..65535
// reserved one port in two, but for its last kFragmentedBlock ports.
constexpr std::uint16_t kFragmentedBlock = 8;
constexpr std::uint32_t kFragmentedLive = (65535 - kFragmentedBlock - 49152) / 2 + 1;

// SIO_ACQUIRE_PORT_RESERVATION of `count` ports from `first` (0: wildcard). The token, or
// INVALID_PORT_RESERVATION_TOKEN when the call failed.
inline ULONG64 Acquire(ISocketIoctl& api, SOCKET s, std::uint16_t first, std::uint16_t count) {
  INET_PORT_RANGE range{};
  range.StartPort = htons(first);
  range.NumberOfPorts = count;
  INET_PORT_RESERVATION_INSTANCE instance{};
  DWORD bytes = 0;
  if (api.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
                   sizeof instance, &bytes, nullptr, nullptr) != 0) {
    return INVALID_PORT_RESERVATION_TOKEN;
  }
  return instance.Token.Token;
}

// SIO_RELEASE_PORT_RESERVATION of `token`. True when it succeeded.
inline bool Release(ISocketIoctl& api, SOCKET s, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN in{};
  in.Token = token;
  DWORD bytes = 0;
  return api.WSAIoctl(s, SIO_RELEASE_PORT_RESERVATION, &in, sizeof in, nullptr, 0, &bytes, nullptr,
                      nullptr) == 0;
}

// Holds `live` one-port TCP reservations on `s`: ports 1, 2, ... skipping `skip`, so that a
// benchmark can acquire `skip` in the middle of a populated port space. One-port blocks of one
// protocol let 60k fit in the 65535 ports (with runtime reservations spanning protocols, the
// default, TCP and UDP blocks would conflict with each other, so UDP is not used to add room).
inline bool Populate(ISocketIoctl& api, SOCKET s, std::uint32_t live, std::uint16_t skip) {
  std::uint32_t port = 1;
  for (std::uint32_t i = 0; i < live; ++i, ++port) {
    if (port == skip) ++port;
    if (Acquire(api, s, static_cast<std::uint16_t>(port), 1) == INVALID_PORT_RESERVATION_TOKEN) {
      return false;
    }
  }
  return true;
}

}  // namespace portres::bench

#endif  // PORTRES_BENCH_BENCH_UTIL_H
