// What the rules need to know of a sockaddr: its port, and whether it is the wildcard or a
// loopback address. Both families; the port sits at the same offset in each.
#ifndef PORTRES_FAKE_ADDRESSES_H
#define PORTRES_FAKE_ADDRESSES_H

#include <portres/winsock.h>

#include <cstdint>
#include <cstring>

namespace portres::detail {

// sin_port / sin6_port, in host byte order.
inline std::uint16_t PortOfAddress(const sockaddr* address) {
  std::uint16_t port_net = 0;
  std::memcpy(&port_net, address->sa_data, sizeof port_net);
  return ntohs(port_net);
}

// The all-zero address of either family (INADDR_ANY, in6addr_any).
inline bool IsWildcardAddress(const sockaddr* address) {
  if (address->sa_family == AF_INET6) {
    static constexpr unsigned char kZero[16] = {};
    return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, kZero,
                       sizeof kZero) == 0;
  }
  return reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr == 0;
}

// 127.0.0.0/8, ::1, and ::ffff:127.x.y.z.
inline bool IsLoopbackAddress(const sockaddr* address) {
  if (address->sa_family == AF_INET6) {
    const unsigned char* b = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr.s6_addr;
    static constexpr unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(b, kLoopback, sizeof kLoopback) == 0) return true;
    return std::memcmp(b, kMapped, sizeof kMapped) == 0 && b[12] == 127;
  }
  return (ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr) >> 24) == 127;
}

}  // namespace portres::detail

#endif  // PORTRES_FAKE_ADDRESSES_H
