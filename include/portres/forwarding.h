// <portres/forwarding.h>: bases that forward every call to another implementation, so that a
// decorator (a wrapper that counts, delays, or settles pending calls) overrides only the calls
// it changes. The model is LLVM's vfs::ProxyFileSystem.
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
//
// A method added to ISocketIoctl (IIpHelper) is added here too, and every decorator built on
// these bases forwards it without a change.
#ifndef PORTRES_FORWARDING_H
#define PORTRES_FORWARDING_H

#include <portres/ip_helper.h>
#include <portres/socket_ioctl.h>
#include <portres/winsock.h>

namespace portres {

// An ISocketIoctl that hands every call, unchanged, to `target`, which must outlive it.
class ForwardingSocketIoctl : public ISocketIoctl {
 public:
  // Forwards to `target`.
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
  // What the calls go to.
  ISocketIoctl& target() const noexcept { return *target_; }

 private:
  ISocketIoctl* target_;
};

// An IIpHelper that hands every call, unchanged, to `target`, which must outlive it.
class ForwardingIpHelper : public IIpHelper {
 public:
  // Forwards to `target`.
  explicit ForwardingIpHelper(IIpHelper& target) noexcept : target_(&target) {}

  ULONG CreatePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    return target_->CreatePersistentTcpPortReservation(StartPort, NumberOfPorts, Token);
  }
  ULONG CreatePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    return target_->CreatePersistentUdpPortReservation(StartPort, NumberOfPorts, Token);
  }
  ULONG DeletePersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override {
    return target_->DeletePersistentTcpPortReservation(StartPort, NumberOfPorts);
  }
  ULONG DeletePersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts) override {
    return target_->DeletePersistentUdpPortReservation(StartPort, NumberOfPorts);
  }
  ULONG LookupPersistentTcpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    return target_->LookupPersistentTcpPortReservation(StartPort, NumberOfPorts, Token);
  }
  ULONG LookupPersistentUdpPortReservation(USHORT StartPort, USHORT NumberOfPorts,
                                           PULONG64 Token) override {
    return target_->LookupPersistentUdpPortReservation(StartPort, NumberOfPorts, Token);
  }

 protected:
  // What the calls go to.
  IIpHelper& target() const noexcept { return *target_; }

 private:
  IIpHelper* target_;
};

}  // namespace portres

#endif  // PORTRES_FORWARDING_H
