// Windows code in C++: the SDK's headers and globals only. Off Windows, bind and getsockname
// with a SOCKET pick the seam's overloads, socket(...) its macro, and std::bind is untouched.
#include "windows_code.h"

#include <winsock2.h>
#include <ws2tcpip.h>

#include <functional>

extern "C" int wcpp_bind_any(SOCKET s, USHORT* port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address) == SOCKET_ERROR) {
    return WSAGetLastError();
  }
  int length = static_cast<int>(sizeof address);
  if (getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) == SOCKET_ERROR) {
    return WSAGetLastError();
  }
  *port = ntohs(address.sin_port);
  return 0;
}

extern "C" SOCKET wcpp_socket_via_std_bind(void) {
  auto open = std::bind([](int type) { return socket(AF_INET, type, 0); }, SOCK_STREAM);
  return open();
}
