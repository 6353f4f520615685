/* Windows code: the SDK's headers and globals, nothing else. */
#include "reserved_port.h"

#include <iphlpapi.h>
#include <mstcpip.h>
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <string.h>

/* INET_PORT_RESERVATION_INSTANCE with its members named: MinGW-w64's mstcpip.h gives C a
 * version with unnamed members, which needs -fms-extensions. Same layout. */
typedef struct rp_instance {
  INET_PORT_RESERVATION Reservation;
  INET_PORT_RESERVATION_TOKEN Token;
} rp_instance;

int rp_startup(void) {
  WSADATA data;
  return WSAStartup(MAKEWORD(2, 2), &data);
}

void rp_cleanup(void) { WSACleanup(); }

static int token_ioctl(SOCKET s, DWORD code, ULONG64 token) {
  INET_PORT_RESERVATION_TOKEN input;
  DWORD bytes = 0;
  input.Token = token;
  return WSAIoctl(s, code, &input, sizeof input, NULL, 0, &bytes, NULL, NULL);
}

static int fail_and_close(SOCKET owner, SOCKET user, ULONG64 token) {
  int error = WSAGetLastError();
  if (token != INVALID_PORT_RESERVATION_TOKEN) {
    token_ioctl(owner, SIO_RELEASE_PORT_RESERVATION, token);
  }
  if (user != INVALID_SOCKET) closesocket(user);
  if (owner != INVALID_SOCKET) closesocket(owner);
  return error;
}

int rp_open(USHORT port_count, rp_endpoint* endpoint) {
  INET_PORT_RANGE range;
  rp_instance instance;
  struct sockaddr_in address;
  int length = (int)sizeof address;
  DWORD bytes = 0;
  SOCKET owner;
  SOCKET user;

  owner = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (owner == INVALID_SOCKET) return WSAGetLastError();
  range.StartPort = 0; /* the system picks the block */
  range.NumberOfPorts = port_count;
  memset(&instance, 0, sizeof instance);
  if (WSAIoctl(owner, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance,
               sizeof instance, &bytes, NULL, NULL) == SOCKET_ERROR) {
    return fail_and_close(owner, INVALID_SOCKET, INVALID_PORT_RESERVATION_TOKEN);
  }
  user = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  if (user == INVALID_SOCKET) return fail_and_close(owner, user, instance.Token.Token);
  if (token_ioctl(user, SIO_ASSOCIATE_PORT_RESERVATION, instance.Token.Token) == SOCKET_ERROR) {
    return fail_and_close(owner, user, instance.Token.Token);
  }
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = 0; /* a port of the associated block */
  if (bind(user, (const struct sockaddr*)&address, sizeof address) == SOCKET_ERROR ||
      getsockname(user, (struct sockaddr*)&address, &length) == SOCKET_ERROR) {
    return fail_and_close(owner, user, instance.Token.Token);
  }
  endpoint->owner = owner;
  endpoint->user = user;
  endpoint->token = instance.Token.Token;
  endpoint->first_port = ntohs(instance.Reservation.StartPort);
  endpoint->port_count = instance.Reservation.NumberOfPorts;
  endpoint->port = ntohs(address.sin_port);
  return 0;
}

int rp_close(rp_endpoint* endpoint) {
  int error = 0;
  if (token_ioctl(endpoint->owner, SIO_RELEASE_PORT_RESERVATION, endpoint->token) == SOCKET_ERROR) {
    error = WSAGetLastError(); /* closing the owner below ends the block anyway */
  }
  if (closesocket(endpoint->user) == SOCKET_ERROR && error == 0) error = WSAGetLastError();
  if (closesocket(endpoint->owner) == SOCKET_ERROR && error == 0) error = WSAGetLastError();
  endpoint->owner = INVALID_SOCKET;
  endpoint->user = INVALID_SOCKET;
  return error;
}

ULONG rp_persist(USHORT first_port, USHORT port_count, ULONG64* token) {
  ULONG result = CreatePersistentTcpPortReservation(htons(first_port), port_count, token);
  if (result == ERROR_SHARING_VIOLATION) {
    /* Ours from an earlier run, or someone else's: only a lookup tells. */
    if (LookupPersistentTcpPortReservation(htons(first_port), port_count, token) == NO_ERROR) {
      return NO_ERROR;
    }
  }
  return result;
}

ULONG rp_unpersist(USHORT first_port, USHORT port_count) {
  return DeletePersistentTcpPortReservation(htons(first_port), port_count);
}
