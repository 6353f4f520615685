// What Wine answers to the port-reservation calls, pinned so that a Wine upgrade that changes
// it is noticed (docs/fidelity.md cites these as "checked against: Wine"). On Windows every
// test here skips: Windows' answers are the contract suite's business.
//
// Observed with wine-8.0 (Debian 8.0~repack-4), 64-bit. Wine's iphlpapi.dll does not export the
// six persistent-reservation functions: GetProcAddress finds none of them (a static import of
// one would resolve to a stub that aborts the process at its first call), and WinsockIpHelper,
// which looks them up, answers ERROR_NOT_SUPPORTED.
#include <portres/winsock_environment.h>
#include <portres/winsock_ip_helper.h>
#include <portres/winsock_socket_ioctl.h>

#include <gtest/gtest.h>

namespace portres {
namespace {

// NTSTATUS STATUS_NOT_SUPPORTED (ntstatus.h), left in OVERLAPPED::Internal.
constexpr ULONG_PTR kStatusNotSupported = 0xC00000BB;

class WineObservationTest : public testing::Test {
 protected:
  void SetUp() override {
    if (WineVersion() == nullptr) GTEST_SKIP() << "not running under Wine";
    tcp_ = winsock_.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ASSERT_NE(tcp_, INVALID_SOCKET);
  }
  void TearDown() override {
    if (tcp_ != INVALID_SOCKET) winsock_.closesocket(tcp_);
  }

  // SIO_ACQUIRE_PORT_RESERVATION for 10 ports the system chooses, synchronous.
  int AcquireWildcard(SOCKET s, DWORD* bytes_returned) {
    INET_PORT_RANGE range{};
    range.NumberOfPorts = 10;
    return winsock_.WSAIoctl(s, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance_,
                             sizeof instance_, bytes_returned, nullptr, nullptr);
  }

