// The three IOCTLs on a socket that is neither TCP nor UDP: WSAEOPNOTSUPP ([ref:acquire]
// [ref:associate] [ref:release]).
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

}  // namespace
}  // namespace portres::contract
