// <portres/winsock.h>: the Winsock vocabulary that port-reservation code uses.
//
// On Windows this is the SDK: <winsock2.h>, <ws2tcpip.h>, <mstcpip.h> (and <windows.h> for the
// Win32 error codes). Elsewhere it declares the same global names with the SDK's values and
// binary layouts, so that code written for Windows compiles unchanged. Sockets, addresses,
// address families, socket types, protocols and byte-order functions come from the platform's
// own headers on both sides: AF_INET6 is 23 on Windows and 10 on Linux, and portres accepts
// whichever value the platform defines. Socket options are the exception: SOL_SOCKET, SO_*,
// IPV6_V6ONLY, SOMAXCONN and FIONBIO are what code passes to Winsock's setsockopt/ioctlsocket,
// so they carry the Windows values here (the platform's are kept as PORTRES_POSIX_*).
//
// Valid C11 and C++17. In C++ off Windows it also turns a porting slip into a compile error:
// calling the C library's bind/connect/close... with a SOCKET (see PORTRES_NO_POSIX_TRAPS).
#ifndef PORTRES_WINSOCK_H
#define PORTRES_WINSOCK_H

#if defined(_WIN32)

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
// winsock2.h must come before windows.h, and mstcpip.h after both.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <mstcpip.h>
// clang-format on

// Older SDKs (and MinGW-w64 below NTDDI_WIN10_VB) lack the processor-affinity IOCTL.
#ifndef SIO_CPU_AFFINITY
#define SIO_CPU_AFFINITY _WSAIOW(IOC_VENDOR, 21)
#endif

#else  // !_WIN32

#include <arpa/inet.h>   // htons, ntohs, htonl, ntohl
#include <netinet/in.h>  // sockaddr_in, sockaddr_in6, IPPROTO_*
#include <sys/socket.h>  // sockaddr, AF_*, SOCK_*
#include <sys/un.h>      // AF_UNIX

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define PORTRES_STATIC_ASSERT(cond, message) static_assert(cond, message)
#define PORTRES_CAST(type, value) (static_cast<type>(value))
#else
#define PORTRES_STATIC_ASSERT(cond, message) _Static_assert(cond, message)
#define PORTRES_CAST(type, value) ((type)(value))
#endif

#ifdef __cplusplus
#define PORTRES_STATIC_ASSERT(cond, message) static_assert(cond, message)
#define PORTRES_CAST(type, value) (static_cast<type>(value))
#else
#define PORTRES_STATIC_ASSERT(cond, message) _Static_assert(cond, message)
#define PORTRES_CAST(type, value) ((type)(value))
#endif

// ---------------------------------------------------------------------------------------------
// Base types. Windows is LLP64: LONG and ULONG are 32 bits there, so they are spelled with
// fixed-width types here rather than with `long`.
typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint16_t USHORT;
typedef uint32_t DWORD;
typedef uint32_t ULONG;
typedef int32_t LONG;
typedef int32_t INT;
typedef uint32_t UINT;
typedef unsigned long long ULONG64;
typedef unsigned long long DWORD64;
typedef uintptr_t ULONG_PTR;
typedef uintptr_t UINT_PTR;
typedef int BOOL;
typedef char CHAR;
typedef void VOID;
typedef void* PVOID;
typedef void* LPVOID;
typedef void* HANDLE;
typedef DWORD* LPDWORD;
typedef ULONG* PULONG;
typedef ULONG64* PULONG64;
typedef INT* LPINT;
typedef WORD* LPWORD;
typedef USHORT ADDRESS_FAMILY;
// Two bytes, as on Windows (wchar_t is four here): char16_t so that u"" literals fit in C++.
#ifdef __cplusplus
typedef char16_t WCHAR;
#else
typedef uint16_t WCHAR;
#endif
// The BSD names Winsock declares; the same types glibc declares, so both may be seen. u_long is
// the platform's unsigned long (64 bits here, 32 on Windows): only ioctlsocket takes one.
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;

typedef struct _GUID {  // NOLINT(bugprone-reserved-identifier): the SDK's name
  uint32_t Data1;
  uint16_t Data2;
  uint16_t Data3;
  uint8_t Data4[8];
} GUID;

