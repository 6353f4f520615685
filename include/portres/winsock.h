// <portres/winsock.h>: the Winsock vocabulary that port-reservation code uses.
//
// On Windows this is the SDK: <winsock2.h>, <ws2tcpip.h>, <mstcpip.h> (and <windows.h> for the
// Win32 error codes). Elsewhere it declares the same global names with the SDK's values and
// binary layouts, so that code written for Windows compiles unchanged. Sockets, addresses,
// address families, socket types, protocols and byte-order functions come from the platform's
// own headers on both sides: AF_INET6 is 23 on Windows and 10 on Linux, and portres accepts
// whichever value the platform defines.
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

#else  // !_WIN32

#include <arpa/inet.h>   // htons, ntohs, htonl, ntohl
#include <netinet/in.h>  // sockaddr_in, sockaddr_in6, IPPROTO_*
#include <sys/socket.h>  // sockaddr, AF_*, SOCK_*
#include <sys/un.h>      // AF_UNIX

#include <stddef.h>  // C headers: this part of the vocabulary is valid C11 as well as C++17
#include <stdint.h>
#ifndef __cplusplus
#include <assert.h>  // static_assert
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
typedef USHORT ADDRESS_FAMILY;

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
#ifdef __cplusplus
#define INVALID_SOCKET (static_cast<SOCKET>(~0))
#else
#define INVALID_SOCKET ((SOCKET)(~0))
#endif
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
#define WSA_INVALID_EVENT ((WSAEVENT)NULL)
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

#ifdef __cplusplus
#define INVALID_PORT_RESERVATION_TOKEN (static_cast<ULONG64>(0))
#else
#define INVALID_PORT_RESERVATION_TOKEN ((ULONG64)0)
#endif

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
// NOLINTEND(bugprone-reserved-identifier)

// ---------------------------------------------------------------------------------------------
// Win32 error codes (winerror.h) used by Winsock and by the iphlpapi reservation functions.
#define NO_ERROR 0
#define ERROR_SUCCESS 0
#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_SHARING_VIOLATION 32
#define ERROR_NOT_SUPPORTED 50
#define ERROR_INVALID_PARAMETER 87
#define ERROR_OPERATION_ABORTED 995
#define ERROR_IO_INCOMPLETE 996
#define ERROR_IO_PENDING 997
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
#define WSASYSNOTREADY 10091
#define WSAVERNOTSUPPORTED 10092
#define WSANOTINITIALISED 10093
#define WSAEINVALIDPROCTABLE 10104
#define WSAEINVALIDPROVIDER 10105
#define WSAEPROVIDERFAILEDINIT 10106

// The SDK's layouts, checked where they are declared (and against the SDK itself in
// tests/winsock_layout_test.cpp on Windows).
static_assert(sizeof(USHORT) == 2 && sizeof(DWORD) == 4 && sizeof(ULONG) == 4, "LLP64 widths");
static_assert(sizeof(ULONG64) == 8, "ULONG64 is 64 bits");
static_assert(sizeof(INET_PORT_RANGE) == 4, "INET_PORT_RANGE is two USHORTs");
static_assert(offsetof(INET_PORT_RANGE, NumberOfPorts) == 2, "INET_PORT_RANGE layout");
static_assert(sizeof(INET_PORT_RESERVATION_TOKEN) == 8, "INET_PORT_RESERVATION_TOKEN layout");
static_assert(sizeof(INET_PORT_RESERVATION_INSTANCE) == 16,
              "INET_PORT_RESERVATION_INSTANCE: 4 bytes, 4 of padding, 8");
static_assert(offsetof(INET_PORT_RESERVATION_INSTANCE, Token) == 8,
              "INET_PORT_RESERVATION_INSTANCE::Token is 8-aligned");
static_assert(sizeof(void*) != 8 || sizeof(WSAOVERLAPPED) == 32, "OVERLAPPED on 64-bit");
static_assert(SIO_ACQUIRE_PORT_RESERVATION == 0x98000064u, "mstcpip.h value");
static_assert(SIO_RELEASE_PORT_RESERVATION == 0x98000065u, "mstcpip.h value");
static_assert(SIO_ASSOCIATE_PORT_RESERVATION == 0x98000066u, "mstcpip.h value");

#endif  // _WIN32

#endif  // PORTRES_WINSOCK_H
