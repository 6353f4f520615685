// Must NOT compile: close() on a SOCKET instead of api.closesocket().
#include <portres/socket_ioctl.h>

#include <unistd.h>

int Slip(portres::ISocketIoctl& api) {
  const SOCKET s = api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  return close(s);
}
