/* A layered service provider's filter, written as LSP code is written: in C, against the
 * provider interface (ws2spi.h), forwarding to the provider below it through that provider's
 * WSPPROC_TABLE.
 *
 * Its policy: no runtime reservation may take a port of one configured range (say, ports a
 * service of the machine owns). An SIO_ACQUIRE_PORT_RESERVATION asking for a block that meets
 * the range is refused with WSAEACCES and never reaches the provider below. A synchronous
 * wildcard acquire (StartPort 0) is forwarded, and if the system chose a block that meets the
 * range, the filter releases it again and refuses the call. Everything else is forwarded as it
 * came, so the caller sees the next provider's answers, errors included.
 *
 * Like a real LSP it keeps the next provider's table in static storage: one filter per
 * program, configured by LayeredFilterStartup (what its WSPStartup would do). */
#ifndef PORTRES_EXAMPLE_LAYERED_FILTER_H
#define PORTRES_EXAMPLE_LAYERED_FILTER_H

#include <portres/winsock_spi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Remembers `next` (the provider below) and the refused ports first_port..last_port (host byte
 * order, inclusive), and fills `own` with the table to hand the layer above: `next`'s entries,
 * with the filter's WSPIoctl in place of its. 0, or SOCKET_ERROR with *lpErrno WSAEFAULT (a null
 * pointer) or WSAEINVAL (first_port > last_port, or `next` has no WSPIoctl). */
int LayeredFilterStartup(const WSPPROC_TABLE* next, USHORT first_port, USHORT last_port,
                         LPWSPPROC_TABLE own, LPINT lpErrno);

/* The filter's WSPIoctl (own->lpWSPIoctl after LayeredFilterStartup). */
int WSPAPI LayeredFilterWSPIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
                                 DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                                 LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                 LPWSATHREADID lpThreadId, LPINT lpErrno);

#ifdef __cplusplus
}
#endif

#endif /* PORTRES_EXAMPLE_LAYERED_FILTER_H */
