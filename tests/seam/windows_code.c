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

ULONG wc_create_persistent_tcp(USHORT start_port, USHORT count, ULONG64* token) {
  return CreatePersistentTcpPortReservation(htons(start_port), count, token);
}

ULONG wc_delete_persistent_tcp(USHORT start_port, USHORT count) {
  return DeletePersistentTcpPortReservation(htons(start_port), count);
}
