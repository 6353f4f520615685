// ioctlsocket (https://learn.microsoft.com/en-us/windows/win32/api/winsock/nf-winsock-ioctlsocket):
// FIONBIO, and the reservation IOCTLs that do not support non-blocking mode [ref:ioctl-common].
#include "contract_test.h"
#include "surface_helpers.h"

namespace portres::contract {
namespace {

WsaCode IoctlSocket(ISocketIoctl& api, SOCKET s, u_long command, u_long* argp) {
  return ResultOf(api, api.ioctlsocket(s, static_cast<long>(command), argp));
}

TEST_P(IoctlSocketContract, Fionbio_OnAndOff_Succeed) {
  TestSocket s = Tcp();
  u_long on = 1;
  u_long off = 0;
  EXPECT_EQ(IoctlSocket(api(), s.handle(), FIONBIO, &on), kWsaSuccess);
  EXPECT_EQ(IoctlSocket(api(), s.handle(), FIONBIO, &off), kWsaSuccess);
}

TEST_P(IoctlSocketContract, NullArgument_FailsWithWsaefault) {
  TestSocket s = Tcp();
  EXPECT_EQ(IoctlSocket(api(), s.handle(), FIONBIO, nullptr), Wsa(WSAEFAULT));
}

TEST_P(IoctlSocketContract, ClosedSocket_FailsWithWsaenotsock) {
  TestSocket s = Tcp();
  const SOCKET stale = s.handle();
  ASSERT_EQ(s.Close(), kWsaSuccess);
  u_long on = 1;
  EXPECT_EQ(IoctlSocket(api(), stale, FIONBIO, &on), Wsa(WSAENOTSOCK));
}

TEST_P(IoctlSocketContract, UnknownCommand_FailsWithWsaeopnotsupp_Assumed) {
  // The page names no code; Wine 8.0 answers WSAEOPNOTSUPP, and so does the fake.
  TestSocket s = Tcp();
  u_long value = 0;
  EXPECT_EQ(IoctlSocket(api(), s.handle(), 0x4004667Bul, &value), Wsa(WSAEOPNOTSUPP));
}

TEST_P(IoctlSocketContract, NonBlocking_ReservationIoctlsStillCompleteBeforeReturning) {
  PORTRES_SKIP_UNLESS(backend(), Feature::kRuntimeReservations);
  TestSocket s = Tcp();
  u_long on = 1;
  ASSERT_EQ(IoctlSocket(api(), s.handle(), FIONBIO, &on), kWsaSuccess);
  const Acquired acquired = Acquire(s.handle(), 0, 2);
  ASSERT_EQ(acquired.error, kWsaSuccess);
  EXPECT_EQ(Release(s.handle(), acquired.token()), kWsaSuccess);
}

}  // namespace
}  // namespace portres::contract
