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
ULONG wc_create_persistent_tcp(USHORT start_port, USHORT count, ULONG64* token);
ULONG wc_delete_persistent_tcp(USHORT start_port, USHORT count);

/* C++ Windows code (windows_code_cpp.cpp): bind(SOCKET...) and getsockname through the seam's
 * overloads; 0 and the bound port, or the error. */
int wcpp_bind_any(SOCKET s, USHORT* port);
SOCKET wcpp_socket_via_std_bind(void);

#ifdef __cplusplus
}
#endif

#endif
