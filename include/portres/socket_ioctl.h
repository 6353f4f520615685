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

class ISocketIoctl {
 public:
  virtual ~ISocketIoctl() = default;

  virtual SOCKET socket(int af, int type, int protocol) = 0;
  virtual int closesocket(SOCKET s) = 0;
  virtual int bind(SOCKET s, const sockaddr* name, int namelen) = 0;
  virtual int getsockname(SOCKET s, sockaddr* name, int* namelen) = 0;

  virtual int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                       LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                       LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) = 0;
  virtual BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                      BOOL fWait, LPDWORD lpdwFlags) = 0;

  virtual int WSAGetLastError() = 0;
  virtual void WSASetLastError(int iError) = 0;

  // Event objects for overlapped calls (WSAOVERLAPPED::hEvent).
  virtual WSAEVENT WSACreateEvent() = 0;
  virtual BOOL WSACloseEvent(WSAEVENT hEvent) = 0;
  virtual BOOL WSASetEvent(WSAEVENT hEvent) = 0;
  virtual BOOL WSAResetEvent(WSAEVENT hEvent) = 0;

 protected:
  ISocketIoctl() = default;
  ISocketIoctl(const ISocketIoctl&) = default;
  ISocketIoctl& operator=(const ISocketIoctl&) = default;
};

}  // namespace portres

#endif  // PORTRES_SOCKET_IOCTL_H