#define MAKEWORD(low, high)                             \
  PORTRES_CAST(WORD, (PORTRES_CAST(BYTE, (low)&0xff)) | \
                         (PORTRES_CAST(WORD, PORTRES_CAST(BYTE, (high)&0xff)) << 8))
#define LOBYTE(w) PORTRES_CAST(BYTE, (w)&0xff)
#define HIBYTE(w) PORTRES_CAST(BYTE, ((w) >> 8) & 0xff)

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
// Calling-convention markers of the SDK; meaningless off Windows.
#ifndef WSAAPI
#define WSAAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef WINAPI
#define WINAPI
#endif

// ---------------------------------------------------------------------------------------------
// Sockets.
typedef UINT_PTR SOCKET;
#define INVALID_SOCKET PORTRES_CAST(SOCKET, ~0)
#define SOCKET_ERROR (-1)

typedef struct sockaddr SOCKADDR;
typedef struct sockaddr* PSOCKADDR;
typedef struct sockaddr* LPSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN;
typedef struct sockaddr_in* PSOCKADDR_IN;
typedef struct sockaddr_in6 SOCKADDR_IN6;
typedef struct sockaddr_in6* PSOCKADDR_IN6;

// ---------------------------------------------------------------------------------------------
// Overlapped I/O. Same layout as the SDK's OVERLAPPED (32 bytes on 64-bit Windows).
typedef HANDLE WSAEVENT;
#ifdef __cplusplus
#define WSA_INVALID_EVENT (static_cast<WSAEVENT>(nullptr))
#else
#define WSA_INVALID_EVENT ((WSAEVENT)0)
#endif

