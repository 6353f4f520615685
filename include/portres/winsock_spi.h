// <portres/winsock_spi.h>: the service provider side of Winsock (ws2spi.h), as far as a
// provider that forwards port-reservation IOCTLs needs it.
//
// ws2_32 does not answer WSAIoctl itself: it hands the call to the first provider of the
// protocol chain as WSPIoctl, with two parameters more (lpThreadId, the thread a completion
// routine must later run on, and lpErrno, where a provider writes its error: it never sets the
// thread's last error). A layered provider (LSP) receives the next provider's WSPPROC_TABLE at
// startup and forwards through it [ref:wspioctl].
//
// On Windows this is the SDK's <ws2spi.h>. Elsewhere it declares the same names with the same
// layouts: WSATHREADID, WSPAPI, the thirty LPWSP* entry types in the SDK's order and
// WSPPROC_TABLE, so that a table filled on Linux has the shape ws2_32 gives a provider on
// Windows. The structures only the entries portres does not model take (WSABUF, QOS,
// WSANETWORKEVENTS, WSAPROTOCOL_INFOW) are declared, not defined: their pointers are all the
// table needs. Valid C11 and C++17.
//
// portres::FakeProcTable (<portres/fake_socket_ioctl.h>) fills a table whose entries reach a
// FakeSocketIoctl, so provider code can be tested with the fake as the provider below it.
#ifndef PORTRES_WINSOCK_SPI_H
#define PORTRES_WINSOCK_SPI_H

#include <portres/winsock.h>

#if defined(_WIN32)

#include <ws2spi.h>

#else  // !_WIN32

#include <sys/select.h>  // fd_set: WSPSelect's sets are the platform's, like its sockaddrs
#include <sys/time.h>    // struct timeval

// NOLINTBEGIN(bugprone-reserved-identifier): the SDK's structure tags
typedef ULONG_PTR DWORD_PTR;
typedef ULONG_PTR* PDWORD_PTR;
typedef WCHAR* LPWSTR;
typedef struct HWND__* HWND;
typedef struct timeval* PTIMEVAL;

typedef struct _WSABUF* LPWSABUF;
typedef struct _QualityOfService* LPQOS;
typedef struct _WSANETWORKEVENTS* LPWSANETWORKEVENTS;

typedef int(CALLBACK* LPCONDITIONPROC)(LPWSABUF lpCallerId, LPWSABUF lpCallerData, LPQOS lpSQOS,
                                       LPQOS lpGQOS, LPWSABUF lpCalleeId, LPWSABUF lpCalleeData,
                                       GROUP* g, DWORD_PTR dwCallbackData);

// The thread a provider must queue a completion routine to (WPUQueueApc). The provider copies
// the structure: the pointer it was given is not valid after the call returns.
typedef struct _WSATHREADID {
  HANDLE ThreadHandle;
  DWORD_PTR Reserved;
} WSATHREADID, *LPWSATHREADID;
// NOLINTEND(bugprone-reserved-identifier)

#ifndef WSPAPI
#define WSPAPI WSAAPI
#endif

// The provider entry points, in the order of WSPPROC_TABLE. Each reports failure through its
// last parameter, lpErrno, and returns SOCKET_ERROR (INVALID_SOCKET, FALSE).
typedef SOCKET(WSPAPI* LPWSPACCEPT)(SOCKET s, struct sockaddr* addr, LPINT addrlen,
                                    LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData,
                                    LPINT lpErrno);
typedef INT(WSPAPI* LPWSPADDRESSTOSTRING)(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                          LPWSAPROTOCOL_INFOW lpProtocolInfo,
                                          LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength,
                                          LPINT lpErrno);
typedef int(WSPAPI* LPWSPASYNCSELECT)(SOCKET s, HWND hWnd, unsigned int wMsg, LONG lEvent,
                                      LPINT lpErrno);
typedef int(WSPAPI* LPWSPBIND)(SOCKET s, const struct sockaddr* name, int namelen, LPINT lpErrno);
typedef int(WSPAPI* LPWSPCANCELBLOCKINGCALL)(LPINT lpErrno);
typedef int(WSPAPI* LPWSPCLEANUP)(LPINT lpErrno);
typedef int(WSPAPI* LPWSPCLOSESOCKET)(SOCKET s, LPINT lpErrno);
typedef int(WSPAPI* LPWSPCONNECT)(SOCKET s, const struct sockaddr* name, int namelen,
                                  LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                                  LPQOS lpGQOS, LPINT lpErrno);
typedef int(WSPAPI* LPWSPDUPLICATESOCKET)(SOCKET s, DWORD dwProcessId,
                                          LPWSAPROTOCOL_INFOW lpProtocolInfo, LPINT lpErrno);
typedef int(WSPAPI* LPWSPENUMNETWORKEVENTS)(SOCKET s, WSAEVENT hEventObject,
                                            LPWSANETWORKEVENTS lpNetworkEvents, LPINT lpErrno);
typedef int(WSPAPI* LPWSPEVENTSELECT)(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents,
                                      LPINT lpErrno);
typedef BOOL(WSPAPI* LPWSPGETOVERLAPPEDRESULT)(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                               LPDWORD lpcbTransfer, BOOL fWait, LPDWORD lpdwFlags,
                                               LPINT lpErrno);
typedef int(WSPAPI* LPWSPGETPEERNAME)(SOCKET s, struct sockaddr* name, LPINT namelen,
                                      LPINT lpErrno);
typedef int(WSPAPI* LPWSPGETSOCKNAME)(SOCKET s, struct sockaddr* name, LPINT namelen,
                                      LPINT lpErrno);
