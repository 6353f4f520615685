#include "free_port.h"

namespace example {
namespace {

int BindTo(portres::ISocketIoctl& api, SOCKET s, std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  if (api.bind(s, reinterpret_cast<const sockaddr*>(&address), static_cast<int>(sizeof address)) ==
      0) {
    return 0;
  }
  return api.WSAGetLastError();
}

}  // namespace

FoundPort FindFreePortByProbing(portres::ISocketIoctl& api, std::uint16_t first,
                                std::uint16_t last) {
  for (std::uint32_t port = first; port <= last; ++port) {
    const SOCKET probe = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (probe == INVALID_SOCKET) return FoundPort{api.WSAGetLastError(), 0};
    const int error = BindTo(api, probe, static_cast<std::uint16_t>(port));
    api.closesocket(probe);
    if (error == 0) return FoundPort{0, static_cast<std::uint16_t>(port)};
    // The flaw field reports show: only "in use" is expected; an excluded port's WSAEACCES
    // reads as "no permission" and ends the search.
    if (error != WSAEADDRINUSE) return FoundPort{error, 0};
  }
  return FoundPort{WSAEADDRNOTAVAIL, 0};
}

OpenedPort OpenOnFreePort(portres::ISocketIoctl& api, std::uint16_t first, std::uint16_t last) {
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (s == INVALID_SOCKET) return OpenedPort{api.WSAGetLastError(), INVALID_SOCKET, 0};
  for (std::uint32_t port = first; port <= last; ++port) {
    const int error = BindTo(api, s, static_cast<std::uint16_t>(port));
    if (error == 0) return OpenedPort{0, s, static_cast<std::uint16_t>(port)};
    // In use, or inside another process's reservation: either way, not ours; try the next.
    if (error == WSAEADDRINUSE || error == WSAEACCES) continue;
    api.closesocket(s);
    return OpenedPort{error, INVALID_SOCKET, 0};
  }
  api.closesocket(s);
  return OpenedPort{WSAEADDRNOTAVAIL, INVALID_SOCKET, 0};
}

}  // namespace example
