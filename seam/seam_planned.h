// Interim answers, under a seam, for the calls real clients make that ISocketIoctl does not
// have yet (PORTRES_SEAM_PLANNED_CALLS). Each goes when its call joins ISocketIoctl.
#ifndef PORTRES_SEAM_SEAM_PLANNED_H
#define PORTRES_SEAM_SEAM_PLANNED_H

#include <portres/winsock.h>

namespace portres {
namespace interim {

// The error each call fails with when no seam is installed (off Windows). WSAStartup returns
// its error: WSASYSNOTREADY says there is no network subsystem to start.
constexpr int kUnseamedError_WSAStartup = WSASYSNOTREADY;
constexpr int kUnseamedError_WSACleanup = WSANOTINITIALISED;
constexpr int kUnseamedError_WSASocketW = WSANOTINITIALISED;
constexpr int kUnseamedError_WSASocketA = WSANOTINITIALISED;
constexpr int kUnseamedError_connect = WSANOTINITIALISED;
constexpr int kUnseamedError_listen = WSANOTINITIALISED;
constexpr int kUnseamedError_accept = WSANOTINITIALISED;
constexpr int kUnseamedError_getpeername = WSANOTINITIALISED;
constexpr int kUnseamedError_setsockopt = WSANOTINITIALISED;
constexpr int kUnseamedError_getsockopt = WSANOTINITIALISED;
constexpr int kUnseamedError_ioctlsocket = WSANOTINITIALISED;

// Version negotiation as documented: below 1.0 is WSAVERNOTSUPPORTED; 2.2 at most.
int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
int WSACleanup();
// socket() on the seam's api (the fake's sockets all have the overlapped attribute).
SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                  DWORD dwFlags);
SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                  DWORD dwFlags);
// ioctlsocket(FIONBIO) is accepted; the rest answer WSAEOPNOTSUPP for now.
int connect(SOCKET s, const struct sockaddr* name, int namelen);
int listen(SOCKET s, int backlog);
SOCKET accept(SOCKET s, struct sockaddr* addr, int* addrlen);
int getpeername(SOCKET s, struct sockaddr* name, int* namelen);
int setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen);
int getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen);
int ioctlsocket(SOCKET s, long cmd, u_long* argp);

}  // namespace interim
}  // namespace portres

#endif  // PORTRES_SEAM_SEAM_PLANNED_H
