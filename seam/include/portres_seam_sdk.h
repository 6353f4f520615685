/* portres_seam_sdk.h: what portres::seam's SDK-named headers (winsock2.h, ws2tcpip.h, ws2def.h,
 * ws2ipdef.h, mstcpip.h, iphlpapi.h, windows.h) all declare, off Windows. Code written for
 * Windows includes those names as it does on Windows and compiles unchanged (C11 or C++17).
 *
 * The vocabulary is <portres/winsock.h>'s: one set of names, values and layouts. The functions
 * are the seam's (portres_seam_calls.h), which call the fake a ScopedSeam or
 * portres_seam_install() installed.
 *
 * POSIX names. socket, bind, connect, listen, accept, getsockname, getpeername, setsockopt and
 * getsockopt exist in the C library too, which the rest of the program (GoogleTest, the C
 * library itself) keeps calling. So the Windows code's calls are redirected per file, not per
 * program:
 *  - C: each name is a macro for portres_seam_<name>.
 *  - C++: socket(...) is a function-like macro for portres_seam_socket(...); the others, which
 *    take a SOCKET first, are overloads of the C library's that win for a SOCKET argument (so
 *    std::bind and members named bind are left alone).
 *  - A C++ file that includes portres's own headers as well (a test, say) gets neither: the
 *    macro would rename ISocketIoctl::socket. There the POSIX names are the C library's and
 *    portres's porting traps report a SOCKET handed to them; keep Windows code in its own files.
 */
#ifndef PORTRES_SEAM_SDK_H
#define PORTRES_SEAM_SDK_H

#if defined(_WIN32)
#error \
    "portres::seam's SDK-named headers are for non-Windows builds: on Windows the SDK's own are used"
#endif

#if defined(__cplusplus) && !defined(PORTRES_VOCABULARY_SEEN_OUTSIDE_SEAM) && \
    !defined(PORTRES_NO_POSIX_TRAPS)
/* Windows code calls bind(SOCKET...) on purpose here: the seam's overloads below answer it. */
#define PORTRES_NO_POSIX_TRAPS 1
#endif
#define PORTRES_SEAM_INCLUDING_VOCABULARY 1
#include <portres/winsock.h>
#undef PORTRES_SEAM_INCLUDING_VOCABULARY

#include "portres_seam_calls.h"

/* Windows code names its import libraries with #pragma comment(lib, "ws2_32.lib"), which GCC
 * and Clang do not know; in the files that include these headers it is not worth a warning. */
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunknown-pragmas"
#endif

/* ws2def.h / ws2tcpip.h names Windows code commonly spells with the SDK's typedefs. */
typedef struct sockaddr_storage SOCKADDR_STORAGE;
typedef struct sockaddr_storage* PSOCKADDR_STORAGE;
typedef struct addrinfo ADDRINFOA;
typedef struct addrinfo* PADDRINFOA;
#define SD_RECEIVE 0x00
#define SD_SEND 0x01
#define SD_BOTH 0x02

#ifdef __cplusplus
extern "C" {
#endif

#define PORTRES_SEAM_DECLARE(kind, R, name, params, args, fail) \
  R WSAAPI PORTRES_SEAM_LINK_NAME(kind, name) params;
PORTRES_SEAM_WINSOCK_CALLS(PORTRES_SEAM_DECLARE)
PORTRES_SEAM_ERROR_CALLS(PORTRES_SEAM_DECLARE)
PORTRES_SEAM_IPHLPAPI_CALLS(PORTRES_SEAM_DECLARE)
#undef PORTRES_SEAM_DECLARE

#ifdef __cplusplus
} /* extern "C" */
#endif

#if !defined(__cplusplus)
/* C: no overloads, so every POSIX-named call of this file is the seam's. */
#define PORTRES_SEAM_RENAMES 1
#define socket portres_seam_socket
#define bind portres_seam_bind
#define getsockname portres_seam_getsockname
#define connect portres_seam_connect
#define listen portres_seam_listen
#define accept portres_seam_accept
#define getpeername portres_seam_getpeername
#define setsockopt portres_seam_setsockopt
#define getsockopt portres_seam_getsockopt
#elif !defined(PORTRES_VOCABULARY_SEEN_OUTSIDE_SEAM)
#define PORTRES_SEAM_RENAMES 1
#define socket(af, type, protocol) portres_seam_socket(af, type, protocol)
/* A SOCKET first argument picks these over the C library's int versions. */
inline int bind(SOCKET s, const struct sockaddr* name, int namelen) {
  return portres_seam_bind(s, name, namelen);
}
inline int getsockname(SOCKET s, struct sockaddr* name, int* namelen) {
  return portres_seam_getsockname(s, name, namelen);
}
inline int connect(SOCKET s, const struct sockaddr* name, int namelen) {
  return portres_seam_connect(s, name, namelen);
}
inline int listen(SOCKET s, int backlog) { return portres_seam_listen(s, backlog); }
inline SOCKET accept(SOCKET s, struct sockaddr* addr, int* addrlen) {
  return portres_seam_accept(s, addr, addrlen);
}
inline int getpeername(SOCKET s, struct sockaddr* name, int* namelen) {
  return portres_seam_getpeername(s, name, namelen);
}
inline int setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen) {
  return portres_seam_setsockopt(s, level, optname, optval, optlen);
}
inline int getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) {
  return portres_seam_getsockopt(s, level, optname, optval, optlen);
}
#endif

#endif /* PORTRES_SEAM_SDK_H */
