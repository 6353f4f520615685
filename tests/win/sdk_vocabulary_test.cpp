// Every name <portres/winsock.h> declares, held to the Windows SDK's value and layout.
//
// Built on every platform against the same literals: on Windows the names come from the SDK
// (winsock2.h, ws2def.h, mstcpip.h, winerror.h, minwinbase.h), elsewhere from portres's own
// declarations. Values are checked at run time so that a mismatch names the culprit; layouts
// are static_asserts, because code that moves these structs across the interface is wrong at
// compile time already.
#include <portres/winsock.h>

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <type_traits>

namespace {

// ---- Layouts ---------------------------------------------------------------------------------
static_assert(sizeof(USHORT) == 2 && sizeof(DWORD) == 4 && sizeof(ULONG) == 4, "LLP64 widths");
static_assert(sizeof(ULONG64) == 8, "ULONG64");
static_assert(sizeof(SOCKET) == sizeof(void*) && std::is_unsigned<SOCKET>::value,
              "SOCKET is UINT_PTR");
static_assert(sizeof(WSAEVENT) == sizeof(void*), "WSAEVENT is a HANDLE");

static_assert(sizeof(INET_PORT_RANGE) == 4, "INET_PORT_RANGE");
static_assert(offsetof(INET_PORT_RANGE, StartPort) == 0, "INET_PORT_RANGE::StartPort");
static_assert(offsetof(INET_PORT_RANGE, NumberOfPorts) == 2, "INET_PORT_RANGE::NumberOfPorts");
static_assert(std::is_same<INET_PORT_RESERVATION, INET_PORT_RANGE>::value,
              "INET_PORT_RESERVATION is INET_PORT_RANGE");
static_assert(sizeof(INET_PORT_RESERVATION_TOKEN) == 8, "INET_PORT_RESERVATION_TOKEN");
static_assert(sizeof(INET_PORT_RESERVATION_INSTANCE) == 16, "INET_PORT_RESERVATION_INSTANCE");
static_assert(offsetof(INET_PORT_RESERVATION_INSTANCE, Reservation) == 0,
              "INET_PORT_RESERVATION_INSTANCE::Reservation");
static_assert(offsetof(INET_PORT_RESERVATION_INSTANCE, Token) == 8,
              "INET_PORT_RESERVATION_INSTANCE::Token");
static_assert(sizeof(INET_PORT_RESERVATION_INFORMATION) == 4, "INET_PORT_RESERVATION_INFORMATION");

static_assert(std::is_same<WSAOVERLAPPED, OVERLAPPED>::value, "WSAOVERLAPPED is OVERLAPPED");
static_assert(offsetof(OVERLAPPED, Internal) == 0, "OVERLAPPED::Internal");
static_assert(offsetof(OVERLAPPED, InternalHigh) == sizeof(ULONG_PTR), "OVERLAPPED::InternalHigh");
static_assert(offsetof(OVERLAPPED, hEvent) == 2 * sizeof(ULONG_PTR) + 8, "OVERLAPPED::hEvent");
static_assert(sizeof(OVERLAPPED) == 3 * sizeof(ULONG_PTR) + 8, "OVERLAPPED: 32 bytes on 64-bit");

// WSAStartup's answer: on Win64 the counts and lpVendorInfo precede the strings (on Win32 they
// follow them). The 64-bit figures are the SDK's own: this file compiles against it in the
// MinGW leg.
static_assert(sizeof(WORD) == 2, "WORD");
static_assert(offsetof(WSADATA, wVersion) == 0 && offsetof(WSADATA, wHighVersion) == 2,
              "WSADATA versions");
static_assert(sizeof(void*) != 8 || offsetof(WSADATA, iMaxSockets) == 4, "WSADATA (Win64)");
static_assert(sizeof(void*) != 8 || offsetof(WSADATA, iMaxUdpDg) == 6, "WSADATA (Win64)");
static_assert(sizeof(void*) != 8 || offsetof(WSADATA, lpVendorInfo) == 8, "WSADATA (Win64)");
static_assert(sizeof(void*) != 8 || offsetof(WSADATA, szDescription) == 16, "WSADATA (Win64)");
static_assert(sizeof(void*) != 8 || offsetof(WSADATA, szSystemStatus) == 16 + 257,
              "WSADATA (Win64)");
static_assert(sizeof(void*) != 8 || sizeof(WSADATA) == 408, "WSADATA (Win64)");
static_assert(sizeof(void*) != 4 || offsetof(WSADATA, szDescription) == 4, "WSADATA (Win32)");
static_assert(sizeof(void*) != 4 || offsetof(WSADATA, iMaxSockets) == 4 + 257 + 129 + 0,
              "WSADATA (Win32)");

// WSASocket's protocol descriptions.
static_assert(sizeof(GUID) == 16, "GUID");
static_assert(sizeof(GROUP) == 4 && std::is_unsigned<GROUP>::value, "GROUP is unsigned int");
static_assert(sizeof(WSAPROTOCOLCHAIN) == 4 + 7 * 4, "WSAPROTOCOLCHAIN");
static_assert(offsetof(WSAPROTOCOL_INFOW, ProviderId) == 20, "WSAPROTOCOL_INFOW::ProviderId");
static_assert(offsetof(WSAPROTOCOL_INFOW, ProtocolChain) == 40, "WSAPROTOCOL_INFOW::ProtocolChain");
static_assert(offsetof(WSAPROTOCOL_INFOW, iAddressFamily) == 76,
              "WSAPROTOCOL_INFOW::iAddressFamily");
static_assert(offsetof(WSAPROTOCOL_INFOW, iSocketType) == 88, "WSAPROTOCOL_INFOW::iSocketType");
static_assert(offsetof(WSAPROTOCOL_INFOW, iProtocol) == 92, "WSAPROTOCOL_INFOW::iProtocol");
static_assert(offsetof(WSAPROTOCOL_INFOW, szProtocol) == 116, "WSAPROTOCOL_INFOW::szProtocol");
static_assert(sizeof(WSAPROTOCOL_INFOW) == 116 + 256 * 2, "WSAPROTOCOL_INFOW (two-byte WCHAR)");
static_assert(offsetof(WSAPROTOCOL_INFOA, szProtocol) == 116, "WSAPROTOCOL_INFOA::szProtocol");
static_assert(sizeof(WSAPROTOCOL_INFOA) == 116 + 256, "WSAPROTOCOL_INFOA");

// ---- Values ----------------------------------------------------------------------------------
struct NamedValue {
  const char* name;
  std::int64_t value;     // as <portres/winsock.h> declares it here
  std::int64_t expected;  // as the Windows SDK declares it
};

void PrintTo(const NamedValue& named, std::ostream* os) {
  *os << named.name << " = " << named.value << " (SDK: " << named.expected << ")";
}

#define PORTRES_SDK_VALUE(name, expected) \
  NamedValue { #name, static_cast < std::int64_t>(name), expected }

class SdkValueTest : public testing::TestWithParam<NamedValue> {};

TEST_P(SdkValueTest, HasTheWindowsSdkValue) {
  EXPECT_EQ(GetParam().value, GetParam().expected) << GetParam().name;
}

std::string ValueName(const testing::TestParamInfo<NamedValue>& info) { return info.param.name; }

// ws2def.h / winsock2.h: IOCTL code construction.
INSTANTIATE_TEST_SUITE_P(
    IoctlCodes, SdkValueTest,
    testing::Values(PORTRES_SDK_VALUE(IOC_VOID, 0x20000000), PORTRES_SDK_VALUE(IOC_OUT, 0x40000000),
                    PORTRES_SDK_VALUE(IOC_IN, 0x80000000), PORTRES_SDK_VALUE(IOC_INOUT, 0xC0000000),
                    PORTRES_SDK_VALUE(IOC_UNIX, 0x00000000), PORTRES_SDK_VALUE(IOC_WS2, 0x08000000),
                    PORTRES_SDK_VALUE(IOC_PROTOCOL, 0x10000000),
                    PORTRES_SDK_VALUE(IOC_VENDOR, 0x18000000),
                    // mstcpip.h
                    PORTRES_SDK_VALUE(SIO_ACQUIRE_PORT_RESERVATION, 0x98000064),
                    PORTRES_SDK_VALUE(SIO_RELEASE_PORT_RESERVATION, 0x98000065),
                    PORTRES_SDK_VALUE(SIO_ASSOCIATE_PORT_RESERVATION, 0x98000066),
                    PORTRES_SDK_VALUE(INVALID_PORT_RESERVATION_TOKEN, 0)),
    ValueName);

// winsock2.h: return conventions.
INSTANTIATE_TEST_SUITE_P(ReturnValues, SdkValueTest,
                         testing::Values(PORTRES_SDK_VALUE(SOCKET_ERROR, -1),
                                         PORTRES_SDK_VALUE(TRUE, 1), PORTRES_SDK_VALUE(FALSE, 0)),
                         ValueName);

// winerror.h: the Win32 codes Winsock and iphlpapi return.
INSTANTIATE_TEST_SUITE_P(Win32Errors, SdkValueTest,
                         testing::Values(PORTRES_SDK_VALUE(NO_ERROR, 0),
                                         PORTRES_SDK_VALUE(ERROR_SUCCESS, 0),
                                         PORTRES_SDK_VALUE(ERROR_ACCESS_DENIED, 5),
                                         PORTRES_SDK_VALUE(ERROR_INVALID_HANDLE, 6),
                                         PORTRES_SDK_VALUE(ERROR_NOT_ENOUGH_MEMORY, 8),
                                         PORTRES_SDK_VALUE(ERROR_SHARING_VIOLATION, 32),
                                         PORTRES_SDK_VALUE(ERROR_NOT_SUPPORTED, 50),
                                         PORTRES_SDK_VALUE(ERROR_INVALID_PARAMETER, 87),
                                         PORTRES_SDK_VALUE(ERROR_OPERATION_ABORTED, 995),
                                         PORTRES_SDK_VALUE(ERROR_IO_INCOMPLETE, 996),
                                         PORTRES_SDK_VALUE(ERROR_IO_PENDING, 997),
                                         PORTRES_SDK_VALUE(ERROR_NOT_FOUND, 1168)),
                         ValueName);

// winsock2.h / winerror.h: the codes WSAGetLastError() returns.
INSTANTIATE_TEST_SUITE_P(
    WinsockErrors, SdkValueTest,
    testing::Values(
        PORTRES_SDK_VALUE(WSA_INVALID_HANDLE, 6), PORTRES_SDK_VALUE(WSA_NOT_ENOUGH_MEMORY, 8),
        PORTRES_SDK_VALUE(WSA_INVALID_PARAMETER, 87), PORTRES_SDK_VALUE(WSA_OPERATION_ABORTED, 995),
        PORTRES_SDK_VALUE(WSA_IO_INCOMPLETE, 996), PORTRES_SDK_VALUE(WSA_IO_PENDING, 997),
        PORTRES_SDK_VALUE(WSABASEERR, 10000), PORTRES_SDK_VALUE(WSAEINTR, 10004),
        PORTRES_SDK_VALUE(WSAEBADF, 10009), PORTRES_SDK_VALUE(WSAEACCES, 10013),
        PORTRES_SDK_VALUE(WSAEFAULT, 10014), PORTRES_SDK_VALUE(WSAEINVAL, 10022),
        PORTRES_SDK_VALUE(WSAEMFILE, 10024), PORTRES_SDK_VALUE(WSAEWOULDBLOCK, 10035),
        PORTRES_SDK_VALUE(WSAEINPROGRESS, 10036), PORTRES_SDK_VALUE(WSAEALREADY, 10037),
        PORTRES_SDK_VALUE(WSAENOTSOCK, 10038), PORTRES_SDK_VALUE(WSAEDESTADDRREQ, 10039),
        PORTRES_SDK_VALUE(WSAEMSGSIZE, 10040), PORTRES_SDK_VALUE(WSAEPROTOTYPE, 10041),
        PORTRES_SDK_VALUE(WSAENOPROTOOPT, 10042), PORTRES_SDK_VALUE(WSAEPROTONOSUPPORT, 10043),
        PORTRES_SDK_VALUE(WSAESOCKTNOSUPPORT, 10044), PORTRES_SDK_VALUE(WSAEOPNOTSUPP, 10045),
        PORTRES_SDK_VALUE(WSAEPFNOSUPPORT, 10046), PORTRES_SDK_VALUE(WSAEAFNOSUPPORT, 10047),
        PORTRES_SDK_VALUE(WSAEADDRINUSE, 10048), PORTRES_SDK_VALUE(WSAEADDRNOTAVAIL, 10049),
        PORTRES_SDK_VALUE(WSAENETDOWN, 10050), PORTRES_SDK_VALUE(WSAENETUNREACH, 10051),
        PORTRES_SDK_VALUE(WSAENETRESET, 10052), PORTRES_SDK_VALUE(WSAECONNABORTED, 10053),
        PORTRES_SDK_VALUE(WSAECONNRESET, 10054), PORTRES_SDK_VALUE(WSAENOBUFS, 10055),
        PORTRES_SDK_VALUE(WSAEISCONN, 10056), PORTRES_SDK_VALUE(WSAENOTCONN, 10057),
        PORTRES_SDK_VALUE(WSAESHUTDOWN, 10058), PORTRES_SDK_VALUE(WSAETIMEDOUT, 10060),
        PORTRES_SDK_VALUE(WSAECONNREFUSED, 10061), PORTRES_SDK_VALUE(WSASYSNOTREADY, 10091),
        PORTRES_SDK_VALUE(WSAVERNOTSUPPORTED, 10092), PORTRES_SDK_VALUE(WSANOTINITIALISED, 10093),
        PORTRES_SDK_VALUE(WSAEINVALIDPROCTABLE, 10104),
        PORTRES_SDK_VALUE(WSAEINVALIDPROVIDER, 10105),
        PORTRES_SDK_VALUE(WSAEPROVIDERFAILEDINIT, 10106)),
    ValueName);

// winsock2.h / ws2def.h / ws2ipdef.h / mstcpip.h: socket options, ioctlsocket commands and
// WSASocket flags. Off Windows these replace the platform's own values (SOL_SOCKET is 1 on
// Linux), so that code written for Windows passes the Windows values to the seam and the fake.
INSTANTIATE_TEST_SUITE_P(
    SocketOptions, SdkValueTest,
    testing::Values(
        PORTRES_SDK_VALUE(SOL_SOCKET, 0xffff), PORTRES_SDK_VALUE(SO_DEBUG, 0x0001),
        PORTRES_SDK_VALUE(SO_ACCEPTCONN, 0x0002), PORTRES_SDK_VALUE(SO_REUSEADDR, 0x0004),
        PORTRES_SDK_VALUE(SO_KEEPALIVE, 0x0008), PORTRES_SDK_VALUE(SO_DONTROUTE, 0x0010),
        PORTRES_SDK_VALUE(SO_BROADCAST, 0x0020), PORTRES_SDK_VALUE(SO_LINGER, 0x0080),
        PORTRES_SDK_VALUE(SO_OOBINLINE, 0x0100), PORTRES_SDK_VALUE(SO_DONTLINGER, -0x81),
        PORTRES_SDK_VALUE(SO_EXCLUSIVEADDRUSE, -5), PORTRES_SDK_VALUE(SO_SNDBUF, 0x1001),
        PORTRES_SDK_VALUE(SO_RCVBUF, 0x1002), PORTRES_SDK_VALUE(SO_SNDLOWAT, 0x1003),
        PORTRES_SDK_VALUE(SO_RCVLOWAT, 0x1004), PORTRES_SDK_VALUE(SO_SNDTIMEO, 0x1005),
        PORTRES_SDK_VALUE(SO_RCVTIMEO, 0x1006), PORTRES_SDK_VALUE(SO_ERROR, 0x1007),
        PORTRES_SDK_VALUE(SO_TYPE, 0x1008), PORTRES_SDK_VALUE(SO_PROTOCOL_INFOA, 0x2004),
        PORTRES_SDK_VALUE(SO_PROTOCOL_INFOW, 0x2005), PORTRES_SDK_VALUE(SOMAXCONN, 0x7fffffff),
        PORTRES_SDK_VALUE(IPV6_V6ONLY, 27), PORTRES_SDK_VALUE(TCP_NODELAY, 1),
        PORTRES_SDK_VALUE(FIONBIO, 0x8004667E), PORTRES_SDK_VALUE(SIO_CPU_AFFINITY, 0x98000015),
        PORTRES_SDK_VALUE(WSA_FLAG_OVERLAPPED, 0x01), PORTRES_SDK_VALUE(MAX_PROTOCOL_CHAIN, 7),
        PORTRES_SDK_VALUE(WSAPROTOCOL_LEN, 255), PORTRES_SDK_VALUE(WSADESCRIPTION_LEN, 256),
        PORTRES_SDK_VALUE(WSASYS_STATUS_LEN, 128), PORTRES_SDK_VALUE(ERROR_INVALID_FUNCTION, 1),
        PORTRES_SDK_VALUE(ERROR_PROC_NOT_FOUND, 127)),
    ValueName);

TEST(SdkValues, MakeWord_PutsTheMajorVersionInTheLowByte) {
  EXPECT_EQ(MAKEWORD(2, 2), 0x0202);
  EXPECT_EQ(MAKEWORD(1, 0), 0x0001);
  EXPECT_EQ(MAKEWORD(0x1ff, 0x3), 0x03ff);  // each part is one byte
  EXPECT_EQ(LOBYTE(MAKEWORD(2, 1)), 2);
  EXPECT_EQ(HIBYTE(MAKEWORD(2, 1)), 1);
}

TEST(SdkValues, InvalidSocket_IsAllBitsSet) {
  EXPECT_EQ(INVALID_SOCKET, static_cast<SOCKET>(~static_cast<SOCKET>(0)));
}

TEST(SdkValues, WsaInvalidEvent_IsNull) { EXPECT_EQ(WSA_INVALID_EVENT, nullptr); }

}  // namespace
