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

namespace {
int Failed() { return WSAGetLastError(); }
}  // namespace

extern "C" int wcpp_loopback_connection(SOCKET* client, SOCKET* accepted) {
  const SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (listener == INVALID_SOCKET) return Failed();
  const BOOL reuse = TRUE;
  if (setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char*>(&reuse),
                 sizeof reuse) == SOCKET_ERROR) {
    return Failed();
  }
  BOOL reuse_read = FALSE;
  int reuse_length = static_cast<int>(sizeof reuse_read);
  if (getsockopt(listener, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<char*>(&reuse_read),
                 &reuse_length) == SOCKET_ERROR) {
    return Failed();
  }
  if (reuse_read != TRUE) return WSAEINVAL;

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int length = static_cast<int>(sizeof address);
  if (bind(listener, reinterpret_cast<const sockaddr*>(&address), length) == SOCKET_ERROR ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == SOCKET_ERROR ||
      listen(listener, 4) == SOCKET_ERROR) {
    return Failed();
  }

  *client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  if (*client == INVALID_SOCKET) return Failed();
  if (connect(*client, reinterpret_cast<const sockaddr*>(&address), length) == SOCKET_ERROR) {
    return Failed();
  }
  sockaddr_in peer{};
  int peer_length = static_cast<int>(sizeof peer);
  if (getpeername(*client, reinterpret_cast<sockaddr*>(&peer), &peer_length) == SOCKET_ERROR) {
    return Failed();
  }
  if (peer.sin_port != address.sin_port) return WSAEINVAL;
  *accepted = accept(listener, nullptr, nullptr);
  return *accepted == INVALID_SOCKET ? Failed() : 0;
}
