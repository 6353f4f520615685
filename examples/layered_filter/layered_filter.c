/* The filter of layered_filter.h. In C the SDK's INET_PORT_RESERVATION_INSTANCE has its
 * members without names (instance.StartPort, instance.Token), as <portres/winsock.h> has them
 * in C off Windows; GCC needs -fms-extensions to read the SDK's (see CMakeLists.txt). */
#include "layered_filter.h"

#include <string.h>

static WSPPROC_TABLE next_provider;
static unsigned refused_first;
static unsigned refused_last;

/* Whether count ports from first meet the refused range. */
static int MeetsRefusedRange(unsigned first, unsigned count) {
  return count != 0 && first <= refused_last && first + count - 1 >= refused_first;
}

int LayeredFilterStartup(const WSPPROC_TABLE* next, USHORT first_port, USHORT last_port,
                         LPWSPPROC_TABLE own, LPINT lpErrno) {
  if (lpErrno == NULL) return SOCKET_ERROR;
  if (next == NULL || own == NULL) {
    *lpErrno = WSAEFAULT;
    return SOCKET_ERROR;
  }
  if (first_port > last_port || next->lpWSPIoctl == NULL) {
    *lpErrno = WSAEINVAL;
    return SOCKET_ERROR;
  }
  next_provider = *next;
  refused_first = first_port;
  refused_last = last_port;
  *own = *next;
  own->lpWSPIoctl = LayeredFilterWSPIoctl;
  return 0;
}

/* A wildcard acquire the system answered with a block inside the range: give the block back
 * and refuse. If the release fails the block still ends with the socket, as every runtime
 * reservation does; the caller is told WSAEACCES either way, since it holds no token. */
static int RefuseGrantedBlock(SOCKET s, LPVOID lpvOutBuffer, LPDWORD lpcbBytesReturned,
                              LPWSATHREADID lpThreadId, LPINT lpErrno) {
  INET_PORT_RESERVATION_INSTANCE granted;
  DWORD ignored = 0;
  int release_error = 0;
  memcpy(&granted, lpvOutBuffer, sizeof granted);
  (void)next_provider.lpWSPIoctl(s, SIO_RELEASE_PORT_RESERVATION, &granted.Token,
                                 (DWORD)sizeof(ULONG64), NULL, 0, &ignored, NULL, NULL, lpThreadId,
                                 &release_error);
  memset(lpvOutBuffer, 0, sizeof granted);
  if (lpcbBytesReturned != NULL) *lpcbBytesReturned = 0;
  *lpErrno = WSAEACCES;
  return SOCKET_ERROR;
}

int WSPAPI LayeredFilterWSPIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
                                 DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                                 LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                 LPWSATHREADID lpThreadId, LPINT lpErrno) {
  INET_PORT_RANGE range;
  int result;
  /* Anything the filter cannot read is the next provider's to refuse, with its own error. */
  if (dwIoControlCode != SIO_ACQUIRE_PORT_RESERVATION || lpvInBuffer == NULL ||
      cbInBuffer < sizeof range) {
    return next_provider.lpWSPIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer,
                                    cbOutBuffer, lpcbBytesReturned, lpOverlapped,
                                    lpCompletionRoutine, lpThreadId, lpErrno);
  }
  memcpy(&range, lpvInBuffer, sizeof range);
  if (range.StartPort != 0 && MeetsRefusedRange(ntohs(range.StartPort), range.NumberOfPorts)) {
    if (lpcbBytesReturned != NULL) *lpcbBytesReturned = 0;
    *lpErrno = WSAEACCES;
    return SOCKET_ERROR;
  }
  result = next_provider.lpWSPIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer,
                                    cbOutBuffer, lpcbBytesReturned, lpOverlapped,
                                    lpCompletionRoutine, lpThreadId, lpErrno);
  /* A synchronous wildcard acquire has its block now; an overlapped one has it only when it
   * completes, which this small filter does not follow (a real one would wrap the routine). */
  if (result == 0 && range.StartPort == 0 && lpOverlapped == NULL) {
    INET_PORT_RESERVATION_INSTANCE granted;
    memcpy(&granted, lpvOutBuffer, sizeof granted);
    if (MeetsRefusedRange(ntohs(granted.StartPort), granted.NumberOfPorts)) {
      return RefuseGrantedBlock(s, lpvOutBuffer, lpcbBytesReturned, lpThreadId, lpErrno);
    }
  }
  return result;
}
