// <portres/winsock_socket_ioctl.h>: the real backend, Windows only (target portres::winsock).
//
//   portres::WinsockSocketIoctl winsock;   // WSAStartup(2.2) here, WSACleanup at the end
//   UnderTest(winsock);                    // the same code the fake tests run
//
// Each call goes to the ws2_32 function of the same name with its arguments unchanged, and its
// result and WSAGetLastError() are Windows' own: nothing is translated, checked or emulated.
#ifndef PORTRES_WINSOCK_SOCKET_IOCTL_H
#define PORTRES_WINSOCK_SOCKET_IOCTL_H

#if !defined(_WIN32)
#error "<portres/winsock_socket_ioctl.h> is the Windows backend; elsewhere use portres::fake"
#endif

#include <portres/socket_ioctl.h>
#include <portres/winsock_export.h>

namespace portres {

// Winsock initialisation. The constructor calls WSAStartup(MAKEWORD(2, 2)) and the destructor
// calls WSACleanup() once for it. Winsock itself counts these calls per process ("WSAStartup"
// and "WSACleanup" in the Windows docs: an application may call WSAStartup more than once and
// must call WSACleanup as often; only the last WSACleanup unloads Winsock), so any number of
// WinsockSocketIoctl objects, and other code of the process that calls WSAStartup itself, can
// live side by side. Sockets opened through an object should be closed before it is destroyed:
// the last WSACleanup of the process closes them all.
//
// When WSAStartup fails, every call (except WSAGetLastError and WSASetLastError) fails as a
// Winsock call fails, without reaching ws2_32: it returns SOCKET_ERROR, INVALID_SOCKET, FALSE or
// WSA_INVALID_EVENT and sets the last error to the code WSAStartup returned (StartupError()).
class PORTRES_WINSOCK_API WinsockSocketIoctl final : public ISocketIoctl {
 public:
  WinsockSocketIoctl() noexcept;
  ~WinsockSocketIoctl() override;
  // One WSAStartup per object: copying would need a second one, and moving would leave an
  // object whose destructor must not call WSACleanup. Neither is worth the surprise.
  WinsockSocketIoctl(const WinsockSocketIoctl&) = delete;
  WinsockSocketIoctl& operator=(const WinsockSocketIoctl&) = delete;

  // 0 when WSAStartup succeeded, else the error code it returned (WSASYSNOTREADY, ...).
  int StartupError() const noexcept { return startup_error_; }

  SOCKET socket(int af, int type, int protocol) override;
  int closesocket(SOCKET s) override;
  int bind(SOCKET s, const sockaddr* name, int namelen) override;
  int getsockname(SOCKET s, sockaddr* name, int* namelen) override;
  int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
               LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
               LPWSAOVERLAPPED lpOverlapped,
               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) override;
  BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                              BOOL fWait, LPDWORD lpdwFlags) override;
  int WSAGetLastError() override;
  void WSASetLastError(int iError) override;
  WSAEVENT WSACreateEvent() override;
  BOOL WSACloseEvent(WSAEVENT hEvent) override;
  BOOL WSASetEvent(WSAEVENT hEvent) override;
  BOOL WSAResetEvent(WSAEVENT hEvent) override;
  int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) override;
  int WSACleanup() override;
  SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override;
  SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override;
  int setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen) override;
  int getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) override;
  int connect(SOCKET s, const sockaddr* name, int namelen) override;
  int listen(SOCKET s, int backlog) override;
  SOCKET accept(SOCKET s, sockaddr* addr, int* addrlen) override;
  int getpeername(SOCKET s, sockaddr* name, int* namelen) override;
  int ioctlsocket(SOCKET s, long cmd, u_long* argp) override;

 private:
  // True when WSAStartup failed; the last error is then set to its code.
  bool FailedToStart() noexcept;

  int startup_error_;
};

}  // namespace portres

#endif  // PORTRES_WINSOCK_SOCKET_IOCTL_H