typedef int(WSPAPI* LPWSPGETSOCKOPT)(SOCKET s, int level, int optname, char* optval, LPINT optlen,
                                     LPINT lpErrno);
typedef BOOL(WSPAPI* LPWSPGETQOSBYNAME)(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS, LPINT lpErrno);
typedef int(WSPAPI* LPWSPIOCTL)(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
                                DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                                LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                LPWSATHREADID lpThreadId, LPINT lpErrno);
typedef SOCKET(WSPAPI* LPWSPJOINLEAF)(SOCKET s, const struct sockaddr* name, int namelen,
                                      LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                                      LPQOS lpGQOS, DWORD dwFlags, LPINT lpErrno);
typedef int(WSPAPI* LPWSPLISTEN)(SOCKET s, int backlog, LPINT lpErrno);
typedef int(WSPAPI* LPWSPRECV)(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                               LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                               LPWSAOVERLAPPED lpOverlapped,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                               LPWSATHREADID lpThreadId, LPINT lpErrno);
typedef int(WSPAPI* LPWSPRECVDISCONNECT)(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno);
typedef int(WSPAPI* LPWSPRECVFROM)(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                   LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                                   struct sockaddr* lpFrom, LPINT lpFromlen,
                                   LPWSAOVERLAPPED lpOverlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                   LPWSATHREADID lpThreadId, LPINT lpErrno);
// `const PTIMEVAL` is the SDK's spelling: a const pointer, not a pointer to const.
typedef int(WSPAPI* LPWSPSELECT)(int nfds, fd_set* readfds, fd_set* writefds, fd_set* exceptfds,
                                 const PTIMEVAL timeout,  // NOLINT(misc-misplaced-const)
                                 LPINT lpErrno);
typedef int(WSPAPI* LPWSPSEND)(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                               LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                               LPWSAOVERLAPPED lpOverlapped,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                               LPWSATHREADID lpThreadId, LPINT lpErrno);
typedef int(WSPAPI* LPWSPSENDDISCONNECT)(SOCKET s, LPWSABUF lpOutboundDisconnectData,
                                         LPINT lpErrno);
typedef int(WSPAPI* LPWSPSENDTO)(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                 LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                 const struct sockaddr* lpTo, int iTolen,
                                 LPWSAOVERLAPPED lpOverlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                                 LPWSATHREADID lpThreadId, LPINT lpErrno);
typedef int(WSPAPI* LPWSPSETSOCKOPT)(SOCKET s, int level, int optname, const char* optval,
                                     int optlen, LPINT lpErrno);
typedef int(WSPAPI* LPWSPSHUTDOWN)(SOCKET s, int how, LPINT lpErrno);
typedef SOCKET(WSPAPI* LPWSPSOCKET)(int af, int type, int protocol,
                                    LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags,
                                    LPINT lpErrno);
typedef INT(WSPAPI* LPWSPSTRINGTOADDRESS)(LPWSTR AddressString, INT AddressFamily,
                                          LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                                          LPINT lpAddressLength, LPINT lpErrno);

// What a provider's WSPStartup fills in: one pointer per entry point, alphabetical by name.
typedef struct _WSPPROC_TABLE {  // NOLINT(bugprone-reserved-identifier): the SDK's tag
  LPWSPACCEPT lpWSPAccept;
  LPWSPADDRESSTOSTRING lpWSPAddressToString;
  LPWSPASYNCSELECT lpWSPAsyncSelect;
  LPWSPBIND lpWSPBind;
  LPWSPCANCELBLOCKINGCALL lpWSPCancelBlockingCall;
  LPWSPCLEANUP lpWSPCleanup;
  LPWSPCLOSESOCKET lpWSPCloseSocket;
  LPWSPCONNECT lpWSPConnect;
  LPWSPDUPLICATESOCKET lpWSPDuplicateSocket;
  LPWSPENUMNETWORKEVENTS lpWSPEnumNetworkEvents;
  LPWSPEVENTSELECT lpWSPEventSelect;
  LPWSPGETOVERLAPPEDRESULT lpWSPGetOverlappedResult;
  LPWSPGETPEERNAME lpWSPGetPeerName;
  LPWSPGETSOCKNAME lpWSPGetSockName;
  LPWSPGETSOCKOPT lpWSPGetSockOpt;
  LPWSPGETQOSBYNAME lpWSPGetQOSByName;
  LPWSPIOCTL lpWSPIoctl;
  LPWSPJOINLEAF lpWSPJoinLeaf;
  LPWSPLISTEN lpWSPListen;
  LPWSPRECV lpWSPRecv;
  LPWSPRECVDISCONNECT lpWSPRecvDisconnect;
  LPWSPRECVFROM lpWSPRecvFrom;
  LPWSPSELECT lpWSPSelect;
  LPWSPSEND lpWSPSend;
  LPWSPSENDDISCONNECT lpWSPSendDisconnect;
  LPWSPSENDTO lpWSPSendTo;
  LPWSPSETSOCKOPT lpWSPSetSockOpt;
  LPWSPSHUTDOWN lpWSPShutdown;
  LPWSPSOCKET lpWSPSocket;
  LPWSPSTRINGTOADDRESS lpWSPStringToAddress;
} WSPPROC_TABLE, *LPWSPPROC_TABLE;

PORTRES_STATIC_ASSERT(sizeof(WSATHREADID) == 2 * sizeof(void*),
                      "WSATHREADID: a handle and a DWORD_PTR");
PORTRES_STATIC_ASSERT(sizeof(WSPPROC_TABLE) == 30 * sizeof(void*), "WSPPROC_TABLE: thirty entries");

#endif  // _WIN32

#endif  // PORTRES_WINSOCK_SPI_H
