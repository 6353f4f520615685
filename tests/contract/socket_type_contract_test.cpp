// The three IOCTLs on a socket that is neither TCP nor UDP: WSAEOPNOTSUPP ([ref:acquire]
// [ref:associate] [ref:release]); socket()'s argument rules [ref:socket-rules], and the socket
// Microsoft's own diagnostic opens [ref:clients].
#include <cstdint>

#include "contract_test.h"

namespace portres::contract {
namespace {

constexpr DWORD kReservationIoctls[] = {SIO_ACQUIRE_PORT_RESERVATION, SIO_RELEASE_PORT_RESERVATION,
                                        SIO_ASSOCIATE_PORT_RESERVATION};

// Each IOCTL with well-formed buffers; the error each left.
void ExpectEveryIoctlFailsWithWsaeopnotsupp(ISocketIoctl& api, SOCKET s) {
  for (const DWORD code : kReservationIoctls) {
    SCOPED_TRACE(testing::Message() << "IOCTL 0x" << std::hex << code);
    INET_PORT_RANGE range{0, 1};
    INET_PORT_RESERVATION_INSTANCE instance{};
    ULONG64 token = 1;
    DWORD bytes = 0;
    const bool acquire = code == SIO_ACQUIRE_PORT_RESERVATION;
    const int result = api.WSAIoctl(s, code, acquire ? static_cast<LPVOID>(&range) : &token,
                                    acquire ? DWORD{sizeof range} : DWORD{sizeof token},
                                    acquire ? &instance : nullptr,
                                    acquire ? DWORD{sizeof instance} : 0, &bytes, nullptr, nullptr);
    EXPECT_EQ(result, SOCKET_ERROR);
    EXPECT_EQ(Wsa(api.WSAGetLastError()), Wsa(WSAEOPNOTSUPP));
  }
}

TEST_P(SocketTypeContract, ReservationIoctls_OnRawSocket_FailWithWsaeopnotsupp) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  TestSocket raw(api(), AF_INET, SOCK_RAW, IPPROTO_RAW);
  if (!raw.is_open()) {
    GTEST_SKIP() << "this host opens no raw socket here (needs admin on Windows): "
                 << testing::PrintToString(raw.open_error());
  }
  ExpectEveryIoctlFailsWithWsaeopnotsupp(api(), raw.handle());
}

TEST_P(SocketTypeContract, ReservationIoctls_OnUnixSocket_FailWithWsaeopnotsupp) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  TestSocket unix_socket(api(), AF_UNIX, SOCK_STREAM, 0);
  if (!unix_socket.is_open()) {
    GTEST_SKIP() << "this host opens no AF_UNIX socket (Windows 10 1803 or later has them): "
                 << testing::PrintToString(unix_socket.open_error());
  }
  ExpectEveryIoctlFailsWithWsaeopnotsupp(api(), unix_socket.handle());
}

// socket()'s argument triples as Windows answers them [ref:socket-rules] (Wine's conformance
// table, which runs on Windows too). kTcp/kUdp: the socket opens as that transport.
struct Triple {
  const char* what;
  int af;
  int type;
  int protocol;
  int error;  // 0: opens
  Transport transport = Transport::kTcp;
};

constexpr int kUnknown = 12345;  // no family, type or protocol has this number

const Triple kTriples[] = {
    {"(AF_INET, 0, 0) is TCP", AF_INET, 0, 0, 0, Transport::kTcp},
    {"(AF_INET, 0, IPPROTO_TCP) is TCP", AF_INET, 0, IPPROTO_TCP, 0, Transport::kTcp},
    {"(AF_INET, 0, IPPROTO_UDP) is UDP", AF_INET, 0, IPPROTO_UDP, 0, Transport::kUdp},
    {"(AF_INET, SOCK_STREAM, 0) is TCP", AF_INET, SOCK_STREAM, 0, 0, Transport::kTcp},
    {"(AF_INET, SOCK_DGRAM, 0) is UDP", AF_INET, SOCK_DGRAM, 0, 0, Transport::kUdp},
    {"(AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP) is TCP", AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, 0,
     Transport::kTcp},
    {"(AF_UNSPEC, 0, IPPROTO_TCP) is TCP", AF_UNSPEC, 0, IPPROTO_TCP, 0, Transport::kTcp},
    {"(AF_UNSPEC, 0, IPPROTO_UDP) is UDP", AF_UNSPEC, 0, IPPROTO_UDP, 0, Transport::kUdp},
    {"AF_UNSPEC with protocol 0", AF_UNSPEC, SOCK_STREAM, 0, WSAEINVAL},
    {"AF_UNSPEC, type 0, protocol 0", AF_UNSPEC, 0, 0, WSAEINVAL},
    {"AF_UNSPEC with protocol 0 and an unknown type", AF_UNSPEC, kUnknown, 0, WSAEINVAL},
    {"SOCK_STREAM with IPPROTO_UDP", AF_INET, SOCK_STREAM, IPPROTO_UDP, WSAEPROTONOSUPPORT},
    {"SOCK_DGRAM with IPPROTO_TCP", AF_INET, SOCK_DGRAM, IPPROTO_TCP, WSAEPROTONOSUPPORT},
    {"unknown family", kUnknown, SOCK_STREAM, 0, WSAEAFNOSUPPORT},
    {"unknown family and unknown type: the type wins", kUnknown, kUnknown, 0, WSAESOCKTNOSUPPORT},
    {"unknown type", AF_INET, kUnknown, 0, WSAESOCKTNOSUPPORT},
    {"unknown protocol", AF_INET, SOCK_STREAM, kUnknown, WSAEPROTONOSUPPORT},
};

TEST_P(SocketTypeContract, Socket_ArgumentTriples_AnswerAsWindowsDoes_Observed) {
  // Which port space `s` lives in, asked without reservations so that hosts without them
  // answer too: bind it to a port of the system's choice, then see whether UDP refuses it.
  auto transport_of = [this](SOCKET s) {
    EXPECT_EQ(Bind(s, 0), kWsaSuccess);
    TestSocket udp = Udp();
    return Bind(udp.handle(), LocalPort(s)) == Wsa(WSAEADDRINUSE) ? Transport::kUdp
                                                                  : Transport::kTcp;
  };
  for (const Triple& triple : kTriples) {
    SCOPED_TRACE(triple.what);
    api().WSASetLastError(WSAEINTR);  // so that a success must set it
    TestSocket s(api(), triple.af, triple.type, triple.protocol);
    EXPECT_EQ(s.open_error(), Wsa(triple.error));
    if (!s.is_open()) continue;
    EXPECT_EQ(Wsa(api().WSAGetLastError()), kWsaSuccess) << "a success sets the last error to 0";
    EXPECT_EQ(transport_of(s.handle()) == Transport::kTcp, triple.transport == Transport::kTcp);
  }
}

// Microsoft's diagnostic script for reservation exhaustion [ref:clients]: a type-0, protocol-0
// socket, then ten wildcard acquires of 64 ports on it, counting the successes.
TEST_P(SocketTypeContract, MicrosoftDiagnosticPattern_TenWildcardAcquiresOf64Ports_Succeed) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  TestSocket s(api(), AF_INET, 0, 0);
  ASSERT_TRUE(s.is_open()) << testing::PrintToString(s.open_error());
  int granted = 0;
  for (int i = 0; i < 10; ++i) {
    const Acquired acquired = Acquire(s.handle(), 0, 64);
    if (acquired.error == kWsaSuccess && acquired.port_count() == 64) ++granted;
  }
  EXPECT_EQ(granted, 10);
}

}  // namespace
}  // namespace portres::contract
