// Must compile cleanly: ordinary C library calls with int descriptors, next to portres and to
// deliberate calls on the interface.
#include <portres/socket_ioctl.h>

#include <sys/socket.h>
#include <unistd.h>

#include <functional>

int Posix(const sockaddr_in& address) {
  const int fd = ::socket(PF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, PORTRES_POSIX_SOL_SOCKET, PORTRES_POSIX_SO_REUSEADDR, &one, sizeof one);
  socklen_t length = sizeof address;
  bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  getsockname(fd, reinterpret_cast<sockaddr*>(const_cast<sockaddr_in*>(&address)), &length);
  listen(fd, 1);
  auto bound = std::bind([](int x) { return x; }, fd);
  return close(bound());
}

int Deliberate(portres::ISocketIoctl& api, const sockaddr_in& address) {
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  const int result = api.bind(s, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  api.closesocket(s);
  return result;
}
