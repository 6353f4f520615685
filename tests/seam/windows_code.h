/* Small functions written as Windows code (windows_code.c in C, windows_code_cpp.cpp in C++),
 * for the seam's tests to call. */
#ifndef PORTRES_TESTS_SEAM_WINDOWS_CODE_H
#define PORTRES_TESTS_SEAM_WINDOWS_CODE_H

#include <winsock2.h>

#ifdef __cplusplus
extern "C" {
#endif

int wc_startup(WORD version, WSADATA* data);
int wc_cleanup(void);
SOCKET wc_socket(int type);
int wc_close(SOCKET s);
int wc_last_error(void);
void wc_set_last_error(int error);
/* SIO_ACQUIRE_PORT_RESERVATION of `count` ports anywhere: 0 (and the block granted) or the
 * WSAIoctl's error. */
int wc_acquire(SOCKET s, USHORT count, USHORT* granted_count, ULONG64* token);
/* WSAIoctl on a handle that is no socket: SOCKET_ERROR. */
int wc_ioctl_on_nothing(void);
/* WSASocketW / WSASocketA of an IPv4 socket of `type` with `flags`. */
SOCKET wc_wsasocket_w(int type, DWORD flags);
SOCKET wc_wsasocket_a(int type, DWORD flags);
/* The rest return 0, or the error of the call that failed. */
/* setsockopt / getsockopt of SOL_SOCKET's SO_EXCLUSIVEADDRUSE. */
int wc_set_exclusive(SOCKET s, int on);
int wc_get_exclusive(SOCKET s, int* on);
/* bind to 127.0.0.1 on a port Winsock picks, getsockname, listen: the port in *port. */
int wc_listen_loopback(SOCKET s, USHORT* port);
/* connect to 127.0.0.1:port. */
int wc_connect_loopback(SOCKET s, USHORT port);
/* accept: the connection's socket and its peer's port, or INVALID_SOCKET. */
SOCKET wc_accept(SOCKET s, USHORT* peer_port);
/* getpeername: the peer's port. */
int wc_peer_port(SOCKET s, USHORT* port);
/* ioctlsocket(FIONBIO): non-blocking mode on or off. */
int wc_set_nonblocking(SOCKET s, int on);
ULONG wc_create_persistent_tcp(USHORT start_port, USHORT count, ULONG64* token);
ULONG wc_delete_persistent_tcp(USHORT start_port, USHORT count);

/* C++ Windows code (windows_code_cpp.cpp): bind(SOCKET...) and getsockname through the seam's
 * overloads; 0 and the bound port, or the error. */
int wcpp_bind_any(SOCKET s, USHORT* port);
SOCKET wcpp_socket_via_std_bind(void);
/* C++ Windows code: a listener (SO_REUSEADDR set and read back) on 127.0.0.1, a client
 * connected to it (getpeername checked) and the connection accepted; 0, or the error. */
int wcpp_loopback_connection(SOCKET* client, SOCKET* accepted);

#ifdef __cplusplus
}
#endif

#endif