typedef struct _OVERLAPPED {  // NOLINT(bugprone-reserved-identifier): the SDK's name
  ULONG_PTR Internal;
  ULONG_PTR InternalHigh;
  union {
    struct {
      DWORD Offset;
      DWORD OffsetHigh;
    } s;
    PVOID Pointer;
  } u;
  HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

typedef OVERLAPPED WSAOVERLAPPED;
typedef OVERLAPPED* LPWSAOVERLAPPED;

typedef void(CALLBACK* LPWSAOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwError, DWORD cbTransferred,
                                                           LPWSAOVERLAPPED lpOverlapped,
                                                           DWORD dwFlags);

// ---------------------------------------------------------------------------------------------
// Port reservations (mstcpip.h).
typedef struct _INET_PORT_RANGE {  // NOLINT(bugprone-reserved-identifier): the SDK's name
  USHORT StartPort;                // network byte order; 0 asks the system to choose the start
  USHORT NumberOfPorts;
} INET_PORT_RANGE, *PINET_PORT_RANGE;

typedef struct _INET_PORT_RANGE INET_PORT_RESERVATION, *PINET_PORT_RESERVATION;

typedef struct {
  ULONG64 Token;
} INET_PORT_RESERVATION_TOKEN, *PINET_PORT_RESERVATION_TOKEN;

#define INVALID_PORT_RESERVATION_TOKEN PORTRES_CAST(ULONG64, 0)

// In C the SDK embeds both members without names, so C code reads instance.StartPort and
// instance.Token; C11's anonymous structures give it the same view.
typedef struct {
#ifdef __cplusplus
  INET_PORT_RESERVATION Reservation;
  INET_PORT_RESERVATION_TOKEN Token;
#else
  struct {
    USHORT StartPort;
    USHORT NumberOfPorts;
  };
  struct {
    ULONG64 Token;
  };
#endif
} INET_PORT_RESERVATION_INSTANCE, *PINET_PORT_RESERVATION_INSTANCE;

typedef struct {
  ULONG OwningPid;
} INET_PORT_RESERVATION_INFORMATION, *PINET_PORT_RESERVATION_INFORMATION;

// ---------------------------------------------------------------------------------------------
// IOCTL codes (ws2def.h / mstcpip.h): _WSAIOW(IOC_VENDOR, n). The macro names are the SDK's.
// NOLINTBEGIN(bugprone-reserved-identifier)
#define IOC_UNIX 0x00000000
#define IOC_WS2 0x08000000
#define IOC_PROTOCOL 0x10000000
#define IOC_VENDOR 0x18000000
#define IOC_OUT 0x40000000
#define IOC_IN 0x80000000
#define IOC_INOUT (IOC_IN | IOC_OUT)
#define IOC_VOID 0x20000000
#define _WSAIO(x, y) (IOC_VOID | (x) | (y))
#define _WSAIOR(x, y) (IOC_OUT | (x) | (y))
#define _WSAIOW(x, y) (IOC_IN | (x) | (y))
#define _WSAIORW(x, y) (IOC_INOUT | (x) | (y))

#define SIO_ACQUIRE_PORT_RESERVATION _WSAIOW(IOC_VENDOR, 100)
#define SIO_RELEASE_PORT_RESERVATION _WSAIOW(IOC_VENDOR, 101)
#define SIO_ASSOCIATE_PORT_RESERVATION _WSAIOW(IOC_VENDOR, 102)
#define SIO_CPU_AFFINITY _WSAIOW(IOC_VENDOR, 21)
#define SIO_FLUSH _WSAIO(IOC_WS2, 4)  // winsock2.h; 0x28000004
// NOLINTEND(bugprone-reserved-identifier)

// ---------------------------------------------------------------------------------------------
// WSAStartup's answer (winsock2.h). The field order differs between Win32 and Win64: on 64-bit
// Windows the two counts and lpVendorInfo come before the strings.
#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN 128
typedef struct WSAData {
  WORD wVersion;
  WORD wHighVersion;
#if UINTPTR_MAX > 0xffffffffu
  unsigned short iMaxSockets;
  unsigned short iMaxUdpDg;
  char* lpVendorInfo;
  char szDescription[WSADESCRIPTION_LEN + 1];
  char szSystemStatus[WSASYS_STATUS_LEN + 1];
#else
  char szDescription[WSADESCRIPTION_LEN + 1];
  char szSystemStatus[WSASYS_STATUS_LEN + 1];
  unsigned short iMaxSockets;
  unsigned short iMaxUdpDg;
  char* lpVendorInfo;
#endif
} WSADATA, *LPWSADATA;

// ---------------------------------------------------------------------------------------------
// WSASocket's protocol descriptions and flags (winsock2.h).
#define MAX_PROTOCOL_CHAIN 7
#define WSAPROTOCOL_LEN 255
typedef struct _WSAPROTOCOLCHAIN {  // NOLINT(bugprone-reserved-identifier): the SDK's name
  int ChainLen;
  DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN, *LPWSAPROTOCOLCHAIN;

// NOLINTBEGIN(bugprone-reserved-identifier): the SDK's names
#define PORTRES_WSAPROTOCOL_INFO_FIELDS \
  DWORD dwServiceFlags1;                \
  DWORD dwServiceFlags2;                \
  DWORD dwServiceFlags3;                \
  DWORD dwServiceFlags4;                \
  DWORD dwProviderFlags;                \
  GUID ProviderId;                      \
  DWORD dwCatalogEntryId;               \
  WSAPROTOCOLCHAIN ProtocolChain;       \
  int iVersion;                         \
  int iAddressFamily;                   \
  int iMaxSockAddr;                     \
  int iMinSockAddr;                     \
  int iSocketType;                      \
  int iProtocol;                        \
  int iProtocolMaxOffset;               \
  int iNetworkByteOrder;                \
  int iSecurityScheme;                  \
  DWORD dwMessageSize;                  \
  DWORD dwProviderReserved;
typedef struct _WSAPROTOCOL_INFOA {
  PORTRES_WSAPROTOCOL_INFO_FIELDS
  CHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOA, *LPWSAPROTOCOL_INFOA;
typedef struct _WSAPROTOCOL_INFOW {
  PORTRES_WSAPROTOCOL_INFO_FIELDS
  WCHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOW, *LPWSAPROTOCOL_INFOW;
// NOLINTEND(bugprone-reserved-identifier)
#undef PORTRES_WSAPROTOCOL_INFO_FIELDS

typedef unsigned int GROUP;
#define WSA_FLAG_OVERLAPPED 0x01
#define WSA_FLAG_NO_HANDLE_INHERIT 0x80

// ---------------------------------------------------------------------------------------------
// Socket options and ioctlsocket commands, with the Windows values. The platform's headers
// (included above) define some of these names with their own values (SOL_SOCKET is 1 and
// SO_REUSEADDR 2 on Linux); code written for Windows passes them to Winsock's setsockopt, so
// the Windows values replace them here and the platform's stay reachable as PORTRES_POSIX_*,
// for the rare file that also calls the C library's setsockopt.
enum {
  PORTRES_POSIX_SOL_SOCKET = SOL_SOCKET,
  PORTRES_POSIX_SO_REUSEADDR = SO_REUSEADDR,
  PORTRES_POSIX_SO_TYPE = SO_TYPE,
  PORTRES_POSIX_SO_ERROR = SO_ERROR,
  PORTRES_POSIX_SO_SNDBUF = SO_SNDBUF,
  PORTRES_POSIX_SO_RCVBUF = SO_RCVBUF,
  PORTRES_POSIX_SO_KEEPALIVE = SO_KEEPALIVE,
  PORTRES_POSIX_SO_BROADCAST = SO_BROADCAST,
  PORTRES_POSIX_SO_LINGER = SO_LINGER,
  PORTRES_POSIX_IPV6_V6ONLY = IPV6_V6ONLY,
  PORTRES_POSIX_SOMAXCONN = SOMAXCONN
};
#undef SOL_SOCKET
#undef SO_DEBUG
#undef SO_ACCEPTCONN
#undef SO_REUSEADDR
#undef SO_KEEPALIVE
#undef SO_DONTROUTE
#undef SO_BROADCAST
#undef SO_LINGER
#undef SO_OOBINLINE
#undef SO_SNDBUF
#undef SO_RCVBUF
#undef SO_SNDLOWAT
#undef SO_RCVLOWAT
#undef SO_SNDTIMEO
#undef SO_RCVTIMEO
#undef SO_ERROR
#undef SO_TYPE
#undef SOMAXCONN
#undef IPV6_V6ONLY
#undef TCP_NODELAY
#undef FIONBIO

#define SOL_SOCKET 0xffff
#define SO_DEBUG 0x0001
#define SO_ACCEPTCONN 0x0002
#define SO_REUSEADDR 0x0004
#define SO_KEEPALIVE 0x0008
#define SO_DONTROUTE 0x0010
#define SO_BROADCAST 0x0020
#define SO_LINGER 0x0080
#define SO_OOBINLINE 0x0100
#define SO_DONTLINGER ((int)(~SO_LINGER))
#define SO_EXCLUSIVEADDRUSE ((int)(~SO_REUSEADDR))
#define SO_SNDBUF 0x1001
#define SO_RCVBUF 0x1002
#define SO_SNDLOWAT 0x1003
#define SO_RCVLOWAT 0x1004
#define SO_SNDTIMEO 0x1005
#define SO_RCVTIMEO 0x1006
#define SO_ERROR 0x1007
#define SO_TYPE 0x1008
#define SO_PROTOCOL_INFOA 0x2004
#define SO_PROTOCOL_INFOW 0x2005
#define SOMAXCONN 0x7fffffff
#define IPV6_V6ONLY 27      // ws2ipdef.h, level IPPROTO_IPV6
#define TCP_NODELAY 0x0001  // level IPPROTO_TCP
// _IOW('f', 126, u_long) in winsock2.h.
#define FIONBIO PORTRES_CAST(u_long, 0x8004667EUL)

// ---------------------------------------------------------------------------------------------
// Win32 error codes (winerror.h) used by Winsock and by the iphlpapi reservation functions.
#define NO_ERROR 0
#define ERROR_SUCCESS 0
#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_SHARING_VIOLATION 32
#define ERROR_NOT_SUPPORTED 50
#define ERROR_PROC_NOT_FOUND 127
#define ERROR_INVALID_PARAMETER 87
#define ERROR_OPERATION_ABORTED 995
#define ERROR_IO_INCOMPLETE 996
#define ERROR_IO_PENDING 997
#define ERROR_INVALID_FUNCTION 1
#define ERROR_NOT_FOUND 1168

// Winsock error codes (winsock2.h / winerror.h).
#define WSA_INVALID_HANDLE (ERROR_INVALID_HANDLE)
#define WSA_NOT_ENOUGH_MEMORY (ERROR_NOT_ENOUGH_MEMORY)
#define WSA_INVALID_PARAMETER (ERROR_INVALID_PARAMETER)
#define WSA_OPERATION_ABORTED (ERROR_OPERATION_ABORTED)
#define WSA_IO_INCOMPLETE (ERROR_IO_INCOMPLETE)
#define WSA_IO_PENDING (ERROR_IO_PENDING)

#define WSABASEERR 10000
#define WSAEINTR 10004
#define WSAEBADF 10009
#define WSAEACCES 10013
#define WSAEFAULT 10014
#define WSAEINVAL 10022
#define WSAEMFILE 10024
#define WSAEWOULDBLOCK 10035
#define WSAEINPROGRESS 10036
#define WSAEALREADY 10037
#define WSAENOTSOCK 10038
#define WSAEDESTADDRREQ 10039
#define WSAEMSGSIZE 10040
#define WSAEPROTOTYPE 10041
#define WSAENOPROTOOPT 10042
#define WSAEPROTONOSUPPORT 10043
#define WSAESOCKTNOSUPPORT 10044
#define WSAEOPNOTSUPP 10045
#define WSAEPFNOSUPPORT 10046
#define WSAEAFNOSUPPORT 10047
#define WSAEADDRINUSE 10048
#define WSAEADDRNOTAVAIL 10049
#define WSAENETDOWN 10050
#define WSAENETUNREACH 10051
#define WSAENETRESET 10052
#define WSAECONNABORTED 10053
#define WSAECONNRESET 10054
#define WSAENOBUFS 10055
#define WSAEISCONN 10056
#define WSAENOTCONN 10057
#define WSAESHUTDOWN 10058
#define WSAETIMEDOUT 10060
#define WSAECONNREFUSED 10061
#define WSAEHOSTUNREACH 10065
#define WSAEPROCLIM 10067
#define WSASYSNOTREADY 10091
#define WSAVERNOTSUPPORTED 10092
#define WSANOTINITIALISED 10093
#define WSAEINVALIDPROCTABLE 10104
#define WSAEINVALIDPROVIDER 10105
#define WSAEPROVIDERFAILEDINIT 10106

// The SDK's layouts, checked where they are declared (and against the SDK itself in
// tests/winsock_layout_test.cpp on Windows).
PORTRES_STATIC_ASSERT(sizeof(USHORT) == 2 && sizeof(DWORD) == 4 && sizeof(ULONG) == 4,
                      "LLP64 widths");
PORTRES_STATIC_ASSERT(sizeof(ULONG64) == 8, "ULONG64 is 64 bits");
PORTRES_STATIC_ASSERT(sizeof(INET_PORT_RANGE) == 4, "INET_PORT_RANGE is two USHORTs");
PORTRES_STATIC_ASSERT(offsetof(INET_PORT_RANGE, NumberOfPorts) == 2, "INET_PORT_RANGE layout");
PORTRES_STATIC_ASSERT(sizeof(INET_PORT_RESERVATION_TOKEN) == 8,
                      "INET_PORT_RESERVATION_TOKEN layout");
PORTRES_STATIC_ASSERT(sizeof(INET_PORT_RESERVATION_INSTANCE) == 16,
                      "INET_PORT_RESERVATION_INSTANCE: 4 bytes, 4 of padding, 8");
PORTRES_STATIC_ASSERT(offsetof(INET_PORT_RESERVATION_INSTANCE, Token) == 8,
                      "INET_PORT_RESERVATION_INSTANCE::Token is 8-aligned");
PORTRES_STATIC_ASSERT(sizeof(void*) != 8 || sizeof(WSAOVERLAPPED) == 32, "OVERLAPPED on 64-bit");
PORTRES_STATIC_ASSERT(SIO_ACQUIRE_PORT_RESERVATION == 0x98000064u, "mstcpip.h value");
PORTRES_STATIC_ASSERT(SIO_RELEASE_PORT_RESERVATION == 0x98000065u, "mstcpip.h value");
PORTRES_STATIC_ASSERT(SIO_ASSOCIATE_PORT_RESERVATION == 0x98000066u, "mstcpip.h value");
PORTRES_STATIC_ASSERT(SIO_CPU_AFFINITY == 0x98000015u, "mstcpip.h value");
PORTRES_STATIC_ASSERT(sizeof(void*) != 8 || sizeof(WSADATA) == 408, "WSADATA on 64-bit");
PORTRES_STATIC_ASSERT(sizeof(void*) != 8 || offsetof(WSADATA, lpVendorInfo) == 8,
                      "WSADATA: Win64 order");
PORTRES_STATIC_ASSERT(sizeof(WSAPROTOCOL_INFOW) == 628, "WSAPROTOCOL_INFOW layout");
PORTRES_STATIC_ASSERT(sizeof(WSAPROTOCOL_INFOA) == 372, "WSAPROTOCOL_INFOA layout");

// ---------------------------------------------------------------------------------------------
// Porting traps (C++ only). A SOCKET handed to the C library's bind, connect, close... names no
// descriptor: the call fails with EBADF (or worse, hits an unrelated descriptor) and the code
// under test reads Winsock's last error 0 as success. These overloads win overload resolution
// for a SOCKET first argument over the C library's int versions and refuse to compile. Calls
// with an int descriptor are untouched. Define PORTRES_NO_POSIX_TRAPS to do without them.
#if defined(__cplusplus) && !defined(PORTRES_NO_POSIX_TRAPS)
#include <type_traits>

namespace portres {
namespace detail {
template <typename S>
struct IsSocketHandle : std::is_same<typename std::decay<S>::type, SOCKET> {};
}  // namespace detail
}  // namespace portres

// NOLINTBEGIN(cppcoreguidelines-macro-usage)
#define PORTRES_POSIX_TRAP(name, method)                                                \
  template <typename S, typename... Rest>                                               \
  typename std::enable_if<::portres::detail::IsSocketHandle<S>::value, int>::type name( \
      S, Rest&&...) {                                                                   \
    static_assert(!::portres::detail::IsSocketHandle<S>::value,                         \
                  "portres: " #name                                                     \
                  "() with a SOCKET calls the C library on a Winsock handle: "          \
                  "call it on the ISocketIoctl instead (api." #method                   \
                  "(...)), or compile the "                                             \
                  "Windows code in its own file against portres::seam's <winsock2.h>"); \
    return -1;                                                                          \
  }
// NOLINTEND(cppcoreguidelines-macro-usage)
PORTRES_POSIX_TRAP(bind, bind)
PORTRES_POSIX_TRAP(connect, connect)
PORTRES_POSIX_TRAP(listen, listen)
PORTRES_POSIX_TRAP(accept, accept)
PORTRES_POSIX_TRAP(getsockname, getsockname)
PORTRES_POSIX_TRAP(getpeername, getpeername)
PORTRES_POSIX_TRAP(setsockopt, setsockopt)
PORTRES_POSIX_TRAP(getsockopt, getsockopt)
PORTRES_POSIX_TRAP(close, closesocket)
#undef PORTRES_POSIX_TRAP
#endif  // __cplusplus && !PORTRES_NO_POSIX_TRAPS

#endif  // _WIN32

#endif  // PORTRES_WINSOCK_H

// Outside the include guard on purpose: it runs at every inclusion. portres::seam's SDK-named
// headers (Linux) rename the POSIX-named calls of Windows code (socket -> portres_seam_socket)
// with macros; in a C++ file that also includes portres's own headers those macros would rename
// ISocketIoctl's methods too, so there they are withdrawn, whichever header came first
// (see seam/include/portres_seam_sdk.h).
#if !defined(_WIN32) && defined(__cplusplus) && !defined(PORTRES_SEAM_INCLUDING_VOCABULARY)
#ifndef PORTRES_VOCABULARY_SEEN_OUTSIDE_SEAM
#define PORTRES_VOCABULARY_SEEN_OUTSIDE_SEAM 1
#endif
#ifdef PORTRES_SEAM_RENAMES
#include <portres_seam_unrename.h>
#endif
#endif
