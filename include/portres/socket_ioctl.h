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

  // The socket calls, as Winsock documents them. Two matter most to reservations: closing the
  // socket that acquired a runtime reservation ends it (and aborts the socket's pending
  // overlapped calls), and a socket associated with a reservation binds inside its block
  // (port 0 picks a free port of it).
  virtual SOCKET socket(int af, int type, int protocol) = 0;
  virtual int closesocket(SOCKET s) = 0;
  virtual int bind(SOCKET s, const sockaddr* name, int namelen) = 0;
  virtual int getsockname(SOCKET s, sockaddr* name, int* namelen) = 0;

  // All nine parameters, so that ported code keeps its call unchanged; the reservation IOCTLs
  // are SIO_ACQUIRE_PORT_RESERVATION, SIO_RELEASE_PORT_RESERVATION and
  // SIO_ASSOCIATE_PORT_RESERVATION [ref:ioctl-common]. SOCKET_ERROR with WSA_IO_PENDING is not
  // a failure: the overlapped call completes later.
  virtual int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                       LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                       LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) = 0;
  // FALSE with WSA_IO_INCOMPLETE means "still pending" (fWait FALSE), not that the call failed.
  virtual BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                      BOOL fWait, LPDWORD lpdwFlags) = 0;

  // Per thread, as in Winsock: a test that checks the error must check it on the calling thread.
  virtual int WSAGetLastError() = 0;
  virtual void WSASetLastError(int iError) = 0;

  // Event objects for WSAOVERLAPPED::hEvent; an unknown handle fails with WSA_INVALID_HANDLE.
  virtual WSAEVENT WSACreateEvent() = 0;
  virtual BOOL WSACloseEvent(WSAEVENT hEvent) = 0;
  virtual BOOL WSASetEvent(WSAEVENT hEvent) = 0;
  virtual BOOL WSAResetEvent(WSAEVENT hEvent) = 0;

  // The rest of the Winsock surface that reservation clients call around the IOCTLs
  // [ref:clients]: starting Winsock, opening sockets with flags, options, connecting and
  // listening, and non-blocking mode.

  // Returns the error itself rather than setting the last error. Counted per process: each
  // success needs a WSACleanup().
  virtual int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) = 0;
  // The last one of a process closes the sockets it still has open.
  virtual int WSACleanup() = 0;
  // socket() with a protocol description (may be null; the A form's is ANSI), a group and flags.
  // Only WSA_FLAG_OVERLAPPED gives the socket the overlapped attribute, which socket() always
  // gives [ref:connect-listen].
  virtual SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                            GROUP g, DWORD dwFlags) = 0;
  virtual SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo,
                            GROUP g, DWORD dwFlags) = 0;
  // SO_REUSEADDR and SO_EXCLUSIVEADDRUSE decide what a later bind may share [ref:reuseaddr].
  virtual int setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen) = 0;
  virtual int getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) = 0;
  // An unbound socket is bound implicitly first, from its associated reservation when it has
  // one [ref:clients].
  virtual int connect(SOCKET s, const sockaddr* name, int namelen) = 0;
  virtual int listen(SOCKET s, int backlog) = 0;
  virtual SOCKET accept(SOCKET s, sockaddr* addr, int* addrlen) = 0;
  virtual int getpeername(SOCKET s, sockaddr* name, int* namelen) = 0;
  // FIONBIO sets non-blocking mode; the reservation IOCTLs still complete before they return
  // (their pages say they do not support it).
  virtual int ioctlsocket(SOCKET s, long cmd, u_long* argp) = 0;

 protected:
  // Protected so that only implementations are constructed, copied and assigned: an
  // ISocketIoctl& is never sliced.
  ISocketIoctl() = default;
  ISocketIoctl(const ISocketIoctl&) = default;
  ISocketIoctl& operator=(const ISocketIoctl&) = default;
};

// A decorator's base (the model is LLVM's vfs::ProxyFileSystem): every call goes, unchanged, to
// `target`, which must outlive it, so a wrapper that counts, delays or settles pending calls
// overrides only the calls it changes. It lives next to the interface so that a method added to one
// is added to the other in the same file, and every decorator built on it forwards the new call
// without a change.
//
//   class CountingSocketIoctl : public portres::ForwardingSocketIoctl {
//    public:
//     using ForwardingSocketIoctl::ForwardingSocketIoctl;
//     int closesocket(SOCKET s) override {
//       ++closes;
//       return ForwardingSocketIoctl::closesocket(s);
//     }
//     int closes = 0;
//   };
class ForwardingSocketIoctl : public ISocketIoctl {
 public:
  explicit ForwardingSocketIoctl(ISocketIoctl& target) noexcept : target_(&target) {}

  SOCKET socket(int af, int type, int protocol) override {
    return target_->socket(af, type, protocol);
  }
  int closesocket(SOCKET s) override { return target_->closesocket(s); }
  int bind(SOCKET s, const sockaddr* name, int namelen) override {
    return target_->bind(s, name, namelen);
  }
  int getsockname(SOCKET s, sockaddr* name, int* namelen) override {
    return target_->getsockname(s, name, namelen);
  }
  int WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
               LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
               LPWSAOVERLAPPED lpOverlapped,
               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) override {
    return target_->WSAIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                             lpcbBytesReturned, lpOverlapped, lpCompletionRoutine);
  }
  BOOL WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                              BOOL fWait, LPDWORD lpdwFlags) override {
    return target_->WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags);
  }
  int WSAGetLastError() override { return target_->WSAGetLastError(); }
  void WSASetLastError(int iError) override { target_->WSASetLastError(iError); }
  WSAEVENT WSACreateEvent() override { return target_->WSACreateEvent(); }
  BOOL WSACloseEvent(WSAEVENT hEvent) override { return target_->WSACloseEvent(hEvent); }
  BOOL WSASetEvent(WSAEVENT hEvent) override { return target_->WSASetEvent(hEvent); }
  BOOL WSAResetEvent(WSAEVENT hEvent) override { return target_->WSAResetEvent(hEvent); }
  int WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) override {
    return target_->WSAStartup(wVersionRequested, lpWSAData);
  }
  int WSACleanup() override { return target_->WSACleanup(); }
  SOCKET WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override {
    return target_->WSASocketW(af, type, protocol, lpProtocolInfo, g, dwFlags);
  }
  SOCKET WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g,
                    DWORD dwFlags) override {
    return target_->WSASocketA(af, type, protocol, lpProtocolInfo, g, dwFlags);
  }
  int setsockopt(SOCKET s, int level, int optname, const char* optval, int optlen) override {
    return target_->setsockopt(s, level, optname, optval, optlen);
  }
  int getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) override {
    return target_->getsockopt(s, level, optname, optval, optlen);
  }
  int connect(SOCKET s, const sockaddr* name, int namelen) override {
    return target_->connect(s, name, namelen);
  }
  int listen(SOCKET s, int backlog) override { return target_->listen(s, backlog); }
  SOCKET accept(SOCKET s, sockaddr* addr, int* addrlen) override {
    return target_->accept(s, addr, addrlen);
  }
  int getpeername(SOCKET s, sockaddr* name, int* namelen) override {
    return target_->getpeername(s, name, namelen);
  }
  int ioctlsocket(SOCKET s, long cmd, u_long* argp) override {
    return target_->ioctlsocket(s, cmd, argp);
  }

 protected:
  ISocketIoctl& target() const noexcept { return *target_; }

 private:
  ISocketIoctl* target_;
};

}  // namespace portres

#endif  // PORTRES_SOCKET_IOCTL_H
