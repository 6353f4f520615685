#include "seam_planned.h"

#include "seam_internal.h"

#include <cstring>

namespace portres {
namespace interim {
namespace {

int Refuse(int error, int result) {
  if (ISocketIoctl* api = detail::SeamApi()) api->WSASetLastError(error);
  return result;
}

SOCKET Socket(int af, int type, int protocol, bool has_protocol_info, GROUP g) {
  ISocketIoctl* api = detail::SeamApi();
  if (api == nullptr) return INVALID_SOCKET;
  // Socket groups were never implemented by Windows: any group is WSAEINVAL.
  if (g != 0 || has_protocol_info) {
    api->WSASetLastError(has_protocol_info ? WSAEOPNOTSUPP : WSAEINVAL);
    return INVALID_SOCKET;
  }
  return api->socket(af, type, protocol);
}

}  // namespace

int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) {
  const int major = LOBYTE(wVersionRequested);
  const int minor = HIBYTE(wVersionRequested);
  if (major == 0) return WSAVERNOTSUPPORTED;
  if (lpWSAData == nullptr) return WSAEFAULT;
  std::memset(lpWSAData, 0, sizeof(*lpWSAData));
  const bool above = major > 2 || (major == 2 && minor > 2);
  lpWSAData->wVersion = above ? MAKEWORD(2, 2) : wVersionRequested;
  lpWSAData->wHighVersion = MAKEWORD(2, 2);
  std::strcpy(lpWSAData->szDescription, "WinSock 2.0 (portres seam)");
  std::strcpy(lpWSAData->szSystemStatus, "Running");
  return 0;
}

int WSACleanup() { return 0; }

SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                  DWORD /*dwFlags*/) {
  return Socket(af, type, protocol, lpProtocolInfo != nullptr, g);
}

SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                  DWORD /*dwFlags*/) {
  return Socket(af, type, protocol, lpProtocolInfo != nullptr, g);
}

int connect(SOCKET /*s*/, const struct sockaddr* /*name*/, int /*namelen*/) {
  return Refuse(WSAEOPNOTSUPP, SOCKET_ERROR);
}
int listen(SOCKET /*s*/, int /*backlog*/) { return Refuse(WSAEOPNOTSUPP, SOCKET_ERROR); }
SOCKET accept(SOCKET /*s*/, struct sockaddr* /*addr*/, int* /*addrlen*/) {
  Refuse(WSAEOPNOTSUPP, SOCKET_ERROR);
  return INVALID_SOCKET;
}
int getpeername(SOCKET /*s*/, struct sockaddr* /*name*/, int* /*namelen*/) {
  return Refuse(WSAEOPNOTSUPP, SOCKET_ERROR);
}
int setsockopt(SOCKET /*s*/, int /*level*/, int /*optname*/, const char* /*optval*/,
               int /*optlen*/) {
  return Refuse(WSAEOPNOTSUPP, SOCKET_ERROR);
}
int getsockopt(SOCKET /*s*/, int /*level*/, int /*optname*/, char* /*optval*/, int* /*optlen*/) {
  return Refuse(WSAEOPNOTSUPP, SOCKET_ERROR);
}
int ioctlsocket(SOCKET /*s*/, long cmd, u_long* argp) {
  if (static_cast<unsigned long>(cmd) != static_cast<unsigned long>(FIONBIO))
    return Refuse(WSAEOPNOTSUPP, SOCKET_ERROR);
  if (argp == nullptr) return Refuse(WSAEFAULT, SOCKET_ERROR);
  return 0;
}

}  // namespace interim
}  // namespace portres
