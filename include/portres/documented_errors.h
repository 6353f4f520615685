// <portres/documented_errors.h>: the errors Microsoft's documentation lists for each call that
// port-reservation code makes, as data a fault sweep (or a test) can iterate.
//
//   for (int error : portres::DocumentedErrors(portres::Api::kWSAIoctl,
//                                              SIO_RELEASE_PORT_RESERVATION)) {
//     fake.Inject(portres::Fault::Error(error).OnNextCall());
//     ...
//   }
//
// Each list is the error table of the page cited next to it, in the page's order. WSA_IO_PENDING
// is left out everywhere: it is not a failure but the start of an overlapped call, which
// Fault::Pend() produces (DocumentsPending says which calls list it). Codes a page names only
// in its prose are not added, so the lists say exactly what the tables say.
#ifndef PORTRES_DOCUMENTED_ERRORS_H
#define PORTRES_DOCUMENTED_ERRORS_H

#include <portres/fault.h>
#include <portres/winsock.h>

#include <algorithm>
#include <cstddef>

namespace portres {

// A read-only view of a static list of Winsock error codes.
class ErrorList {
 public:
  using value_type = int;             // a container to GoogleMock's container matchers
  using const_iterator = const int*;  // what begin() and end() return
  constexpr ErrorList() noexcept = default;
  // A view of the `size` codes at `data`, which must outlive it.
  constexpr ErrorList(const int* data, std::size_t size) noexcept : data_(data), size_(size) {}
  // A view of a static array of codes.
  template <std::size_t N>
  constexpr ErrorList(const int (&codes)[N]) noexcept : data_(codes), size_(N) {}  // NOLINT

