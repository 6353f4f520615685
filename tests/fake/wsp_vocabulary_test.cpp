// <portres/winsock_spi.h> has ws2spi.h's shape. Built everywhere: on Windows (MinGW here) the
// names below are the SDK's, so this file proves the SDK has the members portres names, in this
// order, with these types; off Windows it holds portres's own declarations to the same
// expectations, so the two agree.
#include <portres/fake_socket_ioctl.h>
#include <portres/winsock_spi.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace {

constexpr std::size_t kPointer = sizeof(void*);

// Member `index` of the table is at the index-th pointer.
#define PORTRES_EXPECT_ENTRY(index, member, type)                                        \
  static_assert(offsetof(WSPPROC_TABLE, member) == (index)*kPointer, #member);           \
  static_assert(std::is_same_v<decltype(WSPPROC_TABLE::member), type>, #member " type"); \
  static_assert(sizeof(type) == kPointer, #type " is a pointer")

PORTRES_EXPECT_ENTRY(0, lpWSPAccept, LPWSPACCEPT);
PORTRES_EXPECT_ENTRY(1, lpWSPAddressToString, LPWSPADDRESSTOSTRING);
PORTRES_EXPECT_ENTRY(2, lpWSPAsyncSelect, LPWSPASYNCSELECT);
PORTRES_EXPECT_ENTRY(3, lpWSPBind, LPWSPBIND);
PORTRES_EXPECT_ENTRY(4, lpWSPCancelBlockingCall, LPWSPCANCELBLOCKINGCALL);
PORTRES_EXPECT_ENTRY(5, lpWSPCleanup, LPWSPCLEANUP);
PORTRES_EXPECT_ENTRY(6, lpWSPCloseSocket, LPWSPCLOSESOCKET);
PORTRES_EXPECT_ENTRY(7, lpWSPConnect, LPWSPCONNECT);
PORTRES_EXPECT_ENTRY(8, lpWSPDuplicateSocket, LPWSPDUPLICATESOCKET);
PORTRES_EXPECT_ENTRY(9, lpWSPEnumNetworkEvents, LPWSPENUMNETWORKEVENTS);
PORTRES_EXPECT_ENTRY(10, lpWSPEventSelect, LPWSPEVENTSELECT);
PORTRES_EXPECT_ENTRY(11, lpWSPGetOverlappedResult, LPWSPGETOVERLAPPEDRESULT);
PORTRES_EXPECT_ENTRY(12, lpWSPGetPeerName, LPWSPGETPEERNAME);
PORTRES_EXPECT_ENTRY(13, lpWSPGetSockName, LPWSPGETSOCKNAME);
PORTRES_EXPECT_ENTRY(14, lpWSPGetSockOpt, LPWSPGETSOCKOPT);
PORTRES_EXPECT_ENTRY(15, lpWSPGetQOSByName, LPWSPGETQOSBYNAME);
PORTRES_EXPECT_ENTRY(16, lpWSPIoctl, LPWSPIOCTL);
PORTRES_EXPECT_ENTRY(17, lpWSPJoinLeaf, LPWSPJOINLEAF);
PORTRES_EXPECT_ENTRY(18, lpWSPListen, LPWSPLISTEN);
PORTRES_EXPECT_ENTRY(19, lpWSPRecv, LPWSPRECV);
PORTRES_EXPECT_ENTRY(20, lpWSPRecvDisconnect, LPWSPRECVDISCONNECT);
PORTRES_EXPECT_ENTRY(21, lpWSPRecvFrom, LPWSPRECVFROM);
PORTRES_EXPECT_ENTRY(22, lpWSPSelect, LPWSPSELECT);
PORTRES_EXPECT_ENTRY(23, lpWSPSend, LPWSPSEND);
PORTRES_EXPECT_ENTRY(24, lpWSPSendDisconnect, LPWSPSENDDISCONNECT);
PORTRES_EXPECT_ENTRY(25, lpWSPSendTo, LPWSPSENDTO);
PORTRES_EXPECT_ENTRY(26, lpWSPSetSockOpt, LPWSPSETSOCKOPT);
PORTRES_EXPECT_ENTRY(27, lpWSPShutdown, LPWSPSHUTDOWN);
PORTRES_EXPECT_ENTRY(28, lpWSPSocket, LPWSPSOCKET);
PORTRES_EXPECT_ENTRY(29, lpWSPStringToAddress, LPWSPSTRINGTOADDRESS);
#undef PORTRES_EXPECT_ENTRY

static_assert(sizeof(WSPPROC_TABLE) == 30 * kPointer, "thirty entries and nothing else");
static_assert(std::is_same_v<LPWSPPROC_TABLE, WSPPROC_TABLE*>, "LPWSPPROC_TABLE");

// The seed page's eleven parameters, in its order.
static_assert(
    std::is_same_v<LPWSPIOCTL, int(WSPAPI*)(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD,
                                            LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE,
                                            LPWSATHREADID, LPINT)>,
    "WSPIoctl's signature");
static_assert(std::is_same_v<LPWSPSOCKET, SOCKET(WSPAPI*)(int, int, int, LPWSAPROTOCOL_INFOW, GROUP,
                                                          DWORD, LPINT)>,
              "WSPSocket's signature");
static_assert(std::is_same_v<LPWSPBIND, int(WSPAPI*)(SOCKET, const sockaddr*, int, LPINT)>,
              "WSPBind's signature");
static_assert(std::is_same_v<LPWSPCLOSESOCKET, int(WSPAPI*)(SOCKET, LPINT)>,
              "WSPCloseSocket's signature");
static_assert(std::is_same_v<LPWSPGETSOCKNAME, int(WSPAPI*)(SOCKET, sockaddr*, LPINT, LPINT)>,
              "WSPGetSockName's signature");
static_assert(std::is_same_v<LPWSPGETOVERLAPPEDRESULT,
                             BOOL(WSPAPI*)(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD, LPINT)>,
              "WSPGetOverlappedResult's signature");

static_assert(sizeof(WSATHREADID) == 2 * kPointer, "WSATHREADID: a handle and a DWORD_PTR");
static_assert(offsetof(WSATHREADID, ThreadHandle) == 0, "WSATHREADID::ThreadHandle");
static_assert(offsetof(WSATHREADID, Reserved) == kPointer, "WSATHREADID::Reserved");
static_assert(std::is_same_v<decltype(WSATHREADID::ThreadHandle), HANDLE>, "a HANDLE");
static_assert(std::is_same_v<LPWSATHREADID, WSATHREADID*>, "LPWSATHREADID");
static_assert(sizeof(DWORD_PTR) == kPointer, "DWORD_PTR");

TEST(WspVocabulary, FakeProcTable_FillsEveryEntry) {
  portres::FakeSocketIoctl fake;
  const WSPPROC_TABLE table = portres::FakeProcTable(fake);
  for (std::size_t i = 0; i < sizeof table / kPointer; ++i) {
    std::uintptr_t entry = 0;
    std::memcpy(&entry, reinterpret_cast<const unsigned char*>(&table) + i * kPointer, kPointer);
    EXPECT_NE(entry, 0u) << "entry " << i;
  }
}

}  // namespace
