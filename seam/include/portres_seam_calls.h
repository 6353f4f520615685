/* portres_seam_calls.h: every global call portres::seam replaces, one line each.
 *
 * X(kind, return type, name, (parameters), (arguments), value returned on failure)
 *
 * kind P: a name POSIX has too (socket, bind...); off Windows the seam's headers rename the
 *         call to portres_seam_<name> so that the C library's function stays what the rest of
 *         the program calls.
 * kind W: a Windows-only name (WSAIoctl...), defined under its own name.
 *
 * Off Windows the SDK-named headers declare these; on Windows the seam defines __imp_<name>
 * (and <name>) for each of them. Adding a call to ISocketIoctl is one line here. */
#ifndef PORTRES_SEAM_CALLS_H
#define PORTRES_SEAM_CALLS_H

/* The calls ISocketIoctl has: forwarded to the installed seam's api. WSAStartup returns its
 * error rather than setting the last error, so its failure value is the error itself:
 * WSASYSNOTREADY, no network subsystem to start. */
#define PORTRES_SEAM_WINSOCK_CALLS(X)                                                              \
  X(P, SOCKET, socket, (int af, int type, int protocol), (af, type, protocol), INVALID_SOCKET)     \
  X(W, int, closesocket, (SOCKET s), (s), SOCKET_ERROR)                                            \
  X(P, int, bind, (SOCKET s, const struct sockaddr* name, int namelen), (s, name, namelen),        \
    SOCKET_ERROR)                                                                                  \
  X(P, int, getsockname, (SOCKET s, struct sockaddr * name, int* namelen), (s, name, namelen),     \
    SOCKET_ERROR)                                                                                  \
  X(W, int, WSAIoctl,                                                                              \
    (SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID lpvOutBuffer,   \
     DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,                   \
     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine),                                      \
    (s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned,    \
     lpOverlapped, lpCompletionRoutine),                                                           \
    SOCKET_ERROR)                                                                                  \
  X(W, BOOL, WSAGetOverlappedResult,                                                               \
    (SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer, BOOL fWait, LPDWORD lpdwFlags), \
    (s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags), FALSE)                                      \
  X(W, WSAEVENT, WSACreateEvent, (void), (), WSA_INVALID_EVENT)                                    \
  X(W, BOOL, WSACloseEvent, (WSAEVENT hEvent), (hEvent), FALSE)                                    \
  X(W, BOOL, WSASetEvent, (WSAEVENT hEvent), (hEvent), FALSE)                                      \
  X(W, BOOL, WSAResetEvent, (WSAEVENT hEvent), (hEvent), FALSE)                                    \
  X(W, int, WSAStartup, (WORD wVersionRequested, LPWSADATA lpWSAData),                             \
    (wVersionRequested, lpWSAData), WSASYSNOTREADY)                                                \
  X(W, int, WSACleanup, (void), (), SOCKET_ERROR)                                                  \
  X(W, SOCKET, WSASocketW,                                                                         \
    (int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags),  \
    (af, type, protocol, lpProtocolInfo, g, dwFlags), INVALID_SOCKET)                              \
  X(W, SOCKET, WSASocketA,                                                                         \
    (int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g, DWORD dwFlags),  \
    (af, type, protocol, lpProtocolInfo, g, dwFlags), INVALID_SOCKET)                              \
  X(P, int, connect, (SOCKET s, const struct sockaddr* name, int namelen), (s, name, namelen),     \
    SOCKET_ERROR)                                                                                  \
  X(P, int, listen, (SOCKET s, int backlog), (s, backlog), SOCKET_ERROR)                           \
  X(P, SOCKET, accept, (SOCKET s, struct sockaddr * addr, int* addrlen), (s, addr, addrlen),       \
    INVALID_SOCKET)                                                                                \
  X(P, int, getpeername, (SOCKET s, struct sockaddr * name, int* namelen), (s, name, namelen),     \
    SOCKET_ERROR)                                                                                  \
  X(P, int, setsockopt, (SOCKET s, int level, int optname, const char* optval, int optlen),        \
    (s, level, optname, optval, optlen), SOCKET_ERROR)                                             \
  X(P, int, getsockopt, (SOCKET s, int level, int optname, char* optval, int* optlen),             \
    (s, level, optname, optval, optlen), SOCKET_ERROR)                                             \
  X(W, int, ioctlsocket, (SOCKET s, long cmd, u_long* argp), (s, cmd, argp), SOCKET_ERROR)

/* The per-thread last error: with no seam installed the seam keeps it itself. */
#define PORTRES_SEAM_ERROR_CALLS(X)         \
  X(W, int, WSAGetLastError, (void), (), 0) \
  X(W, void, WSASetLastError, (int iError), (iError), PORTRES_VOID)

/* iphlpapi's persistent reservations: forwarded to the installed seam's helper. */
#define PORTRES_SEAM_IPHLPAPI_CALLS(X)                                                           \
  X(W, ULONG, CreatePersistentTcpPortReservation,                                                \
    (USHORT StartPort, USHORT NumberOfPorts, PULONG64 Token), (StartPort, NumberOfPorts, Token), \
    ERROR_NOT_SUPPORTED)                                                                         \
  X(W, ULONG, CreatePersistentUdpPortReservation,                                                \
    (USHORT StartPort, USHORT NumberOfPorts, PULONG64 Token), (StartPort, NumberOfPorts, Token), \
    ERROR_NOT_SUPPORTED)                                                                         \
  X(W, ULONG, DeletePersistentTcpPortReservation, (USHORT StartPort, USHORT NumberOfPorts),      \
    (StartPort, NumberOfPorts), ERROR_NOT_SUPPORTED)                                             \
  X(W, ULONG, DeletePersistentUdpPortReservation, (USHORT StartPort, USHORT NumberOfPorts),      \
    (StartPort, NumberOfPorts), ERROR_NOT_SUPPORTED)                                             \
  X(W, ULONG, LookupPersistentTcpPortReservation,                                                \
    (USHORT StartPort, USHORT NumberOfPorts, PULONG64 Token), (StartPort, NumberOfPorts, Token), \
    ERROR_NOT_SUPPORTED)                                                                         \
  X(W, ULONG, LookupPersistentUdpPortReservation,                                                \
    (USHORT StartPort, USHORT NumberOfPorts, PULONG64 Token), (StartPort, NumberOfPorts, Token), \
    ERROR_NOT_SUPPORTED)

/* The symbol a call is defined under off Windows. */
#define PORTRES_SEAM_LINK_NAME_P(name) portres_seam_##name
#define PORTRES_SEAM_LINK_NAME_W(name) name
#define PORTRES_SEAM_LINK_NAME(kind, name) PORTRES_SEAM_LINK_NAME_##kind(name)

#endif /* PORTRES_SEAM_CALLS_H */
