#include <portres/winsock_socket_ioctl.h>

namespace portres {
namespace {

int StartWinsock() noexcept {
  WSADATA data;
  return ::WSAStartup(MAKEWORD(2, 2), &data);
}

}  // namespace

WinsockSocketIoctl::WinsockSocketIoctl() noexcept : startup_error_(StartWinsock()) {}

WinsockSocketIoctl::~WinsockSocketIoctl() {
  // Balances this object's WSAStartup only; a failed WSAStartup needs no WSACleanup.
  if (startup_error_ == 0) ::WSACleanup();
}

bool WinsockSocketIoctl::FailedToStart() noexcept {
  if (startup_error_ == 0) return false;
  ::WSASetLastError(startup_error_);
  return true;
}

SOCKET WinsockSocketIoctl::socket(int af, int type, int protocol) {
  if (FailedToStart()) return INVALID_SOCKET;
  return ::socket(af, type, protocol);
}

int WinsockSocketIoctl::closesocket(SOCKET s) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::closesocket(s);
}

int WinsockSocketIoctl::bind(SOCKET s, const sockaddr* name, int namelen) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::bind(s, name, namelen);
}

int WinsockSocketIoctl::getsockname(SOCKET s, sockaddr* name, int* namelen) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::getsockname(s, name, namelen);
}

int WinsockSocketIoctl::WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
                                 DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                                 LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::WSAIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                    lpcbBytesReturned, lpOverlapped, lpCompletionRoutine);
}

BOOL WinsockSocketIoctl::WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                                LPDWORD lpcbTransfer, BOOL fWait,
                                                LPDWORD lpdwFlags) {
  if (FailedToStart()) return FALSE;
  return ::WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait, lpdwFlags);
}

int WinsockSocketIoctl::WSAGetLastError() { return ::WSAGetLastError(); }

void WinsockSocketIoctl::WSASetLastError(int iError) { ::WSASetLastError(iError); }

WSAEVENT WinsockSocketIoctl::WSACreateEvent() {
  if (FailedToStart()) return WSA_INVALID_EVENT;
  return ::WSACreateEvent();
}

BOOL WinsockSocketIoctl::WSACloseEvent(WSAEVENT hEvent) {
  if (FailedToStart()) return FALSE;
  return ::WSACloseEvent(hEvent);
}

BOOL WinsockSocketIoctl::WSASetEvent(WSAEVENT hEvent) {
  if (FailedToStart()) return FALSE;
  return ::WSASetEvent(hEvent);
}

BOOL WinsockSocketIoctl::WSAResetEvent(WSAEVENT hEvent) {
  if (FailedToStart()) return FALSE;
  return ::WSAResetEvent(hEvent);
}

// WSAStartup and WSACleanup are not gated on this object's own WSAStartup: they are how code
// starts and ends Winsock, and their answers are the ones under test.
int WinsockSocketIoctl::WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData) {
  return ::WSAStartup(wVersionRequested, lpWSAData);
}

int WinsockSocketIoctl::WSACleanup() { return ::WSACleanup(); }

SOCKET WinsockSocketIoctl::WSASocketW(int af, int type, int protocol,
                                      LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags) {
  if (FailedToStart()) return INVALID_SOCKET;
  return ::WSASocketW(af, type, protocol, lpProtocolInfo, g, dwFlags);
}

SOCKET WinsockSocketIoctl::WSASocketA(int af, int type, int protocol,
                                      LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g, DWORD dwFlags) {
  if (FailedToStart()) return INVALID_SOCKET;
  return ::WSASocketA(af, type, protocol, lpProtocolInfo, g, dwFlags);
}

int WinsockSocketIoctl::setsockopt(SOCKET s, int level, int optname, const char* optval,
                                   int optlen) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::setsockopt(s, level, optname, optval, optlen);
}

int WinsockSocketIoctl::getsockopt(SOCKET s, int level, int optname, char* optval, int* optlen) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::getsockopt(s, level, optname, optval, optlen);
}

int WinsockSocketIoctl::connect(SOCKET s, const sockaddr* name, int namelen) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::connect(s, name, namelen);
}

int WinsockSocketIoctl::listen(SOCKET s, int backlog) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::listen(s, backlog);
}

SOCKET WinsockSocketIoctl::accept(SOCKET s, sockaddr* addr, int* addrlen) {
  if (FailedToStart()) return INVALID_SOCKET;
  return ::accept(s, addr, addrlen);
}

int WinsockSocketIoctl::getpeername(SOCKET s, sockaddr* name, int* namelen) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::getpeername(s, name, namelen);
}

int WinsockSocketIoctl::ioctlsocket(SOCKET s, long cmd, u_long* argp) {
  if (FailedToStart()) return SOCKET_ERROR;
  return ::ioctlsocket(s, cmd, argp);
}

}  // namespace portres