  WinsockSocketIoctl winsock_;
  SOCKET tcp_ = INVALID_SOCKET;
  INET_PORT_RESERVATION_INSTANCE instance_{};
};

TEST_F(WineObservationTest, WineVersion_IsReported) { EXPECT_STRNE(WineVersion(), ""); }

TEST_F(WineObservationTest, IphlpapiExports_UnderWine_NoneOfTheSix_Observed) {
  const HMODULE iphlpapi = ::LoadLibraryW(L"iphlpapi.dll");
  ASSERT_NE(iphlpapi, nullptr);
  for (const char* name :
       {"CreatePersistentTcpPortReservation", "CreatePersistentUdpPortReservation",
        "DeletePersistentTcpPortReservation", "DeletePersistentUdpPortReservation",
        "LookupPersistentTcpPortReservation", "LookupPersistentUdpPortReservation"}) {
    EXPECT_EQ(::GetProcAddress(iphlpapi, name), nullptr) << name;
  }
  EXPECT_NE(::GetProcAddress(iphlpapi, "GetAdaptersInfo"), nullptr) << "the DLL itself is there";
  ASSERT_NE(MissingIpHelperFunction(), nullptr);
  EXPECT_STREQ(MissingIpHelperFunction(), "CreatePersistentTcpPortReservation");
}

TEST_F(WineObservationTest, WinsockIpHelper_UnderWine_AnswersErrorNotSupported_Observed) {
  WinsockIpHelper iphlpapi;
  ULONG64 token = 42;
  const USHORT port = htons(50000);
  EXPECT_EQ(iphlpapi.CreatePersistentTcpPortReservation(port, 10, &token),
            static_cast<ULONG>(ERROR_NOT_SUPPORTED));
  EXPECT_EQ(iphlpapi.CreatePersistentUdpPortReservation(port, 10, &token),
            static_cast<ULONG>(ERROR_NOT_SUPPORTED));
  EXPECT_EQ(iphlpapi.LookupPersistentTcpPortReservation(port, 10, &token),
            static_cast<ULONG>(ERROR_NOT_SUPPORTED));
  EXPECT_EQ(iphlpapi.LookupPersistentUdpPortReservation(port, 10, &token),
            static_cast<ULONG>(ERROR_NOT_SUPPORTED));
  EXPECT_EQ(iphlpapi.DeletePersistentTcpPortReservation(port, 10),
            static_cast<ULONG>(ERROR_NOT_SUPPORTED));
  EXPECT_EQ(iphlpapi.DeletePersistentUdpPortReservation(port, 10),
            static_cast<ULONG>(ERROR_NOT_SUPPORTED));
  EXPECT_EQ(token, 42u) << "the token is left untouched";
}

TEST_F(WineObservationTest, ProbeRuntimeReservations_UnderWine_AnswersWsaeopnotsupp_Observed) {
  EXPECT_EQ(ProbeRuntimeReservations(), WSAEOPNOTSUPP);
}

TEST_F(WineObservationTest, Acquire_UnderWine_FailsWithWsaeopnotsupp_Observed) {
  DWORD bytes = 12345;
  EXPECT_EQ(AcquireWildcard(tcp_, &bytes), SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEOPNOTSUPP);
  EXPECT_EQ(bytes, 0u) << "Wine zeroes *lpcbBytesReturned";
  EXPECT_EQ(instance_.Token.Token, INVALID_PORT_RESERVATION_TOKEN) << "output left untouched";
}

TEST_F(WineObservationTest, AcquireOnUdpSocket_UnderWine_FailsWithWsaeopnotsupp_Observed) {
  const SOCKET udp = winsock_.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  ASSERT_NE(udp, INVALID_SOCKET);
  DWORD bytes = 0;
  EXPECT_EQ(AcquireWildcard(udp, &bytes), SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEOPNOTSUPP);
  EXPECT_EQ(winsock_.closesocket(udp), 0);
}

TEST_F(WineObservationTest, Release_UnderWine_FailsWithWsaeopnotsupp_Observed) {
  INET_PORT_RESERVATION_TOKEN token{42};
  DWORD bytes = 12345;
  EXPECT_EQ(winsock_.WSAIoctl(tcp_, SIO_RELEASE_PORT_RESERVATION, &token, sizeof token, nullptr, 0,
                              &bytes, nullptr, nullptr),
            SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEOPNOTSUPP);
  EXPECT_EQ(bytes, 0u);
}

TEST_F(WineObservationTest, Associate_UnderWine_FailsWithWsaeopnotsupp_Observed) {
  INET_PORT_RESERVATION_TOKEN token{42};
  DWORD bytes = 12345;
  EXPECT_EQ(winsock_.WSAIoctl(tcp_, SIO_ASSOCIATE_PORT_RESERVATION, &token, sizeof token, nullptr,
                              0, &bytes, nullptr, nullptr),
            SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEOPNOTSUPP);
  EXPECT_EQ(bytes, 0u);
}

// Windows checks the socket first (WSAENOTSOCK); Wine rejects the IOCTL code before it looks
// at the socket.
TEST_F(WineObservationTest, AcquireOnInvalidSocket_UnderWine_FailsWithWsaeopnotsupp_Observed) {
  DWORD bytes = 0;
  EXPECT_EQ(AcquireWildcard(INVALID_SOCKET, &bytes), SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEOPNOTSUPP);
}

TEST_F(WineObservationTest, AcquireWithNoBuffers_UnderWine_FailsWithWsaeopnotsupp_Observed) {
  DWORD bytes = 0;
  EXPECT_EQ(winsock_.WSAIoctl(tcp_, SIO_ACQUIRE_PORT_RESERVATION, nullptr, 0, nullptr, 0, &bytes,
                              nullptr, nullptr),
            SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEOPNOTSUPP);
}

// Overlapped, Wine reports the call as pending, but it has already finished with
// STATUS_NOT_SUPPORTED and never signals the event; WSAGetOverlappedResult then answers
// WSAEOPNOTSUPP.
TEST_F(WineObservationTest, AcquireOverlapped_UnderWine_PendsThenFailsWithWsaeopnotsupp_Observed) {
  WSAOVERLAPPED overlapped{};
  overlapped.hEvent = winsock_.WSACreateEvent();
  ASSERT_NE(overlapped.hEvent, WSA_INVALID_EVENT);
  INET_PORT_RANGE range{};
  range.NumberOfPorts = 10;
  DWORD bytes = 12345;
  EXPECT_EQ(winsock_.WSAIoctl(tcp_, SIO_ACQUIRE_PORT_RESERVATION, &range, sizeof range, &instance_,
                              sizeof instance_, &bytes, &overlapped, nullptr),
            SOCKET_ERROR);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSA_IO_PENDING);
  EXPECT_EQ(bytes, 12345u) << "an overlapped call leaves *lpcbBytesReturned alone";
  EXPECT_EQ(overlapped.Internal, kStatusNotSupported);
  EXPECT_EQ(::WaitForSingleObject(overlapped.hEvent, 0), static_cast<DWORD>(WAIT_TIMEOUT))
      << "the event is not signalled";

  DWORD transferred = 777;
  DWORD flags = 777;
  EXPECT_EQ(winsock_.WSAGetOverlappedResult(tcp_, &overlapped, &transferred, FALSE, &flags), FALSE);
  EXPECT_EQ(winsock_.WSAGetLastError(), WSAEOPNOTSUPP);
  EXPECT_EQ(transferred, 0u);
  EXPECT_EQ(winsock_.WSACloseEvent(overlapped.hEvent), TRUE);
}

}  // namespace
}  // namespace portres
