/* Windows code in C: the SDK's headers and globals only. */
#include "windows_code.h"

#include <iphlpapi.h>
#include <mstcpip.h>
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <string.h>

int wc_startup(WORD version, WSADATA* data) { return WSAStartup(version, data); }
int wc_cleanup(void) { return WSACleanup(); }
SOCKET wc_socket(int type) {
  return socket(AF_INET, type, type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP);
}
int wc_close(SOCKET s) { return closesocket(s); }
int wc_last_error(void) { return WSAGetLastError(); }
void wc_set_last_error(int error) { WSASetLastError(error); }

/* INET_PORT_RESERVATION_INSTANCE with its members named: MinGW-w64's mstcpip.h gives C a
 * version with unnamed members, which needs -fms-extensions. Same layout. */
typedef struct wc_instance {
  INET_PORT_RESERVATION Reservation;
  INET_PORT_RESERVATION_TOKEN Token;
} wc_instance;

int wc_acquire(SOCKET s, USHORT count, USHORT* granted_count, ULONG64* token) {
  INET_PORT_RANGE range;
  wc_instance instance;
  DWORD bytes = 0;
  range.StartPort = 0;
  range.NumberOfPorts = count;
  memset(&instance, 0, sizeof instance);
  if (WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance, sizeof instance,
               &bytes, NULL, NULL) == SOCKET_ERROR) {
    return WSAGetLastError();
  }
  *granted_count = instance.Reservation.NumberOfPorts;
  *token = instance.Token.Token;
  return 0;
}

int wc_ioctl_on_nothing(void) {
  INET_PORT_RESERVATION_TOKEN token;
  DWORD bytes = 0;
  token.Token = 1;
  return WSAIoctl(INVALID_SOCKET, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, NULL, 0,
                  &bytes, NULL, NULL);
}

SOCKET wc_wsasocket_w(int type, DWORD flags) {
  return WSASocketW(AF_INET, type, type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP, NULL, 0, flags);
}

SOCKET wc_wsasocket_a(int type, DWORD flags) {
  return WSASocketA(AF_INET, type, type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP, NULL, 0, flags);
}

int wc_set_exclusive(SOCKET s, int on) {
  if (setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char*)&on, sizeof on) == SOCKET_ERROR) {
    return WSAGetLastError();
  }
  return 0;
}

int wc_get_exclusive(SOCKET s, int* on) {
  int length = (int)sizeof *on;
  if (getsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char*)on, &length) == SOCKET_ERROR) {
    return WSAGetLastError();
  }
  return 0;
}

static struct sockaddr_in wc_loopback(USHORT port) {
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

int wc_listen_loopback(SOCKET s, USHORT* port) {
  struct sockaddr_in address = wc_loopback(0);
  int length = (int)sizeof address;
  if (bind(s, (const struct sockaddr*)&address, length) == SOCKET_ERROR ||
      getsockname(s, (struct sockaddr*)&address, &length) == SOCKET_ERROR ||
      listen(s, 4) == SOCKET_ERROR) {
    return WSAGetLastError();
  }
  *port = ntohs(address.sin_port);
  return 0;
}

int wc_connect_loopback(SOCKET s, USHORT port) {
  struct sockaddr_in address = wc_loopback(port);
  if (connect(s, (const struct sockaddr*)&address, sizeof address) == SOCKET_ERROR) {
    return WSAGetLastError();
  }
  return 0;
}

SOCKET wc_accept(SOCKET s, USHORT* peer_port) {
  struct sockaddr_in address;
  int length = (int)sizeof address;
  const SOCKET connection = accept(s, (struct sockaddr*)&address, &length);
  if (connection != INVALID_SOCKET) *peer_port = ntohs(address.sin_port);
  return connection;
}

int wc_peer_port(SOCKET s, USHORT* port) {
  struct sockaddr_in address;
  int length = (int)sizeof address;
  if (getpeername(s, (struct sockaddr*)&address, &length) == SOCKET_ERROR) {
    return WSAGetLastError();
  }
  *port = ntohs(address.sin_port);
  return 0;
}

int wc_set_nonblocking(SOCKET s, int on) {
  u_long mode = on ? 1 : 0;
  if (ioctlsocket(s, FIONBIO, &mode) == SOCKET_ERROR) return WSAGetLastError();
  return 0;
}

ULONG wc_create_persistent_tcp(USHORT start_port, USHORT count, ULONG64* token) {
  return CreatePersistentTcpPortReservation(htons(start_port), count, token);
}

ULONG wc_delete_persistent_tcp(USHORT start_port, USHORT count) {
  return DeletePersistentTcpPortReservation(htons(start_port), count);
}
