// Must NOT compile: the C library's bind on a SOCKET (a porting slip portres reports).
#include <portres/socket_ioctl.h>

int Slip(portres::ISocketIoctl& api, const sockaddr_in& address) {
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  return bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address);
}