  // A contiguous range, as range-for and the container matchers read it; [i] needs i < size().
  constexpr const int* begin() const noexcept { return data_; }
  constexpr const int* end() const noexcept { return data_ + size_; }
  constexpr const int* data() const noexcept { return data_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  constexpr int operator[](std::size_t i) const noexcept { return data_[i]; }
  bool contains(int code) const noexcept { return std::find(begin(), end(), code) != end(); }

 private:
  const int* data_ = nullptr;
  std::size_t size_ = 0;
};

namespace documented {

// socket: MicrosoftDocs/sdk-api sdk-api-src/content/winsock2/nf-winsock2-socket.md (Return value).
inline constexpr int kSocket[] = {
    WSANOTINITIALISED,  WSAENETDOWN,        WSAEAFNOSUPPORT,     WSAEINPROGRESS,
    WSAEMFILE,          WSAEINVAL,          WSAEINVALIDPROVIDER, WSAEINVALIDPROCTABLE,
    WSAENOBUFS,         WSAEPROTONOSUPPORT, WSAEPROTOTYPE,       WSAEPROVIDERFAILEDINIT,
    WSAESOCKTNOSUPPORT,
};

// closesocket: sdk-api-src/content/winsock/nf-winsock-closesocket.md (Return value). The page
// says a closesocket failing with WSAEWOULDBLOCK leaves the handle valid; the fake keeps the
// socket open after any failed closesocket, as it does for every rejected call.
inline constexpr int kCloseSocket[] = {
    WSANOTINITIALISED, WSAENETDOWN, WSAENOTSOCK, WSAEINPROGRESS, WSAEINTR, WSAEWOULDBLOCK,
};

// bind: sdk-api-src/content/winsock/nf-winsock-bind.md (Return value).
inline constexpr int kBind[] = {
    WSANOTINITIALISED, WSAENETDOWN,    WSAEACCES, WSAEADDRINUSE, WSAEADDRNOTAVAIL,
    WSAEFAULT,         WSAEINPROGRESS, WSAEINVAL, WSAENOBUFS,    WSAENOTSOCK,
};

// getsockname: sdk-api-src/content/winsock/nf-winsock-getsockname.md (Return value).
inline constexpr int kGetSockName[] = {
    WSANOTINITIALISED, WSAENETDOWN, WSAEFAULT, WSAEINPROGRESS, WSAENOTSOCK, WSAEINVAL,
};

// WSAGetOverlappedResult: sdk-api-src/content/winsock2/nf-winsock2-wsagetoverlappedresult.md
// (Return value). It also reports the error of the overlapped call itself; those codes belong
// to the call that started it and are swept there.
inline constexpr int kWSAGetOverlappedResult[] = {
    WSANOTINITIALISED,     WSAENETDOWN,       WSAENOTSOCK, WSA_INVALID_HANDLE,
    WSA_INVALID_PARAMETER, WSA_IO_INCOMPLETE, WSAEFAULT,
};

// SIO_ACQUIRE_PORT_RESERVATION: MicrosoftDocs/win32 desktop-src/WinSock/
// sio-acquire-port-reservation.md ([ref:acquire]). The page lists
// no WSAEACCES, WSAEADDRINUSE or WSAENOBUFS ([ref:acquire], "not listed").
inline constexpr int kAcquirePortReservation[] = {
    WSA_OPERATION_ABORTED, WSAEFAULT,   WSAEINPROGRESS, WSAEINTR, WSAEINVAL,
    WSAENETDOWN,           WSAENOTSOCK, WSAEOPNOTSUPP,
};

// SIO_ASSOCIATE_PORT_RESERVATION: desktop-src/WinSock/sio-associate-port-reservation.md
// ([ref:associate]): the acquire list plus WSAEACCES (persistent reservations without elevation).
inline constexpr int kAssociatePortReservation[] = {
    WSA_OPERATION_ABORTED, WSAEACCES,   WSAEFAULT,     WSAEINPROGRESS, WSAEINTR, WSAEINVAL,
    WSAENETDOWN,           WSAENOTSOCK, WSAEOPNOTSUPP,
};

// SIO_RELEASE_PORT_RESERVATION: desktop-src/WinSock/sio-release-port-reservation.md
// ([ref:release]). No WSAEACCES and no "not found" code.
inline constexpr int kReleasePortReservation[] = {
    WSA_OPERATION_ABORTED, WSAEFAULT,   WSAEINPROGRESS, WSAEINTR, WSAEINVAL,
    WSAENETDOWN,           WSAENOTSOCK, WSAEOPNOTSUPP,
};

// Any other IOCTL: the generic table of sdk-api-src/content/winsock2/nf-winsock2-wsaioctl.md.
inline constexpr int kOtherIoctl[] = {
    WSAENETDOWN, WSAEFAULT,     WSAEINVAL,      WSAEINPROGRESS,
    WSAENOTSOCK, WSAEOPNOTSUPP, WSAEWOULDBLOCK, WSAENOPROTOOPT,
};

// The iphlpapi functions return a Win32 code instead of setting a last error; their tables list
// Win32 codes. Each table also ends with "other: FormatMessage", which names no code.
// Create{Tcp,Udp}PortReservation [ref:iphlpapi-create].
inline constexpr int kCreatePersistentPortReservation[] = {
    ERROR_ACCESS_DENIED,
    ERROR_INVALID_PARAMETER,
    ERROR_SHARING_VIOLATION,
};

// Delete{Tcp,Udp}PortReservation [ref:iphlpapi-delete].
inline constexpr int kDeletePersistentPortReservation[] = {
    ERROR_ACCESS_DENIED,
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
};

// Lookup{Tcp,Udp}PortReservation [ref:iphlpapi-lookup]: no ERROR_ACCESS_DENIED row.
inline constexpr int kLookupPersistentPortReservation[] = {
    ERROR_INVALID_PARAMETER,
    ERROR_NOT_FOUND,
};

// The rest of the surface, each from its page on learn.microsoft.com (Return value).

// WSAStartup: /windows/win32/api/winsock/nf-winsock-wsastartup. The call returns the code
// rather than setting the last error.
inline constexpr int kWSAStartup[] = {
    WSASYSNOTREADY, WSAVERNOTSUPPORTED, WSAEINPROGRESS, WSAEPROCLIM, WSAEFAULT,
};

// WSACleanup: /windows/win32/api/winsock/nf-winsock-wsacleanup.
inline constexpr int kWSACleanup[] = {
    WSANOTINITIALISED,
    WSAENETDOWN,
    WSAEINPROGRESS,
};

// WSASocketW and WSASocketA: /windows/win32/api/winsock2/nf-winsock2-wsasocketw (one table).
inline constexpr int kWSASocket[] = {
    WSANOTINITIALISED,
    WSAENETDOWN,
    WSAEAFNOSUPPORT,
    WSAEFAULT,
    WSAEINPROGRESS,
    WSAEINVAL,
    WSAEINVALIDPROVIDER,
    WSAEINVALIDPROCTABLE,
    WSAEMFILE,
    WSAENOBUFS,
    WSAEPROTONOSUPPORT,
    WSAEPROTOTYPE,
    WSAEPROVIDERFAILEDINIT,
    WSAESOCKTNOSUPPORT,
};

// setsockopt: /windows/win32/api/winsock/nf-winsock-setsockopt.
inline constexpr int kSetSockOpt[] = {
    WSANOTINITIALISED, WSAENETDOWN,    WSAEFAULT,   WSAEINPROGRESS, WSAEINVAL,
    WSAENETRESET,      WSAENOPROTOOPT, WSAENOTCONN, WSAENOTSOCK,
};

// getsockopt: /windows/win32/api/winsock/nf-winsock-getsockopt.
inline constexpr int kGetSockOpt[] = {
    WSANOTINITIALISED, WSAENETDOWN,    WSAEFAULT,   WSAEINPROGRESS,
    WSAEINVAL,         WSAENOPROTOOPT, WSAENOTSOCK,
};

// connect: /windows/win32/api/winsock2/nf-winsock2-connect.
inline constexpr int kConnect[] = {
    WSANOTINITIALISED, WSAENETDOWN,      WSAEADDRINUSE,   WSAEINTR,        WSAEINPROGRESS,
    WSAEALREADY,       WSAEADDRNOTAVAIL, WSAEAFNOSUPPORT, WSAECONNREFUSED, WSAEFAULT,
    WSAEINVAL,         WSAEISCONN,       WSAENETUNREACH,  WSAEHOSTUNREACH, WSAENOBUFS,
    WSAENOTSOCK,       WSAETIMEDOUT,     WSAEWOULDBLOCK,  WSAEACCES,
};

// listen: /windows/win32/api/winsock2/nf-winsock2-listen.
inline constexpr int kListen[] = {
    WSANOTINITIALISED, WSAENETDOWN, WSAEADDRINUSE, WSAEINPROGRESS, WSAEINVAL,
    WSAEISCONN,        WSAEMFILE,   WSAENOBUFS,    WSAENOTSOCK,    WSAEOPNOTSUPP,
};

// accept: /windows/win32/api/winsock2/nf-winsock2-accept.
inline constexpr int kAccept[] = {
    WSANOTINITIALISED, WSAECONNRESET, WSAEFAULT,  WSAEINTR,    WSAEINPROGRESS, WSAEINVAL,
    WSAEMFILE,         WSAENETDOWN,   WSAENOBUFS, WSAENOTSOCK, WSAEOPNOTSUPP,  WSAEWOULDBLOCK,
};

// getpeername: /windows/win32/api/winsock/nf-winsock-getpeername.
inline constexpr int kGetPeerName[] = {
    WSANOTINITIALISED, WSAENETDOWN, WSAEFAULT, WSAEINPROGRESS, WSAENOTCONN, WSAENOTSOCK,
};

// ioctlsocket: /windows/win32/api/winsock/nf-winsock-ioctlsocket.
inline constexpr int kIoctlSocket[] = {
    WSANOTINITIALISED, WSAENETDOWN, WSAEINPROGRESS, WSAENOTSOCK, WSAEFAULT,
};

}  // namespace documented

// The failures Microsoft documents for `api` (for WSAIoctl, for the IOCTL `ioctl_code`; other
// Apis ignore the code). WSA_IO_PENDING is never included; see DocumentsPending. For the
// iphlpapi functions (IsIpHelperApi), the codes are Win32's, as those functions return them.
inline ErrorList DocumentedErrors(Api api, DWORD ioctl_code = 0) noexcept {
  switch (api) {
    case Api::kSocket:
      return documented::kSocket;
    case Api::kCloseSocket:
      return documented::kCloseSocket;
    case Api::kBind:
      return documented::kBind;
    case Api::kGetSockName:
      return documented::kGetSockName;
    case Api::kWSAGetOverlappedResult:
      return documented::kWSAGetOverlappedResult;
    case Api::kWSAStartup:
      return documented::kWSAStartup;
    case Api::kWSACleanup:
      return documented::kWSACleanup;
    case Api::kWSASocketW:
    case Api::kWSASocketA:
      return documented::kWSASocket;
    case Api::kSetSockOpt:
      return documented::kSetSockOpt;
    case Api::kGetSockOpt:
      return documented::kGetSockOpt;
    case Api::kConnect:
      return documented::kConnect;
    case Api::kListen:
      return documented::kListen;
    case Api::kAccept:
      return documented::kAccept;
    case Api::kGetPeerName:
      return documented::kGetPeerName;
    case Api::kIoctlSocket:
      return documented::kIoctlSocket;
    case Api::kWSPIoctl:  // the IOCTL pages document WSAIoctl and WSPIoctl with one table
    case Api::kWSAIoctl:
      switch (ioctl_code) {
        case SIO_ACQUIRE_PORT_RESERVATION:
          return documented::kAcquirePortReservation;
        case SIO_ASSOCIATE_PORT_RESERVATION:
          return documented::kAssociatePortReservation;
        case SIO_RELEASE_PORT_RESERVATION:
          return documented::kReleasePortReservation;
        default:
          return documented::kOtherIoctl;
      }
    case Api::kCreatePersistentTcpPortReservation:
    case Api::kCreatePersistentUdpPortReservation:
      return documented::kCreatePersistentPortReservation;
    case Api::kDeletePersistentTcpPortReservation:
    case Api::kDeletePersistentUdpPortReservation:
      return documented::kDeletePersistentPortReservation;
    case Api::kLookupPersistentTcpPortReservation:
    case Api::kLookupPersistentUdpPortReservation:
      return documented::kLookupPersistentPortReservation;
  }
  return {};
}

// Whether the page lists WSA_IO_PENDING for the call: an overlapped WSAIoctl may start and
// complete later (every IOCTL page and the generic WSAIoctl page list it).
constexpr bool DocumentsPending(Api api) noexcept {
  return api == Api::kWSAIoctl || api == Api::kWSPIoctl;
}

}  // namespace portres

#endif  // PORTRES_DOCUMENTED_ERRORS_H
