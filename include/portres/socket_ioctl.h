// <portres/socket_ioctl.h>: the Winsock calls that port-reservation code makes, as an interface.
//
// Each method has the name, parameters and return convention of the Winsock function it
// mirrors: failure is SOCKET_ERROR (or INVALID_SOCKET, or FALSE) and the reason is read with
// WSAGetLastError() on the same thread. Nothing throws. Porting a function means taking an
// `ISocketIoctl& api` and writing `api.WSAIoctl(` where it wrote `::WSAIoctl(`.
#ifndef PORTRES_SOCKET_IOCTL_H
#define PORTRES_SOCKET_IOCTL_H

#include <portres/winsock.h>

namespace portres {

// The Winsock functions that port-reservation code calls. Implementations: FakeSocketIoctl (an
// in-memory Windows), MockSocketIoctl (GoogleMock, delegating to the fake) and, on Windows,
// WinsockSocketIoctl (ws2_32 itself). Code under test takes an ISocketIoctl& and is handed one.
class ISocketIoctl {
 public:
  virtual ~ISocketIoctl() = default;

  // Winsock's socket(): a new socket, or INVALID_SOCKET and the reason in WSAGetLastError().
  virtual SOCKET socket(int af, int type, int protocol) = 0;
  // Winsock's closesocket(): 0, or SOCKET_ERROR. Closing a socket ends the runtime
  // reservations acquired on it and aborts its pending overlapped calls.
  virtual int closesocket(SOCKET s) = 0;
  // Winsock's bind(): 0, or SOCKET_ERROR. A socket associated with a reservation binds inside
  // the reserved block (port 0 picks a free port in it).
  virtual int bind(SOCKET s, const sockaddr* name, int namelen) = 0;
  // Winsock's getsockname(): the address a bound socket has, 0 or SOCKET_ERROR.
  virtual int getsockname(SOCKET s, sockaddr* name, int* namelen) = 0;

  // Winsock's WSAIoctl() with all nine parameters, for SIO_ACQUIRE_PORT_RESERVATION,
  // SIO_RELEASE_PORT_RESERVATION and SIO_ASSOCIATE_PORT_RESERVATION. 0 on success; SOCKET_ERROR
  // on failure, or with WSA_IO_PENDING when an overlapped call will complete later.
  virtual int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                       LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                       LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) = 0;
  // Winsock's WSAGetOverlappedResult(): TRUE once an overlapped call has completed
  // successfully, with the bytes it transferred; FALSE with the call's error, or with
  // WSA_IO_INCOMPLETE while it is still pending and fWait is FALSE.
  virtual BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                      BOOL fWait, LPDWORD lpdwFlags) = 0;

  // The calling thread's last Winsock error, as every failing call above sets it.
  virtual int WSAGetLastError() = 0;
  // Sets the calling thread's last Winsock error.
  virtual void WSASetLastError(int iError) = 0;

  // Event objects for overlapped calls (WSAOVERLAPPED::hEvent).
  virtual WSAEVENT WSACreateEvent() = 0;
  // Closes an event object from WSACreateEvent(): TRUE, or FALSE (WSA_INVALID_HANDLE).
  virtual BOOL WSACloseEvent(WSAEVENT hEvent) = 0;
  // Signals an event object: TRUE, or FALSE (WSA_INVALID_HANDLE).
  virtual BOOL WSASetEvent(WSAEVENT hEvent) = 0;
  // Clears an event object's signal: TRUE, or FALSE (WSA_INVALID_HANDLE).
  virtual BOOL WSAResetEvent(WSAEVENT hEvent) = 0;

 protected:
  // Only implementations are constructed, copied and assigned; the interface alone is not,
  // so that an ISocketIoctl& is never sliced.
  ISocketIoctl() = default;
  // Copies the interface part of an implementation (see the default constructor).
  ISocketIoctl(const ISocketIoctl&) = default;
  // Assigns the interface part of an implementation (see the default constructor).
  ISocketIoctl& operator=(const ISocketIoctl&) = default;
};

}  // namespace portres

#endif  // PORTRES_SOCKET_IOCTL_H
